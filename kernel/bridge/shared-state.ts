/**
 * Memory shared by the main thread and the protocol worker, for the two things a message cannot
 * do while the main thread is stuck in synchronous code:
 * - the state of the cell the main thread is running (below), through which the two threads
 *   agree, without messages, whether an interrupt is handled by the main thread or by a
 *   terminate from the worker;
 * - the answer to a synchronous input request, written by the worker while the main thread
 *   sleeps in Atomics.wait;
 * - why the worker terminated a cell (an interrupt, or the memory watchdog), read by the main
 *   thread when it reports the cell's end;
 * - "the sockets are closed", which a main thread exiting from inside a cell (process.exit) waits
 *   for in Atomics.wait, since it cannot read messages while it waits.
 *
 * The cell word holds 0 (no cell), `id` (cell id running), `id | ACKNOWLEDGED` (the main thread
 * has received the interrupt for it: no terminate may follow), `id | SHIELDED` (the main thread is
 * in code a terminate must not cut short, such as a synchronous exchange with the type checker's
 * process, whose pipe a half-read answer would leave unusable; a terminate waits until it leaves)
 * or `-id` (the worker has committed to terminating it). Shielded work done by another process
 * (the checker's) names that process, so that an interrupt can still end it from outside: the
 * worker stops the process, and the main thread, its exchange failed, learns why. Every change is a compare-and-swap, so exactly one of "the main thread
 * acknowledges / leaves the cell" and "the worker claims the terminate" wins. When the main
 * thread finds a terminate claimed, it waits in Atomics.wait until the worker reports it done:
 * the terminate then lands in that wait (V8 interrupts Atomics.wait) or has already landed in the
 * cell, and never in code that runs afterwards (the next cell, or a message handler).
 */

import { logKernel } from "../protocol/log.js";

const CELL = 0;
const INPUT_STATE = 1;
const INPUT_LENGTH = 2;
const TERMINATE_REASON = 3;
const SOCKETS_CLOSED = 4;
const TERMINATED_CELL = 5;
const MEMORY_AT_STOP_MB = 6;
const SHIELDED_PROCESS = 7;
const SHIELD_STOPPED = 8;
const HEADER_INTS = 10;
const INPUT_BYTES = 1 << 20;

const ACKNOWLEDGED = 1 << 30;
/**
 * The id the cell word holds while the main thread runs a timer's callback outside any cell (one a
 * cell scheduled, firing after it ended): an interrupt can then terminate it as it would a cell.
 */
export const STRAY_CALLBACK = 1 << 28;
const SHIELDED = 1 << 29;
/** A safety bound on the main thread's wait for a claimed terminate (it normally takes < 1 ms). */
const TERMINATE_WAIT_MS = 2000;

export type CellState = "running" | "acknowledged" | "shielded" | "terminating" | "other";

/** Why the worker terminated a cell: stored before the claim, read by the main thread afterwards. */
export type TerminateReason = "interrupt" | "memory";
const REASONS: TerminateReason[] = ["interrupt", "memory"];

export const INPUT_WAITING = 0;
export const INPUT_OK = 1;
export const INPUT_FAILED = 2;

export class SharedState {
  private readonly ints: Int32Array;
  private readonly bytes: Uint8Array;

