// Bytecode without an assembler, and one-call runs of it through the core (src/core/code-runner.ts).
// The EVM unit tests build their programs from these pieces and compare what the core does with
// values derived by hand from the Yellow Paper, the EIPs and ethereum/execution-specs.
import { Core, type CoreResult } from '../../src/core/core.js';
import { CodeRunner, RUNNER_SENDER, type CallOptions, type RunnerAccount } from '../../src/core/code-runner.js';
import { writeTx, type BlockEnv, type TxInput } from '../../src/core/inputs.js';
import { Status } from '../../src/core/layout.js';
import { Fork } from '../../src/fork/forks.js';
import { keccak256 } from '../../src/bytes.js';

export { Fork, RUNNER_SENDER, keccak256 };

/** Every opcode with a fixed byte, by its execution-specs name. PUSHn, DUPn, SWAPn and LOGn are functions below. */
export const OP = {
  STOP: 0x00, ADD: 0x01, MUL: 0x02, SUB: 0x03, DIV: 0x04, SDIV: 0x05, MOD: 0x06, SMOD: 0x07, ADDMOD: 0x08,
  MULMOD: 0x09, EXP: 0x0a, SIGNEXTEND: 0x0b,
  LT: 0x10, GT: 0x11, SLT: 0x12, SGT: 0x13, EQ: 0x14, ISZERO: 0x15, AND: 0x16, OR: 0x17, XOR: 0x18, NOT: 0x19,
  BYTE: 0x1a, SHL: 0x1b, SHR: 0x1c, SAR: 0x1d,
  KECCAK256: 0x20,
  ADDRESS: 0x30, BALANCE: 0x31, ORIGIN: 0x32, CALLER: 0x33, CALLVALUE: 0x34, CALLDATALOAD: 0x35,
  CALLDATASIZE: 0x36, CALLDATACOPY: 0x37, CODESIZE: 0x38, CODECOPY: 0x39, GASPRICE: 0x3a, EXTCODESIZE: 0x3b,
  EXTCODECOPY: 0x3c, RETURNDATASIZE: 0x3d, RETURNDATACOPY: 0x3e, EXTCODEHASH: 0x3f,
  BLOCKHASH: 0x40, COINBASE: 0x41, TIMESTAMP: 0x42, NUMBER: 0x43, PREVRANDAO: 0x44, GASLIMIT: 0x45,
  CHAINID: 0x46, SELFBALANCE: 0x47, BASEFEE: 0x48, BLOBHASH: 0x49, BLOBBASEFEE: 0x4a,
  POP: 0x50, MLOAD: 0x51, MSTORE: 0x52, MSTORE8: 0x53, SLOAD: 0x54, SSTORE: 0x55, JUMP: 0x56, JUMPI: 0x57,
  PC: 0x58, MSIZE: 0x59, GAS: 0x5a, JUMPDEST: 0x5b, TLOAD: 0x5c, TSTORE: 0x5d, MCOPY: 0x5e, PUSH0: 0x5f,
  PUSH1: 0x60, PUSH2: 0x61, PUSH20: 0x73, PUSH32: 0x7f, DUP1: 0x80, SWAP1: 0x90, LOG0: 0xa0,
  CREATE: 0xf0, CALL: 0xf1, CALLCODE: 0xf2, RETURN: 0xf3, DELEGATECALL: 0xf4, CREATE2: 0xf5,
  STATICCALL: 0xfa, REVERT: 0xfd, INVALID: 0xfe, SELFDESTRUCT: 0xff,
} as const;

/** PUSHn's opcode (n = 1..32). */
export const PUSH = (n: number): number => 0x5f + n;
/** DUPn's opcode (n = 1..16). */
export const DUP = (n: number): number => 0x7f + n;
/** SWAPn's opcode (n = 1..16). */
export const SWAP = (n: number): number => 0x8f + n;
/** LOGn's opcode (n = 0..4). */
export const LOG = (n: number): number => 0xa0 + n;

/** A piece of code: an opcode byte, raw bytes, or a list of bytes. */
export type Piece = number | Uint8Array | readonly number[];

/** Concatenates pieces into bytecode. */
export function asm(...pieces: Piece[]): Uint8Array {
  const out: number[] = [];
  for (const p of pieces) {
    if (typeof p === 'number') {
      if (!Number.isInteger(p) || p < 0 || p > 255) throw new Error(`asm: ${p} is not a byte`);
      out.push(p);
    } else {
      for (const b of p) out.push(b); // no spread: initcodes reach 49152 bytes
    }
  }
  return Uint8Array.from(out);
}

