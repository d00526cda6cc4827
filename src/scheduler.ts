// Block-STM's collaborative scheduler (Gelashvili et al., "Block-STM", PPoPP 2023), over one
// Int32Array in shared memory so that every worker thread schedules together without messages.
// It knows transaction indices, incarnations, statuses and atomics; nothing of the EVM.
//
// Status of a transaction (one packed word: incarnation << 2 | status):
//
//        try_incarnate            finish_execution
//   READY ──────────────▶ EXECUTING ──────────────▶ EXECUTED
//     ▲                       │                       │
//     │ set_ready_status      │ add_dependency        │ try_validation_abort
//     │ (incarnation + 1)     ▼                       ▼
//     └──────────────────── ABORTING ◀────────────────┘
//
// Shared words: EXECUTION_IDX and VALIDATION_IDX (the next task of each kind; they only go down by
// `decrease*`, which bumps DECREASE_CNT), DONE and HALT (a worker failed: everyone stops), and for
// each worker (numbered by JOINED) its HELD flag, where the paper counts active tasks in one word: a
// worker holds from taking a task until it looks for one and finds none, across the tasks between, so
// that it writes only its own cache line where the count cost two writes to a shared one per task.
// Per transaction: its status word, the head of the list of its dependents and each dependent's link
// (a transaction waits on one other at most).
// DONE means no task is in flight and none will start: from then on no worker reads or writes the
// block's state, so the caller may commit it at once while workers hash the receipts, handed out
// in chunks by RECEIPT_IDX and counted in RECEIPTS_HASHED. A worker of the pool leaves the block
// by counting itself in LEFT (after writing its statistics in the slot STATS_SLOTS gave it), the last
// thing it does with the block's memory: the caller need not wait for its reply.
// A block of independent parts (transactions that share no account) skips all of the above but DONE:
// workers take parts by NEXT_PART and run them; the last to finish one (PARTS_DONE) sets DONE.
//
// Ordering rules:
//   - Only the worker holding a transaction's EXECUTING or ABORTING status changes that word, except
//     READY → EXECUTING (any worker, by compare-and-swap in try_incarnate) and EXECUTED → ABORTING
//     (a validating worker, by compare-and-swap in try_validation_abort).
//   - add_dependency links the dependent at the head of the blocking transaction's list by
//     compare-and-swap unless the head is CLOSED; finish_execution takes the list and leaves CLOSED in
//     one exchange, then publishes EXECUTED. So a dependent is either refused (and re-executes at once)
//     or always resumed. try_validation_abort, which needs EXECUTED, reopens the list (EMPTY) before
//     the aborted writes become estimates, so whoever reads one waits for the next incarnation.
//   - A task's MV writes are published before finish_execution publishes EXECUTED (the executor's job).
//   - A worker sets HELD before it takes a task and clears it only after its last task's decreases
//     (and their DECREASE_CNT bumps). check_done reads DECREASE_CNT, the indices, every HELD, then
//     DECREASE_CNT again: a worker it read as not holding that takes a task afterwards found the
//     indices below n, so someone decreased one after they were read, while holding; that one was read
//     as not holding either, so its bump comes before the second DECREASE_CNT read, or it in turn took
//     a task after the indices were read; the first such worker cannot have. DONE is thus never set
//     while a task is in flight or can start (the paper's argument, with HELD for the count).

