/**
 * Every kind of figure the plot package makes uses only attributes that both plotly.js 3.x (VS
 * Code's 3.0.1, JupyterLab renderer's 3.x) and 4.x (what gradlab ships) accept: each figure is put
 * through `Plotly.validate` of both versions in headless Chromium.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configurePlots, d2l, plots, plt, type Figure } from "../../stdlib/plot/index.js";
import { launchChromium } from "./browser.js";
import { arange, chapterWireframeData, drainPending } from "./chapter-data.js";

const require = createRequire(import.meta.url);
// plotly.js-3 is an npm alias of plotly.js-dist-min 3.x (locked at 3.0.1, the version VS Code renders with).
const VERSIONS = { "3.x": "plotly.js-3", "4.x": "plotly.js-dist-min" } as const;

function everyKindOfFigure(): Record<string, Figure> {
  configurePlots({ png: false });
  const figures: Record<string, Figure> = {};
  const keep = (name: string, fig: Figure) => { figures[name] = fig; drainPending(); };
  const x = arange(-2, 3, 0.01);
  keep("chapter line", d2l.plot(x, x.map((v) => 3 * v ** 4 - 4 * v ** 3 - 12 * v ** 2), "x", "f(x)"));
  const n = [1, 2, 5, 10, 20, 50, 100];
  keep("log scales, every format", d2l.plot(n, [n, n.map((v) => v * v), n.map(Math.sqrt), n.map((v) => v + 1)],
    { xscale: "log", yscale: "log", xlim: [1, 100], legend: ["a", "b", "c", "d"], fmts: ["b-o", "r--s", "g-.^", "k:x"] }));
  const markers = plt.figure().addSubplot(111);
  for (const m of [".", ",", "o", "v", "^", "<", ">", "1", "2", "3", "4", "8", "s", "p", "P", "*", "h", "H", "+", "x", "X", "D", "d", "|", "_"]) {
    markers.plot([0, 1], [0, 1], m);
  }
  keep("every marker", markers.figure);
  const { x: X, y: Y, z, w } = chapterWireframeData();
  const ax = d2l.plt.figure().addSubplot(111, { projection: "3d" });
  ax.plotWireframe(X, Y, z, { rstride: 10, cstride: 10 });
  ax.plotWireframe(X, Y, w, { rstride: 10, cstride: 10, color: "purple" });
  ax.setXlim(-2, 2).setYlim(-2, 2).setZlim(-1, 1).setXlabel("x").setTitle("wireframes");
  ax.dist = 12;
  keep("chapter wireframes", ax.figure);
  const f = (a: number, b: number) => a * Math.exp(-a * a - b * b);
  keep("surface", plots.surface(f, { n: 20, title: "surface" }));
  keep("contour, arrows, path", plots.contour((a, b) => a * a + 2 * b * b, { path: [[1, 1], [0.5, 0.2]], filled: true }));
  keep("scatter 2-d", plots.scatter([1, 2], [3, 4], { label: "p" }));
  keep("scatter 3-d", plots.scatter([1, 2], [3, 4], { z: [5, 6] }));
  keep("tangent line", plots.tangent((t) => t ** 3, 1));
  keep("quadratic approximation", plots.quadraticApprox(f, [-1, 0], { n: 11 }));
  const [grid, [left, right]] = plt.subplots(1, 2);
  left!.plot([0, 1], [1, 0]).setTitle("left").legend(["down"]);
  right!.contour([0, 1], [0, 1], [[0, 1], [1, 2]]);
  right!.quiver([0], [0], [1], [1]);
  grid.setSuptitle("grid");
  keep("subplots", grid);
  const mixed = plt.figure();
  mixed.addSubplot(1, 2, 1).plot([0, 1], [0, 1]);
  mixed.addSubplot(1, 2, 2, { projection: "3d" }).plot([0, 1], [0, 1], [0, 1], "r-o");
  keep("2-d beside 3-d", mixed);
  return figures;
}

let browser: Browser;
const pages: Record<string, Page> = {};

beforeAll(async () => {
  browser = await launchChromium();
  for (const [version, pkg] of Object.entries(VERSIONS)) {
    const page = await browser.newPage();
    await page.route("**/*", (route) => route.abort());
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ content: readFileSync(require.resolve(pkg), "utf8") });
    pages[version] = page;
  }
});

afterAll(async () => {
  await browser?.close();
});

describe("plotly.js schema", () => {
  const figures = everyKindOfFigure();
  for (const version of Object.keys(VERSIONS)) {
    it(`plotly.js ${version} validates every kind of figure without complaint`, async () => {
      const page = pages[version]!;
      expect(await page.evaluate("Plotly.version")).toMatch(version === "4.x" ? /^4\./ : /^3\./);
      const problems: string[] = [];
      for (const [name, figure] of Object.entries(figures)) {
        const { data, layout } = figure.toPlotly();
        const found = (await page.evaluate(
          `(() => { const r = Plotly.validate(${JSON.stringify(data)}, ${JSON.stringify(layout)}); return (r || []).map((e) => e.msg); })()`,
        )) as string[];
        problems.push(...found.map((msg) => `${name}: ${msg}`));
      }
      expect(problems).toEqual([]);
    });
  }
});
