/**
 * Knows whether code has scheduled a timer due at once (`setTimeout(f)`, `setTimeout(f, 0)`,
 * `setInterval(f, 1)`: Node runs all of these about a millisecond later). A cell ends with one
 * more turn of the event loop so that what it scheduled for "right after" prints inside it; that
 * turn must wait out the timer's millisecond only when such a timer exists. Otherwise an
 * immediate suffices (it runs after pending promise callbacks and I/O), which saves every cell
 * about a millisecond.
 *
 * Watches the global `setTimeout`/`setInterval` and those of `node:timers` (for `import {
 * setTimeout } from "node:timers"` in a cell), replaced by wrappers that behave as the originals
 * (same return values, same `util.promisify` form). The same wrappers, and one for
 * `setImmediate`, make the callbacks terminable (terminable-callbacks.ts), so that an interrupt
 * of a busy timer callback stops it instead of aborting the process.
 *
 * Runs on: the main thread.
 */
import { syncBuiltinESMExports } from "node:module";
import timers from "node:timers";
import { terminable } from "./terminable-callbacks.js";

/** Node runs any timer of 1 ms or less (or no delay) at the next timers phase, about 1 ms out. */
const DUE_AT_ONCE_MS = 1;

let scheduledSinceMark = false;
let installed = false;
const originalSetTimeout = globalThis.setTimeout;
const originalSetImmediate = globalThis.setImmediate;

function dueAtOnce(delay: unknown): boolean {
  const ms = Number(delay);
  return !(ms > DUE_AT_ONCE_MS);
}

function watched<F extends (callback: never, delay?: number, ...args: never[]) => unknown>(original: F): F {
  const wrapper = function (this: unknown, callback: never, delay?: number, ...args: never[]): unknown {
    if (dueAtOnce(delay)) scheduledSinceMark = true;
    return original.call(this, terminable(callback), delay, ...args);
  };
  return withOriginalProperties(wrapper, original);
}

function immediateWrapper<F extends (callback: never, ...args: never[]) => unknown>(original: F): F {
  const wrapper = function (this: unknown, callback: never, ...args: never[]): unknown {
    return original.call(this, terminable(callback), ...args);
  };
  return withOriginalProperties(wrapper, original);
}

function withOriginalProperties<F extends Function>(wrapper: (...args: never[]) => unknown, original: F): F {
  // Keeps `util.promisify(setTimeout)` and the `__promisify__` property working.
  for (const key of Reflect.ownKeys(original)) {
    if (key === "length" || key === "name" || key === "prototype") continue;
    Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key)!);
  }
  Object.defineProperty(wrapper, "name", { value: original.name });
  return wrapper as unknown as F;
}

/** Replaces the timer functions with watching ones (once per process). */
export function installTimerWatch(): void {
  if (installed) return;
  installed = true;
  const setTimeoutWatched = watched(originalSetTimeout);
  const setIntervalWatched = watched(globalThis.setInterval);
  const setImmediateWrapped = immediateWrapper(originalSetImmediate);
  globalThis.setTimeout = setTimeoutWatched;
  globalThis.setInterval = setIntervalWatched;
  globalThis.setImmediate = setImmediateWrapped;
  timers.setTimeout = setTimeoutWatched;
  timers.setInterval = setIntervalWatched;
  timers.setImmediate = setImmediateWrapped;
  syncBuiltinESMExports();
}

/** Starts watching afresh (at the start of a cell). */
export function markTimers(): void {
  scheduledSinceMark = false;
}

/**
 * Resolves after the callbacks due now: a turn of the timers phase when something scheduled a
 * timer due at once since the mark (its callback runs first: timers fire in order), otherwise
 * an immediate.
 */
export function turnOfEventLoop(): Promise<void> {
  if (scheduledSinceMark || !installed) return new Promise((resolve) => originalSetTimeout(resolve, 0));
  return new Promise((resolve) => originalSetImmediate(resolve));
}
