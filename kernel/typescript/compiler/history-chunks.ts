/**
 * Earlier cells' declarations for the native checker, spread over a fixed set of script files of a
 * few cells each instead of one growing script. The native checker parses and binds a changed
 * file whole: with one history script, every cell made it parse all earlier cells' declarations
 * again (a session of thirty 101-line cells: 14 ms per cell and growing). With chunks, a cell
 * changes the chunk its own declarations go to (and the chunk of a name it re-declares), a few
 * cells' worth of text. The files are roots of the native project from the start, so adding
 * declarations never changes the project's file list (which would resolve every module again).
 *
 * Boundary: which chunk a cell's declarations go to; what they say is cell-declarations.ts's.
 */

/** How many chunk files exist; the last one takes every cell past HISTORY_CHUNKS × CELLS_PER_CHUNK. */
export const HISTORY_CHUNKS = 32;

/** Cells whose declarations share a chunk. */
const CELLS_PER_CHUNK = 4;

/**
 * The chunk (0 … HISTORY_CHUNKS − 1) of the declarations of cell `cellId` (1, 2, …).
 *
 * @example
 * historyChunkOf(1); // 0
 * historyChunkOf(5); // 1
 */
export function historyChunkOf(cellId: number): number {
  return Math.min(HISTORY_CHUNKS - 1, Math.max(0, Math.floor((cellId - 1) / CELLS_PER_CHUNK)));
}
