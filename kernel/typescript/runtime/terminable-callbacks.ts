/**
 * Timer and immediate callbacks that an interrupt (or the memory watchdog) can stop without
 * killing the process. Both stop a busy cell with V8's terminate, which unwinds every JavaScript
 * frame up to the nearest native caller. When that caller is Node's timers or immediates loop,
 * the unwound frames include the code that pops Node's async-hooks stack, and Node aborts with
 * "async hook stack has become corrupted": a `setTimeout(() => { while (true) {} }, 0)` in a
 * cell, then the stop button, used to end the kernel and every variable with it.
 *
 * So the callback Node calls only queues the user's function as a promise reaction. Node runs
 * those right after the timer's callback, once its async context is popped, and a terminate
 * landing in one leaves Node consistent (timers keep working), as it does for a cell's code after
 * an `await`. (`queueMicrotask` would not do: it runs its callback in an async scope of its own,
 * which a terminate leaves open, and Node aborts the same way.) The user's function still runs
 * before the next timer or immediate, with the same `this` and arguments; what it throws is
 * rethrown from a tick, so it reaches `uncaughtException` as a timer's error did.
 *
 * A callback that runs after its cell ended is marked as such for the bridge (runCallback), so
 * that an interrupt can stop it too when it keeps the thread busy.
 *
 * Boundary: plain Node apart from that mark; no kernel state. Runs on: the main thread.
 */
import { runCallback } from "../../bridge/stray-callbacks.js";

/** `callback` wrapped to run as a promise reaction (anything else is returned as is, for Node to reject). */
export function terminable<T>(callback: T): T {
  if (typeof callback !== "function") return callback;
  const run = callback as unknown as (...args: unknown[]) => unknown;
  return function (this: unknown, ...args: unknown[]): void {
    void settled.then(() => void runCallback(() => run.apply(this, args))).catch(rethrowFromTick);
  } as unknown as T;
}

const settled = Promise.resolve();

function rethrowFromTick(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}
