// Ordered-trie test exports: the leaf and root steps, and the work size the root needs.
export { orderedLeafHash, orderedRoot } from "../trie/ordered";
import { LEAF_ROOM, ORDERED_ROOT_WORK } from "../trie/ordered";
export function leafRoom(): usize { return LEAF_ROOM; }
export function orderedRootWork(): usize { return ORDERED_ROOT_WORK; }
