// gradlab's Python-side tools (python/, the gradlab-jupyter package) with the real tools: built as a
// wheel, papermill's parameters in every type it passes, its --help-notebook, and
// `jupyter nbconvert --to gradlab_html` giving `npm run export`'s page, drawn offline in Chromium.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnPlots, launchChromium, waitFor } from "../plot/browser.js";
import { jupyter, jupyterEnv, projectRoot, requireSetup, venvBin, venvPython } from "../support/project.js";

const fixture = join(projectRoot, "test", "python-tools", "fixtures", "parameters.ipynb");
const papermill = join(venvBin, "papermill");

/** Runs a tool without blocking vitest's worker; resolves with its output, rejects with it on failure. */
function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  // Figures without the PNG fallback: the exported page must draw them itself.
  const env = jupyterEnv({ GRADLAB_PLOT_PNG: "0" });
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: projectRoot, env, encoding: "utf8", maxBuffer: 1 << 28, timeout: 300_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")}: ${error.message}\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

interface Cell {
  cell_type: string;
  source: string | string[];
  metadata: { tags?: string[] };
  outputs?: Array<{ output_type: string; text?: string | string[]; data?: Record<string, unknown> }>;
}
const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join("") : (value ?? ""));
/** The cells of a papermill output (read by Python: papermill's metadata may hold NaN, which JSON.parse refuses). */
async function readCells(path: string): Promise<Cell[]> {
  const { stdout } = await run(venvPython, ["-c", "import json, sys; print(json.dumps(json.load(open(sys.argv[1]))['cells']))", path]);
  return JSON.parse(stdout);
}

describe("gradlab-jupyter, the Python side", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab python tools-"));
  beforeAll(requireSetup);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds as a wheel whose entry points register the papermill translator and the nbconvert exporter", async () => {
    await run(venvPython, ["-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps", "-w", dir, join(projectRoot, "python")]);
    const wheel = readdirSync(dir).find((name) => name.endsWith(".whl"));
    expect(wheel).toMatch(/^gradlab_jupyter-.*-py3-none-any\.whl$/);
    const script = [
      "import sys, zipfile",
      "z = zipfile.ZipFile(sys.argv[1])",
      "print(z.read(next(n for n in z.namelist() if n.endswith('entry_points.txt'))).decode())",
    ].join("\n");
    const { stdout } = await run(venvPython, ["-c", script, join(dir, wheel!)]);
    expect(stdout).toContain("[papermill.engine]\ngradlab = gradlab_jupyter.papermill_engine:GradlabEngine");
    expect(stdout).toContain("[nbconvert.exporters]\ngradlab_html = gradlab_jupyter.exporter:GradlabHTMLExporter");
  });

  it("papermill injects numbers (NaN, ±Infinity), strings, booleans, null, lists and objects as let declarations", async () => {
    const out = join(dir, "typed.ipynb");
    const yaml = `{lr: .nan, layers: [.inf, -.inf, 1.5, 2], options: {verbose: true, name: 'a"b'}, seed: null, title: "quote \\" and \\u00fc\\n newline"}`;
    await run(papermill, [fixture, out, "-k", "gradlab", "-y", yaml, "-p", "steps", "2"]);
    const cells = await readCells(out);
    const injected = cells.find((c) => c.metadata.tags?.includes("injected-parameters"));
    expect(text(injected?.source)).toBe(
      [
        "// Parameters",
        "let lr = NaN;",
        "let layers = [Infinity, -Infinity, 1.5, 2];",
        'let options = {"verbose": true, "name": "a\\"b"};',
        "let seed = null;",
        'let title = "quote \\" and \\u00fc\\n newline";',
        "let steps = 2;",
        "",
      ].join("\n"),
    );
    const printed = cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "stream").map((o) => text(o.text)).join("");
    expect(JSON.parse(printed)).toEqual({
      lr: "NaN",
      steps: 2,
      title: 'quote " and ü\n newline',
      layers: ["Infinity", "-Infinity", 1.5, 2],
      options: { verbose: true, name: 'a"b' },
      seed: null,
      types: ["number", "string", "boolean"],
    });
    expect(cells.flatMap((c) => c.outputs ?? []).filter((o) => o.output_type === "error")).toEqual([]);
  });

  it("papermill --help-notebook lists the TypeScript parameters cell with types, defaults and help", async () => {
    const { stdout } = await run(papermill, ["--help-notebook", fixture]);
    const lines = stdout.split("\n").map((line) => line.trim()).filter(Boolean);
    expect(lines).toEqual([
      "Usage: papermill [OPTIONS] NOTEBOOK_PATH [OUTPUT_PATH]",
      `Parameters inferred for notebook '${fixture}':`,
      "lr: number (default 0.1)        learning rate",
      "steps: number (default 3)       how many steps",
      'title: string (default "descent: // not a comment")',
      "layers: array (default [4, 2])",
      "hidden sizes",
      "options: object (default { verbose: false })",
      "seed: null (default null)",
    ]);
  });

  describe("nbconvert --to gradlab_html", () => {
    let browser: Browser;
    let executed: string;
    beforeAll(async () => {
      executed = join(dir, "executed.ipynb");
      await run(papermill, [fixture, executed, "-k", "gradlab", "-p", "lr", "0.25"]);
      browser = await launchChromium();
    }, 300_000);
    afterAll(async () => browser?.close());

    it("writes the same page as npm run export", async () => {
      await run(jupyter, ["nbconvert", "--to", "gradlab_html", "--output-dir", dir, "--output", "nbconvert", executed]);
      await run(process.execPath, [join(projectRoot, "export", "export.js"), executed, "--output", join(dir, "npm-export.html")]);
      const page = readFileSync(join(dir, "nbconvert.html"), "utf8");
      expect(page.length).toBeGreaterThan(1_000_000); // plotly.js and MathJax inlined
      expect(page === readFileSync(join(dir, "npm-export.html"), "utf8")).toBe(true);
    });

    it("draws the plot and typesets the formulas with every network request refused", async () => {
      const tab = await browser.newPage();
      const refused: string[] = [];
      const errors: string[] = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.route("**/*", (route) => {
        if (route.request().url().startsWith("file:")) return route.continue();
        refused.push(route.request().url());
        return route.abort();
      });
      await tab.goto(pathToFileURL(join(dir, "nbconvert.html")).href);
      await waitFor(tab, `document.querySelectorAll(".js-plotly-plot").length === 1`);
      const plots = await drawnPlots(tab);
      expect(plots).toHaveLength(1);
      expect(plots[0]!.linePaths).toBeGreaterThan(0);
      await waitFor(tab, `window.MathJax && MathJax.startup && MathJax.startup.promise`);
      await tab.evaluate(`MathJax.startup.promise.then(() => true)`);
      expect(await tab.evaluate(`document.querySelectorAll("mjx-container").length`)).toBe(2);
      expect({ refused, errors }).toEqual({ refused: [], errors: [] });
      await tab.close();
    });
  });
});
