/**
 * Memory shared by the main thread and the protocol worker, for the two things a message cannot
 * do while the main thread is stuck in synchronous code:
 * - which cell the main thread is running right now (the worker checks it before terminating
 *   execution, so a terminate meant for one cell never lands in another or in idle time);
 * - the answer to a synchronous input request, written by the worker while the main thread
 *   sleeps in Atomics.wait.
 */

const RUNNING = 0;
const INPUT_STATE = 1;
const INPUT_LENGTH = 2;
const HEADER_INTS = 4;
const INPUT_BYTES = 1 << 20;

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

  get runningCell(): number {
    return Atomics.load(this.ints, RUNNING);
  }

  set runningCell(id: number) {
    Atomics.store(this.ints, RUNNING, id);
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
