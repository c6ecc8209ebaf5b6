/**
 * export/needs-math.js: which notebooks get MathJax inlined. A miss would leave a page's maths
 * raw, so every place MathJax typesets is checked, and what it skips must not count.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { notebookNeedsMath, type NotebookLike } from "../../export/needs-math.js";

const markdown = (source: string | string[]) => ({ cell_type: "markdown", source });
const code = (source: string, data: Record<string, unknown>[] = []) => ({
  cell_type: "code", source, outputs: data.map((d) => ({ output_type: "display_data", data: d })),
});
const needs = (...cells: NotebookLike["cells"] & object) => notebookNeedsMath({ cells });

describe("notebookNeedsMath", () => {
  it("finds every MathJax delimiter in markdown, including across source lines", () => {
    expect(needs(markdown("a slope $f'(x)$"))).toBe(true);
    expect(needs(markdown(["display\n", "$$\n", "x^2\n", "$$"]))).toBe(true);
    expect(needs(markdown("inline \\(x\\)"))).toBe(true);
    expect(needs(markdown("display \\[x\\]"))).toBe(true);
    expect(needs(markdown("\\begin{aligned} a &= b \\end{aligned}"))).toBe(true);
    expect(needs({ cell_type: "raw", source: "$x$" })).toBe(true);
  });

  it("finds maths in outputs the page shows as HTML, markdown or LaTeX", () => {
    expect(needs(code("f()", [{ "text/latex": "$$\\frac{1}{2}$$" }]))).toBe(true);
    expect(needs(code("f()", [{ "text/markdown": ["**x** is ", "$x$"] }]))).toBe(true);
    expect(needs(code("f()", [{ "text/html": "<b>$5</b>" }]))).toBe(true);
  });

  it("ignores code, plain-text outputs and figures, which MathJax never typesets", () => {
    expect(needs(markdown("# Plots"), code("const s = `$${price}`", [
      { "text/plain": "$5" },
      { "application/vnd.plotly.v1+json": { layout: { title: { text: "$x$" } } } },
    ]))).toBe(false);
    expect(notebookNeedsMath({})).toBe(false);
  });

  it("says yes for the chapter and no for its code alone", () => {
    const chapter = JSON.parse(readFileSync("notebooks/multivariable-calculus.pytorch.ipynb", "utf8")) as NotebookLike;
    expect(notebookNeedsMath(chapter)).toBe(true);
    const codeOnly = { cells: chapter.cells!.filter((cell) => cell.cell_type === "code") };
    expect(notebookNeedsMath(codeOnly)).toBe(false);
  });
});
