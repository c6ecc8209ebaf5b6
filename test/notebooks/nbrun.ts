/**
 * Runs a notebook through `jupyter nbconvert --execute` from the project's .venv, for the tests.
 *
 * Role: the one place the notebook tests start Jupyter. Boundary: paths and processes only; what
 * the outputs mean is the comparator's and the tests' business.
 *
 * Example:
 *   const executed = await executeNotebook("notebooks/multivariable-calculus.mxnet.ipynb");
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Notebook } from "./comparator.js";

export const root = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const venvBin = join(root, ".venv", "bin");
export const jupyter = join(venvBin, "jupyter");
export const python = join(venvBin, "python");
export const flavours = ["mxnet", "pytorch"] as const;
export const notebookPath = (flavour: string) => join(root, "notebooks", `multivariable-calculus.${flavour}.ipynb`);

export type OutputCell = Notebook["cells"][number] & { metadata?: { tags?: string[] } };
export interface FullNotebook extends Notebook {
  cells: OutputCell[];
  metadata: Record<string, unknown>;
}

/** Fails with the way out when the .venv (made by `npm run setup`) is missing. */
export function requireVenv(): void {
  if (!existsSync(jupyter)) {
    throw new Error(`${jupyter} not found: run \`npm run setup\` (it creates .venv with Jupyter and the gradlab kernelspec)`);
  }
}

export const readNotebook = (path: string): FullNotebook => JSON.parse(readFileSync(path, "utf8"));

/**
 * Executes a notebook (a path, or a notebook object written to a temporary file) with its kernelspec
 * (gradlab) and returns the executed notebook. Timing records are off, so reruns are comparable.
 */
export async function executeNotebook(
  input: string | FullNotebook,
  options: { env?: NodeJS.ProcessEnv; timeoutSeconds?: number } = {},
): Promise<FullNotebook> {
  requireVenv();
  const dir = mkdtempSync(join(tmpdir(), "gradlab-nb-"));
  try {
    const source = typeof input === "string" ? input : join(dir, "input.ipynb");
    if (typeof input !== "string") writeFileSync(source, JSON.stringify(input));
    const outName = `executed-${basename(source)}`;
    const args = [
      "nbconvert", "--to", "notebook", "--execute",
      "--ExecutePreprocessor.record_timing=False",
      // Keep going after an error: the tests then list every failing cell, not just the first.
      "--ExecutePreprocessor.allow_errors=True",
      `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 300}`,
      "--output-dir", dir, "--output", outName, source,
    ];
    const { code, stderr } = await run(jupyter, args, { ...process.env, ...options.env });
    if (code !== 0) throw new Error(`nbconvert failed (exit ${code}) on ${source}:\n${stderr.slice(-4000)}`);
    return readNotebook(join(dir, outName));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command, collecting stdout and stderr. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: root, env });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** All text a code cell printed or returned (stdout, stderr, text/plain results), in order. */
export function cellText(cell: OutputCell): string {
  return (cell.outputs ?? [])
    .map((o) => {
      const text = o.output_type === "stream" ? o.text : o.data?.["text/plain"];
      return Array.isArray(text) ? text.join("") : typeof text === "string" ? text : "";
    })
    .join("");
}

/** The error outputs of a notebook, as "cell i: Name: message" lines. */
export function errorOutputs(nb: FullNotebook): string[] {
  return nb.cells.flatMap((cell, i) =>
    (cell.outputs ?? []).filter((o) => o.output_type === "error").map((o) => `cell ${i}: ${o.ename}: ${o.evalue}`),
  );
}
