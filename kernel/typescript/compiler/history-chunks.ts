/**
 * Earlier cells' declarations for the native checker, spread over a fixed set of script files of a
 * few cells each instead of one growing script. The native checker parses and binds a changed
 * file whole: with one history script, every cell made it parse all earlier cells' declarations
 * again (a session of thirty 101-line cells: 14 ms per cell and growing). With chunks, a cell
 * changes the chunk its own declarations go to (and the chunk of a name it re-declares), a few
 * cells' worth of text. The files are roots of the native project from the start, so adding
 * declarations never changes the project's file list (which would resolve every module again).
 *
 * Past the last chunk the cells start again at the first, so every chunk grows by one group of
 * cells in HISTORY_CHUNKS. With the overflow in the last chunk instead, a long session parsed all
 * declarations since cell 125 at every new cell: 9-line cells took 7 ms at cell 100 and 23 ms at
 * cell 600; now they take the same throughout.
 *
 * Boundary: which chunk a cell's declarations go to; what they say is cell-declarations.ts's.
 */

/** How many chunk files exist (more files would make opening the project slower, each is read at launch). */
export const HISTORY_CHUNKS = 32;

/** Cells whose declarations share a chunk. */
const CELLS_PER_CHUNK = 4;

/**
 * The chunk (0 … HISTORY_CHUNKS − 1) of the declarations of cell `cellId` (1, 2, …).
 *
 * @example
 * historyChunkOf(1); // 0
 * historyChunkOf(5); // 1
 * historyChunkOf(HISTORY_CHUNKS * 4 + 1); // 0 again
 */
export function historyChunkOf(cellId: number): number {
  return Math.floor(Math.max(0, cellId - 1) / CELLS_PER_CHUNK) % HISTORY_CHUNKS;
}
