/**
 * The start of the word a completion replaces, for any cursor a client may send: a cursor past
 * the end of the code must cost no more than the code's length.
 */
import { describe, expect, it } from "vitest";
import { wordStart } from "../../kernel/typescript/compiler/completion.js";

describe("wordStart", () => {
  it("finds the identifier that ends at the cursor", () => {
    expect(wordStart("torch.ex", 8)).toBe(6);
    expect(wordStart("a + bé_$1", 9)).toBe(4);
    expect(wordStart("f(", 2)).toBe(2);
  });

  it("treats a cursor past the end, or before the start, as the end or the start", () => {
    expect(wordStart("abc", 1e12)).toBe(0);
    expect(wordStart("x.ab", Number.MAX_SAFE_INTEGER)).toBe(2);
    expect(wordStart("abc", -5)).toBe(0);
  });
});
