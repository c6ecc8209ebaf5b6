/**
 * Positions in code as the Jupyter wire counts them and as JavaScript does. The messaging spec
 * (5.2 and later) counts `cursor_pos`, `cursor_start` and `cursor_end` in Unicode code points,
 * which is what JupyterLab and Notebook 7 send and read; JavaScript strings, and so the
 * executor, count UTF-16 units, where an emoji or any character beyond the BMP takes two.
 *
 * Boundary: plain text arithmetic, used by the protocol kernel at the wire's edge only.
 */

/** The UTF-16 offset of the `codePoints`-th code point of `text` (clamped into the text). */
export function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  for (let seen = 0; seen < codePoints && offset < text.length; seen++) offset += isPairAt(text, offset) ? 2 : 1;
  return offset;
}

/** How many code points `text` has before the UTF-16 offset `offset` (clamped into the text). */
export function codePointOffset(text: string, offset: number): number {
  const end = Math.min(Math.max(0, offset), text.length);
  let count = 0;
  for (let i = 0; i < end; i += isPairAt(text, i) ? 2 : 1) count++;
  return count;
}

function isPairAt(text: string, index: number): boolean {
  const high = text.charCodeAt(index);
  if (high < 0xd800 || high > 0xdbff) return false;
  const low = text.charCodeAt(index + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}
