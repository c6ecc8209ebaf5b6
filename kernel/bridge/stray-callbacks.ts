/**
 * Lets the runtime's timer wrapper say when a timer's callback runs outside any cell (one a cell
 * scheduled, firing after it ended), without knowing the bridge: the ExecutorHost installs the
 * shared cell word's STRAY_CALLBACK state, through which an interrupt can stop such a callback
 * when it keeps the main thread busy (an endless loop in a timer would otherwise hold up every
 * later cell until a restart). Without a host (a session in a test or a script) the callback
 * simply runs.
 *
 * The mark also covers the promise reactions the callback sets off, which run right after it:
 * async functions it resumed (`await new Promise((r) => setTimeout(r, 50))` in a function the
 * cell called without `await`) and the rest of an async callback after its first `await`. Their
 * loops held up every later cell just the same.
 *
 * Runs on: the main thread.
 */

interface StrayState {
  enterStrayCallback(): boolean;
  leaveStrayCallback(): void;
}

let installed: StrayState | undefined;
/** Counts the marks entered, so that a leave left over from an earlier mark cannot end a later one. */
let marksEntered = 0;
const settled = Promise.resolve();

/** Called by the ExecutorHost with the shared state it terminates through. */
export function installStrayCallbackState(state: StrayState): void {
  installed = state;
}

/**
 * Runs a timer's callback; outside a cell, marked as one an interrupt may terminate, until the
 * promise reactions it set off have run. (A terminate that lands in `callback` skips the rest of
 * this function; the protocol thread then clears the mark.)
 *
 * @example
 * setTimeout(() => runCallback(() => userFunction()), 0);
 */
export function runCallback<T>(callback: () => T): T {
  const state = installed;
  const outside = state?.enterStrayCallback() ?? false;
  const mark = outside ? ++marksEntered : 0;
  try {
    return callback();
  } finally {
    if (outside) leaveOnceReactionsRan(state!, mark);
  }
}

/**
 * Node runs a tick queued now only once the promise reactions queued before it, and those they
 * queue in turn, have all run: the mark ends then. The tick itself only queues the leave as a
 * promise reaction, because a terminate claimed meanwhile lands in the leave (it waits for it),
 * and one landing in Node's tick code would leave its async-context bookkeeping corrupt, which
 * aborts the process (see terminable-callbacks.ts).
 */
function leaveOnceReactionsRan(state: StrayState, mark: number): void {
  process.nextTick(() => {
    void settled.then(() => {
      if (mark === marksEntered) state.leaveStrayCallback();
    });
  });
}