/** `value` as `size` big-endian bytes (the smallest size that holds it, at least 1, when omitted). */
export function bytesOf(value: bigint | number, size?: number): Uint8Array {
  let v = BigInt(value);
  if (v < 0n) throw new Error('bytesOf: negative value');
  const n = size ?? Math.max(1, Math.ceil(v.toString(16).length / 2));
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  if (v !== 0n) throw new Error(`bytesOf: ${value} does not fit in ${n} bytes`);
  return out;
}

/** PUSHn of `value`: the smallest n (PUSH1 0x00 for zero, valid on every fork) unless `size` is given. 3 gas. */
export function push(value: bigint | number, size?: number): Uint8Array {
  const bytes = bytesOf(value, size);
  if (bytes.length > 32) throw new Error('push: more than 32 bytes');
  return asm(PUSH(bytes.length), bytes);
}

/** PUSH20 of an address. 3 gas. */
export function pushAddress(address: Uint8Array): Uint8Array {
  return asm(PUSH(20), address);
}

/** Returns the top of the stack as one 32-byte word: PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN. */
export function ret(): Uint8Array {
  return asm(push(0), OP.MSTORE, push(32), push(0), OP.RETURN);
}

/** ret()'s gas when memory is still empty: PUSH 3 + MSTORE (3 + 3 expansion to one word) + PUSH 3 + PUSH 3 + RETURN 0. */
export const RET_GAS = 15;
/** ret()'s gas when memory already holds at least one word: 3 + 3 + 3 + 3 + 0. */
export const RET_GAS_EXPANDED = 12;

/** Returns the top `n` stack items, top first, as n words: MSTOREs at 0, 32, ... then RETURN. */
export function retN(n: number): Uint8Array {
  const parts: Piece[] = [];
  for (let i = 0; i < n; i++) parts.push(push(32 * i), OP.MSTORE);
  parts.push(push(32 * n), push(0), OP.RETURN);
  return asm(...parts);
}

/** SSTORE of the top of the stack into `slot`. */
export function sstoreTop(slot: bigint | number): Uint8Array {
  return asm(push(slot), OP.SSTORE);
}

/**
 * CALL-family call: pushes retSize, retOffset, argsSize, argsOffset, [value], address, gas and the opcode.
 * `gas` may be a number or the GAS opcode's output (pass 'all').
 */
export function call(
  op: number, address: Uint8Array, options: { gas?: bigint | number | 'all'; value?: bigint | number; argsOffset?: number;
    argsSize?: number; retOffset?: number; retSize?: number } = {},
): Uint8Array {
  const withValue = op === OP.CALL || op === OP.CALLCODE;
  return asm(
    push(options.retSize ?? 0), push(options.retOffset ?? 0), push(options.argsSize ?? 0), push(options.argsOffset ?? 0),
    withValue ? push(options.value ?? 0) : [], pushAddress(address),
    options.gas === 'all' || options.gas === undefined ? [OP.GAS] : push(options.gas), op,
  );
}

/**
 * Code that runs `branches[n]` when called with n bytes of calldata (branch 0 otherwise). Each
 * branch is followed by STOP. Lets one contract play several roles, e.g. re-entering itself.
 */
export function byCalldataSize(...branches: Uint8Array[]): Uint8Array {
  // Each check: CALLDATASIZE PUSH1 n EQ PUSH2 dest JUMPI = 8 bytes.
  const header = 8 * (branches.length - 1);
  const starts: number[] = [];
  let at = header + branches[0].length + 1;
  for (let i = 1; i < branches.length; i++) {
    starts.push(at);
    at += 1 + branches[i].length + 1;
  }
  const checks = starts.map((dest, i) => asm(OP.CALLDATASIZE, push(i + 1), OP.EQ, push(dest, 2), OP.JUMPI));
  return asm(...checks, branches[0], OP.STOP, ...branches.slice(1).map((b) => asm(OP.JUMPDEST, b, OP.STOP)));
}

/**
 * Initcode that deploys `runtime`: CODECOPY the bytes after the 14-byte header into memory, RETURN them.
 * The header costs PUSH2 3, PUSH1 3, PUSH1 3, CODECOPY (3 + 3 per word + expansion), PUSH2 3, PUSH1 3, RETURN 0.
 */
export function deployer(runtime: Uint8Array): Uint8Array {
  const header = asm(push(runtime.length, 2), push(14, 1), push(0), OP.CODECOPY, push(runtime.length, 2), push(0), OP.RETURN);
  if (header.length !== 14) throw new Error('deployer: header size changed');
  return asm(header, runtime);
}

/** Code that writes `bytes` to memory from offset 0 with PUSH32/MSTORE pairs (the last word zero-padded). */
export function mstoreBytes(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    const chunk = new Uint8Array(32);
    chunk.set(bytes.subarray(i, i + 32));
    parts.push(asm(OP.PUSH32, chunk, push(i), OP.MSTORE));
  }
  return asm(...parts);
}

