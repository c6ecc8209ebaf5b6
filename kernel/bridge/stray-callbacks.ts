/**
 * Lets the runtime's timer wrapper say when a timer's callback runs outside any cell (one a cell
 * scheduled, firing after it ended), without knowing the bridge: the ExecutorHost installs the
 * shared cell word's STRAY_CALLBACK state, through which an interrupt can stop such a callback
 * when it keeps the main thread busy (an endless loop in a timer would otherwise hold up every
 * later cell until a restart). Without a host (a session in a test or a script) the callback
 * simply runs.
 *
 * Runs on: the main thread.
 */

interface StrayState {
  enterStrayCallback(): boolean;
  leaveStrayCallback(): void;
}

let installed: StrayState | undefined;

/** Called by the ExecutorHost with the shared state it terminates through. */
export function installStrayCallbackState(state: StrayState): void {
  installed = state;
}

/**
 * Runs a timer's callback; outside a cell, marked as one an interrupt may terminate. (A terminate
 * that lands in `callback` skips the rest of this function; the protocol thread then clears the mark.)
 *
 * @example
 * setTimeout(() => runCallback(() => userFunction()), 0);
 */
export function runCallback<T>(callback: () => T): T {
  const state = installed;
  const outside = state?.enterStrayCallback() ?? false;
  try {
    return callback();
  } finally {
    if (outside) state!.leaveStrayCallback();
  }
}
