/**
 * The hand-off of new figures to the kernel, matplotlib-inline style.
 *
 * Role: a kernel that shows figures at the end of each cell declares it by creating the array
 * `globalThis[Symbol.for("gradlab.pendingFigures")]` when it starts; every new figure then
 * registers itself there once, and at the end of each cell the kernel empties the array and
 * displays each figure in its final state. Without that array (a plain Node script) nothing would
 * ever drain it, so figures are not registered at all and nothing accumulates; a figure then stays
 * "open" (pyplot's current figure) until plt.figure() or plt.close(), as in matplotlib scripts.
 * Boundary: this is the whole contract with the kernel; nothing here imports it.
 */

const KEY = Symbol.for("gradlab.pendingFigures");

/** The kernel's pending array, or undefined when no kernel drains figures (re-read every time). */
function kernelPending(): unknown[] | undefined {
  const pending = (globalThis as Record<symbol, unknown>)[KEY];
  return Array.isArray(pending) ? pending : undefined;
}

/** Queues a new figure for display at the end of the cell, when a kernel drains the queue. */
export function registerPending(figure: object): void {
  const pending = kernelPending();
  if (pending && !pending.includes(figure)) pending.push(figure);
}

/**
 * Still open: under a kernel, waiting to be shown (made in the cell that is running now);
 * without one, always (nothing closes a figure at a cell's end).
 */
export function isPending(figure: object): boolean {
  const pending = kernelPending();
  return pending ? pending.includes(figure) : true;
}

export function unregisterPending(figure: object): void {
  const pending = kernelPending();
  const at = pending ? pending.indexOf(figure) : -1;
  if (at >= 0) pending!.splice(at, 1);
}