/** Creates from `initcode` (put in memory at 0) with CREATE, or CREATE2 when a salt is given; leaves the result. */
export function create(initcode: Uint8Array, options: { value?: bigint | number; salt?: bigint } = {}): Uint8Array {
  const args = asm(push(initcode.length), push(0), push(options.value ?? 0));
  return options.salt === undefined ? asm(mstoreBytes(initcode), args, OP.CREATE) :
    asm(mstoreBytes(initcode), push(options.salt), args, OP.CREATE2);
}

/** A 20-byte address whose last two bytes are `n` (and whose first byte is `prefix`, 0xaa by default). */
export function address(n: number, prefix = 0xaa): Uint8Array {
  const a = new Uint8Array(20);
  a[0] = prefix;
  a[18] = (n >> 8) & 0xff;
  a[19] = n & 0xff;
  return a;
}

/** The contract every snippet runs at. */
export const CONTRACT = address(0xc0de, 0xcc);
/** A second contract address, for calls. */
export const OTHER = address(0x0b0b, 0xcc);

/** Bytes of a hex string, with or without 0x. */
export function hex(s: string): Uint8Array {
  const h = s.replace(/^0x/, '');
  if (h.length % 2 !== 0) throw new Error(`hex: odd length ${s}`);
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

/** Lower-case hex of bytes, with 0x. */
export function toHex(bytes: Uint8Array): string {
  return '0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A 32-byte big-endian word. */
export function word(value: bigint | number): Uint8Array {
  return bytesOf(BigInt.asUintN(256, BigInt(value)), 32);
}

/** Big-endian bytes as a number (0 for no bytes). */
export function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(toHex(bytes));
}

/** The i-th 32-byte word of `bytes`, as a number. */
export function wordAt(bytes: Uint8Array, i: number): bigint {
  return toBigInt(bytes.subarray(32 * i, 32 * i + 32));
}

/** 2^256 - 1, and two's complement helpers for signed rows. */
export const MAX = (1n << 256n) - 1n;
export const neg = (v: bigint): bigint => BigInt.asUintN(256, -v);
export const INT_MIN = 1n << 255n;

/** The halt statuses, by the names src/core/layout.ts gives them. */
function statusIndex(name: (typeof Status)[number]): number {
  const i = Status.indexOf(name);
  if (i < 0) throw new Error(`no status ${name}`);
  return i;
}
export const S = {
  SUCCESS: statusIndex('success'),
  REVERT: statusIndex('revert'),
  OUT_OF_GAS: statusIndex('out of gas'),
  STACK_UNDERFLOW: statusIndex('stack underflow'),
  STACK_OVERFLOW: statusIndex('stack overflow'),
  INVALID_OPCODE: statusIndex('invalid opcode'),
  BAD_JUMP: statusIndex('bad jump destination'),
  STATIC_VIOLATION: statusIndex('state change in static call'),
  RETURNDATA_OUT_OF_BOUNDS: statusIndex('return data out of bounds'),
  CODE_SIZE_EXCEEDED: statusIndex('code size exceeded'),
  INVALID_CODE_PREFIX: statusIndex('code starts with 0xEF'),
  COLLISION: statusIndex('address collision'),
} as const;

/** Whether a status is an exceptional halt (consumes all gas): everything after revert. */
export const isExceptional = (status: number): boolean => status > S.REVERT;

/** Every fork, in order, and ranges of them. */
export const ALL_FORKS: readonly Fork[] = Object.values(Fork).filter((f): f is Fork => typeof f === 'number');
export function forks(from: Fork, to: Fork = Fork.Cancun): Fork[] {
  return ALL_FORKS.filter((f) => f >= from && f <= to);
}

// One core per test process: a Core owns a large shared memory, and runners only reset its store.
let sharedCore: Promise<Core> | undefined;

/** A runner on the process's shared core, its world empty until accounts are `set` and it is `reset`. */
export async function runner(fork: Fork = Fork.Cancun, env: Partial<BlockEnv> = {}): Promise<CodeRunner> {
  sharedCore ??= Core.create();
  return new CodeRunner(await sharedCore, fork, env);
}

/** A world of accounts, ready for calls: runner + set + reset. */
export async function world(
  fork: Fork, accounts: Iterable<[Uint8Array, RunnerAccount]>, env: Partial<BlockEnv> = {},
): Promise<CodeRunner> {
  const r = await runner(fork, env);
  for (const [a, account] of accounts) r.set(a, account);
  return r.reset();
}

/** What one run of a snippet did. */
export interface Outcome {
  status: number;
  output: Uint8Array;
  /** The whole transaction's gas, 21000 and calldata included, after refunds. */
  gasUsed: bigint;
  /** The storage of CONTRACT after the transaction (non-zero slots). */
  storage: Map<bigint, bigint>;
  result: CoreResult;
  runner: CodeRunner;
  /** The output as one number (the first word, or all of a shorter output). */
  value: bigint;
}

export interface SnippetOptions extends CallOptions {
  fork?: Fork;
  /** CONTRACT's balance, nonce and storage before the call. */
  balance?: bigint;
  nonce?: bigint;
  storage?: Iterable<[bigint, bigint]>;
  /** Further accounts of the world. */
  accounts?: Iterable<[Uint8Array, RunnerAccount]>;
  env?: Partial<BlockEnv>;
}

/** Deploys `code` at CONTRACT in a fresh world and calls it once from RUNNER_SENDER. */
export async function run(code: Uint8Array, options: SnippetOptions = {}): Promise<Outcome> {
  const { fork = Fork.Cancun, balance, nonce, storage, accounts = [], env, ...callOptions } = options;
  const r = await world(fork, [[CONTRACT, { code, balance, nonce, storage }], ...accounts], env);
  return outcome(r, r.call(CONTRACT, callOptions));
}

/** Packs a result with the runner's view of CONTRACT afterwards. */
export function outcome(r: CodeRunner, result: CoreResult): Outcome {
  if (result.validity !== 0) throw new Error(`transaction invalid: ${result.validity}`);
  return {
    status: result.status,
    output: result.output,
    gasUsed: result.gasUsed,
    storage: r.account(CONTRACT)?.storage ?? new Map(),
    result,
    runner: r,
    value: toBigInt(result.output.subarray(0, 32)),
  };
}

/** Fields of a transaction the runner cannot express (access lists, blobs, gas prices). */
export interface TxFields {
  to?: Uint8Array;
  data?: Uint8Array;
  value?: bigint;
  gasLimit?: bigint;
  type?: number;
  gasPrice?: bigint;
  maxPriorityFeePerGas?: bigint;
  maxFeePerBlobGas?: bigint;
  accessList?: { address: Uint8Array; storageKeys: Uint8Array[] }[];
  blobVersionedHashes?: Uint8Array[];
}

/** Sends a transaction with the given fields from RUNNER_SENDER through `r` (nonce from the store). */
export function send(r: CodeRunner, fields: TxFields): CoreResult {
  const sender = r.account(RUNNER_SENDER);
  const tx: TxInput = {
    type: fields.type ?? (r.fork >= Fork.London ? 2 : 0), from: RUNNER_SENDER, to: fields.to,
    value: fields.value ?? 0n, gasLimit: fields.gasLimit ?? 30_000_000n, nonce: sender?.nonce ?? 0n,
    gasPrice: fields.gasPrice ?? 7n, maxPriorityFeePerGas: fields.maxPriorityFeePerGas ?? 0n,
    maxFeePerBlobGas: fields.maxFeePerBlobGas ?? 0n, data: fields.data ?? new Uint8Array(0),
    accessList: fields.accessList ?? [], blobVersionedHashes: fields.blobVersionedHashes ?? [],
  };
  return r.run(writeTx(r.core, tx, 1n << 62n));
}

/** The gas a transaction is charged after refunds: min(refund, used / quotient) comes back (EIP-3529: 5, before: 2). */
export function afterRefund(used: number, refund: number, quotient: 2 | 5): number {
  return used - Math.min(refund, Math.floor(used / quotient));
}

/** The refund quotient of a fork (EIP-3529 from London). */
export const refundQuotient = (fork: Fork): 2 | 5 => (fork >= Fork.London ? 5 : 2);

/** Memory expansion gas from 0 to `words` words (Yellow Paper C_mem: 3a + a²/512). */
export const memoryGas = (words: number): number => 3 * words + Math.floor((words * words) / 512);

/** The CREATE address: keccak256(rlp([sender, nonce]))[12:] for nonces below 2^64. */
export function createAddress(sender: Uint8Array, nonce: bigint): Uint8Array {
  const n = nonce === 0n ? Uint8Array.of(0x80) : nonce < 0x80n ? Uint8Array.of(Number(nonce)) :
    asm(0x80 + bytesOf(nonce).length, bytesOf(nonce));
  const payload = asm(0x94, sender, n);
  return keccak256(asm(0xc0 + payload.length, payload)).subarray(12);
}

/** The CREATE2 address: keccak256(0xff ++ sender ++ salt ++ keccak256(initcode))[12:] (EIP-1014). */
export function create2Address(sender: Uint8Array, salt: bigint, initcode: Uint8Array): Uint8Array {
  return keccak256(asm(0xff, sender, word(salt), keccak256(initcode))).subarray(12);
}
