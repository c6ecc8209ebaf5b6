/** The text splicer behind the operator rewrite: edit order at shared positions and the position map. */
import { describe, expect, it } from "vitest";
import { splice, type Edit } from "../../kernel/typescript/operators/splice.js";

const open = (start: number, text: string, depth: number): Edit => ({ start, end: start, text, role: "open", depth });
const close = (start: number, depth: number): Edit => ({ start, end: start, text: ")", role: "close", depth });
const replace = (start: number, end: number, text: string): Edit => ({ start, end, text, role: "replace", depth: 0 });

describe("splice", () => {
  it("nests calls opening at one position outermost first and closing innermost first", () => {
    // a+b*c  →  f(a,g(b,c))   and   a*b+c  →  f(g(a,b),c)
    expect(splice("a+b*c", [open(0, "f(", 1), replace(1, 2, ","), open(2, "g(", 2), replace(3, 4, ","), close(5, 2), close(5, 1)]).text).toBe("f(a,g(b,c))");
    expect(splice("a*b+c", [close(5, 1), open(0, "f(", 1), replace(3, 4, ","), open(0, "g(", 2), replace(1, 2, ","), close(3, 2)]).text).toBe("f(g(a,b),c)");
  });

  it("puts a close before an open or a replacement at the same position", () => {
    // -a+b  →  add(neg(a),b)
    const s = splice("-a+b", [open(0, "add(", 1), replace(0, 1, "neg("), close(2, 2), replace(2, 3, ","), close(4, 1)]);
    expect(s.text).toBe("add(neg(a),b)");
  });

  it("maps copied text exactly and inserted text to where it was inserted", () => {
    const s = splice("x = w + y;", [open(4, "add(", 1), replace(6, 7, ","), close(9, 1)]);
    expect(s.text).toBe("x = add(w , y);");
    const inserted = new Set([4, 5, 6, 7, 10, 13]); // "add(", ",", ")"
    for (let i = 0; i < s.text.length; i++) {
      if (!inserted.has(i)) expect("x = w + y;"[s.toOriginalPosition(i)]).toBe(s.text[i]);
    }
    expect(s.toOriginalPosition(13)).toBe(9); // the ")" → after "y"
    expect(s.toOriginalPosition(5)).toBe(4); // inside "add(" → the insertion point
    expect(s.toGeneratedPosition(4)).toBe(8); // the "w"
    expect(s.toGeneratedPosition(6)).toBe(10); // the replaced "+" → its replacement
    expect(s.toOriginalPosition(s.text.length)).toBe(10);
  });

  it("with no edits is the identity", () => {
    const s = splice("abc", []);
    expect(s.text).toBe("abc");
    expect([0, 1, 2, 3].map(s.toOriginalPosition)).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map(s.toGeneratedPosition)).toEqual([0, 1, 2, 3]);
  });

  it("rejects overlapping replacements", () => {
    expect(() => splice("abcdef", [replace(0, 3, "x"), replace(2, 4, "y")])).toThrow(/overlapping/);
  });
});
