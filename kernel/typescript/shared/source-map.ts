/**
 * Source maps for cells: decodes the `mappings` string TypeScript emits into per-line tables,
 * and looks a generated position up. No dependency on "typescript": the main thread uses the
 * lookup to map stack frames back to the cell's lines.
 */
import type { LineMappings } from "./compiler-messages.js";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/**
 * Decodes a source map's `mappings` (one source file) into `[generatedColumn, line, column]`
 * triples per generated line; `mapOriginal` may move each original position (e.g. through a
 * source rewrite).
 *
 * @example
 * decodeMappings("AAAA;AACA"); // [[0, 0, 0], [0, 1, 0]]
 */
export function decodeMappings(
  mappings: string,
  mapOriginal?: (line: number, column: number) => [number, number],
): LineMappings {
  const lines: LineMappings = [[]];
  let generatedColumn = 0;
  let source = 0;
  let line = 0;
  let column = 0;
  let i = 0;
  const fields: number[] = [];
  while (i < mappings.length) {
    const c = mappings.charCodeAt(i);
    if (c === 59 /* ; */) {
      lines.push([]);
      generatedColumn = 0;
      i++;
      continue;
    }
    if (c === 44 /* , */) {
      i++;
      continue;
    }
    fields.length = 0;
    while (i < mappings.length) {
      const d = mappings.charCodeAt(i);
      if (d === 44 || d === 59) break;
      let value = 0;
      let shift = 0;
      let digit: number;
      do {
        digit = DIGIT[mappings.charCodeAt(i++)] ?? 0;
        value |= (digit & 31) << shift;
        shift += 5;
      } while (digit & 32);
      fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
    }
    generatedColumn += fields[0] ?? 0;
    if (fields.length >= 4) {
      source += fields[1]!;
      line += fields[2]!;
      column += fields[3]!;
      const [l, col] = mapOriginal ? mapOriginal(line, column) : [line, column];
      lines[lines.length - 1]!.push(generatedColumn, l, col);
    }
  }
  return lines;
}

/**
 * The original (0-based) position of a generated one: the last mapping at or before the column
 * on that line, else the line's first mapping, else undefined.
 *
 * @example
 * originalPosition([[0, 4, 2]], 0, 7); // { line: 4, column: 2 }
 */
export function originalPosition(
  table: LineMappings,
  line: number,
  column: number,
): { line: number; column: number } | undefined {
  const segments = table[line];
  if (!segments || segments.length === 0) return undefined;
  let best = 0;
  for (let k = 0; k < segments.length; k += 3) {
    if (segments[k]! <= column) best = k;
    else break;
  }
  return { line: segments[best + 1]!, column: segments[best + 2]! };
}
