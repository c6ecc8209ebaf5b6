/**
 * The real thing: JupyterLab from the .venv, the gradlab kernel, headless Chromium. A 2-d and a
 * 3-d plotting cell draw plotly graphs (an SVG root with the curve; a WebGL scene), and every
 * notebook of the chapter runs top to bottom without an error output. Screenshots go to
 * test-artifacts/.
 */

import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../plot/browser.js";
import { askInLab, runNotebookInLab, startJupyterLab, type LabServer } from "./jupyterlab.js";

const code = (id: string, source: string) => ({ cell_type: "code", id, execution_count: null, metadata: {}, source, outputs: [] });

const plottingNotebook = {
  nbformat: 4, nbformat_minor: 5,
  metadata: {
    kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" },
    language_info: { name: "typescript" },
  },
  cells: [
    code("plot2d", [
      "const x = torch.arange(-2, 3, 0.01);",
      "const f = 3 * x ** 4 - 4 * x ** 3 - 12 * x ** 2;",
      "d2l.plot(x, f, 'x', 'f(x)');",
    ].join("\n")),
    code("plot3d", [
      "const [X, Y] = torch.meshgrid(torch.linspace(-2, 2, 101), torch.linspace(-2, 2, 101), { indexing: 'ij' });",
      "const Z = X * torch.exp(-(X ** 2) - Y ** 2);",
      "const W = torch.exp(torch.tensor([-1.0])) * (-1 - (X + 1) + (X + 1) ** 2 + Y ** 2);",
      "const ax = d2l.plt.figure().addSubplot(111, { projection: '3d' });",
      "ax.plotWireframe(X, Y, Z, { rstride: 10, cstride: 10 });",
      "ax.plotWireframe(X, Y, W, { rstride: 10, cstride: 10, color: 'purple' });",
      "d2l.plt.xlabel('x');",
      "d2l.plt.ylabel('y');",
      "ax.setXlim(-2, 2);",
      "ax.setYlim(-2, 2);",
      "ax.setZlim(-1, 1);",
    ].join("\n")),
  ],
};

let browser: Browser;
let lab: LabServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "gradlab-lab-"));
  writeFileSync(join(root, "plots.ipynb"), JSON.stringify(plottingNotebook));
  for (const name of ["complete.ipynb", "tooltip.ipynb"]) writeFileSync(join(root, name), JSON.stringify({ ...plottingNotebook, cells: [code("empty", "")] }));
  // Copies: JupyterLab may save what it runs, and the committed notebooks must not change.
  cpSync("notebooks", root, { recursive: true });
  [browser, lab] = await Promise.all([launchChromium(), startJupyterLab(root)]);
});

afterAll(async () => {
  await browser?.close();
  await lab?.stop();
});

describe("JupyterLab with the gradlab kernel", () => {
  it("draws a 2-d plot (SVG) and a 3-d wireframe (WebGL scene) from cells", async () => {
    const run = await runNotebookInLab(browser, lab, "plots.ipynb", {
      screenshotDir: "test-artifacts", screenshotPrefix: "jupyterlab-plots", expectKernel: "gradlab",
    });
    console.log(`plots.ipynb ran in JupyterLab in ${run.seconds.toFixed(2)} s`);
    expect(run.errors).toEqual([]);
    expect(run.pageErrors).toEqual([]);
    const [plot2d, plot3d] = run.cells;
    expect(plot2d!.outputs.map((o) => o.output_type)).toEqual(["display_data"]);
    expect(plot2d!.plots).toHaveLength(1);
    expect(plot2d!.plots[0]!.svgRoots).toBeGreaterThan(0);
    expect(plot2d!.plots[0]!.linePaths).toBe(1);
    expect(plot3d!.plots).toHaveLength(1);
    expect(plot3d!.plots[0]!.glCanvases).toBeGreaterThan(0);
    expect(run.screenshots).toHaveLength(2);
    expect(run.refused).toEqual([]);
  });

  it("completes a name with Tab and shows a function's signature and doc with Shift+Tab", async () => {
    const completed = await askInLab(browser, lab, "complete.ipynb", "torch.ten", "Tab", ".jp-Completer");
    expect(completed.kernelName).toBe("gradlab");
    expect(completed.popup).toContain("tensor");
    const bare = await askInLab(browser, lab, "complete.ipynb", "const gradientStep = 1;\ngradient", "Tab", ".jp-Completer");
    expect(bare.popup).toContain("gradientStep");
    const tooltip = await askInLab(browser, lab, "tooltip.ipynb", "const t = tensor(", "Shift+Tab", ".jp-Tooltip");
    expect(tooltip.popup).toContain("function tensor(data: NestedData");
    expect(tooltip.popup).toContain("A new tensor from a number");
    const member = await askInLab(browser, lab, "tooltip.ipynb", "torch.exp(", "Shift+Tab", ".jp-Tooltip");
    expect(member.popup).toContain("exp(a: TensorLike): Tensor");
  });

  for (const name of readdirSync("notebooks").filter((n) => n.endsWith(".ipynb"))) {
    it(`runs ${name} top to bottom without an error output`, async () => {
      const run = await runNotebookInLab(browser, lab, name, {
        screenshotDir: "test-artifacts", screenshotPrefix: `jupyterlab-${name.replace(/\.ipynb$/, "")}`, expectKernel: "gradlab",
      });
      console.log(`${name} ran in JupyterLab in ${run.seconds.toFixed(2)} s`);
      expect(run.errors).toEqual([]);
      expect(run.pageErrors).toEqual([]);
      const codeCells = run.cells.filter((c) => c.cellType === "code");
      expect(codeCells.length).toBeGreaterThan(0);
      // Every plotly output of the notebook was drawn.
      for (const cell of codeCells) {
        const figures = cell.outputs.filter((o) => (o.data as Record<string, unknown> | undefined)?.["application/vnd.plotly.v1+json"]);
        expect(cell.plots.length, `cell ${cell.index}`).toBe(figures.length);
        for (const plot of cell.plots) expect(plot.svgRoots, `cell ${cell.index}`).toBeGreaterThan(0);
      }
    });
  }
});
