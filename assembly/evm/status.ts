// How a call frame ends. Halts are values, never exceptions: success and revert keep the gas left;
// every status from OUT_OF_GAS on is an exceptional halt that consumes all of the frame's gas.

export const SUCCESS: u32 = 0; // STOP, RETURN, SELFDESTRUCT, or running off the end
export const REVERT: u32 = 1;
export const OUT_OF_GAS: u32 = 2;
export const STACK_UNDERFLOW: u32 = 3;
export const STACK_OVERFLOW: u32 = 4;
export const INVALID_OPCODE: u32 = 5;
export const BAD_JUMP: u32 = 6;
export const STATIC_VIOLATION: u32 = 7;
export const RETURNDATA_OUT_OF_BOUNDS: u32 = 8;
export const CODE_SIZE_EXCEEDED: u32 = 9;
export const INVALID_CODE_PREFIX: u32 = 10; // EIP-3541
export const CREATE_COLLISION: u32 = 11;
export const PRECOMPILE_FAILURE: u32 = 12;

@inline export function isExceptional(status: u32): bool { return status >= OUT_OF_GAS; }
