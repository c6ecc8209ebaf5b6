/**
 * Headless Chromium for tests (playwright-core driving the system browser), with the flags that
 * keep it quiet on a machine without a GPU or an open network, and helpers to see what a page drew.
 */

import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumPath } from "../../stdlib/plot/png.js";

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  return chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** What plotly drew on a page: one entry per plot div. */
export interface DrawnPlot {
  /** plotly's SVG roots (every plotly graph has them, 2-d or 3-d). */
  svgRoots: number;
  /** Path elements of 2-d line traces with a non-trivial `d`. */
  linePaths: number;
  /** WebGL canvases of 3-d scenes that have a drawing buffer. */
  glCanvases: number;
}

/**
 * Counts what plotly drew. The probe runs in the page; it is kept as source text because the
 * project compiles without the DOM's types.
 */
export async function drawnPlots(page: Page, within = "body"): Promise<DrawnPlot[]> {
  return page.evaluate(`(${DRAWN_PLOTS_PROBE})(${JSON.stringify(within)})`) as Promise<DrawnPlot[]>;
}

const DRAWN_PLOTS_PROBE = `(within) => {
  const root = document.querySelector(within) || document.body;
  return Array.from(root.querySelectorAll(".js-plotly-plot")).map((plot) => ({
    svgRoots: plot.querySelectorAll("svg.main-svg").length,
    linePaths: Array.from(plot.querySelectorAll(".scatterlayer path.js-line"))
      .filter((p) => (p.getAttribute("d") || "").length > 20).length,
    glCanvases: Array.from(plot.querySelectorAll(".gl-container canvas"))
      .filter((c) => c.width > 0 && c.height > 0).length,
  }));
}`;

/** Waits until the page's `expression` (source text, evaluated in the page) is truthy. */
export async function waitFor(page: Page, expression: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(expression, null, { timeout });
}
