#!/usr/bin/env node
/**
 * Re-records the committed outputs of the chapter notebooks.
 *
 * Role: rebuild each notebook from notebooks/src (cells, no outputs), execute it with the gradlab
 * kernel through `.venv/bin/jupyter nbconvert` with the static PNG plot fallback switched on
 * (GRADLAB_PLOT_PNG=1, so GitHub shows the figures), and write it back in place. Review the result
 * with `git diff notebooks/`. Boundary: orchestration only; the build script owns the format.
 *
 * Usage: npm run notebooks:accept [-- mxnet|pytorch]
 * Exits 1 if a notebook produced an error output (the notebook is still written, to inspect).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildNotebook, chapterSource, flavours, notebookPath, parseSource, serialiseNotebook } from "./notebooks-build.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const jupyter = join(root, ".venv", "bin", "jupyter");
if (!existsSync(jupyter)) {
  console.error(`${jupyter} not found: run \`npm run setup\` first.`);
  process.exit(1);
}

const wanted = process.argv.slice(2).filter((a) => flavours.includes(a));
const blocks = parseSource(readFileSync(chapterSource, "utf8"));
let failed = false;
for (const flavour of wanted.length ? wanted : flavours) {
  const target = notebookPath(flavour);
  const dir = mkdtempSync(join(tmpdir(), "gradlab-accept-"));
  try {
    const fresh = join(dir, `fresh.${flavour}.ipynb`);
    writeFileSync(fresh, serialiseNotebook(buildNotebook(blocks, flavour)));
    const started = Date.now();
    const result = spawnSync(jupyter, [
      "nbconvert", "--to", "notebook", "--execute",
      "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.timeout=600",
      // Record every cell even after an error, so one run shows all of them.
      "--ExecutePreprocessor.allow_errors=True",
      "--output-dir", dir, "--output", `executed.${flavour}.ipynb`, fresh,
    ], { cwd: root, env: { ...process.env, GRADLAB_PLOT_PNG: "1" }, encoding: "utf8" });
    if (result.status !== 0) {
      console.error(`nbconvert failed on ${flavour}:\n${result.stderr}`);
      failed = true;
      continue;
    }
    const executed = join(dir, `executed.${flavour}.ipynb`);
    copyFileSync(executed, target);
    const nb = JSON.parse(readFileSync(target, "utf8"));
    const errors = nb.cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `  cell ${i}: ${o.ename}: ${o.evalue}`));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (errors.length) {
      failed = true;
      console.error(`${target}: recorded in ${seconds} s WITH ERROR OUTPUTS:\n${errors.join("\n")}`);
    } else {
      console.log(`${target}: recorded in ${seconds} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (failed) process.exit(1);
console.log("review with: git diff notebooks/");
