/**
 * Drive a real JupyterLab (from the project's .venv) with headless Chromium: start a server on a
 * free port with a token, open a notebook, run it top to bottom with the gradlab kernel, and
 * report every cell's outputs, error outputs and what plotly drew.
 *
 * Reused by the plots test (test/browser/jupyterlab.test.ts) and by the notebooks tests. Boundary:
 * talks to JupyterLab only through its HTTP API and the page (window.jupyterapp, exposed by a
 * server flag); all requests leaving the local server are refused.
 */

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { freePort } from "../support/project.js";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { drawnPlots, waitFor, type DrawnPlot } from "../plot/browser.js";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface LabServer {
  url: string;
  token: string;
  /** The server's root directory (notebook paths are relative to it). */
  root: string;
  /** The server's log so far (useful when a test fails). */
  log(): string;
  /** Shuts the kernels down and stops the server. */
  stop(): Promise<void>;
}

export interface CellRun {
  index: number;
  cellType: string;
  source: string;
  /** nbformat outputs of the cell after the run. */
  outputs: Array<Record<string, unknown>>;
  /** One entry per plotly graph in the cell's output area. */
  plots: DrawnPlot[];
}

export interface NotebookRun {
  cells: CellRun[];
  /** Every output of type "error", with the cell it came from. */
  errors: Array<{ cell: number; ename: string; evalue: string }>;
  /** Requests the page tried to make outside the local server (all refused). */
  refused: string[];
  /** Wall time from opening the notebook to the end of its last cell. */
  seconds: number;
  /** Screenshot files written, if asked. */
  screenshots: string[];
  /** Uncaught exceptions in the JupyterLab page itself (e.g. a renderer failing). */
  pageErrors: string[];
}

/** The jupyter command of the project's .venv. */
export function venvJupyter(): string {
  return join(repo, ".venv", "bin", "jupyter");
}


/**
 * Starts JupyterLab on a free port, serving `root`, with throw-away settings (no windowing, so
 * every cell's output is in the page) and no update or news checks.
 */
