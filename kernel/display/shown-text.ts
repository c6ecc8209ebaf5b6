/**
 * A cap on the text the kernel itself makes from a value: a cell's result as `text/plain`, and
 * the message of an error. Node's inspect already cuts long arrays and strings, but not an
 * object's keys (a `Map`-like object of a million entries printed 20 MB), and a thrown string is
 * sent as it is (a 50 MB string went out three times: evalue, traceback and reply). Either froze
 * the notebook's tab. Past the cap the beginning is kept, cut at a line end when one is near, and
 * one line says how much was left out.
 *
 * Display bundles a cell makes on purpose (`display(html(...))`) are not capped here.
 *
 * Boundary: text only; knows nothing of TypeScript, sinks or cells. Runs on: the main thread.
 */
import { formatSize } from "../protocol/stream-budget.js";

/** A result's `text/plain`: far above any tensor's print (those summarise past 1000 elements). */
export const MAX_VALUE_TEXT_CHARS = 100_000;
/** An error's message (what Node's inspect keeps of a long string, too). */
export const MAX_ERROR_TEXT_CHARS = 10_000;
/** A cut within this many characters of the cap ends at a line break instead. */
const LINE_END_SEARCH = 2_000;

/**
 * `text` itself when it fits in `maxChars`, else its beginning and a line saying what is missing.
 *
 * @example
 * shownText("a".repeat(20), 10); // "aaaaaaaaaa\n… [gradlab] 10 bytes more not shown (20 bytes in all)"
 */
export function shownText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const newline = text.lastIndexOf("\n", end - 1);
  if (newline >= 0 && newline >= end - LINE_END_SEARCH) end = newline;
  // Never half of a character beyond the BMP (an emoji is two UTF-16 units).
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}\n… [gradlab] ${formatSize(text.length - end)} more not shown (${formatSize(text.length)} in all)`;
}
