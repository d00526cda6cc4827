// Standby: a worker of the Node pool waits for the next block in a task posted ahead of it, on a word
// of shared memory, and the block rings that word instead of posting a task. Posting through piscina
// costs the calling thread ~0.15 ms when a block starts (its code runs once a block, cold), a ring
// ~0.05 ms (the block's description, then a compare-and-swap and an Atomics.notify per worker). A
// standby nobody rings within its linger returns, and the next block posts to that worker as before.
//
// Waking a sleeping thread takes ~0.06 ms here (more when its core has gone idle), so a block about
// to run in parallel wakes its standbys while it is still being prepared (`wake`): they spin until
// rung, and start at once.
//
// The mailbox (shared memory, one per pool): an Int32 state per worker slot, then the block's
// description as f64s (BLOCK_FIELDS), which the ringing thread writes before it rings.
//
// Ordering: the pool sets a slot WAITING before it posts its standby. A block may wake it first
// (WAITING → AWAKE, then Atomics.notify); an awake standby spins, and one not rung within
// AWAKE_SPIN_MS goes back to sleep (AWAKE → WAITING). The caller rings with a compare-and-swap
// AWAKE → RUNG, else WAITING → RUNG and a notify; a standby that times out tries WAITING → EXPIRED.
// Every change is a compare-and-swap, so exactly one side wins each: a rung standby runs the block,
// an expired one returns (and the caller posts instead).

import type { ParallelBlock } from './executor.js';

const WAITING = 1;
const RUNG = 2;
const EXPIRED = 3;
const AWAKE = 4;

/** How long a woken standby spins for its ring before it goes back to sleep, ms (a block rings it right after its preparation). */
const AWAKE_SPIN_MS = 20;

/** ParallelBlock's fields in the mailbox, in this order (undefined as NaN, booleans as 0 and 1, `fault` by its index). */
const BLOCK_FIELDS = [
  'fork', 'eips', 'env', 'txs', 'n', 'mvTable', 'mvCapacity', 'txSlots', 'scheduler', 'workers', 'leaves', 'trace', 'jitterMicros', 'keepGoing',
  'giveUpAt', 'senders', 'credits', 'parts', 'fault', 'stallTimeoutMs', 'workerStats',
] as const satisfies readonly (keyof ParallelBlock)[];
const FAULTS = ['throw', 'exit', 'exit-holding'] as const;
/** A field added to ParallelBlock and not to BLOCK_FIELDS fails to compile here. */
const everyField: Exclude<keyof ParallelBlock, (typeof BLOCK_FIELDS)[number]> extends never ? true : never = true;
void everyField;

/** What a standby task is posted with. */
export interface Standby {
  standby: number; // the worker slot
  slots: number;
  mailbox: number;
  lingerMs: number;
}

export function isStandby(message: object): message is Standby {
  return 'standby' in message;
}

/** Bytes of a mailbox for `slots` workers. */
export function mailboxBytes(slots: number): number {
  return blockOffset(slots) + 8 * BLOCK_FIELDS.length;
}

const blockOffset = (slots: number): number => Math.ceil((4 * slots) / 8) * 8;
const statesOf = (memory: WebAssembly.Memory, mailbox: number, slots: number): Int32Array => new Int32Array(memory.buffer, mailbox, slots);

/** The pool, before posting a standby to `slot`: it waits from now on. */
export function arm(memory: WebAssembly.Memory, mailbox: number, slots: number, slot: number): void {
  Atomics.store(statesOf(memory, mailbox, slots), slot, WAITING);
}

/** The pool, at a block: describes it for the standbys about to be rung. */
export function describe(memory: WebAssembly.Memory, mailbox: number, slots: number, block: ParallelBlock): void {
  const fields = new Float64Array(memory.buffer, mailbox + blockOffset(slots), BLOCK_FIELDS.length);
  BLOCK_FIELDS.forEach((name, k) => {
    const value = block[name];
    fields[k] = name === 'fault' ? (value === undefined ? NaN : FAULTS.indexOf(value as (typeof FAULTS)[number])) : value === undefined ? NaN : Number(value);
  });
}

/** Wakes a slot's standby ahead of a block, to spin until rung; false when it was not waiting. */
export function wake(memory: WebAssembly.Memory, mailbox: number, slots: number, slot: number): boolean {
  const states = statesOf(memory, mailbox, slots);
  if (Atomics.compareExchange(states, slot, WAITING, AWAKE) !== WAITING) return false;
  Atomics.notify(states, slot);
  return true;
}

/** Rings a slot's standby (after `describe`); false when it had already expired. */
export function ring(memory: WebAssembly.Memory, mailbox: number, slots: number, slot: number): boolean {
  return move(statesOf(memory, mailbox, slots), slot, RUNG);
}

/** Sends a slot's standby home (the pool closes); false when it was not waiting. */
export function dismiss(memory: WebAssembly.Memory, mailbox: number, slots: number, slot: number): boolean {
  return move(statesOf(memory, mailbox, slots), slot, EXPIRED);
}

/** A waiting or awake standby to `to`, notified if it sleeps; false when it was neither. */
function move(states: Int32Array, slot: number, to: number): boolean {
  if (Atomics.compareExchange(states, slot, AWAKE, to) === AWAKE) return true; // it spins: no notify
  if (Atomics.compareExchange(states, slot, WAITING, to) !== WAITING) return false;
  Atomics.notify(states, slot);
  return true;
}

/**
 * In a worker: waits up to the linger to be rung (woken ahead of a block, it spins up to `spinMs`);
 * the block when rung, undefined when it expired.
 */
export function awaitRing(memory: WebAssembly.Memory, { standby: slot, slots, mailbox, lingerMs }: Standby, spinMs = AWAKE_SPIN_MS): ParallelBlock | undefined {
  const states = statesOf(memory, mailbox, slots);
  const until = performance.now() + lingerMs;
  for (;;) {
    const left = until - performance.now();
    if (left > 0) Atomics.wait(states, slot, WAITING, left);
    let state = Atomics.load(states, slot);
    if (state === AWAKE) {
      const spinUntil = performance.now() + spinMs;
      while ((state = Atomics.load(states, slot)) === AWAKE && performance.now() < spinUntil) { /* the ring is due any moment */ }
      if (state === AWAKE && Atomics.compareExchange(states, slot, AWAKE, WAITING) === AWAKE) continue; // not rung: sleep again
      state = Atomics.load(states, slot);
    }
    if (state === RUNG) break;
    if (state !== WAITING) return undefined; // dismissed
    if (performance.now() >= until && Atomics.compareExchange(states, slot, WAITING, EXPIRED) === WAITING) return undefined;
  }
  const fields = new Float64Array(memory.buffer, mailbox + blockOffset(slots), BLOCK_FIELDS.length);
  const block: Record<string, unknown> = {};
  BLOCK_FIELDS.forEach((name, k) => {
    const value = fields[k];
    if (Number.isNaN(value)) return;
    block[name] = name === 'fault' ? FAULTS[value] : name === 'trace' || name === 'keepGoing' ? value !== 0 : value;
  });
  return block as unknown as ParallelBlock;
}
