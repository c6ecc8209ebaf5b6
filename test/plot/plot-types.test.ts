/**
 * `d2l.plot`'s declared types against its run-time argument handling: every form the run time
 * reads (positional as in the book, an options object alone, or an options object after any
 * leading run of positional arguments) type-checks in a kernel cell, through the BUILT
 * declarations; forms the run time would misread or silently drop do not.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configurePlots, d2l } from "../../stdlib/plot/index.js";
import { drainPending } from "./chapter-data.js";
import { openBuiltLibrary, type BuiltLibrary } from "../support/built-library.js";

type Layout = Record<string, any>;

let built: BuiltLibrary;
beforeAll(async () => {
  built = await openBuiltLibrary();
}, 60_000);
beforeEach(() => {
  configurePlots({ png: false });
  drainPending();
});

const SETUP = "const xs = [0, 1, 2, 3]; const sin = xs.map(Math.sin); const cos = xs.map(Math.cos);\n";

/** The positional arguments in d2l's order, as cell source text, with a value the layout shows. */
const POSITIONAL_SOURCE = [
  `"x"`, `"f(x)"`, `["sin", "cos"]`, `[0, 3]`, `[-1, 1]`, `"linear"`, `"linear"`, `["-", "r:"]`, `[5, 3]`, `undefined`,
];

describe("d2l.plot's declared overloads", () => {
  it("accept the chapter's call: positional labels, then an options object with the legend", () => {
    expect(built.diagnostics(SETUP + `d2l.plot(xs, [sin, cos], "x", "f(x)", { legend: ["sin", "cos"] });`)).toEqual([]);
  });

  it("accept an options object after every leading run of positional arguments, and none", () => {
    for (let k = 0; k <= POSITIONAL_SOURCE.length; k++) {
      const args = ["xs", "[sin, cos]", ...POSITIONAL_SOURCE.slice(0, k)];
      expect(built.diagnostics(SETUP + `d2l.plot(${args.join(", ")}, { yscale: "log" });`), `${k} positional`).toEqual([]);
      expect(built.diagnostics(SETUP + `d2l.plot(${args.join(", ")});`), `${k} positional, no options`).toEqual([]);
    }
  });

  it("accept the options object in Y's place, and null for an omitted positional (Python's None)", () => {
    expect(built.diagnostics(SETUP + `d2l.plot(sin, { xlabel: "i" }); d2l.plot(sin);`)).toEqual([]);
    expect(built.diagnostics(SETUP + `d2l.plot(sin, null, "i", null, { ylim: [0, 1] });`)).toEqual([]);
    expect(built.diagnostics(SETUP + `d2l.plot(xs, sin, null, null, ["s"]);`)).toEqual([]);
  });

  it("reject arguments after the options object (the run time would drop them)", () => {
    expect(built.diagnostics(SETUP + `d2l.plot(xs, sin, "x", { legend: ["s"] }, "y");`).join("\n")).toMatch(/TS2/);
    expect(built.diagnostics(SETUP + `d2l.plot(xs, { legend: ["s"] }, "x");`).join("\n")).toMatch(/TS2/);
  });

  it("reject wrongly typed positional arguments and options", () => {
    const wrong = [
      `d2l.plot(xs, sin, "x", "f(x)", { legend: "sin" });`,
      `d2l.plot(xs, sin, 1);`,
      `d2l.plot(xs, sin, "x", "y", "sin");`,
      `d2l.plot(xs, sin, "x", "y", ["s"], [0, 1], [0, 1], "cubic");`,
      `d2l.plot(xs, sin, "x", { colour: "red" });`,
      `d2l.plot(xs, sin, "x", "y", ["s"], [0, 1], [0, 1], "log", "log", ["-"], [3, 2], undefined, {}, {});`,
    ];
    for (const code of wrong) expect(built.diagnostics(SETUP + code), code).not.toEqual([]);
  });
});

describe("d2l.plot's run time for the same forms", () => {
  const xs = [0, 1, 2, 3];
  const sin = xs.map(Math.sin);
  const cos = xs.map(Math.cos);

  it("applies both the positional labels and the options' legend in the chapter's call", () => {
    const { data, layout } = d2l.plot(xs, [sin, cos], "x", "f(x)", { legend: ["sin", "cos"] }).toPlotly() as {
      data: Layout[];
      layout: Layout;
    };
    expect(layout.xaxis.title.text).toBe("x");
    expect(layout.yaxis.title.text).toBe("f(x)");
    expect(data.map((t) => t.name)).toEqual(["sin", "cos"]);
    expect(layout.showlegend).toBe(true);
  });

  it("reads each positional argument before an options object, and lets the options win on a clash", () => {
    const { layout } = d2l.plot(xs, [sin, cos], "x", "f(x)", ["a", "b"], [0, 3], { ylabel: "g(x)", yscale: "log" })
      .toPlotly() as { layout: Layout };
    expect(layout.xaxis.title.text).toBe("x");
    expect(layout.yaxis.title.text).toBe("g(x)");
    expect(layout.xaxis.range).toEqual([0, 3]);
    expect(layout.yaxis.type).toBe("log");
  });

  it("skips null positionals as d2l skips None", () => {
    const { layout } = d2l.plot(xs, sin, null, "f(x)", null, null, { xlim: [1, 2] }).toPlotly() as { layout: Layout };
    expect(layout.xaxis.title?.text ?? "").toBe("");
    expect(layout.yaxis.title.text).toBe("f(x)");
    expect(layout.xaxis.range).toEqual([1, 2]);
  });
});
