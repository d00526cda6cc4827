// One WebAssembly instance of the core on a shared memory: how TypeScript reads and writes its
// structs, loads state into the store, and executes transactions. Every worker owns one Core; they
// share the memory and the compiled module.

import { runPrecompile } from '../precompiles/index.js';
import { Fork } from '../fork/forks.js';
import { EMPTY_CODE_HASH } from '../trie/state.js';
import { Account, Block, Code, Fatal, Log, Result, Slot, Status, StoreFlags, Tx } from './layout.js';
import { MissingStateError } from './errors.js';
import { bytesToHex, useKeccak } from '../bytes.js';
import { compileWasm } from '#platform';
import { ResultSnapshot } from './snapshot.js';

/** The wasm core's exports (assembly/index.ts). */
interface CoreExports {
  init(): void;
  configure(eips: number): void;
  takeFatalReason(): number;
  attachArena(stack: number, memory: number, journal: number, heap: number): number;
  sharedAlloc(size: number): number;
  reserveShared(bytes: number): void;
  sharedAllocPermanent(size: number): number;
  setBlock(ptr: number): void;
  storeReset(): void;
  storeGetOrInsertAccount(address: number): number;
  storeFindAccount(address: number): number;
  storeSetSlot(account: number, key: number, value: number): void;
  storeCodeAlloc(len: number): number;
  storeCodeCommit(entry: number, len: number, hashed: number): number;
  storeAccountBuckets(): number;
  storeAccountCapacity(): number;
  storeSetFlags(flags: number): void;
  storeKeepOriginals(): void;
  stateDiff(): number;
  snapshotResults(outputs: number, stride: number, n: number): number;
  missingLocation(): number;
  executeTransaction(tx: number): number;
  transactionOutput(): number;
  receiptLeaves(outputs: number, stride: number, txs: number, n: number, from: number, to: number, gasBefore: bigint, leaves: number): bigint;
  gasUsedBetween(outputs: number, stride: number, from: number, to: number): bigint;
  blockTotals(outputs: number, stride: number, n: number, bloom: number, totals: number): void;
  receiptsRoot(n: number, leaves: number, out: number): void;
  receiptLeavesAlloc(n: number): number;
  firstOutOfOrder(outputs: number, stride: number, txs: number, n: number, gasLimit: bigint): number;
  keccak256(out: number, data: number, len: number): void;
  mvCreate(capacity: number, n: number): number;
  mvAttach(table: number, capacity: number): void;
  creditsBuild(entries: number, count: number): number;
  creditsAttach(table: number): void;
  setTxSlots(slots: number): void;
  executeParallel(tx: number, txIdx: number, incarnation: number): number;
  wroteNewLocation(): number;
  publishMissingState(reason: number): void;
  validateReads(txIdx: number): number;
  markEstimates(txIdx: number): void;
  commitVersions(txCount: number, coinbase: number): void;
  executeIndependent(tx: number): number;
  creditDeferredFees(outputs: number, stride: number, n: number, coinbase: number): void;
  transactionResult(): number;
  commitTransaction(): void;
}

/** Core.stateDiff's result. */
export interface EncodedStateDiff {
  encoding: Uint8Array;
  hash: Uint8Array;
  accounts: number;
  code: Map<number, Uint8Array>;
}

/** The logs bloom of a transaction without logs (shared: not to be written). */
export const NO_LOGS_BLOOM = new Uint8Array(256);

// wasm i32 results arrive in JS as signed numbers; addresses past 2 GiB must be read unsigned.
const POINTER_RESULTS = [
  'attachArena', 'sharedAlloc', 'sharedAllocPermanent', 'storeGetOrInsertAccount', 'storeFindAccount', 'storeCodeAlloc',
  'storeCodeCommit', 'storeAccountBuckets', 'storeAccountCapacity', 'transactionResult', 'missingLocation', 'mvCreate',
  'transactionOutput', 'creditsBuild', 'receiptLeavesAlloc', 'stateDiff', 'snapshotResults',
] as const;

function unsignedPointers(x: CoreExports): CoreExports {
  const wrapped: Record<string, unknown> = { ...x };
  for (const name of POINTER_RESULTS) {
    const f = x[name] as (...args: number[]) => number;
    wrapped[name] = (...args: number[]) => f(...args) >>> 0;
  }
  return wrapped as unknown as CoreExports;
}

/** Bytes of each arena region; grown (doubled) when a transaction needs more. */
export interface ArenaSizes {
  stack: number;
  memory: number;
  journal: number;
  heap: number;
}

