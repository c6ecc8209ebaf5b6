#!/usr/bin/env node
/**
 * `npm run export -- notebook.ipynb [more.ipynb ...] [--output page.html | --output-dir dir]`
 *
 * Turns gradlab notebooks into self-contained HTML pages whose plots work offline. The work is
 * the `gradlab_html` nbconvert exporter's (python/gradlab_jupyter, installed into the .venv by
 * setup): it renders with export/templates/gradlab (JupyterLab's look; plotly outputs become
 * placeholders drawn by plotly.js; markdown maths is left for MathJax) and then runs
 * export/inline-scripts.js, which inlines plotly.js once per page, and MathJax once if the notebook
 * has maths. So `npm run export` and `jupyter nbconvert --to gradlab_html` give the same page.
 *
 * Boundary: a thin driver around `jupyter nbconvert` from the project's .venv (or GRADLAB_JUPYTER,
 * or `jupyter` on PATH) pointed at this checkout; it does not execute notebooks, it exports their
 * saved outputs.
 */

import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..");

function jupyterCommand() {
  if (process.env.GRADLAB_JUPYTER) return process.env.GRADLAB_JUPYTER;
  const venv = join(repo, ".venv", "bin", "jupyter");
  return existsSync(venv) ? venv : "jupyter";
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
      "nbconvert", "--to", "gradlab_html", "--stdout",
      // This checkout's template, scripts and Node, whatever gradlab kernelspec the Jupyter has.
      `--GradlabHTMLExporter.gradlab_root=${repo}`,
      `--GradlabHTMLExporter.node=${process.execPath}`,
      notebook,
    ],
    { encoding: "utf8", maxBuffer: 1 << 30 },
  );
  if (result.error) throw new Error(`could not run ${jupyterCommand()}: ${result.error.message} (run npm run setup first)`);
  if (result.status !== 0) throw new Error(`nbconvert failed for ${notebook}:\n${result.stderr}`);
  writeFileSync(output, result.stdout);
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