  /** @example const state = new SharedState(); worker = new Worker(url, { workerData: { shared: state.buffer } }); */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(HEADER_INTS * 4 + INPUT_BYTES)) {
    this.ints = new Int32Array(buffer, 0, HEADER_INTS);
    this.bytes = new Uint8Array(buffer, HEADER_INTS * 4);
  }

  /** Either thread: what the cell word says about cell `id`. */
  cellState(id: number): CellState {
    const word = Atomics.load(this.ints, CELL);
    if (word === id) return "running";
    if (word === (id | ACKNOWLEDGED)) return "acknowledged";
    if (word === (id | SHIELDED)) return "shielded";
    if (word === -id) return "terminating";
    return "other";
  }

  /** Main thread, right before cell `id` starts running (ids are positive, below 2^30). */
  enterCell(id: number): void {
    Atomics.store(this.ints, CELL, id);
  }

  /**
   * Main thread, before a timer's callback: true if no cell is running, and the word now says
   * STRAY_CALLBACK (leaveStrayCallback afterwards); false inside a cell, whose own word covers it.
   */
  enterStrayCallback(): boolean {
    return Atomics.compareExchange(this.ints, CELL, 0, STRAY_CALLBACK) === 0;
  }

  /** Main thread, after a callback that enterStrayCallback let in (a terminate claimed meanwhile lands here). */
  leaveStrayCallback(): void {
    this.leaveCell(STRAY_CALLBACK);
  }

  /**
   * Main thread, when cell `id` is over. If the worker has claimed a terminate for it, blocks until
   * that terminate is done; the terminate may land in this very call (which then never returns).
   */
  leaveCell(id: number): void {
    for (const from of [id, id | ACKNOWLEDGED]) {
      if (Atomics.compareExchange(this.ints, CELL, from, 0) === from) return;
    }
    this.awaitClaimedTerminate(id);
  }

  /**
   * Main thread, before code that a terminate must not cut short: until `unshield`, the worker
   * cannot claim one. Returns the token for `unshield` (undefined when there was nothing to
   * shield: no cell running, an interrupt already acknowledged, or already shielded). If a
   * terminate was already claimed, it lands in this call, before the shielded code.
   */
  shield(stoppableProcess = 0): number | undefined {
    for (;;) {
      const word = Atomics.load(this.ints, CELL);
      if (word < 0) {
        this.awaitClaimedTerminate(-word);
        return undefined;
      }
      if (word === 0 || (word & (ACKNOWLEDGED | SHIELDED)) !== 0) return undefined;
      Atomics.store(this.ints, SHIELDED_PROCESS, stoppableProcess);
      if (Atomics.compareExchange(this.ints, CELL, word, word | SHIELDED) === word) return word;
    }
  }

  /** Main thread, after the shielded code: a terminate may be claimed again. */
  unshield(token: number): void {
    Atomics.store(this.ints, SHIELDED_PROCESS, 0);
    Atomics.compareExchange(this.ints, CELL, token | SHIELDED, token);
  }

  /** Worker: the process doing cell `id`'s shielded work, which an interrupt may stop (0: none, or not shielded). */
  shieldedProcess(id: number): number {
    const pid = Atomics.load(this.ints, SHIELDED_PROCESS);
    return this.cellState(id) === "shielded" ? pid : 0;
  }

  /** Worker, before stopping that process for an interrupt of cell `id`. */
  markShieldStopped(id: number): void {
    Atomics.store(this.ints, SHIELD_STOPPED, id);
  }

  /** Main thread, after shielded work failed: was its process stopped for an interrupt? (Read once.) */
  takeShieldStopped(): boolean {
    return Atomics.exchange(this.ints, SHIELD_STOPPED, 0) !== 0;
  }

  /**
   * Main thread, on receiving an interrupt for cell `id`: from now on the worker will not
   * terminate it. Returns false if a terminate was already claimed (and is done by the time this
   * returns, if this call was not itself cut short by it).
   */
  acknowledgeInterrupt(id: number): boolean {
    const before = Atomics.compareExchange(this.ints, CELL, id, id | ACKNOWLEDGED);
    if (before === id || before === (id | ACKNOWLEDGED)) return true;
    this.awaitClaimedTerminate(id);
    return false;
  }

  /**
   * Worker: commits to terminating cell `id`; true only if the main thread is still in it,
   * unacknowledged. `memoryMb` is the memory reading that made the watchdog decide, if it did.
   */
  claimTerminate(id: number, reason: TerminateReason = "interrupt", memoryMb = 0): boolean {
    if (Atomics.compareExchange(this.ints, CELL, id, -id) !== id) return false;
    // Stored after the claim, before terminateDone: the main thread, which saw the claim and
    // waits for terminateDone (leaveCell), reads them only afterwards.
    Atomics.store(this.ints, TERMINATE_REASON, REASONS.indexOf(reason));
    Atomics.store(this.ints, MEMORY_AT_STOP_MB, Math.round(memoryMb));
    Atomics.store(this.ints, TERMINATED_CELL, id);
    return true;
  }

  /**
   * Main thread, after leaveCell(id): why the worker terminated cell `id`, and the memory reading
   * behind a memory stop; undefined if it was not terminated.
   */
  terminatedCell(id: number): { reason: TerminateReason; memoryMb: number } | undefined {
    if (Atomics.load(this.ints, TERMINATED_CELL) !== id) return undefined;
    return { reason: REASONS[Atomics.load(this.ints, TERMINATE_REASON)] ?? "interrupt", memoryMb: Atomics.load(this.ints, MEMORY_AT_STOP_MB) };
  }

  /** Worker: the sockets are closed; wakes a main thread waiting to exit. */
  socketsClosed(): void {
    Atomics.store(this.ints, SOCKETS_CLOSED, 1);
    Atomics.notify(this.ints, SOCKETS_CLOSED);
  }

  /** Main thread: blocks until the worker has closed the sockets, or `timeoutMs` has passed; true if closed. */
  awaitSocketsClosed(timeoutMs: number): boolean {
    return Atomics.wait(this.ints, SOCKETS_CLOSED, 0, timeoutMs) !== "timed-out" || Atomics.load(this.ints, SOCKETS_CLOSED) === 1;
  }

  /** Worker: the terminate claimed for cell `id` has landed (the inspector answered); wakes the main thread. */
  terminateDone(id: number): void {
    Atomics.compareExchange(this.ints, CELL, -id, 0);
    Atomics.notify(this.ints, CELL);
  }

  private awaitClaimedTerminate(id: number): void {
    const deadline = Date.now() + TERMINATE_WAIT_MS;
    while (Atomics.load(this.ints, CELL) === -id) {
      const left = deadline - Date.now();
      if (left <= 0) {
        logKernel(`a terminate claimed for cell ${id} was not reported done within ${TERMINATE_WAIT_MS} ms; going on`);
        return;
      }
      Atomics.wait(this.ints, CELL, -id, left);
    }
  }

  /** Main thread: arm before asking, then block until the worker answers. */
  armInput(): void {
    Atomics.store(this.ints, INPUT_STATE, INPUT_WAITING);
  }

  /** Main thread: blocks until answered; returns the state and text. */
  awaitInput(): { state: number; text: string } {
    while (Atomics.load(this.ints, INPUT_STATE) === INPUT_WAITING) Atomics.wait(this.ints, INPUT_STATE, INPUT_WAITING);
    const length = Atomics.load(this.ints, INPUT_LENGTH);
    return { state: Atomics.load(this.ints, INPUT_STATE), text: Buffer.from(this.bytes.subarray(0, length)).toString("utf8") };
  }

  /** Worker: writes the answer (truncated to the buffer) and wakes the main thread. */
  answerInput(state: typeof INPUT_OK | typeof INPUT_FAILED, text: string): void {
    const encoded = Buffer.from(text, "utf8");
    const length = Math.min(encoded.length, this.bytes.length);
    this.bytes.set(encoded.subarray(0, length));
    Atomics.store(this.ints, INPUT_LENGTH, length);
    Atomics.store(this.ints, INPUT_STATE, state);
    Atomics.notify(this.ints, INPUT_STATE);
  }
}
