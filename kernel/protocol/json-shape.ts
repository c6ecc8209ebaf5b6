/**
 * Measures the nesting depth and the number of values of a JSON text in one pass over its bytes,
 * without parsing it (protocol worker thread).
 *
 * Why before JSON.parse: parsing is cheap for long strings but not for many small values, and a
 * value nested thousands deep parses fine yet later overflows the stack of every recursive
 * consumer (JSON.stringify echoing a header as parent_header, structured clone). This scan costs a
 * few milliseconds per megabyte, stops as soon as a limit is passed, and allocates nothing.
 * It does not check that the text is valid JSON: JSON.parse does that afterwards.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

export interface JsonShapeLimits {
  maxDepth: number;
  maxValues: number;
}

/** Why a JSON text exceeds the limits, or undefined when it does not. */
export type JsonShapeProblem = string | undefined;

/**
 * @example
 * jsonShapeProblem(Buffer.from("[[[]]]"), { maxDepth: 2, maxValues: 100 }); // "nested deeper than 2"
 * jsonShapeProblem(Buffer.from('{"a": [1, 2]}'), { maxDepth: 2, maxValues: 100 }); // undefined
 */
export function jsonShapeProblem(bytes: Uint8Array, limits: JsonShapeLimits): JsonShapeProblem {
  let depth = 0;
  // A container counts as one value, and so does each element after a comma; scalars that stand
  // alone (the whole text is `1`) are one value too, so starting at 1 never undercounts.
  let values = 1;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE) i = closingQuote(bytes, i);
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limits.maxDepth) return `nested deeper than ${limits.maxDepth}`;
      if (++values > limits.maxValues) return `more than ${limits.maxValues} values`;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
    else if (byte === COMMA && ++values > limits.maxValues) return `more than ${limits.maxValues} values`;
  }
  return undefined;
}

/** Index of the quote that ends the string opened at `open` (or the end of the text): the search
 * for quotes runs natively (memchr), which matters because strings are most of a large message. */
function closingQuote(bytes: Uint8Array, open: number): number {
  for (let at = open; ; ) {
    at = bytes.indexOf(QUOTE, at + 1);
    if (at < 0) return bytes.length;
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}
