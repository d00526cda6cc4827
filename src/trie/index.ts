export { EMPTY_TRIE_ROOT, orderedTrieRoot, secureTrieRoot, trieRoot, type TrieEntry } from './root.js';
export { EMPTY_CODE_HASH, stateRoot, storageRoot, type AccountForRoot } from './state.js';
export { logsHash, type LogForHash } from './logs.js';
