/**
 * The hand-off of new figures to the kernel, matplotlib-inline style.
 *
 * Role: every figure registers itself once in `globalThis[Symbol.for("gradlab.pendingFigures")]`;
 * at the end of each cell the kernel empties that array and displays each figure in its final
 * state. Boundary: this is the whole contract with the kernel; nothing here imports it (a plain
 * Node script simply never drains the array).
 */

const KEY = Symbol.for("gradlab.pendingFigures");

/** The live pending array (created when absent; re-read every time, the kernel may replace it). */
export function pendingFigures(): unknown[] {
  const g = globalThis as Record<symbol, unknown>;
  if (!Array.isArray(g[KEY])) g[KEY] = [];
  return g[KEY] as unknown[];
}

export function registerPending(figure: object): void {
  const pending = pendingFigures();
  if (!pending.includes(figure)) pending.push(figure);
}

/** Still waiting to be shown, i.e. made in the cell that is running now. */
export function isPending(figure: object): boolean {
  return pendingFigures().includes(figure);
}

export function unregisterPending(figure: object): void {
  const pending = pendingFigures();
  const at = pending.indexOf(figure);
  if (at >= 0) pending.splice(at, 1);
}
