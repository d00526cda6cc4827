import { keccak256 } from '../bytes.js';
import { rlpEncode, type RlpInput } from '../rlp.js';

/** A log as the logs hash encodes it. */
export interface LogForHash {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
}

/** keccak256(rlp([[address, [topics…], data], …])): the `logs` field of the state tests. */
export function logsHash(logs: Iterable<LogForHash>): Uint8Array {
  const list: RlpInput[] = [];
  for (const log of logs) list.push([log.address, log.topics, log.data]);
  return keccak256(rlpEncode(list));
}
