import { describe, expect, it } from "vitest";
import { decodeMappings, originalPosition } from "../../kernel/typescript/shared/source-map.js";

describe("source maps", () => {
  it("decode VLQ mappings into per-line tables", () => {
    // Line 1: col 0 → (0,0); col 4 → (0,6). Line 2: empty. Line 3: col 2 → (0+2, 6+3). Line 4: empty.
    const table = decodeMappings("AAAA,IAAM;;EAEG;");
    expect(table).toEqual([[0, 0, 0, 4, 0, 6], [], [2, 2, 9], []]);
  });

  it("look up the last mapping at or before a column", () => {
    const table = decodeMappings("AAAA,IAAM");
    expect(originalPosition(table, 0, 0)).toEqual({ line: 0, column: 0 });
    expect(originalPosition(table, 0, 9)).toEqual({ line: 0, column: 6 });
    expect(originalPosition(table, 5, 0)).toBeUndefined();
  });

  it("move original positions through a rewrite", () => {
    const table = decodeMappings("AACA", (line, column) => [line + 10, column + 1]);
    expect(table).toEqual([[0, 11, 1]]);
  });

  it("decode negative deltas and multi-digit values", () => {
    // gen col 16 ("gB": two digits), line +1 (C), col -3 (H); then gen col +1 (C), col -1 (D).
    const table = decodeMappings("gBACH,CAAD");
    expect(table[0]).toEqual([16, 1, -3, 17, 1, -4]);
  });
});