// Stacks: 1,025 frames of 1,024 words is the most any transaction can use. The other regions start
// moderate and double on demand; untouched pages of a shared memory cost no physical memory.
const DEFAULT_ARENA: ArenaSizes = { stack: 1025 * 1024 * 32, memory: 16 << 20, journal: 8 << 20, heap: 16 << 20 };
const MAX_ARENA_GROWTHS = 8;
/** Per-transaction record of a parallel block (assembly/state/versioned.ts). */
export const TX_SLOT_SIZE = 32;
const TX_SLOT_BLOCKED_ON = 20;
export const TX_SLOT_OUTPUT = 16;
/** Validity codes from here on: the incarnation needed missing state (assembly/tx/transaction.ts). */
export const TX_MISSING_STATE = 100;
export const PARALLEL_MV_FULL = 'parevm: the multi-version table is full';
/** A thread met memory another grew during the block before it noticed the growth (see reserveShared). */
export const PARALLEL_MEMORY_GREW = 'parevm: the shared memory grew during the parallel block';
const KECCAK_BUFFER = 1 << 16;

/** The arena region each "full" trap names. */
const FULL_REGION: Record<number, keyof ArenaSizes> = {
  [Fatal.STACK_FULL]: 'stack', [Fatal.MEMORY_FULL]: 'memory', [Fatal.JOURNAL_FULL]: 'journal', [Fatal.HEAP_FULL]: 'heap',
};
const NO_MEMORY = 'parevm: the transaction needs more memory than a WebAssembly memory can address (4 GiB)';
const MASK64 = (1n << 64n) - 1n;

/** Where a block's result records are: the u32 at `base` + `stride` × i is transaction i's. */
export interface OutputTable {
  base: number;
  stride: number;
}

/** A log as the core produced it. */
export interface CoreLog {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
}

/** The outcome of one transaction. */
export interface CoreResult {
  /** 0 if valid, else a validity code (src/core/errors.ts). */
  validity: number;
  /** How the first frame ended (layout.ts Status). */
  status: number;
  gasUsed: bigint;
  blobGasUsed: bigint;
  logs: CoreLog[];
  output: Uint8Array;
  /** The address a creation made (zero bytes for calls). */
  created: Uint8Array;
  /** The logs bloom of the transaction (256 bytes). */
  bloom: Uint8Array;
}

/** The numbers of an outcome. */
export interface OutputSummary {
  validity: number;
  status: number;
  gasUsed: bigint;
  blobGasUsed: bigint;
}

/** An account as the store holds it, for roots and diffs. */
export interface StoreAccount {
  address: Uint8Array;
  exists: boolean;
  balance: bigint;
  nonce: bigint;
  codeHash: Uint8Array;
  code: Uint8Array;
  storage: Map<bigint, bigint>;
}

/** A credits table entry (assembly/state/credits.ts CE_SIZE): the address word, its list, its count. */
const CREDIT_ENTRY_SIZE = 40;

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * Whether this context can share memory between threads: not in a browser page that is not
 * cross-origin isolated (no SharedArrayBuffer there).
 */
export function sharedMemoryAvailable(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean };
  return typeof SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
}

/**
 * The compiled core module (compiled once per process): on a shared memory, or the build on an
 * unshared one for a context without shared memory (then only one thread runs).
 */
export function coreModule(shared = true): Promise<WebAssembly.Module> {
  const file = shared ? 'parevm.wasm' : 'parevm-unshared.wasm';
  let module = compiled.get(file);
  if (!module) {
    module = compileWasm(shared ? new URL('../../parevm.wasm', import.meta.url) : new URL('../../parevm-unshared.wasm', import.meta.url));
    compiled.set(file, module);
  }
  return module;
}

export class Core {
  /** The fork precompiles run under (set with `configure`). */
  fork: Fork = Fork.Cancun;
  private u8!: Uint8Array;
  private dv!: DataView;
  private arena: ArenaSizes;
  /** Pages of the memory when this instance joined the current parallel block. */
  private blockPages = 0;
  /** A permanent scratch buffer for passing words to the core. */
  private readonly io: number;
  /** A permanent buffer for hashing (KECCAK_BUFFER bytes). */
  private readonly hashIn: number;

  private constructor(readonly memory: WebAssembly.Memory, private readonly x: CoreExports, arena: ArenaSizes) {
    this.refresh();
    this.arena = { ...arena };
    this.io = x.sharedAllocPermanent(4096);
    this.hashIn = x.sharedAllocPermanent(KECCAK_BUFFER);
    x.attachArena(arena.stack, arena.memory, arena.journal, arena.heap);
  }

