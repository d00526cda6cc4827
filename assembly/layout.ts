// Memory layout of the one shared memory, and the per-worker arena.
//
//   [0, __heap_base)          static data (read-only: every instance rewrites it when it starts)
//   [header, header + 256)    shared header: the shared bump pointer and the pre-state store's tables
//   [header + 256, ...)       shared allocations, bump-allocated with an atomic add: worker arenas,
//                             then (from `stateStart`) the block's state, codes and inputs
//
// A worker arena holds everything one instance needs to execute a transaction: the opcode table,
// call frames, EVM stacks, EVM memories, the journal and a bump heap, reset per transaction.
// Module globals are per instance, so the arena's pointers live in globals.
//
// Nothing here uses the AssemblyScript allocator: it is not thread-safe (DESIGN.md).

export const HEADER_SIZE: usize = 256;
export const PAGE: usize = 65536;

// Shared header fields (offsets from `header()`).
export const H_BUMP: usize = 0; // u32: next free byte of the shared region
export const H_STATE_START: usize = 4; // u32: where the block's state begins (reset point)
export const H_ACCOUNTS: usize = 8; // u32 buckets, u32 capacity, u32 count
export const H_CODES: usize = 20; // u32 buckets, u32 capacity, u32 count
export const H_EMPTY_CODE: usize = 32; // u32: the code entry of empty code (a lone STOP)
export const H_EMPTY_CODE_HASH: usize = 64; // word: keccak-256 of no bytes, as a stack word
export const H_STORE_FLAGS: usize = 96; // u32: STORE_ABSENT_UNKNOWN

/** Fatal reasons: set before trapping so the host can tell a full arena from a bug. */
export const FATAL_NONE: u32 = 0;
export const FATAL_SHARED_FULL: u32 = 1; // the 4 GiB of a wasm32 memory are used up
export const FATAL_BUG: u32 = 2;
// An arena region is too small for this transaction: the host grows that region and runs it again.
export const FATAL_STACK_FULL: u32 = 3;
export const FATAL_MEMORY_FULL: u32 = 4;
export const FATAL_JOURNAL_FULL: u32 = 5;
export const FATAL_HEAP_FULL: u32 = 6;
// Execution needs state the caller did not provide (the location is at `missingLocation`).
export const FATAL_MISSING_ACCOUNT: u32 = 7;
export const FATAL_MISSING_SLOT: u32 = 8;
export const FATAL_MISSING_BLOCK_HASH: u32 = 9; // the block number is the missing location's first word
// Parallel execution: the multi-version table is full (the block falls back to sequential), or a read
// met an ESTIMATE (the transaction waits for the one named at `dependency`).
export const FATAL_MV_FULL: u32 = 10;
export const FATAL_DEPENDENCY: u32 = 11;
export let fatalReason: u32 = FATAL_NONE;

/** Traps after recording why; the host catches the trap and reads `fatalReason`. */
export function fatal(reason: u32): void {
  fatalReason = reason;
  unreachable();
}

@inline export function header(): usize {
  return (__heap_base + 63) & ~<usize>63;
}

/** Takes `size` bytes from the shared bump pointer (one atomic add), growing the memory when needed. */
function bumpAlloc(size: usize): usize {
  size = (size + 7) & ~<usize>7;
  const start = <usize>atomic.add<u32>(header() + H_BUMP, <u32>size);
  const end = start + size;
  if (end < start || end > 0xffff0000) fatal(FATAL_SHARED_FULL);
  while (<usize>memory.size() * PAGE < end) {
    const want = <i32>((end - <usize>memory.size() * PAGE + PAGE - 1) / PAGE);
    if (memory.grow(want) < 0 && <usize>memory.size() * PAGE < end) fatal(FATAL_SHARED_FULL);
  }
  return start;
}

/**
 * Allocates shared memory that outlives every block (arenas, constants): the block's state region,
 * which `storeReset` frees, is moved to start after it. Thread-safe.
 */
// Small allocations come from a chunk this instance took from the bump pointer, so that workers do
// not all contend for one atomic counter. A chunk belongs to the block's state region: an instance
// drops it when that region is reset (storeReset) or when it joins a new block (mvAttach).
const CHUNK: usize = 64 * 1024;
let chunkPtr: usize = 0;
let chunkEnd: usize = 0;

/** Allocates `size` bytes (8-aligned) of shared memory that lives until the state region is reset. Thread-safe. */
export function sharedAlloc(size: usize): usize {
  size = (size + 7) & ~<usize>7;
  if (size > CHUNK >> 2) return bumpAlloc(size);
  if (chunkPtr + size > chunkEnd) {
    chunkPtr = bumpAlloc(CHUNK);
    chunkEnd = chunkPtr + CHUNK;
  }
  const p = chunkPtr;
  chunkPtr += size;
  return p;
}

