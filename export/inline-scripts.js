#!/usr/bin/env node
/**
 * Fills the gradlab template's script placeholders with plotly.js (always) and MathJax (when the
 * notebook has maths), so an exported page fetches nothing.
 *
 * Boundary: text in, text out. As a module, `inlineScripts(html, notebook)`; as a program (what
 * the `gradlab_html` nbconvert exporter runs), it reads `{ "html": ..., "notebook": ... }` as
 * JSON on stdin and writes the page to stdout. The scripts come from gradlab's own node_modules,
 * so the page matches the plotly.js the kernel was built against.
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { notebookNeedsMath } from "./needs-math.js";

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
 * @param {string} html nbconvert's output with the gradlab template (each placeholder once)
 * @param {object} notebook the parsed notebook it came from (decides whether MathJax is needed)
 * @returns {string} the self-contained page
 */
export function inlineScripts(html, notebook) {
  for (const { placeholder } of INLINED_SCRIPTS) {
    if (html.split(placeholder).length !== 2) {
      throw new Error(`the gradlab template's ${placeholder} placeholder should appear once in nbconvert's output`);
    }
  }
  // One pass over nbconvert's output, so text inside an inlined script is never searched for the
  // next placeholder; a function replacer, so "$&" and friends in the scripts are not patterns.
  const sources = new Map(
    INLINED_SCRIPTS.map(({ placeholder, module, needed }) => [placeholder, needed(notebook) ? scriptSource(module) : ""]),
  );
  const anyPlaceholder = new RegExp(INLINED_SCRIPTS.map(({ placeholder }) => escapeRegExp(placeholder)).join("|"), "g");
  return html.replace(anyPlaceholder, (placeholder) => sources.get(placeholder));
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const { html, notebook } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  process.stdout.write(inlineScripts(html, notebook));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