// The header's words sit on cache lines (16 words) by how they are used: the indices, which every
// task writes, one line each; the flags, which every loop reads and almost nothing writes, on one;
// then the counters; then each worker's HELD, one line each.
const LINE = 16;
const EXECUTION_IDX = 0;
const VALIDATION_IDX = LINE;
const JOINED = 2 * LINE; // workers that took a HELD line
const DECREASE_CNT = 3 * LINE;
const DONE = 4 * LINE;
const HALT = DONE + 1;
const FAULT = DONE + 2; // tests: the first worker to claim it fails on purpose
const GAVE_UP = DONE + 3; // conflicts made parallel execution pointless: the caller runs the block sequentially
const INVALID = DONE + 4; // a part met an invalid transaction: the block is invalid, its receipts are not hashed
const FAILED = DONE + 5; // a worker threw (and halted the block): its reply carries the error
const EXECUTIONS = 5 * LINE;
const CONFLICTS = EXECUTIONS + 1;
const WINDOW_CONFLICTS = EXECUTIONS + 2; // CONFLICTS when the current window of executions began
const LAST_WINDOW_CONFLICTS = EXECUTIONS + 3; // conflicts of the last window judged (-1: none judged yet)
const RECEIPT_IDX = 6 * LINE; // the first transaction whose receipt no worker has taken yet
const RECEIPTS_HASHED = RECEIPT_IDX + 1;
const STATS_SLOTS = RECEIPT_IDX + 2; // slots handed out for the workers' statistics
const LEFT = RECEIPT_IDX + 3; // workers that have left the block
const NEXT_PART = 7 * LINE; // a block of independent parts (no Block-STM): the next part no worker has taken
const PARTS_DONE = NEXT_PART + 1;
const HELD = 8 * LINE; // a line per worker
// Per transaction, a cache line (TX_WORDS words; two workers usually hold neighbouring transactions):
// its status, the first of the transactions that wait for it (EMPTY, or CLOSED once it is executed),
// its link in the list of the one it waits for, and 1 from its joining that list until its next
// execution starts.
const TX_WORDS = LINE;
const STATUS = 0;
const HEAD = 1;
const NEXT = 2;
const WAITED = 3;
const EMPTY = -1;
const CLOSED = -2;
const header = (workers: number): number => HELD + LINE * workers;

/** The words `progressed` watches. */
const PROGRESS_WORDS = [EXECUTION_IDX, VALIDATION_IDX, DECREASE_CNT, NEXT_PART, PARTS_DONE, RECEIPT_IDX];

const READY = 0;
const EXECUTING = 1;
const EXECUTED = 2;
const ABORTING = 3;

/** No task. */
export const NO_TASK = -1;
/** Executions per window in which the conflict rate is judged, at most and at least. */
const WINDOW = 64;
const MIN_WINDOW = 16;
const KIND_EXECUTE = 0;
const KIND_VALIDATE = 1;
const MAX_TX = 1 << 21;

/** A task packed in one number: kind + 2 × (txIdx + 2^21 × incarnation). */
export type Task = number;

export function isExecution(task: Task): boolean { return task % 2 === KIND_EXECUTE; }
export function taskTx(task: Task): number { return Math.floor(task / 2) % MAX_TX; }
export function taskIncarnation(task: Task): number { return Math.floor(task / 2 / MAX_TX); }
function makeTask(kind: number, txIdx: number, incarnation: number): Task {
  return kind + 2 * (txIdx + MAX_TX * incarnation);
}

export class Scheduler {
  /** Executions per window of the give-up rule (see countExecution). */
  private readonly window: number;
  /** Where the transactions' lines start. */
  private readonly base: number;
  /** This worker's HELD word (see `join`), and whether it is set. */
  private held = -1;
  private holding = false;

  /** `words` must hold `Scheduler.words(n, workers)` Int32s (see `reset`); at most `workers` join. */
  constructor(private readonly w: Int32Array, readonly n: number, private readonly workers: number) {
    if (n >= MAX_TX) throw new RangeError(`a block of ${n} transactions is more than the scheduler takes (${MAX_TX - 1})`);
    this.window = Math.max(MIN_WINDOW, Math.min(WINDOW, n >> 2));
    this.base = header(workers);
  }

  /** Int32 words a block of n transactions needs for `workers` workers. */
  static words(n: number, workers: number): number {
    return header(workers) + TX_WORDS * n;
  }

  private at(txIdx: number, word: number): number {
    return this.base + TX_WORDS * txIdx + word;
  }

  /** Takes a HELD line: this becomes the scheduler of one worker of the block (each worker has its own). */
  private join(): void {
    const id = Atomics.add(this.w, JOINED, 1);
    if (id >= this.workers) throw new Error(`scheduler bug: worker ${id + 1} joined a block laid out for ${this.workers}`);
    this.held = HELD + LINE * id;
  }

  /** Prepares the words for a block: every transaction READY at incarnation 0, no dependents. */
  reset(): void {
    this.w.fill(0, 0, Scheduler.words(this.n, this.workers));
    this.w[LAST_WINDOW_CONFLICTS] = -1;
    for (let i = 0; i < this.n; i++) this.w[this.at(i, HEAD)] = EMPTY;
  }