export async function startJupyterLab(root: string, options: { startupTimeoutMs?: number } = {}): Promise<LabServer> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const scratch = join(root, ".lab");
  const settings = join(scratch, "settings");
  mkdirSync(join(settings, "@jupyterlab", "notebook-extension"), { recursive: true });
  writeFileSync(join(settings, "@jupyterlab", "notebook-extension", "tracker.jupyterlab-settings"),
    JSON.stringify({ windowingMode: "none" }));
  mkdirSync(join(settings, "@jupyterlab", "apputils-extension"), { recursive: true });
  writeFileSync(join(settings, "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings"),
    JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  const logPath = join(scratch, "server.log");
  const logFile = createWriteStream(logPath);
  const child: ChildProcess = spawn(
    venvJupyter(),
    [
      "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0",
      `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${root}`, "--LabApp.expose_app_in_browser=True",
      "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", `--LabApp.user_settings_dir=${settings}`,
      `--LabApp.workspaces_dir=${join(scratch, "workspaces")}`,
      // CI containers run as root, which Jupyter refuses without this.
      ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        JUPYTER_CONFIG_DIR: join(scratch, "config"),
        JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
        PATH: `${join(repo, ".venv", "bin")}:${process.env.PATH ?? ""}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout!.pipe(logFile, { end: false });
  child.stderr!.pipe(logFile, { end: false });
  const url = `http://127.0.0.1:${port}`;
  const log = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");
  const exited = new Promise<void>((done) => child.once("exit", () => done()));

  const stop = async () => {
    try {
      const sessions = (await (await fetch(`${url}/api/sessions?token=${token}`)).json()) as Array<{ id: string }>;
      await Promise.all(sessions.map((s) => fetch(`${url}/api/sessions/${s.id}?token=${token}`, { method: "DELETE" })));
    } catch {
      // The server is already gone.
    }
    if (child.exitCode === null && child.pid) {
      process.kill(child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    logFile.end();
  };

  const deadline = Date.now() + (options.startupTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`JupyterLab exited during startup:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`JupyterLab did not start within the timeout:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, token, root, log, stop };
}

/**
 * In-page statements (inside an async function of `{ path, kernelTimeoutMs }`): open the notebook,
 * wait for its kernel and bring it to the front; leaves `app`, `panel`, `kernel` and `started`.
 */
const OPEN_NOTEBOOK = `
  const app = window.jupyterapp;
  await app.restored;
  const panel = await app.commands.execute("docmanager:open", { path, factory: "Notebook" });
  await panel.context.ready;
  await panel.sessionContext.ready;
  const started = Date.now();
  while (!panel.sessionContext.session || !panel.sessionContext.session.kernel) {
    if (Date.now() - started > kernelTimeoutMs) throw new Error("no kernel started for " + path);
    await new Promise((r) => setTimeout(r, 100));
  }
  const kernel = panel.sessionContext.session.kernel;
  await kernel.info;
  app.shell.activateById(panel.id);`;

/** In-page source: open a notebook, wait for its kernel, run every cell, return the cells' JSON. */
const RUN_NOTEBOOK = `async ({ path, kernelTimeoutMs }) => {${OPEN_NOTEBOOK}
  const t0 = performance.now();
  await app.commands.execute("notebook:run-all-cells");
  while (kernel.status !== "idle") await new Promise((r) => setTimeout(r, 50));
  const seconds = (performance.now() - t0) / 1000;
  const cells = [];
  for (let i = 0; i < panel.content.model.cells.length; i++) cells.push(panel.content.model.cells.get(i).toJSON());
  return { kernelName: kernel.name, seconds, cells };
}`;

/**
 * Opens `path` (relative to the server root) in JupyterLab, runs all cells with the notebook's
 * kernel, waits for plots to draw, and reports outputs, errors and plots per cell.
 * @example const run = await runNotebookInLab(browser, lab, "chapter.ipynb", { screenshotDir: "test-artifacts" });
 *          expect(run.errors).toEqual([]);
 */
export async function runNotebookInLab(
  browser: Browser,
  lab: LabServer,
  path: string,
  options: { screenshotDir?: string; screenshotPrefix?: string; timeoutMs?: number; expectKernel?: string } = {},
): Promise<NotebookRun> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  const refused: string[] = [];
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(lab.url) || url.startsWith(lab.url.replace("http", "ws")) || url.startsWith("data:") || url.startsWith("blob:")) {
      return route.continue();
    }
    refused.push(url);
    return route.abort();
  });
  page.setDefaultTimeout(timeoutMs);
  try {
    await page.goto(`${lab.url}/lab?reset&token=${lab.token}`);
    await waitFor(page, `window.jupyterapp !== undefined`, 120_000);
    const result = (await page.evaluate(`(${RUN_NOTEBOOK})(${JSON.stringify({ path, kernelTimeoutMs: 120_000 })})`)) as {
      kernelName: string; seconds: number; cells: Array<Record<string, any>>;
    };
    if (options.expectKernel && result.kernelName !== options.expectKernel) {
      throw new Error(`the notebook ran with kernel ${result.kernelName}, not ${options.expectKernel}`);
    }
    const plotlyOutputs = result.cells
      .flatMap((c) => (c.outputs ?? []) as Array<Record<string, any>>)
      .filter((o) => o.data && o.data["application/vnd.plotly.v1+json"]).length;
    // Every plotly output becomes a .js-plotly-plot once the renderer has drawn it.
    // (JupyterLab's plotly renderer makes the output node itself the plotly graph div.)
    const graphs = `document.querySelectorAll(".jp-Cell-outputArea .js-plotly-plot")`;
    await waitFor(page, `${graphs}.length >= ${plotlyOutputs}`, 60_000);
    await waitFor(page, `Array.from(${graphs}).every((p) => p.querySelector("svg.main-svg"))`, 60_000);
    const cellNodes = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell");
    const cells: CellRun[] = [];
    const screenshots: string[] = [];
    for (let i = 0; i < result.cells.length; i++) {
      const json = result.cells[i]!;
      const selector = `.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell:nth-child(${i + 1}) .jp-Cell-outputArea`;
      const plots = json.cell_type === "code" ? await drawnPlots(page, selector) : [];
      cells.push({
        index: i,
        cellType: json.cell_type,
        source: Array.isArray(json.source) ? json.source.join("") : String(json.source ?? ""),
        outputs: json.outputs ?? [],
        plots,
      });
      if (options.screenshotDir && plots.length > 0) {
        mkdirSync(options.screenshotDir, { recursive: true });
        const file = join(options.screenshotDir, `${options.screenshotPrefix ?? "lab"}-cell${i}.png`);
        // The cell's input and outputs; the page is tall enough for one figure and its code.
        await cellNodes.nth(i).scrollIntoViewIfNeeded();
        await cellNodes.nth(i).screenshot({ path: file });
        screenshots.push(file);
      }
    }
    const errors = cells.flatMap((c) =>
      c.outputs.filter((o) => o.output_type === "error").map((o) => ({ cell: c.index, ename: String(o.ename), evalue: String(o.evalue) })));
    return { cells, errors, refused, seconds: result.seconds, screenshots, pageErrors };
  } catch (error) {
    // Leave evidence: what the page showed and what it complained about.
    const dir = options.screenshotDir ?? "test-artifacts";
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, `${options.screenshotPrefix ?? "lab"}-failure.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const outputs = (await page.evaluate(
      `Array.from(document.querySelectorAll(".jp-OutputArea-output")).map((o) => o.className + " :: " + o.innerHTML.slice(0, 300))`,
    ).catch(() => [])) as string[];
    const detail = [
      `page errors: ${JSON.stringify(pageErrors)}`, `refused requests: ${JSON.stringify(refused)}`,
      `outputs in the page:\n${outputs.join("\n")}`, `screenshot: ${shot}`,
    ].join("\n");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${detail}`);
  } finally {
    await page.close();
  }
}

