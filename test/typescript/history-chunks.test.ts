/**
 * Which history chunk a cell's declarations go to: groups of consecutive cells share a chunk, and
 * cells past the last chunk start again at the first, so no chunk takes all of a long session.
 */
import { describe, expect, it } from "vitest";
import { HISTORY_CHUNKS, historyChunkOf } from "../../kernel/typescript/compiler/history-chunks.js";

describe("historyChunkOf", () => {
  it("puts four consecutive cells in one chunk, in order, from cell 1", () => {
    expect([1, 2, 3, 4, 5, 8, 9].map(historyChunkOf)).toEqual([0, 0, 0, 0, 1, 1, 2]);
  });

  it("starts again at the first chunk after the last", () => {
    const pastLast = HISTORY_CHUNKS * 4 + 1;
    expect(historyChunkOf(pastLast - 1)).toBe(HISTORY_CHUNKS - 1);
    expect(historyChunkOf(pastLast)).toBe(0);
    expect(historyChunkOf(pastLast + 4)).toBe(1);
  });

  it("spreads a long session's cells evenly over all chunks", () => {
    const cells = 1000;
    const load = new Array<number>(HISTORY_CHUNKS).fill(0);
    for (let id = 1; id <= cells; id++) {
      const chunk = historyChunkOf(id);
      expect(Number.isInteger(chunk) && chunk >= 0 && chunk < HISTORY_CHUNKS).toBe(true);
      load[chunk]!++;
    }
    // Each chunk gets whole groups of four, and no chunk more than one group above another.
    expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(4);
    expect(load.reduce((a, b) => a + b, 0)).toBe(cells);
  });

  it("puts a cell numbered 0 or below (never sent by a frontend) in the first chunk", () => {
    expect(historyChunkOf(0)).toBe(0);
    expect(historyChunkOf(-3)).toBe(0);
  });
});