  done(): boolean { return Atomics.load(this.w, DONE) !== 0 || Atomics.load(this.w, HALT) !== 0; }
  halted(): boolean { return Atomics.load(this.w, HALT) !== 0; }
  /** Stops every worker (a failure no re-execution can fix). */
  halt(): void { Atomics.store(this.w, HALT, 1); }
  /** A worker threw: stops every worker, and says so (`failed`). */
  fail(): void {
    Atomics.store(this.w, FAILED, 1);
    this.halt();
  }
  failed(): boolean { return Atomics.load(this.w, FAILED) !== 0; }
  /** Tests: true for exactly one caller per block (the worker that is to fail). */
  claimFault(): boolean { return Atomics.compareExchange(this.w, FAULT, 0, 1) === 0; }

  /**
   * Counts an execution and whether it met a conflict (an estimate, or a failed validation before it).
   * When over a quarter of the executions of two windows in a row conflicted, re-execution costs
   * more than parallelism gains (that part of the block is a chain; on two threads a chain shows about
   * a third): the scheduler gives up (every worker stops) and the caller executes the block
   * sequentially. Windows, not totals: a block whose first part ran on one thread alone (the others
   * still waking) shows its conflicts only later; two of them: a few contended transactions together
   * (one busy contract's calls) crowd one window, and the block goes on in parallel past them. A
   * window is `WINDOW` executions, or a quarter of the block's transactions when fewer, so that a
   * block of a few heavy transactions gives up before it has run most of them.
   */
  countExecution(conflicted: boolean, giveUpAt?: number): void {
    this.countExecutions(1, conflicted ? 1 : 0, giveUpAt);
  }

  /**
   * Counts several executions at once (a worker counts its own and adds them up now and then: a word
   * every execution writes costs each a cache line another core wrote); the window a batch completes
   * is judged with the conflicts counted by then.
   */
  countExecutions(executions: number, conflicts: number, giveUpAt?: number): void {
    const before = Atomics.add(this.w, EXECUTIONS, executions);
    const after = before + executions;
    if (conflicts > 0) Atomics.add(this.w, CONFLICTS, conflicts);
    if (giveUpAt !== undefined && before < giveUpAt && after >= giveUpAt) this.giveUp(); // tests: a give-up at a known point
    if (Math.floor(after / this.window) === Math.floor(before / this.window)) return;
    const total = Atomics.load(this.w, CONFLICTS);
    const inWindow = total - Atomics.exchange(this.w, WINDOW_CONFLICTS, total);
    const last = Atomics.exchange(this.w, LAST_WINDOW_CONFLICTS, inWindow);
    if (last >= 0 && 4 * (last + inWindow) > 2 * this.window) this.giveUp();
  }

  private giveUp(): void {
    Atomics.store(this.w, GAVE_UP, 1);
    Atomics.store(this.w, HALT, 1);
  }

  /** Whether every transaction is executed and validated (not halted). */
  finished(): boolean { return Atomics.load(this.w, DONE) !== 0 && Atomics.load(this.w, HALT) === 0; }

  /** The first transaction of the next `size` whose receipts a worker hashes; n or more when none are left. */
  takeReceipts(size: number): number { return Atomics.add(this.w, RECEIPT_IDX, size); }

  /** Counts `count` receipts hashed. */
  receiptsHashed(count: number): void { Atomics.add(this.w, RECEIPTS_HASHED, count); }

  /** Waits up to `timeoutMs` until all n receipts are hashed; false when some are not (a worker is slow or died). */
  waitForReceipts(timeoutMs: number): boolean {
    const until = performance.now() + timeoutMs;
    while (Atomics.load(this.w, RECEIPTS_HASHED) < this.n) {
      if (performance.now() > until) return false;
    }
    return true;
  }

  /**
   * For a block of independent parts (ParallelBlock.parts): the next part for a worker to run;
   * `parts` or more when none is left.
   */
  takePart(): number { return Atomics.add(this.w, NEXT_PART, 1); }

  /** Counts a part run; the last of `parts` makes the block done. */
  finishPart(parts: number): void {
    if (Atomics.add(this.w, PARTS_DONE, 1) + 1 === parts) Atomics.store(this.w, DONE, 1);
  }

  /** A part met an invalid transaction: the block is invalid (the caller names the first in order). */
  markInvalid(): void { Atomics.store(this.w, INVALID, 1); }
  invalid(): boolean { return Atomics.load(this.w, INVALID) !== 0; }

  /** A slot of its own for a worker's statistics (0, 1, …). */
  takeStatsSlot(): number { return Atomics.add(this.w, STATS_SLOTS, 1); }

