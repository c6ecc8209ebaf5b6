// Unit tests of the notebook comparator: it must stay quiet on noise and catch real changes.
import { describe, expect, it } from "vitest";
import { compareNotebooks, compareText, formatDifferences, maskVolatile, type Notebook } from "./comparator.js";

type Outputs = NonNullable<Notebook["cells"][number]["outputs"]>;
const code = (source: string, outputs: Outputs) => ({ cell_type: "code", id: "c", source, outputs });
const nb = (...cells: Notebook["cells"]): Notebook => ({ cells });
const stdout = (text: string) => ({ output_type: "stream", name: "stdout", text });
const plot = (y: number[], extra: Record<string, string> = {}) => ({
  output_type: "display_data",
  data: { "application/vnd.plotly.v1+json": { data: [{ type: "scatter", x: [0, 1, 2], y }], layout: { title: { text: "f" } } }, "text/plain": "Figure", ...extra },
});
const cleanChain = [stdout("f at -1, 0, -2, 1 is 1024\ndf/dw at -1, 0, -2, 1 is -4096.0\n")];

describe("comparator", () => {
  it("accepts identical notebooks", () => {
    const a = nb(code("f()", cleanChain), { cell_type: "markdown", source: "# hi" });
    expect(compareNotebooks(a, structuredClone(a))).toEqual([]);
  });

  it("catches a changed number and names the line", () => {
    const changed = [stdout("f at -1, 0, -2, 1 is 1024\ndf/dw at -1, 0, -2, 1 is -4095.0\n")];
    const diffs = compareNotebooks(nb(code("f()", cleanChain)), nb(code("f()", changed)));
    expect(diffs).toHaveLength(1);
    const report = formatDifferences(diffs, nb(code("f()", cleanChain)));
    expect(report).toContain("line 2");
    expect(report).toContain("-4096.0");
    expect(report).toContain("-4095.0");
  });

  it("tolerates float noise in printed numbers, not in words", () => {
    expect(compareText("Approximation: 1.081945622001443", "Approximation: 1.0819456220014432", { rel: 1e-9, abs: 1e-12 })).toEqual([]);
    expect(compareText("Approximation: 1.08", "Approximate: 1.08", { rel: 1e-9, abs: 1e-12 })).not.toEqual([]);
    expect(compareText("x = 1e-17", "x = -2e-17", { rel: 1e-9, abs: 1e-12 })).toEqual([]);
  });

  it("catches a missing output", () => {
    const expected = nb(code("plot()", [stdout("hello\n"), plot([1, 2, 3])]));
    const actual = nb(code("plot()", [stdout("hello\n")]));
    const diffs = compareNotebooks(expected, actual);
    expect(diffs).toHaveLength(1);
    expect(diffs[0].lines.join("\n")).toMatch(/expected 2 outputs .* got 1/);
  });

  it("catches reordered outputs", () => {
    const expected = nb(code("plot()", [stdout("hello\n"), plot([1, 2, 3])]));
    const actual = nb(code("plot()", [plot([1, 2, 3]), stdout("hello\n")]));
    const diffs = compareNotebooks(expected, actual);
    expect(diffs).toHaveLength(1);
    expect(diffs[0].lines.join("\n")).toContain("expected stream stdout, got display_data");
  });

  it("merges stream chunks, since chunking is not content", () => {
    const expected = nb(code("p()", [stdout("a\nb\n")]));
    const actual = nb(code("p()", [stdout("a\n"), stdout("b\n")]));
    expect(compareNotebooks(expected, actual)).toEqual([]);
  });

  it("compares plot JSON with tolerance and ignores renderings derived from it", () => {
    const expected = nb(code("plot()", [plot([1, 2, 3], { "image/png": "AAAA", "text/html": "<div id=1>" })]));
    const noisy = nb(code("plot()", [plot([1 + 1e-14, 2, 3], { "image/png": "BBBB", "text/html": "<div id=2>" })]));
    expect(compareNotebooks(expected, noisy)).toEqual([]);
    const moved = nb(code("plot()", [plot([1, 2.5, 3])]));
    const diffs = compareNotebooks(expected, moved);
    expect(diffs).toHaveLength(1);
    expect(diffs[0].lines.join("\n")).toContain("data[0].y[1]: expected 2, got 2.5");
  });

  it("decodes plotly's base64 typed arrays before comparing", () => {
    const encode = (values: number[]) => ({ dtype: "f8", bdata: Buffer.from(new Float64Array(values).buffer).toString("base64") });
    const withY = (y: unknown) => nb(code("plot()", [{ output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [{ y }] } } } as never]));
    expect(compareNotebooks(withY(encode([0.1, 0.2])), withY(encode([0.1 + 1e-15, 0.2])))).toEqual([]);
    expect(compareNotebooks(withY(encode([0.1, 0.2])), withY(encode([0.1, 0.3])))).toHaveLength(1);
  });

  it("masks volatile text: times, durations, ids", () => {
    expect(maskVolatile("done in 12.5 ms at 2025-01-02T03:04:05Z")).toBe("done in <duration> at <timestamp>");
    const a = nb(code("t()", [stdout("took 3.2 s, id 123e4567-e89b-12d3-a456-426614174000\n")]));
    const b = nb(code("t()", [stdout("took 17 s, id 00000000-0000-4000-8000-000000000000\n")]));
    expect(compareNotebooks(a, b)).toEqual([]);
  });

  it("reports errors by name and message, a changed cell count, and a changed source", () => {
    const err = (ename: string, evalue: string) => ({ output_type: "error", ename, evalue, traceback: ["at /tmp/x.ts:3"] });
    expect(compareNotebooks(nb(code("x", [err("TypeError", "bad")])), nb(code("x", [err("TypeError", "bad")])))).toEqual([]);
    expect(compareNotebooks(nb(code("x", [err("TypeError", "bad")])), nb(code("x", [err("RangeError", "bad")])))).toHaveLength(1);
    expect(compareNotebooks(nb(code("x", []), code("y", [])), nb(code("x", [])))[0].lines[0]).toContain("expected 2 cells, got 1");
    expect(compareNotebooks(nb(code("x", [])), nb(code("y", [])))[0].lines[0]).toContain("source differs");
  });

  it("compares other rich outputs (a tensor's HTML table) as text with numeric tolerance", () => {
    const html = (v: string) => nb(code("t", [{ output_type: "execute_result", data: { "text/html": `<table><td>${v}</td></table>`, "text/plain": `tensor([${v}])` } }]));
    expect(compareNotebooks(html("0.5"), html("0.5000000000001"))).toEqual([]);
    expect(compareNotebooks(html("0.5"), html("0.6"))).toHaveLength(1);
  });
});
