import { describe, expect, it } from "vitest";
import { MAX_VALUE_TEXT_CHARS, shownText } from "../../kernel/display/shown-text.js";
import { plainText } from "../../kernel/display/mime-bundle.js";

describe("shownText", () => {
  it("returns text within the cap unchanged", () => {
    const text = "x".repeat(100);
    expect(shownText(text, 100)).toBe(text);
  });

  it("keeps the beginning of longer text and says how much is left out", () => {
    expect(shownText("a".repeat(20), 10)).toBe("aaaaaaaaaa\n… [gradlab] 10 bytes more not shown (20 bytes in all)");
  });

  it("cuts at a line end near the cap, and never inside a character beyond the BMP", () => {
    expect(shownText("line one\nline two is long", 12)).toMatch(/^line one\n… \[gradlab\] 17 bytes more not shown/);
    const emoji = shownText("😀".repeat(10), 5);
    expect(emoji.startsWith("😀😀\n…")).toBe(true);
  });
});

describe("a value's text/plain", () => {
  it("is cut past MAX_VALUE_TEXT_CHARS (inspect does not cut an object's keys)", () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`key${i}`, i]));
    const text = plainText(wide);
    expect(text.length).toBeLessThan(MAX_VALUE_TEXT_CHARS + 200);
    expect(text).toMatch(/^\{\n {2}key0: 0,\n/);
    expect(text).toMatch(/\n… \[gradlab\] [\d.]+ MB more not shown \([\d.]+ MB in all\)$/);
  });
});