  /** Counts a worker out of the block: it no longer reads or writes any of the block's memory. */
  leave(): void { Atomics.add(this.w, LEFT, 1); }

  /** Waits up to `timeoutMs` until `workers` have left; false when some have not (a worker is slow or died). */
  waitForLeaving(workers: number, timeoutMs: number): boolean {
    const until = performance.now() + timeoutMs;
    while (Atomics.load(this.w, LEFT) < workers) {
      if (performance.now() > until) return false;
    }
    return true;
  }

  /**
   * Whether any worker took or handed back a task (or a part) since this worker last asked: the
   * words that move when one does. A worker that waits for others and sees none of them move for a
   * long time knows one of them stopped while holding work. (No counter of finished tasks: a word
   * every task writes costs every task a cache line another core wrote.)
   */
  progressed(): boolean {
    let moved = false;
    for (let k = 0; k < PROGRESS_WORDS.length; k++) {
      const word = Atomics.load(this.w, PROGRESS_WORDS[k]);
      if (word !== this.seen[k]) [this.seen[k], moved] = [word, true];
    }
    return moved;
  }

  private readonly seen = new Int32Array(PROGRESS_WORDS.length);

  /** Whether the scheduler gave up on parallel execution (see `countExecution`). */
  gaveUp(): boolean { return Atomics.load(this.w, GAVE_UP) !== 0; }

  private incarnation(txIdx: number): number { return Atomics.load(this.w, this.at(txIdx, STATUS)) >> 2; }

  private decreaseTo(index: number, target: number): void {
    for (;;) {
      const current = Atomics.load(this.w, index);
      if (current <= target || Atomics.compareExchange(this.w, index, current, target) === current) break;
    }
    Atomics.add(this.w, DECREASE_CNT, 1);
  }

  /** Sets DONE if every transaction is executed and validated and no worker holds or can take a task (see the rules above). */
  private checkDone(): void {
    const observed = Atomics.load(this.w, DECREASE_CNT);
    if (Math.min(Atomics.load(this.w, EXECUTION_IDX), Atomics.load(this.w, VALIDATION_IDX)) < this.n) return;
    for (let k = 0; k < this.workers; k++) if (Atomics.load(this.w, HELD + LINE * k) !== 0) return;
    if (observed === Atomics.load(this.w, DECREASE_CNT)) Atomics.store(this.w, DONE, 1);
  }

  /** READY → EXECUTING. */
  private tryIncarnate(txIdx: number): Task {
    if (txIdx < this.n) {
      const word = Atomics.load(this.w, this.at(txIdx, STATUS));
      if ((word & 3) === READY && Atomics.compareExchange(this.w, this.at(txIdx, STATUS), word, (word & ~3) | EXECUTING) === word) {
        return makeTask(KIND_EXECUTE, txIdx, word >> 2);
      }
    }
    return NO_TASK;
  }

  private nextVersionToExecute(): Task {
    if (Atomics.load(this.w, EXECUTION_IDX) >= this.n) return NO_TASK;
    return this.tryIncarnate(Atomics.add(this.w, EXECUTION_IDX, 1));
  }

  private nextVersionToValidate(): Task {
    if (Atomics.load(this.w, VALIDATION_IDX) >= this.n) return NO_TASK;
    const txIdx = Atomics.add(this.w, VALIDATION_IDX, 1);
    if (txIdx < this.n) {
      const word = Atomics.load(this.w, this.at(txIdx, STATUS));
      if ((word & 3) === EXECUTED) return makeTask(KIND_VALIDATE, txIdx, word >> 2);
    }
    return NO_TASK;
  }

  /**
   * The next task for a worker between tasks: validation first while it lags execution. Finding
   * none, the worker stops holding (see HELD) and sees whether the block is done.
   */
  nextTask(): Task {
    if (!this.holding) {
      if (this.held < 0) this.join(); // a worker joins at its first task
      Atomics.store(this.w, this.held, 1);
      this.holding = true;
    }
    const task = Atomics.load(this.w, VALIDATION_IDX) < Atomics.load(this.w, EXECUTION_IDX) ? this.nextVersionToValidate() : this.nextVersionToExecute();
    if (task !== NO_TASK) return task;
    Atomics.store(this.w, this.held, 0);
    this.holding = false;
    this.checkDone();
    return NO_TASK;
  }

