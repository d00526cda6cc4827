// Ordered-trie test exports: the leaf, bottom-branch and root steps, and the sizes they need.
export { orderedBottoms, orderedLeafHash, orderedLeavesBytes, orderedRoot } from "../trie/ordered";
import { LEAF_ROOM, ORDERED_BOTTOMS_WORK, ORDERED_ROOT_WORK } from "../trie/ordered";
export function leafRoom(): usize { return LEAF_ROOM; }
export function orderedRootWork(): usize { return ORDERED_ROOT_WORK; }
export function orderedBottomsWork(): usize { return ORDERED_BOTTOMS_WORK; }
