/**
 * The static `image/png` fallback: plotly figures rendered by headless Chromium.
 *
 * Role: keep one browser and one page with plotly.js loaded, render figures one at a time, and
 * close the browser after a quiet spell. Boundary: loaded by figure.ts only when the PNG fallback
 * is switched on, and playwright-core is imported lazily here, so plotting without PNGs never
 * loads either. All network requests from the page are refused: nothing leaves the machine.
 */

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { PlotlyFigure } from "./figure.js";
import { settings } from "./settings.js";

// Only the few playwright-core members used here, so its types are not needed at compile time.
interface Page {
  route(url: string, handler: (route: { abort(): Promise<void> }) => unknown): Promise<void>;
  setContent(html: string): Promise<void>;
  addScriptTag(options: { content: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
}
interface Browser {
  newPage(options?: Record<string, unknown>): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium's flags for a quiet headless run on a machine with no GPU and no open network. */
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Where Chromium is: GRADLAB_CHROMIUM, else a Debian/Ubuntu system browser, else playwright's own. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.GRADLAB_CHROMIUM;
  if (fromEnv) return fromEnv;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
}

/** The path of plotly.js as installed with gradlab. */
export function plotlyJsPath(): string {
  return createRequire(import.meta.url).resolve("plotly.js-dist-min");
}

interface Renderer {
  browser: Browser;
  page: Page;
}

let renderer: Promise<Renderer> | undefined;
let queue: Promise<unknown> = Promise.resolve();
let idleTimer: ReturnType<typeof setTimeout> | undefined;

async function start(): Promise<Renderer> {
  const specifier = "playwright-core";
  const { chromium } = (await import(specifier)) as {
    chromium: { launch(options: Record<string, unknown>): Promise<Browser> };
  };
  const executablePath = chromiumPath();
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: CHROMIUM_ARGS,
    headless: true,
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    await page.route("**/*", (route) => route.abort());
    await page.setContent("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>");
    await page.addScriptTag({ content: readFileSync(plotlyJsPath(), "utf8") });
    return { browser, page };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

function scheduleClose(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closePngRenderer(), settings.pngIdleSeconds * 1000);
  idleTimer.unref?.();
}

/**
 * Renders a plotly figure to PNG and resolves with its base64 (what `image/png` in a MIME bundle holds).
 * @example const base64 = await renderPng(fig.toPlotly())
 */
export function renderPng(figure: PlotlyFigure): Promise<string> {
  const job = queue.then(async () => {
    if (idleTimer) clearTimeout(idleTimer);
    renderer ??= start();
    let r: Renderer;
    try {
      r = await renderer;
    } catch (error) {
      renderer = undefined;
      throw error;
    }
    try {
      const width = Number(figure.layout.width) || 700;
      const height = Number(figure.layout.height) || 500;
      return await r.page.evaluate(async ({ figure, width, height }) => {
        const Plotly = (globalThis as unknown as { Plotly: { toImage(fig: unknown, opts: unknown): Promise<string> } }).Plotly;
        const url = await Plotly.toImage(figure, { format: "png", width, height, scale: 1 });
        return url.slice(url.indexOf(",") + 1);
      }, { figure, width, height });
    } catch (error) {
      // A crashed page or browser: start afresh next time.
      await closePngRenderer();
      throw error;
    } finally {
      scheduleClose();
    }
  });
  queue = job.catch(() => undefined);
  return job;
}

/** Closes the renderer's browser (it also closes by itself after `settings.pngIdleSeconds` idle). */
export async function closePngRenderer(): Promise<void> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = undefined;
  const r = renderer;
  renderer = undefined;
  if (r) await r.then((x) => x.browser.close(), () => undefined).catch(() => undefined);
}