/** In-page source: open a notebook, wait for its kernel to be idle, focus its first cell's editor. */
const OPEN_AND_FOCUS = `async ({ path, kernelTimeoutMs }) => {${OPEN_NOTEBOOK}
  while (kernel.status !== "idle") {
    if (Date.now() - started > kernelTimeoutMs) throw new Error("no idle kernel for " + path);
    await new Promise((r) => setTimeout(r, 100));
  }
  panel.content.activeCellIndex = 0;
  panel.content.mode = "edit";
  panel.content.activeCell.editor.focus();
  return kernel.name;
}`;

/**
 * Opens `path` in JupyterLab, types `text` into its first cell and presses `key` (Tab for the
 * completer, Shift+Tab for the tooltip), as a user does; returns the text of what popped up.
 * @example const shown = await askInLab(browser, lab, "empty.ipynb", "torch.ten", "Tab", ".jp-Completer");
 */
export async function askInLab(browser: Browser, lab: LabServer, path: string, text: string, key: string, popupSelector: string): Promise<{ kernelName: string; popup: string }> {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  try {
    await page.goto(`${lab.url}/lab?reset&token=${lab.token}`);
    await waitFor(page, `window.jupyterapp !== undefined`, 120_000);
    const kernelName = (await page.evaluate(`(${OPEN_AND_FOCUS})(${JSON.stringify({ path, kernelTimeoutMs: 120_000 })})`)) as string;
    await page.keyboard.type(text);
    await page.keyboard.press(key);
    const popup = page.locator(popupSelector).first();
    await popup.waitFor({ state: "visible", timeout: 30_000 });
    // The popup opens before its content arrives from the kernel: wait for some text.
    await waitFor(page, `(document.querySelector(${JSON.stringify(popupSelector)})?.textContent ?? "").trim().length > 0`, 30_000);
    return { kernelName, popup: (await popup.textContent()) ?? "" };
  } finally {
    await page.close();
  }
}