  /**
   * Creates a memory and the first instance on it (`init` runs once per memory): shared when the
   * context allows it (workers can then join), else unshared.
   */
  static async create(arena: ArenaSizes = DEFAULT_ARENA): Promise<Core> {
    const shared = sharedMemoryAvailable();
    const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared });
    const core = await Core.attach(await coreModule(shared), memory, arena, true);
    core.x.storeReset();
    return core;
  }

  /** Instantiates the core on an existing memory (a worker); `initialise` only for a new memory. */
  static async attach(module: WebAssembly.Module, memory: WebAssembly.Memory, arena = DEFAULT_ARENA, initialise = false): Promise<Core> {
    let core: Core | undefined;
    const imports = {
      env: {
        memory,
        precompile: (address: number, input: number, inputLen: number, gas: bigint, out: number, outCap: number, outLenPtr: number) =>
          core!.precompile(address, input >>> 0, inputLen >>> 0, gas, out >>> 0, outCap >>> 0, outLenPtr >>> 0),
        abort: () => { throw new Error('parevm core aborted'); },
      },
    };
    const instance = await WebAssembly.instantiate(module, imports);
    const x = unsignedPointers(instance.exports as unknown as CoreExports);
    if (initialise) x.init();
    const created = new Core(memory, x, arena);
    core = created;
    useKeccak((data) => created.keccak(data));
    return created;
  }

  // ---- memory access ----
  // The views are replaced only when an access reaches past them: the memory grows (here or in
  // another worker), never shrinks, and reading a shared memory's `buffer` costs ~25 ns.

  private refresh(): void {
    const buffer = this.memory.buffer;
    if (this.u8?.byteLength !== buffer.byteLength) {
      this.u8 = new Uint8Array(buffer);
      this.dv = new DataView(buffer);
    }
  }

  /**
   * Makes sure the views cover [ptr, end). A thread may not see memory another grew until it grows
   * the memory itself (V8 since Chrome 149), hence grow(0) when the buffer still falls short.
   */
  private reach(end: number): void {
    if (end <= this.u8.byteLength) return;
    this.refresh();
    if (end > this.u8.byteLength && this.memory.grow(0) >= 0) this.refresh();
  }

  /** Allocates shared memory that is never reused. */
  allocPermanent(size: number): number {
    return this.sharedMemoryCall(() => this.x.sharedAllocPermanent(size));
  }

  /** Allocates shared memory that lives until the next `resetState`. */
  alloc(size: number): number {
    return this.x.sharedAlloc(size);
  }

  writeBytes(ptr: number, bytes: Uint8Array): void {
    this.reach(ptr + bytes.length);
    this.u8.set(bytes, ptr);
  }

  readBytes(ptr: number, len: number): Uint8Array {
    this.reach(ptr + len);
    return this.u8.slice(ptr, ptr + len);
  }

  /** Writes a 256-bit number as a core word (four little-endian u64 limbs). */
  writeWord(ptr: number, value: bigint): void {
    this.reach(ptr + 32);
    if (value <= MASK64) {
      this.dv.setBigUint64(ptr, value, true);
      this.dv.setBigUint64(ptr + 8, 0n, true);
      this.dv.setBigUint64(ptr + 16, 0n, true);
      this.dv.setBigUint64(ptr + 24, 0n, true);
      return;
    }
    let rest = value;
    for (let i = 0; i < 4; i++) {
      this.dv.setBigUint64(ptr + 8 * i, rest <= MASK64 ? rest : BigInt.asUintN(64, rest), true);
      if (rest !== 0n) rest >>= 64n;
    }
  }

  readWord(ptr: number): bigint {
    this.reach(ptr + 32);
    // The highest limb that is not zero first (most values fit one or two): fewer BigInts made.
    let top = 3;
    while (top > 0 && this.dv.getUint32(ptr + 8 * top, true) === 0 && this.dv.getUint32(ptr + 8 * top + 4, true) === 0) top--;
    let v = this.dv.getBigUint64(ptr + 8 * top, true);
    for (let i = top - 1; i >= 0; i--) v = (v << 64n) | this.dv.getBigUint64(ptr + 8 * i, true);
    return v;
  }

  /** Writes big-endian bytes (an address, a hash) as the word they denote. */
  writeBytesAsWord(ptr: number, bytes: Uint8Array): void {
    this.reach(ptr + 32);
    const n = bytes.length;
    const u8 = this.u8;
    for (let i = 0; i < n; i++) u8[ptr + i] = bytes[n - 1 - i];
    u8.fill(0, ptr + n, ptr + 32);
  }

  /** The low `n` bytes of a word, big-endian (n = 20 for an address, 32 for a hash). */
  readWordBytes(ptr: number, n: number): Uint8Array {
    this.reach(ptr + n);
    const out = new Uint8Array(n);
    const u8 = this.u8;
    for (let i = 0; i < n; i++) out[i] = u8[ptr + n - 1 - i];
    return out;
  }

  writeU64(ptr: number, value: bigint): void {
    this.reach(ptr + 8);
    this.dv.setBigUint64(ptr, value, true);
  }

  writeU32(ptr: number, value: number): void {
    this.reach(ptr + 4);
    this.dv.setUint32(ptr, value, true);
  }

  readU32(ptr: number): number {
    this.reach(ptr + 4);
    return this.dv.getUint32(ptr, true);
  }

  readU64(ptr: number): bigint {
    this.reach(ptr + 8);
    return this.dv.getBigUint64(ptr, true);
  }

  /** keccak-256 by the core. Inputs past KECCAK_BUFFER bytes are copied to memory the next reset frees. */
  keccak(data: Uint8Array): Uint8Array {
    const input = data.length <= KECCAK_BUFFER ? this.hashIn : this.x.sharedAlloc(data.length);
    this.writeBytes(input, data);
    this.x.keccak256(this.io + 4064, input, data.length);
    return this.readBytes(this.io + 4064, 32);
  }

  // ---- rules and block ----

  /** The EIP bits of the rules in force (see `configure`). */
  eips = 0;
  /** The block environment struct in use (see `setBlock`). */
  block = 0;
  /** The coinbase of that block. */
  coinbase: Uint8Array = new Uint8Array(20);

  /** Selects the fork rules for the following transactions. */
  configure(fork: Fork, eips: number): void {
    this.fork = fork;
    this.eips = eips;
    this.x.configure(eips);
  }

  /** Points the core at a block environment struct (see `writeBlock` in src/core/inputs.ts). */
  setBlock(ptr: number): void {
    this.block = ptr;
    this.coinbase = this.readWordBytes(ptr + Block.COINBASE, 20);
    this.x.setBlock(ptr);
  }

  // ---- the store ----

  private readonly resetHooks: (() => unknown)[] = [];

  /** Runs `hook` before the next `resetState` (to read outputs before their memory is reused). */
  beforeReset(hook: () => unknown): void {
    this.resetHooks.push(hook);
  }

  /** Empties the store and frees every allocation made since (block inputs included). */
  resetState(): void {
    for (const hook of this.resetHooks.splice(0)) hook();
    this.absentUnknown = false;
    this.x.storeReset();
  }

  /**
   * Registers code in the store; returns its entry (0 for empty code). `hash`: its keccak-256, when
   * the caller has it (it must be the code's: the store finds code by it).
   */
  putCode(code: Uint8Array, hash?: Uint8Array): number {
    if (code.length === 0) return 0;
    const entry = this.x.storeCodeAlloc(code.length);
    this.writeBytes(entry + Code.BYTES, code);
    if (hash) this.writeBytes(entry + Code.HASH, hash);
    return this.x.storeCodeCommit(entry, code.length, hash ? 1 : 0);
  }

  /**
   * Whether accounts and slots absent from the store are unknown (reading them throws
   * MissingStateError) rather than empty. Slots of an account put with `storageComplete` are never unknown.
   */
  setAbsentUnknown(unknown: boolean): void {
    this.absentUnknown = unknown;
    this.x.storeSetFlags(unknown ? StoreFlags.ABSENT_UNKNOWN : 0);
  }

  private absentUnknown = false;

  private missingState(reason: number): MissingStateError {
    const at = this.x.missingLocation();
    if (reason === Fatal.MISSING_BLOCK_HASH) return new MissingStateError('', undefined, '', this.readWord(at));
    const address = bytesToHex(this.readWordBytes(at, 20));
    if (reason === Fatal.MISSING_ACCOUNT) return new MissingStateError(address, undefined);
    return new MissingStateError(address, '0x' + this.readWord(at + 32).toString(16).padStart(64, '0'));
  }

  /** Puts an account into the store (it exists afterwards). */
  putAccount(address: Uint8Array, balance: bigint, nonce: bigint, codeEntry: number, storage: Iterable<[bigint, bigint]>, storageComplete = true): void {
    this.writeBytesAsWord(this.io, address);
    const rec = this.x.storeGetOrInsertAccount(this.io);
    this.writeWord(rec + Account.BALANCE, balance);
    this.writeU64(rec + Account.NONCE, nonce);
    this.writeU32(rec + Account.CODE, codeEntry);
    this.writeU32(rec + Account.FLAGS, Account.FLAG_EXISTS | (storageComplete ? Account.FLAG_STORAGE_COMPLETE : 0));
    for (const [key, value] of storage) {
      this.writeWord(this.io + 32, key);
      this.writeWord(this.io + 64, value);
      this.x.storeSetSlot(rec, this.io + 32, this.io + 64);
    }
  }

  /** Whether the store holds code for an existing account at this address. */
  hasCode(address: Uint8Array): boolean {
    this.writeBytesAsWord(this.io, address);
    const rec = this.x.storeFindAccount(this.io);
    return rec !== 0 && this.recordHasCode(rec);
  }

  /** Records that an account does not exist (for a store where absent means unknown). */
  putAbsentAccount(address: Uint8Array): void {
    this.writeBytesAsWord(this.io, address);
    const rec = this.x.storeGetOrInsertAccount(this.io);
    this.writeU32(rec + Account.FLAGS, Account.FLAG_STORAGE_COMPLETE);
  }

  /**
   * Adds to an account's balance outside any transaction (block rewards, withdrawals); a zero amount
   * deletes an existing empty account (EIP-161). Throws MissingStateError for an unknown account.
   */
  addBalance(address: Uint8Array, amount: bigint): void {
    this.writeBytesAsWord(this.io, address);
    let rec = this.x.storeFindAccount(this.io);
    if (rec === 0 && this.absentUnknown) throw new MissingStateError(bytesToHex(address), undefined);
    if (rec === 0) rec = this.x.storeGetOrInsertAccount(this.io);
    const flags = this.readU32(rec + Account.FLAGS);
    if (amount === 0n) {
      const empty = this.readWord(rec + Account.BALANCE) === 0n && this.readU64(rec + Account.NONCE) === 0n && this.readU32(rec + Account.CODE) === 0;
      if (empty) this.writeU32(rec + Account.FLAGS, flags & ~Account.FLAG_EXISTS);
      return;
    }
    this.writeWord(rec + Account.BALANCE, this.readWord(rec + Account.BALANCE) + amount);
    this.writeU32(rec + Account.FLAGS, flags | Account.FLAG_EXISTS);
  }

  /** Makes the store's state the pre-state `stateDiff` compares with: call once the pre-state is loaded. */
  keepOriginals(): void {
    this.x.storeKeepOriginals();
  }

  /**
   * How the store's state differs from the pre-state kept by `keepOriginals` (assembly/state/diff.ts):
   * the encoding the state diff hash is defined over (a copy), its hash, the number of accounts in it,
   * and the code of each whose code changed and which exists, by its position.
   */
  stateDiff(): EncodedStateDiff {
    const result = this.sharedMemoryCall(() => this.x.stateDiff());
    const count = this.readU32(result + 8);
    const codes = this.readU32(result + 12);
    const code = new Map<number, Uint8Array>();
    for (let k = 0; k < count; k++) {
      const entry = this.readU32(codes + 4 * k);
      if (entry !== 0) code.set(k, this.codeAt(entry));
    }
    return { encoding: this.readBytes(this.readU32(result), this.readU32(result + 4)), hash: this.readBytes(result + 16, 32), accounts: count, code };
  }

  /** Every account record in the store (deleted ones with `exists` false). */
  *accounts(): Generator<StoreAccount> {
    for (const rec of this.accountRecords()) {
      const { code, ...header } = this.accountHeader(rec);
      const storage = new Map<bigint, bigint>();
      this.forEachSlot(rec, (key, value) => {
        if (value !== 0n) storage.set(key, value);
      });
      yield { ...header, codeHash: this.codeHashAt(code), code: this.codeAt(code), storage };
    }
  }

  /** The store's account records (addresses in memory; see accountHeader, forEachSlot). */
  accountRecords(): number[] {
    const buckets = this.x.storeAccountBuckets();
    const cap = this.x.storeAccountCapacity();
    const records: number[] = [];
    for (let i = 0; i < cap; i++) {
      const rec = this.readU32(buckets + 4 * i);
      if (rec !== 0) records.push(rec);
    }
    return records;
  }

  /** An account record's header; `code` is its code entry (0: none; see codeHashAt, codeAt). */
  accountHeader(rec: number): { address: Uint8Array; exists: boolean; balance: bigint; nonce: bigint; code: number } {
    return {
      address: this.readWordBytes(rec + Account.ADDRESS, 20),
      exists: (this.readU32(rec + Account.FLAGS) & Account.FLAG_EXISTS) !== 0,
      balance: this.readWord(rec + Account.BALANCE),
      nonce: this.readU64(rec + Account.NONCE),
      code: this.readU32(rec + Account.CODE),
    };
  }

  /** Calls `fn` with every slot an account record holds, zero values included. */
  forEachSlot(rec: number, fn: (key: bigint, value: bigint) => void): void {
    const slots = this.readU32(rec + Account.SLOTS);
    const slotCap = this.readU32(rec + Account.SLOT_CAP);
    for (let j = 0; j < slotCap; j++) {
      const slot = this.readU32(slots + 4 * j);
      if (slot !== 0) fn(this.readWord(slot + Slot.KEY), this.readWord(slot + Slot.VALUE));
    }
  }

  codeHashAt(entry: number): Uint8Array {
    return entry === 0 ? EMPTY_CODE_HASH : this.readBytes(entry + Code.HASH, 32);
  }

  codeAt(entry: number): Uint8Array {
    return entry === 0 ? new Uint8Array(0) : this.readBytes(entry + Code.BYTES, this.readU32(entry + Code.LEN));
  }

  // ---- transactions ----

  /**
   * Executes the transaction struct at `tx` (src/core/inputs.ts writes it); returns the validity code.
   * A transaction that outgrows the arena runs again in a larger one.
   */
  execute(tx: number): number {
    return this.withArenaGrowth(() => this.x.executeTransaction(tx), this.throwMissingState);
  }

  /** A sequential execution's trap for missing state becomes a MissingStateError naming it. */
  private readonly throwMissingState = (reason: number): undefined => {
    if (reason === Fatal.MISSING_ACCOUNT || reason === Fatal.MISSING_SLOT || reason === Fatal.MISSING_BLOCK_HASH) {
      throw this.missingState(reason);
    }
    return undefined;
  };

  /**
   * Executes a transaction as `execute` does, but leaves the coinbase's fee in its result record
   * (credited by `creditDeferredFees`): for transactions of a block that share no account, run on
   * several threads at once (src/block/parallel.ts).
   */
  executeIndependent(tx: number): number {
    return this.withArenaGrowth(() => this.x.executeIndependent(tx), this.throwMissingState);
  }

  /** Credits the coinbase with the fees `executeIndependent` left in the first n result records. */
  creditDeferredFees(outputs: OutputTable, n: number, coinbase: Uint8Array): void {
    this.writeBytesAsWord(this.io, coinbase);
    this.x.creditDeferredFees(outputs.base, outputs.stride, n, this.io);
  }

  /**
   * The store's record of the account at `address`, made if missing (a new record stands for an
   * account that does not exist), so that threads running transactions at once only ever find
   * records; 0 where an absent account is unknown (a record would hide that). A record's address
   * tells accounts apart.
   */
  accountRecord(address: Uint8Array): number {
    this.writeBytesAsWord(this.io, address);
    const rec = this.x.storeFindAccount(this.io);
    return rec !== 0 || this.absentUnknown ? rec : this.x.storeGetOrInsertAccount(this.io);
  }

  /** Whether a store record (`accountRecord`) is of an existing account with code. */
  recordHasCode(rec: number): boolean {
    return (this.readU32(rec + Account.FLAGS) & Account.FLAG_EXISTS) !== 0 && this.readU32(rec + Account.CODE) !== 0;
  }

  /**
   * Runs `run`, the core's entry into a transaction; when it traps, `onFatal` may answer for the
   * fatal reason (a value to return, or a throw); otherwise a full arena region is doubled and `run`
   * tried again, and any other trap is a core bug.
   */
  private withArenaGrowth(run: () => number, onFatal: (reason: number) => number | undefined): number {
    for (let growths = 0; ; growths++) {
      try {
        return run();
      } catch (error) {
        const reason = this.x.takeFatalReason();
        const answer = onFatal(reason);
        if (answer !== undefined) return answer;
        const region = FULL_REGION[reason];
        if (region === undefined) {
          if (reason === Fatal.SHARED_FULL) throw new Error(NO_MEMORY);
          throw new Error(`parevm core failed (bug): ${(error as Error).message}`, { cause: error });
        }
        if (growths === MAX_ARENA_GROWTHS) throw new Error(NO_MEMORY);
        this.growArena(region);
      }
    }
  }

  /** Replaces the arena with one whose `region` is twice as large (the old one is not reused). */
  private growArena(region: keyof ArenaSizes): void {
    const next = { ...this.arena, [region]: this.arena[region] * 2 };
    try {
      this.x.attachArena(next.stack, next.memory, next.journal, next.heap);
    } catch {
      this.x.takeFatalReason();
      throw new Error(NO_MEMORY);
    }
    this.arena = next;
  }

  // ---- a block's header values (assembly/tx/receipt.ts, assembly/trie/ordered.ts) ----

  /**
   * Hashes the receipts trie's leaves of transactions [from, to) of n into `leaves` (32 bytes per
   * transaction); `txList` holds the n transaction struct addresses, `gasBefore` is the gas used
   * before `from`. Returns the gas used up to `to`. Any thread may hash any range.
   */
  receiptLeaves(outputs: OutputTable, txList: number, n: number, from: number, to: number, gasBefore: bigint, leaves: number): bigint {
    const hash = (): bigint => this.x.receiptLeaves(outputs.base, outputs.stride, txList, n, from, to, gasBefore, leaves);
    let gas: bigint;
    try {
      gas = hash();
    } catch (error) {
      // Results another thread wrote on pages this one has not noticed yet (see reserveShared):
      // hashing is repeatable, so once it has noticed, hash again.
      const reason = this.x.takeFatalReason();
      if (reason !== Fatal.NONE || this.memory.grow(0) <= this.blockPages) return this.sharedMemoryFailure(error, reason);
      gas = this.sharedMemoryCall(hash);
    }
    return BigInt.asUintN(64, gas);
  }

  /** The gas transactions [from, to) used. */
  gasUsedBetween(outputs: OutputTable, from: number, to: number): bigint {
    return BigInt.asUintN(64, this.x.gasUsedBetween(outputs.base, outputs.stride, from, to));
  }

  /** The logs bloom, gas used and blob gas used of a block's n transactions. */
  blockTotals(outputs: OutputTable, n: number): { bloom: Uint8Array; gasUsed: bigint; blobGasUsed: bigint } {
    const bloom = this.alloc(256 + 16);
    this.writeBytes(bloom, new Uint8Array(256));
    this.x.blockTotals(outputs.base, outputs.stride, n, bloom, bloom + 256);
    return { bloom: this.readBytes(bloom, 256), gasUsed: this.readU64(bloom + 256), blobGasUsed: this.readU64(bloom + 264) };
  }

  /**
   * The first of n transactions (`txList` their struct addresses) that is invalid or whose gas limit
   * is more than those before it left of the block's `gasLimit`; n when none is.
   */
  firstOutOfOrder(outputs: OutputTable, txList: number, n: number, gasLimit: bigint): number {
    return this.x.firstOutOfOrder(outputs.base, outputs.stride, txList, n, BigInt.asUintN(64, gasLimit) === gasLimit ? gasLimit : (1n << 64n) - 1n);
  }

  /** Room for the receipts trie's leaves of n transactions (`receiptLeaves` fills it, `receiptsRoot` reads it). */
  allocReceiptLeaves(n: number): number {
    return this.sharedMemoryCall(() => this.x.receiptLeavesAlloc(n));
  }

  /** The receipts root of a block of n ≥ 1 transactions from their leaf hashes (`receiptLeaves`). */
  receiptsRoot(n: number, leaves: number): Uint8Array {
    const out = this.alloc(32);
    this.sharedMemoryCall(() => (this.x.receiptsRoot(n, leaves, out), 0));
    return this.readBytes(out, 32);
  }

  /** Runs a call that allocates shared memory; a full memory becomes a clear error. */
  private sharedMemoryCall<T>(run: () => T): T {
    try {
      return run();
    } catch (error) {
      return this.sharedMemoryFailure(error, this.x.takeFatalReason());
    }
  }

  private sharedMemoryFailure(error: unknown, reason = Fatal.NONE as number): never {
    if (reason === Fatal.SHARED_FULL) throw new Error(NO_MEMORY);
    throw new Error(`parevm core failed (bug): ${(error as Error).message}`, { cause: error });
  }

  // ---- parallel execution (Block-STM; src/parallel/) ----

  /** Creates the multi-version table (`capacity` a power of two) of a block of `n` transactions; returns its address. */
  createVersions(capacity: number, n: number): number {
    return this.x.mvCreate(capacity, n);
  }

  /**
   * Lays out a parallel block's table of recipients whose credits are deferred (assembly/state/credits.ts):
   * each recipient with the indices of its candidate transactions, in increasing order. Attaches it
   * here; its address, for the other threads (0: none).
   */
  createCredits(recipients: readonly { address: Uint8Array; txs: readonly number[] }[]): number {
    if (recipients.length === 0) {
      this.x.creditsAttach(0);
      return 0;
    }
    const entries = this.alloc(CREDIT_ENTRY_SIZE * recipients.length);
    recipients.forEach(({ address, txs }, e) => {
      const entry = entries + CREDIT_ENTRY_SIZE * e;
      const list = this.alloc(4 * txs.length);
      txs.forEach((k, i) => this.writeU32(list + 4 * i, k));
      this.writeBytesAsWord(entry, address);
      this.writeU32(entry + 32, list);
      this.writeU32(entry + 36, txs.length);
    });
    return this.x.creditsBuild(entries, recipients.length);
  }

  /** Points this instance at a block's multi-version table, per-transaction records and credits table. */
  attachBlock(table: number, capacity: number, txSlots: number, credits = 0): void {
    this.x.mvAttach(table, capacity);
    this.x.creditsAttach(credits);
    this.x.setTxSlots(txSlots);
    this.blockPages = this.memory.grow(0); // grow(0) also makes this thread see growth elsewhere
  }

  /**
   * Grows the memory so that `bytes` are free for a parallel block's allocations before its workers
   * start: a thread may trap on pages another grew until it notices (V8 tells other threads lazily).
   */
  reserveShared(bytes: number): void {
    this.x.reserveShared(bytes);
  }

  /**
   * For a trap without a fatal reason in parallel mode: when the memory grew since the block began,
   * the likely cause is a page another thread added and this one had not noticed yet. The block's
   * store is untouched, so it runs again sequentially; otherwise the trap is a bug.
   */
  private parallelTrap(error: unknown): never {
    if (this.memory.grow(0) > this.blockPages) throw new Error(PARALLEL_MEMORY_GREW);
    throw new Error(`parevm core failed (bug): ${(error as Error).message}`, { cause: error });
  }

  /**
   * Executes one incarnation in parallel mode. Returns the validity code (0 valid; from 100 on,
   * missing state, see `missingStateOf`), or -1 - j when it read an estimate of transaction j.
   * Throws PARALLEL_MV_FULL when the block's table is full.
   */
  executeParallel(tx: number, txIdx: number, incarnation: number, txSlots: number): number {
    return this.withArenaGrowth(() => this.x.executeParallel(tx, txIdx, incarnation), (reason) => {
      if (reason === Fatal.DEPENDENCY) return -1 - this.readU32(txSlots + TX_SLOT_SIZE * txIdx + TX_SLOT_BLOCKED_ON);
      if (reason === Fatal.MISSING_ACCOUNT || reason === Fatal.MISSING_SLOT || reason === Fatal.MISSING_BLOCK_HASH) {
        this.x.publishMissingState(reason);
        return TX_MISSING_STATE + reason;
      }
      if (reason === Fatal.MV_FULL) throw new Error(PARALLEL_MV_FULL);
      if (reason === Fatal.NONE && this.memory.grow(0) > this.blockPages) throw new Error(PARALLEL_MEMORY_GREW);
      return undefined;
    });
  }

  wroteNewLocation(): boolean { return this.x.wroteNewLocation() !== 0; }
  validateReads(txIdx: number): boolean {
    try {
      return this.x.validateReads(txIdx) !== 0;
    } catch (error) {
      return this.parallelTrap(error);
    }
  }

  markEstimates(txIdx: number): void {
    try {
      this.x.markEstimates(txIdx);
    } catch (error) {
      this.parallelTrap(error);
    }
  }

  /**
   * Writes a parallel block's final versions by its first `txCount` transactions (and the coinbase's
   * deferred fees) into the store.
   */
  commitVersions(txCount: number, coinbase: Uint8Array): void {
    this.writeBytesAsWord(this.io, coinbase);
    this.x.commitVersions(txCount, this.io);
  }

  /** The missing location a parallel output with validity ≥ TX_MISSING_STATE names. */
  missingStateOf(output: number, validity: number): MissingStateError {
    const at = output + Result.CREATED;
    const reason = validity - TX_MISSING_STATE;
    if (reason === Fatal.MISSING_BLOCK_HASH) return new MissingStateError('', undefined, '', this.readWord(at));
    const address = bytesToHex(this.readWordBytes(at, 20));
    if (reason === Fatal.MISSING_ACCOUNT) return new MissingStateError(address, undefined);
    return new MissingStateError(address, '0x' + this.readWord(at + 32).toString(16).padStart(64, '0'));
  }

  /** Writes the last transaction's changes into the store. */
  commit(): void {
    this.x.commitTransaction();
  }

  /**
   * The last transaction's result record and logs, copied to shared memory: valid until the state is
   * reset (read it with `resultAt`, `summaryAt`, `receiptAt`). 0 after an invalid transaction.
   */
  lastOutput(): number {
    return this.x.transactionOutput();
  }

  /** The numbers of a result record, without its logs. */
  summaryAt(r: number): OutputSummary {
    return {
      validity: this.readU32(r + Result.VALIDITY),
      status: this.readU32(r + Result.STATUS),
      gasUsed: this.readU64(r + Result.GAS_USED),
      blobGasUsed: this.readU64(r + Result.BLOB_GAS_USED),
    };
  }

  /** The outcome of the last transaction (read it before the next one starts). */
  result(): CoreResult {
    return this.resultAt(this.x.transactionResult());
  }

  /** Copies of the first n result records of `outputs`, to read after this memory is reused (see ResultSnapshot). */
  snapshotResults(outputs: OutputTable, n: number): ResultSnapshot {
    const at = this.sharedMemoryCall(() => this.x.snapshotResults(outputs.base, outputs.stride, n));
    const offsets = new Uint32Array(this.readBytes(this.readU32(at), 4 * n).buffer);
    return new ResultSnapshot(this.readBytes(this.readU32(at + 4), this.readU32(at + 8)), offsets, NO_LOGS_BLOOM);
  }

  /** A result record (layout.ts Result) and its logs. */
  resultAt(r: number): CoreResult {
    const logs: CoreLog[] = [];
    for (let rec = this.readU32(r + Result.LOGS); rec !== 0; rec = this.readU32(rec + Log.NEXT)) {
      const topics: Uint8Array[] = [];
      const n = this.readU32(rec + Log.TOPIC_COUNT);
      for (let i = 0; i < n; i++) topics.push(this.readWordBytes(rec + Log.TOPICS + 32 * i, 32));
      logs.push({
        address: this.readWordBytes(rec + Log.ADDRESS, 20),
        topics,
        data: this.readBytes(this.readU32(rec + Log.DATA), this.readU32(rec + Log.DATA_LEN)),
      });
    }
    return {
      validity: this.readU32(r + Result.VALIDITY),
      status: this.readU32(r + Result.STATUS),
      gasUsed: this.readU64(r + Result.GAS_USED),
      blobGasUsed: this.readU64(r + Result.BLOB_GAS_USED),
      logs,
      output: this.readBytes(this.readU32(r + Result.OUTPUT), this.readU32(r + Result.OUTPUT_LEN)),
      created: this.readWordBytes(r + Result.CREATED, 20),
      bloom: logs.length === 0 ? NO_LOGS_BLOOM : this.readBytes(r + Result.BLOOM, 256),
    };
  }

  /** The host side of precompiled contracts (assembly/evm/precompiles.ts). */
  private precompile(address: number, input: number, inputLen: number, gas: bigint, out: number, outCap: number, outLenPtr: number): bigint {
    const result = runPrecompile(address, this.readBytes(input, inputLen), gas, this.fork);
    if (!result.ok) return -1n;
    if (result.output.length > outCap) return -2n;
    this.writeBytes(out, result.output);
    this.writeU32(outLenPtr, result.output.length);
    return result.gasUsed;
  }
}

/** A frame status as words (layout.ts Status). */
export function statusName(status: number): string {
  return Status[status] ?? `status ${status}`;
}
