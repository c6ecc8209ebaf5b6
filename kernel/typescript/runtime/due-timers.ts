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
 * of a busy timer callback stops it instead of aborting the process. The promise forms
 * (`node:timers/promises`, and `util.promisify(setTimeout)`, which is the same function) resume
 * their awaiting code under the same mark as a callback (stray-callbacks.ts), so that an interrupt
 * stops a loop in an async function they resumed after its cell ended.
 *
 * Runs on: the main thread.
 */
import { syncBuiltinESMExports } from "node:module";
import timers from "node:timers";
import timersPromises from "node:timers/promises";
import { promisify } from "node:util";
import { runCallback } from "../../bridge/stray-callbacks.js";
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

/** `promised`: what `util.promisify` of the wrapper gives (else the original's own). */
function watched<F extends (callback: never, delay?: number, ...args: never[]) => unknown>(original: F, promised?: unknown): F {
  const wrapper = function (this: unknown, callback: never, delay?: number, ...args: never[]): unknown {
    if (dueAtOnce(delay)) scheduledSinceMark = true;
    return original.call(this, terminable(callback), delay, ...args);
  };
  return withOriginalProperties(wrapper, original, promised);
}

function immediateWrapper<F extends (callback: never, ...args: never[]) => unknown>(original: F, promised: unknown): F {
  const wrapper = function (this: unknown, callback: never, ...args: never[]): unknown {
    return original.call(this, terminable(callback), ...args);
  };
  return withOriginalProperties(wrapper, original, promised);
}

/** A promise timer whose settling runs as a timer's callback would: the code awaiting it resumes under the stray-callback mark. */
function resumingAsCallback<F extends (...args: never[]) => Promise<unknown>>(original: F): F {
  const wrapper = function (this: unknown, ...args: never[]): Promise<unknown> {
    return original.apply(this, args).then(
      (value) => runCallback(() => value),
      (error: unknown) =>
        runCallback(() => {
          throw error;
        }),
    );
  };
  return withOriginalProperties(wrapper, original);
}

function withOriginalProperties<F extends Function>(wrapper: (...args: never[]) => unknown, original: F, promised?: unknown): F {
  // Keeps `util.promisify(setTimeout)` and the `__promisify__` property working.
  for (const key of Reflect.ownKeys(original)) {
    if (key === "length" || key === "name" || key === "prototype") continue;
    if (key === promisify.custom && promised !== undefined) continue;
    Object.defineProperty(wrapper, key, Object.getOwnPropertyDescriptor(original, key)!);
  }
  // Node's own is a getter that hands out node:timers/promises' function.
  if (promised !== undefined) Object.defineProperty(wrapper, promisify.custom, { value: promised, configurable: true, writable: true });
  Object.defineProperty(wrapper, "name", { value: original.name });
  return wrapper as unknown as F;
}

/** Replaces the timer functions with watching ones (once per process). */
export function installTimerWatch(): void {
  if (installed) return;
  installed = true;
  const sleep = resumingAsCallback(timersPromises.setTimeout);
  const nextTurn = resumingAsCallback(timersPromises.setImmediate);
  const setTimeoutWatched = watched(originalSetTimeout, sleep);
  const setIntervalWatched = watched(globalThis.setInterval);
  const setImmediateWrapped = immediateWrapper(originalSetImmediate, nextTurn);
  globalThis.setTimeout = setTimeoutWatched;
  globalThis.setInterval = setIntervalWatched;
  globalThis.setImmediate = setImmediateWrapped;
  timers.setTimeout = setTimeoutWatched;
  timers.setInterval = setIntervalWatched;
  timers.setImmediate = setImmediateWrapped;
  timersPromises.setTimeout = sleep;
  timersPromises.setImmediate = nextTurn;
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
