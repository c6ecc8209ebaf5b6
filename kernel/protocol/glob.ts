/**
 * SQLite GLOB matching, as IPython's history search uses it: `*` any run of characters, `?` one
 * character, `[abc]`, `[a-z]`, `[^a-z]` one character of (or not of) a set; case-sensitive; the
 * pattern matches the whole text. Pure functions (protocol worker thread).
 *
 * Not through a regular expression: a backtracking regex engine takes time exponential in the
 * number of stars for patterns such as `*a*a*a*a*a*a*a*a*ab`. This matcher remembers only the last
 * star it passed (a later star can absorb anything an earlier one would have), so it takes at most
 * text length × pattern length steps, and about the text's length for patterns like the one above.
 * The quadratic worst case (a long run of literal characters after a star, over a long text that
 * nearly matches it everywhere) is bounded by the caller's deadline instead.
 */

type Token =
  | { kind: "star" }
  | { kind: "any" }
  | { kind: "char"; code: number }
  | { kind: "set"; negated: boolean; ranges: Array<[number, number]> };

/** Steps between two looks at the clock. */
const STEPS_PER_CLOCK_CHECK = 4096;

/**
 * Compiles a glob into a matcher for whole texts. The matcher answers undefined when it gave up at
 * `deadline` (a performance.now() time) before knowing.
 *
 * @example
 * const matches = globMatcher("1 + ?");
 * matches("1 + 2"); // true
 * matches("1 + 23"); // false
 */
export function globMatcher(glob: string): (text: string, deadline?: number) => boolean | undefined {
  const tokens = parseGlob(glob);
  return (text, deadline = Infinity) => matchTokens(tokens, text, deadline);
}

function parseGlob(glob: string): Token[] {
  const chars = Array.from(glob, (c) => c.codePointAt(0)!);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === STAR) {
      // `**` is the same as `*`; one token keeps the step count down.
      if (tokens.at(-1)?.kind !== "star") tokens.push({ kind: "star" });
    } else if (c === QUESTION) tokens.push({ kind: "any" });
    else if (c === OPEN) {
      const set = parseSet(chars, i);
      if (set) {
        tokens.push(set.token);
        i = set.end;
      } else tokens.push({ kind: "char", code: c }); // no closing `]`: a literal `[`
    } else tokens.push({ kind: "char", code: c });
  }
  return tokens;
}

/** `[...]` starting at `open`; a `]` right after `[` or `[^` belongs to the set, as in SQLite. */
function parseSet(chars: number[], open: number): { token: Token; end: number } | undefined {
  let i = open + 1;
  const negated = chars[i] === CARET;
  if (negated) i++;
  const ranges: Array<[number, number]> = [];
  const first = i;
  for (; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === CLOSE && i > first) return { token: { kind: "set", negated, ranges }, end: i };
    if (chars[i + 1] === DASH && i + 2 < chars.length && chars[i + 2] !== CLOSE) {
      ranges.push([c, chars[i + 2]!]);
      i += 2;
    } else ranges.push([c, c]);
  }
  return undefined;
}

function matchTokens(tokens: Token[], text: string, deadline: number): boolean | undefined {
  let t = 0; // position in text (UTF-16 index, always at a code point boundary)
  let p = 0; // position in tokens
  let starToken = -1;
  let starText = 0;
  let steps = 0;
  while (t < text.length) {
    if (++steps % STEPS_PER_CLOCK_CHECK === 0 && performance.now() > deadline) return undefined;
    const token = tokens[p];
    const code = text.codePointAt(t)!;
    const width = code > 0xffff ? 2 : 1;
    if (token && token.kind === "star") {
      starToken = p++;
      starText = t;
    } else if (token && matchesOne(token, code)) {
      p++;
      t += width;
    } else if (starToken >= 0) {
      // Let the last star absorb one more character and retry what follows it.
      p = starToken + 1;
      starText += (text.codePointAt(starText)! > 0xffff ? 2 : 1);
      t = starText;
    } else return false;
  }
  while (tokens[p]?.kind === "star") p++;
  return p === tokens.length;
}

function matchesOne(token: Exclude<Token, { kind: "star" }>, code: number): boolean {
  switch (token.kind) {
    case "any":
      return true;
    case "char":
      return token.code === code;
    case "set":
      return token.ranges.some(([low, high]) => code >= low && code <= high) !== token.negated;
  }
}

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const CARET = 0x5e;
const DASH = 0x2d;
