/**
 * The static PNG fallback, rendered by real headless Chromium: the chapter's 2-d and 3-d figures
 * become non-blank PNGs of the figure's size, drawn in the figure's colours.
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configurePlots, d2l, PLOTLY_MIME, plots, type Figure } from "../../stdlib/plot/index.js";
import { closePngRenderer } from "../../stdlib/plot/png.js";
import { arange, chapterWireframeData, drainPending } from "./chapter-data.js";
import { decodePng, inkedPixels, pixelsNear } from "./png-decode.js";

const display = (fig: Figure) =>
  (fig as unknown as Record<symbol, () => unknown>)[Symbol.for("Jupyter.display")]!();

beforeAll(() => {
  configurePlots({ png: true });
  mkdirSync("test-artifacts", { recursive: true });
});

afterAll(async () => {
  configurePlots({ png: false });
  await closePngRenderer();
});

async function pngOf(fig: Figure, artifact: string) {
  const result = display(fig);
  expect(result).toBeInstanceOf(Promise);
  const bundle = (await result) as Record<string, any>;
  expect(bundle[PLOTLY_MIME]).toEqual(fig.toPlotly());
  expect(bundle["text/plain"]).not.toMatch(/not rendered/);
  const bytes = Buffer.from(bundle["image/png"], "base64");
  writeFileSync(`test-artifacts/${artifact}`, bytes);
  return decodePng(bytes);
}

describe("PNG fallback in headless Chromium", () => {
  it("renders the chapter's line plot: right size, blue curve drawn", async () => {
    const x = arange(-2, 3, 0.01);
    const fig = d2l.plot(x, x.map((v) => 3 * v ** 4 - 4 * v ** 3 - 12 * v ** 2), "x", "f(x)");
    drainPending();
    const png = await pngOf(fig, "plot-line.png");
    expect([png.width, png.height]).toEqual([420, 300]);
    expect(inkedPixels(png)).toBeGreaterThan(2000);
    // The curve in matplotlib's C0 blue (#1f77b4 = 31, 119, 180).
    expect(pixelsNear(png, [31, 119, 180])).toBeGreaterThan(300);
  });

  it("renders the chapter's 3-d wireframes through WebGL (purple quadratic visible)", async () => {
    const { x, y, z, w } = chapterWireframeData();
    const ax = d2l.plt.figure().addSubplot(111, { projection: "3d" });
    ax.plotWireframe(x, y, z, { rstride: 10, cstride: 10 });
    ax.plotWireframe(x, y, w, { rstride: 10, cstride: 10, color: "purple" });
    ax.setZlim(-1, 1);
    drainPending();
    const png = await pngOf(ax.figure, "plot-wireframe.png");
    expect([png.width, png.height]).toEqual([ax.figure.sizePx()[0], ax.figure.sizePx()[1]]);
    expect(pixelsNear(png, [128, 0, 128], 60)).toBeGreaterThan(300);
    expect(pixelsNear(png, [31, 119, 180], 60)).toBeGreaterThan(300);
  });

  it("renders a contour plot with its −∇f arrows and a quadratic approximation", async () => {
    const contour = plots.contour((x, y) => x * x + 2 * y * y, { arrows: 10, path: [[1.8, 1.5], [1.0, -0.3], [0.4, 0.1]] });
    drainPending();
    const png = await pngOf(contour, "plot-contour.png");
    expect(pixelsNear(png, [0x44, 0x44, 0x44], 30)).toBeGreaterThan(200); // the arrows
    expect(pixelsNear(png, [0xd6, 0x27, 0x28], 40)).toBeGreaterThan(50); // the path
    const quadratic = plots.quadraticApprox((x, y) => x * Math.exp(-x * x - y * y), [-1, 0]);
    drainPending();
    expect(pixelsNear(await pngOf(quadratic, "plot-quadratic.png"), [128, 0, 128], 60)).toBeGreaterThan(300);
  });

  it("reuses one page: many figures in a row all render", async () => {
    const sizes: number[] = [];
    for (let k = 1; k <= 3; k++) {
      const fig = d2l.plot([0, 1, 2], [0, k, 2 * k], { figsize: [2 + k, 2] });
      drainPending();
      const png = await pngOf(fig, `plot-reuse-${k}.png`);
      sizes.push(png.width);
      expect(inkedPixels(png)).toBeGreaterThan(500);
    }
    expect(sizes).toEqual([360, 480, 600]);
  });
});
