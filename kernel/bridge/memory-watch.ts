/**
 * The memory watchdog: while a cell runs, reads the process's resident set every MEMORY_POLL_MS
 * and calls `over` once it passes the cell's threshold (see memory-limit.ts); the caller then
 * terminates the cell the way an interrupt of a busy loop does, before V8 would end the whole
 * process with a fatal out-of-memory error.
 *
 * Why on this thread: the main thread is the one allocating, in synchronous code that reads no
 * messages; the protocol thread keeps running, and a resident-set reading needs nothing from the
 * main thread. A reading costs microseconds; there is none between cells.
 *
 * Runs on: the protocol worker.
 */
import { type MemoryLimit, stopThresholdMb } from "./memory-limit.js";

export const MEMORY_POLL_MS = 10;
const MB = 1024 * 1024;

export interface MemoryReader {
  /** The process's resident set, MB. */
  residentMb(): number;
}

export const processMemory: MemoryReader = { residentMb: () => process.memoryUsage.rss() / MB };

export class MemoryWatch {
  constructor(
    private readonly limit: MemoryLimit,
    private readonly reader: MemoryReader = processMemory,
  ) {}

  /**
   * Watches one cell; returns the function that ends the watch (call it when the cell is over).
   * `over` is called with the reading once it passes the threshold, and again at the next poll
   * as long as it returns false (it could not act: the cell may yet go on allocating).
   *
   * @example
   * const stop = watch.watch((mb) => terminateCell(id, mb));
   * await runCell(); stop();
   */
  watch(over: (readingMb: number) => boolean): () => void {
    const threshold = stopThresholdMb(this.limit, this.reader.residentMb());
    const timer = setInterval(() => {
      const reading = this.reader.residentMb();
      if (reading >= threshold && over(Math.round(reading))) clearInterval(timer);
    }, MEMORY_POLL_MS);
    return () => clearInterval(timer);
  }
}
