/**
 * One source line as an error shows it: the part of the line to print and where the caret goes
 * under it, both counted in characters (code points) as a reader sees them, not in the UTF-16
 * units positions arrive in (a character beyond the BMP, such as 𝔘 or 😀, is two units and
 * would push the caret one column right of its place for each). A very long line (data pasted
 * into a cell) is cut to a window around the column, marked with "…" where it was cut.
 *
 * Boundary: text only. Runs on: the main thread.
 */

/** Lines wider than this many characters are shown as a window of about this width. */
export const MAX_SHOWN_LINE_CHARS = 160;
/** How many characters of the window come before the column. */
const CONTEXT_BEFORE = 60;

export interface ShownLine {
  /** The line, or the window of it, to print. */
  text: string;
  /** Characters of `text` before the caret. */
  caretOffset: number;
  /** The caret's width in characters (at least 1, at most what is left of `text`). */
  caretLength: number;
  /** The column in the whole line, in characters (0-based), for "column N". */
  column: number;
}

/**
 * @example
 * shownLine("const s = '😀' + x", 16, 1); // { text: "const s = '😀' + x", caretOffset: 15, caretLength: 1, column: 15 }
 */
export function shownLine(line: string, utf16Column: number, utf16Length = 1): ShownLine {
  const chars = [...line];
  const column = [...line.slice(0, Math.max(0, utf16Column))].length;
  const length = Math.max(1, [...line.slice(utf16Column, utf16Column + utf16Length)].length);
  let start = 0;
  let end = chars.length;
  if (chars.length > MAX_SHOWN_LINE_CHARS) {
    start = Math.max(0, Math.min(column - CONTEXT_BEFORE, chars.length - MAX_SHOWN_LINE_CHARS));
    end = Math.min(chars.length, start + MAX_SHOWN_LINE_CHARS);
  }
  const before = start > 0 ? "…" : "";
  const after = end < chars.length ? "…" : "";
  const text = before + chars.slice(start, end).join("") + after;
  const caretOffset = before.length + column - start;
  const room = Math.max(1, end - column);
  return { text, caretOffset, caretLength: Math.min(length, room), column };
}
