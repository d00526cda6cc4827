// keccak test exports: the core function itself, under the name the tests use.
export { keccak256 as keccak_256 } from "../crypto/keccak";
