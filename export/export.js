#!/usr/bin/env node
/**
 * `npm run export -- notebook.ipynb [more.ipynb ...] [--output page.html | --output-dir dir]`
 *
 * Turns gradlab notebooks into self-contained HTML pages whose plots work offline: nbconvert
 * renders the notebook with export/templates/gradlab (JupyterLab's look; plotly outputs become
 * placeholders drawn by plotly.js; markdown maths is left for MathJax), then this script inlines
 * plotly.js once per page, and MathJax once if the notebook has maths, so the page fetches nothing.
 *
 * Boundary: a thin driver around `jupyter nbconvert` from the project's .venv (or GRADLAB_JUPYTER,
 * or `jupyter` on PATH); it does not execute notebooks, it exports their saved outputs.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { notebookNeedsMath } from "./needs-math.js";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");
const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Which output to show when several MIME types are present: plotly first, then nbconvert's usual order. */
const DISPLAY_PRIORITY = [
  PLOTLY_MIME, "application/vnd.jupyter.widget-view+json", "application/javascript", "text/html",
  "text/markdown", "image/svg+xml", "text/vnd.mermaid", "text/latex", "image/png", "image/jpeg", "text/plain",
];

function jupyterCommand() {
  if (process.env.GRADLAB_JUPYTER) return process.env.GRADLAB_JUPYTER;
  const venv = join(repo, ".venv", "bin", "jupyter");
  return existsSync(venv) ? venv : "jupyter";
}

/**
 * The scripts the template leaves a placeholder for, each filled with one file of an npm package
 * when the notebook needs it (an unneeded one's placeholder is emptied). MathJax is its
 * single-file "tex-svg-full" build: SVG output needs no web fonts, and "full" preloads every TeX
 * extension (the smaller tex-svg would fetch e.g. \boldsymbol's on first use).
 */
const INLINED_SCRIPTS = [
  { placeholder: "/*GRADLAB_PLOTLY_JS*/", module: "plotly.js-dist-min", needed: () => true },
  { placeholder: "/*GRADLAB_MATHJAX_JS*/", module: "mathjax/es5/tex-svg-full.js", needed: notebookNeedsMath },
];

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function scriptSource(module) {
  const source = readFileSync(createRequire(import.meta.url).resolve(module), "utf8");
  // Inside an HTML <script>, only "</script" can end the element early.
  return source.replace(/<\/script/gi, "<\\/script");
}

/**
 * Exports one notebook; returns the HTML file's path.
 * @param {string} notebook path of the .ipynb
 * @param {string} output path of the .html to write
 */
export function exportNotebook(notebook, output) {
  const result = spawnSync(
    jupyterCommand(),
    [
      "nbconvert", "--to", "html", "--stdout",
      "--template", "gradlab",
      `--TemplateExporter.extra_template_basedirs=${join(here, "templates")}`,
      `--NbConvertBase.display_data_priority=${JSON.stringify(DISPLAY_PRIORITY)}`,
      notebook,
    ],
    { encoding: "utf8", maxBuffer: 1 << 30 },
  );
  if (result.error) throw new Error(`could not run ${jupyterCommand()}: ${result.error.message} (run npm run setup first)`);
  if (result.status !== 0) throw new Error(`nbconvert failed for ${notebook}:\n${result.stderr}`);
  const html = result.stdout;
  for (const { placeholder } of INLINED_SCRIPTS) {
    if (html.split(placeholder).length !== 2) {
      throw new Error(`the gradlab template's ${placeholder} placeholder should appear once in nbconvert's output`);
    }
  }
  // One pass over nbconvert's output, so text inside an inlined script is never searched for the
  // next placeholder; a function replacer, so "$&" and friends in the scripts are not patterns.
  const content = JSON.parse(readFileSync(notebook, "utf8"));
  const sources = new Map(
    INLINED_SCRIPTS.map(({ placeholder, module, needed }) => [placeholder, needed(content) ? scriptSource(module) : ""]),
  );
  const anyPlaceholder = new RegExp(INLINED_SCRIPTS.map(({ placeholder }) => escapeRegExp(placeholder)).join("|"), "g");
  const page = html.replace(anyPlaceholder, (placeholder) => sources.get(placeholder));
  writeFileSync(output, page);
  return output;
}

function main(argv) {
  const notebooks = [];
  let output;
  let outputDir;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--output" || argv[i] === "-o") output = argv[++i];
    else if (argv[i] === "--output-dir") outputDir = argv[++i];
    else if (argv[i] === "--help" || argv[i] === "-h") {
      console.log("usage: npm run export -- notebook.ipynb [more.ipynb ...] [--output page.html | --output-dir dir]");
      return 0;
    } else notebooks.push(argv[i]);
  }
  if (notebooks.length === 0) {
    console.error("usage: npm run export -- notebook.ipynb [more.ipynb ...] [--output page.html | --output-dir dir]");
    return 2;
  }
  if (output && notebooks.length > 1) {
    console.error("--output names one page; use --output-dir for several notebooks");
    return 2;
  }
  for (const notebook of notebooks) {
    const name = basename(notebook).replace(/\.ipynb$/, "") + ".html";
    const target = output ?? join(outputDir ?? dirname(notebook), name);
    exportNotebook(notebook, target);
    console.log(`${notebook} → ${target}`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