  /**
   * `txIdx` read an estimate of `blocking`: park it until `blocking` is executed. False when
   * `blocking` already is (the caller re-executes at once).
   */
  tryAddDependency(txIdx: number, blocking: number): boolean {
    // ABORTING before it is linked: once linked, `blocking`'s finish may make it READY at any moment.
    const word = Atomics.load(this.w, this.at(txIdx, STATUS));
    Atomics.store(this.w, this.at(txIdx, STATUS), (word & ~3) | ABORTING);
    Atomics.store(this.w, this.at(txIdx, WAITED), 1);
    for (;;) {
      const head = Atomics.load(this.w, this.at(blocking, HEAD));
      if (head === CLOSED) {
        Atomics.store(this.w, this.at(txIdx, STATUS), word);
        Atomics.store(this.w, this.at(txIdx, WAITED), 0);
        return false;
      }
      Atomics.store(this.w, this.at(txIdx, NEXT), head);
      if (Atomics.compareExchange(this.w, this.at(blocking, HEAD), head, txIdx) === head) break;
    }
    return true;
  }

  /** At the start of an execution of `txIdx`: whether its last one ended waiting for another transaction (tryAddDependency). */
  resumedAfterWait(txIdx: number): boolean {
    return Atomics.exchange(this.w, this.at(txIdx, WAITED), 0) === 1;
  }

  /** ABORTING → READY at the next incarnation (the caller holds the transaction). */
  private setReady(txIdx: number): void {
    const word = Atomics.load(this.w, this.at(txIdx, STATUS));
    Atomics.store(this.w, this.at(txIdx, STATUS), (((word >> 2) + 1) << 2) | READY);
  }

  /**
   * Ends an execution: EXECUTED, wake its dependents, and (when validation is already past it)
   * either validate it at once or, if it wrote a new location, make validation revisit everything after it.
   */
  finishExecution(txIdx: number, incarnation: number, wroteNewLocation: boolean): Task {
    // Closed before EXECUTED: no validation can abort it (and reopen the list) before it is closed.
    let dependent = Atomics.exchange(this.w, this.at(txIdx, HEAD), CLOSED);
    if (dependent === CLOSED) throw new Error(`scheduler bug: transaction ${txIdx} finished twice without an abort`);
    Atomics.store(this.w, this.at(txIdx, STATUS), (incarnation << 2) | EXECUTED);
    let lowest = this.n;
    while (dependent !== EMPTY) {
      const following = Atomics.load(this.w, this.at(dependent, NEXT));
      this.setReady(dependent);
      lowest = Math.min(lowest, dependent);
      dependent = following;
    }
    if (lowest < this.n) this.decreaseTo(EXECUTION_IDX, lowest);
    if (Atomics.load(this.w, VALIDATION_IDX) > txIdx) {
      if (!wroteNewLocation) return makeTask(KIND_VALIDATE, txIdx, incarnation);
      this.decreaseTo(VALIDATION_IDX, txIdx);
    }
    return NO_TASK;
  }

  /** EXECUTED → ABORTING for the validated incarnation; false if another worker already aborted it. */
  tryValidationAbort(txIdx: number, incarnation: number): boolean {
    const executed = (incarnation << 2) | EXECUTED;
    if (Atomics.compareExchange(this.w, this.at(txIdx, STATUS), executed, (incarnation << 2) | ABORTING) !== executed) return false;
    Atomics.store(this.w, this.at(txIdx, HEAD), EMPTY); // others may wait for its next incarnation (before its writes become estimates)
    return true;
  }

  /** Ends a validation; an aborted transaction is made READY again and, when possible, re-executed by the caller. */
  finishValidation(txIdx: number, aborted: boolean): Task {
    if (aborted) {
      this.setReady(txIdx);
      this.decreaseTo(VALIDATION_IDX, txIdx + 1);
      if (Atomics.load(this.w, EXECUTION_IDX) > txIdx) return this.tryIncarnate(txIdx);
    }
    return NO_TASK;
  }

  /** Whether `txIdx`'s latest incarnation has finished executing (and was not aborted since). */
  isExecuted(txIdx: number): boolean {
    return (Atomics.load(this.w, this.at(txIdx, STATUS)) & 3) === EXECUTED;
  }

  /** The incarnation a finished block ended with (for statistics). */
  finalIncarnation(txIdx: number): number {
    return this.incarnation(txIdx);
  }
}
