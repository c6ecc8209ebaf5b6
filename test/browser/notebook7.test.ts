/**
 * Notebook 7 (the classic-style UI served by the same Jupyter server as JupyterLab, at /tree and
 * /notebooks/<path>) with the gradlab kernel, driven like a user in headless Chromium: open the
 * fixture notebook, choose Run → Run All Cells, and check what the page shows — a plain value, a
 * 2-d plotly SVG, a 3-d WebGL scene, no error output. Screenshots go to test-artifacts/.
 *
 * Boundary: reuses the server and browser helpers of the JupyterLab test; talks to Notebook 7 only
 * through its page and the server's REST API. Requests leaving the local server are refused.
 */

import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnPlots, launchChromium, waitFor } from "../plot/browser.js";
import { startJupyterLab, type LabServer } from "./jupyterlab.js";

const fixture = "test/browser/fixtures/notebook7.ipynb";
const notebookName = "notebook7.ipynb";
const artifacts = "test-artifacts";

let browser: Browser;
let server: LabServer;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), "gradlab-nb7-"));
  // A copy: the page may save what it ran, and the fixture must not change.
  copyFileSync(fixture, join(root, notebookName));
  [browser, server] = await Promise.all([launchChromium(), startJupyterLab(root)]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The server's sessions (which kernel runs which notebook, and whether it is busy). */
async function sessions(): Promise<Array<{ path: string; kernel: { name: string; execution_state: string } }>> {
  const response = await fetch(`${server.url}/api/sessions?token=${server.token}`);
  return (await response.json()) as Array<{ path: string; kernel: { name: string; execution_state: string } }>;
}

/** Polls the REST API until the notebook's kernel reports `idle` (the page shows it as ready). */
async function waitForIdleKernel(timeoutMs: number): Promise<{ name: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const session = (await sessions()).find((s) => s.path === notebookName);
    if (session?.kernel.execution_state === "idle") return session.kernel;
    if (Date.now() > deadline) throw new Error(`no idle kernel for ${notebookName}: ${JSON.stringify(session)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Notebook 7's own load-time error, seen on every page of this server (see the assertion). */
const NOTEBOOK7_SETTINGS_LOAD_ERROR = "Cannot read properties of undefined (reading 'schema')";

/** Source text (the project compiles without DOM types): every code cell's prompt shows a count. */
const ALL_CODE_CELLS_RAN = `Array.from(document.querySelectorAll(".jp-Notebook .jp-CodeCell")).every((cell) =>
  /^\\[\\d+\\]:$/.test((cell.querySelector(".jp-InputArea-prompt")?.textContent || "").trim()))`;

describe("Notebook 7 with the gradlab kernel", () => {
  it("runs all cells from the Run menu: a value, a 2-d SVG plot and a 3-d WebGL wireframe, no errors", async () => {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 2400 } });
    const refused: string[] = [];
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url) || url.startsWith(server.url.replace("http", "ws")) || url.startsWith("data:") || url.startsWith("blob:")) {
        return route.continue();
      }
      refused.push(url);
      return route.abort();
    });
    mkdirSync(artifacts, { recursive: true });
    try {
      const started = Date.now();
      await page.goto(`${server.url}/notebooks/${notebookName}?token=${server.token}`);
      // Notebook 7's own shell (not JupyterLab's) hosts the notebook.
      await page.locator("#main-panel .jp-NotebookPanel").waitFor({ timeout: 120_000 });
      await waitFor(page, `document.querySelectorAll(".jp-Notebook .jp-Cell").length === 4`, 60_000);
      const kernel = await waitForIdleKernel(120_000);
      expect(kernel.name).toBe("gradlab");

      await page.locator(".lm-MenuBar-item", { hasText: /^Run$/ }).click();
      await page.getByRole("menuitem", { name: "Run All Cells", exact: true }).click();
      await waitFor(page, ALL_CODE_CELLS_RAN, 180_000);
      await waitForIdleKernel(60_000);
      const graphs = `document.querySelectorAll(".jp-Notebook .jp-OutputArea .js-plotly-plot")`;
      await waitFor(page, `${graphs}.length === 2 && Array.from(${graphs}).every((p) => p.querySelector("svg.main-svg"))`, 60_000);
      const seconds = (Date.now() - started) / 1000;
      console.log(`${notebookName} opened and ran in Notebook 7 in ${seconds.toFixed(1)} s`);

      const cell = (n: number) => `.jp-Notebook .jp-Cell:nth-child(${n + 1})`;
      // Cell 1: `1 + 1` shows 2 as its result.
      const sumOutputs = page.locator(`${cell(1)} .jp-OutputArea-output`);
      await expect(sumOutputs.count()).resolves.toBe(1);
      expect((await sumOutputs.first().innerText()).trim()).toBe("2");
      // Cell 2: one 2-d plotly graph, drawn as SVG with the curve's path.
      const plot2d = await drawnPlots(page, `${cell(2)} .jp-OutputArea`);
      expect(plot2d).toHaveLength(1);
      expect(plot2d[0]!.svgRoots).toBeGreaterThan(0);
      expect(plot2d[0]!.linePaths).toBe(1);
      // Cell 3: one 3-d plotly graph with a WebGL canvas that has a drawing buffer.
      await waitFor(page, `Array.from(document.querySelectorAll("${cell(3)} .js-plotly-plot .gl-container canvas")).some((c) => c.width > 0 && c.height > 0)`, 60_000);
      const plot3d = await drawnPlots(page, `${cell(3)} .jp-OutputArea`);
      expect(plot3d).toHaveLength(1);
      expect(plot3d[0]!.glCanvases).toBeGreaterThan(0);
      // No error (or stderr) output anywhere: the output area renders both as this mime type.
      await expect(page.locator(`.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]`).count()).resolves.toBe(0);
      // Notebook 7.6.5's shortcuts plugin throws this once while its settings load, on every page
      // (also /tree with no notebook or kernel open), so it says nothing about gradlab; any other
      // uncaught error (e.g. a failing renderer) fails the test.
      expect(pageErrors.filter((m) => m !== NOTEBOOK7_SETTINGS_LOAD_ERROR)).toEqual([]);
      expect(refused).toEqual([]);

      await page.screenshot({ path: join(artifacts, "notebook7-page.png"), fullPage: true });
      for (const n of [2, 3]) {
        await page.locator(cell(n)).screenshot({ path: join(artifacts, `notebook7-cell${n}.png`) });
      }
    } catch (error) {
      await page.screenshot({ path: join(artifacts, "notebook7-failure.png"), fullPage: true }).catch(() => undefined);
      throw new Error(`${error instanceof Error ? error.message : String(error)}\npage errors: ${JSON.stringify(pageErrors)}\n` +
        `refused: ${JSON.stringify(refused)}\nserver log tail:\n${server.log().slice(-2000)}`);
    } finally {
      await page.close();
    }
  }, 420_000);
});
