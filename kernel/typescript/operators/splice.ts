/**
 * Applies small text edits (insertions and replacements) to a cell's source and keeps the map
 * between positions in the result and positions in the original, so diagnostics and stack
 * frames of the rewritten code point at what the user wrote. Text outside the edits is copied
 * byte for byte. This module knows nothing of TypeScript or tensors.
 */

export interface Edit {
  /** Range of the original text replaced; `start === end` for an insertion. */
  start: number;
  end: number;
  text: string;
  /**
   * For insertions at one position: "close" ones go first, deepest first (`)` of an inner call
   * before that of an outer one); then "open" ones, outermost first.
   */
  role: "close" | "open" | "replace";
  depth: number;
}

export interface SplicedText {
  text: string;
  /** A position in `text` → the position in the original it came from (inserted text → where it was inserted). */
  toOriginalPosition(pos: number): number;
  /** A position in the original → the same place in `text` (inside a replaced range → the replacement's start). */
  toGeneratedPosition(pos: number): number;
  /** Where each edit's text begins in `text`. */
  editStarts: Map<Edit, number>;
}

const ROLE_RANK = { close: 0, open: 1, replace: 2 } as const;

function compareEdits(a: Edit, b: Edit): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.role !== b.role) return ROLE_RANK[a.role] - ROLE_RANK[b.role];
  return a.role === "close" ? b.depth - a.depth : a.depth - b.depth;
}

/**
 * Applies `edits` to `original`. Replaced ranges must not overlap.
 *
 * @example
 * const s = splice("w + x", [
 *   { start: 0, end: 0, text: "add(", role: "open", depth: 1 },
 *   { start: 2, end: 3, text: ",", role: "replace", depth: 1 },
 *   { start: 5, end: 5, text: ")", role: "close", depth: 1 },
 * ]);
 * s.text; // "add(w , x)"
 * s.toOriginalPosition(9); // 4 (the "x")
 */
export function splice(original: string, edits: readonly Edit[]): SplicedText {
  const sorted = [...edits].sort(compareEdits);
  const parts: string[] = [];
  // Parallel arrays, one entry per chunk of output: where it starts in the output, where it
  // came from, and whether it is copied (maps linearly) or inserted (maps to one point).
  const genStarts: number[] = [];
  const origStarts: number[] = [];
  const copied: boolean[] = [];
  const editStarts = new Map<Edit, number>();
  let gen = 0;
  let orig = 0;
  const push = (text: string, from: number, isCopy: boolean): void => {
    if (text.length === 0) return;
    parts.push(text);
    genStarts.push(gen);
    origStarts.push(from);
    copied.push(isCopy);
    gen += text.length;
  };
  for (const edit of sorted) {
    if (edit.start < orig) throw new Error(`overlapping edits at ${edit.start}`);
    push(original.slice(orig, edit.start), orig, true);
    editStarts.set(edit, gen);
    push(edit.text, edit.start, false);
    orig = edit.end;
  }
  push(original.slice(orig), orig, true);
  const text = parts.join("");

  const chunkAt = (starts: number[], pos: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  return {
    text,
    editStarts,
    toOriginalPosition(pos) {
      if (genStarts.length === 0 || pos >= text.length) return original.length + Math.max(0, pos - text.length);
      const i = chunkAt(genStarts, Math.max(0, pos));
      return copied[i] ? origStarts[i]! + (pos - genStarts[i]!) : origStarts[i]!;
    },
    toGeneratedPosition(pos) {
      // The last copied chunk starting at or before pos; positions inside a replaced range
      // (between copied chunks) go to the start of what replaced them.
      let best = -1;
      for (let i = chunkAt(origStarts, pos); i >= 0; i--) {
        if (copied[i] && origStarts[i]! <= pos) {
          best = i;
          break;
        }
      }
      if (best < 0) return Math.min(pos, text.length);
      const offset = pos - origStarts[best]!;
      const length = (genStarts[best + 1] ?? text.length) - genStarts[best]!;
      if (offset <= length) return genStarts[best]! + offset;
      // pos lies in a replaced range after this chunk: the replacement starts where the chunk ends.
      return genStarts[best]! + length;
    },
  };
}
