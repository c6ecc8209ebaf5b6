/** Is `text` usable as a plain identifier (`a.b` and `const b` style), not a reserved word? */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(
    " ",
  ),
);

/**
 * @example
 * isPlainIdentifier("tensor"); // true
 * isPlainIdentifier("default"); // false
 */
export function isPlainIdentifier(text: string): boolean {
  return IDENTIFIER.test(text) && !RESERVED.has(text);
}
