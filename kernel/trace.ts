/**
 * A cell's timeline across the kernel's threads, for finding where a cell's milliseconds go:
 * with GRADLAB_TRACE=1 each mark is one stderr line `[gradlab trace] <epoch ms> <thread> <label>`.
 * Epoch milliseconds (timeOrigin + now) line up across worker threads, whose `now()` each start
 * at zero. Off by default, when a mark costs one property read.
 *
 * Runs on: any thread.
 */
import { writeSync } from "node:fs";
import { isMainThread, threadId } from "node:worker_threads";

const enabled = process.env["GRADLAB_TRACE"] === "1";
const thread = isMainThread ? "main" : `worker${threadId}`;

export function trace(label: string): void {
  if (!enabled) return;
  writeSync(2, `[gradlab trace] ${(performance.timeOrigin + performance.now()).toFixed(3)} ${thread} ${label}\n`);
}
