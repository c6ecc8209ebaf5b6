/**
 * `npm run export`: a notebook with JSON-only plotly outputs becomes one HTML page that draws
 * every plot, and typesets every markdown formula, in headless Chromium with every network
 * request refused.
 */

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
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

/** Runs `npm run export`'s script on one notebook and returns the page's HTML. */
function exportPage(notebook: string, page: string): string {
  const run = spawnSync(process.execPath, ["export/export.js", notebook, "--output", page], { encoding: "utf8" });
  expect(run.stderr).not.toMatch(/Error|failed/);
  expect(run.status).toBe(0);
  return readFileSync(page, "utf8");
}

/** Opens a file page in a new tab that refuses every non-file request; collects what it refused and threw. */
async function openOffline(page: string): Promise<{ tab: Page; refused: string[]; errors: string[] }> {
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
  return { tab, refused, errors };
}

/** Resolves once MathJax's first typesetting pass over the page is done. */
async function mathTypeset(tab: Page): Promise<void> {
  await waitFor(tab, `window.MathJax && MathJax.startup && MathJax.startup.promise`);
  await tab.evaluate(`MathJax.startup.promise.then(() => true)`);
}

/** How often the start of an npm package's file occurs in `html` (1 = inlined once). */
function inlinedCopies(html: string, module: string): number {
  const source = readFileSync(createRequire(import.meta.url).resolve(module), "utf8");
  return html.split(source.slice(0, 200)).length - 1;
}

/** The $$…$$ pairs in a notebook's markdown cells: each must become one display formula. */
function displayFormulas(notebook: { cells: { cell_type: string; source: string | string[] }[] }): number {
  return notebook.cells
    .filter((cell) => cell.cell_type === "markdown")
    .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source))
    .reduce((n, text) => n + Math.floor((text.split("$$").length - 1) / 2), 0);
}

/** What MathJax left on the page: formulas, TeX errors, and maths still raw in the markdown text. */
const MATH_PROBE = `(() => {
  const markdown = Array.from(document.querySelectorAll(".jp-MarkdownOutput"));
  // The markdown's text nodes outside every formula and every code span: what a reader would see
  // as raw TeX (a dollar sign in code is TypeScript's template syntax, not maths).
  const rawText = markdown.map((cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("mjx-container, code")) text += node.textContent;
    }
    return text;
  }).join("\\n");
  return {
    formulas: document.querySelectorAll("mjx-container").length,
    display: document.querySelectorAll('mjx-container[display="true"]').length,
    errors: document.querySelectorAll("mjx-merror, [data-mjx-error]").length,
    rawDollars: (rawText.match(/\\$/g) || []).length,
    rawTex: rawText.match(/\\\\(frac|partial|mathbf|nabla|begin|end)\\b/g) || [],
  };
})()`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlab-export-"));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run export", () => {
  it("makes one self-contained page whose plots draw with the network blocked", async () => {
    const notebook = join(dir, "plots.ipynb");
    writeFileSync(notebook, JSON.stringify(notebookWithPlots()));
    const page = join(dir, "plots.html");
    const html = exportPage(notebook, page);

    // plotly.js inlined exactly once, every figure present as JSON; no maths, so no MathJax.
    expect(html.match(/plotly\.js v\d+\.\d+\.\d+/g)?.length).toBe(1);
    expect(inlinedCopies(html, "plotly.js-dist-min")).toBe(1);
    expect(inlinedCopies(html, "mathjax/es5/tex-svg-full.js")).toBe(0);
    expect(html).not.toContain("GRADLAB_");
    expect(html.match(/class="gradlab-plotly-spec"/g)?.length).toBe(3);
    expect(statSync(page).size).toBeLessThan(8_000_000);

    const { tab, refused, errors } = await openOffline(page);
    await waitFor(tab, `document.querySelectorAll(".js-plotly-plot").length === 3`);
    await waitFor(tab, `document.querySelectorAll(".gl-container canvas").length > 0`);
    const drawn = await drawnPlots(tab);
    expect(errors).toEqual([]);
    expect(drawn).toHaveLength(3);
    expect(drawn.every((p) => p.svgRoots >= 1)).toBe(true);
    expect(drawn[0]!.linePaths).toBe(1); // the chapter's curve
    expect(drawn[1]!.glCanvases).toBeGreaterThan(0); // the 3-d scene
    expect(drawn[2]!.linePaths).toBeGreaterThanOrEqual(2); // arrows and the path
    // Nothing is fetched from the web, not even MathJax.
    expect(refused).toEqual([]);
    mkdirSync("test-artifacts", { recursive: true });
    await tab.screenshot({ path: "test-artifacts/export.png", fullPage: true });
    await tab.close();
  });

  it("renders the chapter's maths and plots with the network blocked", async () => {
    const notebook = "notebooks/multivariable-calculus.pytorch.ipynb";
    const source = JSON.parse(readFileSync(notebook, "utf8"));
    const page = join(dir, "chapter.html");
    const html = exportPage(notebook, page);
    const figures = html.match(/class="gradlab-plotly-spec"/g)?.length ?? 0;
    expect(figures).toBeGreaterThan(0);
    expect(inlinedCopies(html, "plotly.js-dist-min")).toBe(1);
    expect(inlinedCopies(html, "mathjax/es5/tex-svg-full.js")).toBe(1);
    expect(html).not.toContain("GRADLAB_");
    expect(statSync(page).size).toBeLessThan(10_000_000);

    const { tab, refused, errors } = await openOffline(page);
    await mathTypeset(tab);
    await waitFor(tab, `document.querySelectorAll(".js-plotly-plot").length === ${figures}`);
    const math = (await tab.evaluate(MATH_PROBE)) as {
      formulas: number; display: number; errors: number; rawDollars: number; rawTex: string[];
    };
    expect(errors).toEqual([]);
    expect(refused).toEqual([]);
    expect(math.formulas).toBeGreaterThan(100);
    expect(math.display).toBe(displayFormulas(source));
    expect(math.errors).toBe(0);
    expect(math.rawDollars).toBe(0);
    expect(math.rawTex).toEqual([]);
    const drawn = await drawnPlots(tab);
    expect(drawn).toHaveLength(figures);
    expect(drawn.every((p) => p.svgRoots >= 1)).toBe(true);

    // Two views for a human: the first display formula's cell, and the first plot's cell.
    mkdirSync("test-artifacts", { recursive: true });
    const formulaCell = tab.locator(".jp-Cell", { has: tab.locator('mjx-container[display="true"]') }).first();
    await formulaCell.screenshot({ path: "test-artifacts/export-chapter-math.png" });
    await tab.locator(".jp-Cell", { has: tab.locator(".js-plotly-plot") }).first()
      .screenshot({ path: "test-artifacts/export-chapter-plot.png" });
    await tab.close();
  });
});
