/**
 * `npm run export`: a notebook with JSON-only plotly outputs becomes one HTML page that draws
 * every plot in headless Chromium with every network request refused.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { configurePlots, d2l, type Figure, plots } from "../../stdlib/plot/index.js";
import { arange, chapterWireframeData, drainPending } from "./chapter-data.js";
import { drawnPlots, launchChromium, waitFor } from "./browser.js";

const bundleOf = (fig: Figure) =>
  (fig as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]!();

function notebookWithPlots(): object {
  configurePlots({ png: false });
  const x = arange(-2, 3, 0.01);
  const line = d2l.plot(x, x.map((v) => 3 * v ** 4 - 4 * v ** 3 - 12 * v ** 2), "x", "f(x)");
  drainPending();
  const { x: X, y: Y, z, w } = chapterWireframeData();
  const ax = d2l.plt.figure().addSubplot(111, { projection: "3d" });
  ax.plotWireframe(X, Y, z, { rstride: 10, cstride: 10 });
  ax.plotWireframe(X, Y, w, { rstride: 10, cstride: 10, color: "purple" });
  drainPending();
  const contour = plots.contour((a, b) => a * a + 2 * b * b, { path: [[1.5, 1], [0.5, -0.2]] });
  drainPending();
  const cell = (id: string, source: string, outputs: object[]) => ({
    cell_type: "code", id, execution_count: Number(id.slice(1)), metadata: {}, source, outputs,
  });
  const shown = (fig: Figure) => ({ output_type: "display_data", metadata: {}, data: bundleOf(fig) });
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" },
      language_info: { name: "typescript", file_extension: ".ts" },
    },
    cells: [
      { cell_type: "markdown", id: "m1", metadata: {}, source: "# Plots, offline" },
      cell("c1", "d2l.plot(x, f, 'x', 'f(x)')", [shown(line)]),
      cell("c2", "ax.plotWireframe(x, y, z)", [shown(ax.figure)]),
      cell("c3", "plots.contour(f)", [shown(contour)]),
      cell("c4", "1 + 1", [{ output_type: "execute_result", execution_count: 4, metadata: {}, data: { "text/plain": "2" } }]),
    ],
  };
}

let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlab-export-"));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe("npm run export", () => {
  it("makes one self-contained page whose plots draw with the network blocked", async () => {
    const notebook = join(dir, "plots.ipynb");
    writeFileSync(notebook, JSON.stringify(notebookWithPlots()));
    const page = join(dir, "plots.html");
    const run = spawnSync(process.execPath, ["export/export.js", notebook, "--output", page], { encoding: "utf8" });
    expect(run.stderr).not.toMatch(/Error|failed/);
    expect(run.status).toBe(0);

    const html = readFileSync(page, "utf8");
    // plotly.js inlined exactly once (its banner), every figure present as JSON.
    expect(html.match(/plotly\.js v\d+\.\d+\.\d+/g)?.length).toBe(1);
    expect(html.match(/class="gradlab-plotly-spec"/g)?.length).toBe(3);
    expect(statSync(page).size).toBeLessThan(8_000_000);

    const tab = await browser.newPage();
    const refused: string[] = [];
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      refused.push(url);
      return route.abort();
    });
    await tab.goto(pathToFileURL(page).href);
    await waitFor(tab, `document.querySelectorAll(".js-plotly-plot").length === 3`);
    await waitFor(tab, `document.querySelectorAll(".gl-container canvas").length > 0`);
    const drawn = await drawnPlots(tab);
    expect(errors).toEqual([]);
    expect(drawn).toHaveLength(3);
    expect(drawn.every((p) => p.svgRoots >= 1)).toBe(true);
    expect(drawn[0]!.linePaths).toBe(1); // the chapter's curve
    expect(drawn[1]!.glCanvases).toBeGreaterThan(0); // the 3-d scene
    expect(drawn[2]!.linePaths).toBeGreaterThanOrEqual(2); // arrows and the path
    // Only MathJax (markdown maths) is fetched from the web; plots need nothing.
    expect(refused.filter((url) => !/mathjax/i.test(url))).toEqual([]);
    mkdirSync("test-artifacts", { recursive: true });
    await tab.screenshot({ path: "test-artifacts/export.png", fullPage: true });
    await tab.close();
  });
});