/**
 * Grows the memory so that at least `bytes` lie free past the shared bump pointer. A parallel block
 * reserves its room before the workers start: when one thread grows a shared memory, another may
 * trap on the new pages until it notices the growth (V8 tells other threads lazily).
 */
export function reserveShared(bytes: usize): void {
  const end = <usize>atomic.load<u32>(header() + H_BUMP) + bytes;
  if (end > 0xffff0000) return; // the allocations that need it fail as they would have
  while (<usize>memory.size() * PAGE < end) {
    if (memory.grow(<i32>((end - <usize>memory.size() * PAGE + PAGE - 1) / PAGE)) < 0) return;
  }
}

/** Forgets this instance's chunk (its memory is about to be reused). */
export function dropLocalChunk(): void {
  chunkPtr = 0;
  chunkEnd = 0;
}

export function sharedAllocPermanent(size: usize): usize {
  const base = bumpAlloc(size);
  const h = header();
  const end = <u32>(base + ((size + 7) & ~<usize>7));
  while (true) {
    const start = atomic.load<u32>(h + H_STATE_START);
    if (start >= end || atomic.cmpxchg<u32>(h + H_STATE_START, start, end) == start) break;
  }
  return base;
}

/** Initialises the shared header once, before any worker attaches. */
export function initShared(): void {
  const h = header();
  memory.fill(h, 0, HEADER_SIZE);
  atomic.store<u32>(h + H_BUMP, <u32>(h + HEADER_SIZE));
  store<u32>(h + H_STATE_START, <u32>(h + HEADER_SIZE));
}

// ---- the per-instance arena ----

export const FRAME_SIZE: usize = 256;
export const MAX_FRAMES: usize = 1026; // depth 0..1024 plus one guard
export const OP_TABLE_SIZE: usize = 256 * 8;

export const SCRATCH_SIZE: usize = 320;
/** Where a FATAL_MISSING_* trap leaves the address word (+0) and slot key word (+32). */
export const SCRATCH_MISSING: usize = 256;

/**
 * The bloom bits of recently logged addresses and topics (tx/bloom.ts): BLOOM_CACHE_ENTRIES entries
 * of BLOOM_CACHE_ENTRY bytes, per instance.
 */
export const BLOOM_CACHE_ENTRIES: usize = 256;
export const BLOOM_CACHE_ENTRY: usize = 48;

export let opTable: usize = 0;
/** Per-instance scratch bytes for instructions that need a temporary (never held across calls). */
export let scratch: usize = 0;
export let bloomCache: usize = 0;
export let framesBase: usize = 0;
export let stackBase: usize = 0;
export let stackEnd: usize = 0;
export let memoryBase: usize = 0;
export let memoryEnd: usize = 0;
export let journalBase: usize = 0;
export let journalEnd: usize = 0;
export let heapBase: usize = 0;
export let heapPtr: usize = 0;
export let heapEnd: usize = 0;

/** Carves this instance's arena out of shared memory. Sizes in bytes. */
export function attachArena(stackBytes: u32, memoryBytes: u32, journalBytes: u32, heapBytes: u32): usize {
  const total = OP_TABLE_SIZE + SCRATCH_SIZE + BLOOM_CACHE_ENTRIES * BLOOM_CACHE_ENTRY + FRAME_SIZE * MAX_FRAMES + <usize>stackBytes + <usize>memoryBytes +
    <usize>journalBytes + <usize>heapBytes;
  const base = sharedAllocPermanent(total);
  // A growing instance keeps the opcode table it was configured with.
  if (opTable != 0) memory.copy(base, opTable, OP_TABLE_SIZE);
  opTable = base;
  scratch = opTable + OP_TABLE_SIZE;
  bloomCache = scratch + SCRATCH_SIZE;
  memory.fill(bloomCache, 0, BLOOM_CACHE_ENTRIES * BLOOM_CACHE_ENTRY);
  framesBase = bloomCache + BLOOM_CACHE_ENTRIES * BLOOM_CACHE_ENTRY;
  stackBase = framesBase + FRAME_SIZE * MAX_FRAMES;
  stackEnd = stackBase + stackBytes;
  memoryBase = stackEnd;
  memoryEnd = memoryBase + memoryBytes;
  journalBase = memoryEnd;
  journalEnd = journalBase + journalBytes;
  heapBase = journalEnd;
  heapPtr = heapBase;
  heapEnd = heapBase + heapBytes;
  return base;
}

/** Allocates from the per-transaction heap; traps with FATAL_HEAP_FULL when it is exhausted. */
@inline export function heapAlloc(size: usize): usize {
  const p = heapPtr;
  const next = (p + size + 7) & ~<usize>7;
  if (next > heapEnd) fatal(FATAL_HEAP_FULL);
  heapPtr = next;
  return p;
}

/** Allocates zeroed heap memory. */
@inline export function heapAllocZeroed(size: usize): usize {
  const p = heapAlloc(size);
  memory.fill(p, 0, size);
  return p;
}

@inline export function heapReset(): void {
  heapPtr = heapBase;
}
