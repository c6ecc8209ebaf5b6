/**
 * Kernelspecs for the kernel benchmark, in a temporary Jupyter data folder (role: setup only).
 *
 * Nothing global changes: the benchmark points JUPYTER_PATH at the folder this writes. It holds
 * - `gradlab`, installed by gradlab's own installer (`bin/gradlab.js install --prefix`);
 * - `tslab` and `deno`, the anchors from devDependencies, with the argv their docs give
 *   (Deno's real binary is used, not the npm wrapper that would add a Node process);
 * - `gradlab-nooperators`, a copy of the built package without the tensor-operators module
 *   (dist/kernel/typescript/operators.js): the compiler worker loads that module only if it
 *   exists, and the kernel has no setting to switch the rewrite off, so this copy is how the
 *   issue-6 entry measures a cell "without the feature".
 * ipykernel's `python3` spec comes from the venv itself.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes the kernelspecs under `dir`; returns the JUPYTER_PATH entry and which kernels exist.
 *
 * @example
 * const specs = prepareKernelspecs("/work/main", mkdtempSync(join(tmpdir(), "bench-")));
 * // spawn the driver with { env: { ...process.env, JUPYTER_PATH: specs.jupyterPath } }
 */
export function prepareKernelspecs(root, dir) {
  const jupyterPath = join(dir, "share", "jupyter");
  const kernels = join(jupyterPath, "kernels");
  const notes = [];
  const install = spawnSync(process.execPath, [join(root, "bin", "gradlab.js"), "install", "--prefix", dir, "--quiet"], {
    encoding: "utf8",
  });
  if (install.status !== 0) throw new Error(`gradlab install failed: ${install.stderr || install.stdout}`);

  writeSpec(kernels, "tslab", {
    argv: [process.execPath, join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (tslab)",
    language: "typescript",
  });
  const deno = join(root, "node_modules", "deno", process.platform === "win32" ? "deno.exe" : "deno");
  writeSpec(kernels, "deno", {
    argv: [existsSync(deno) ? deno : join(root, "node_modules", ".bin", "deno"), "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
  });

  const withoutOperators = packageWithoutOperators(root, join(dir, "gradlab-nooperators"));
  if (withoutOperators) {
    const spec = JSON.parse(readFileSync(join(kernels, "gradlab", "kernel.json"), "utf8"));
    spec.argv = spec.argv.map((arg) => (arg === join(root, "bin", "gradlab.js") ? join(withoutOperators, "bin", "gradlab.js") : arg));
    spec.display_name = "TypeScript (gradlab, operators module removed)";
    writeSpec(kernels, "gradlab-nooperators", spec);
  } else {
    notes.push("dist/kernel/typescript/operators.js not found: no with/without operators entry");
  }
  return { jupyterPath, hasNoOperators: Boolean(withoutOperators), notes };
}

function writeSpec(kernels, name, spec) {
  mkdirSync(join(kernels, name), { recursive: true });
  writeFileSync(join(kernels, name, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
}

/** A copy of package.json, bin/ and dist/ (node_modules linked) minus the operators module. */
function packageWithoutOperators(root, target) {
  const operators = join("dist", "kernel", "typescript", "operators.js");
  if (!existsSync(join(root, operators))) return undefined;
  mkdirSync(target, { recursive: true });
  cpSync(join(root, "package.json"), join(target, "package.json"));
  cpSync(join(root, "bin"), join(target, "bin"), { recursive: true });
  cpSync(join(root, "dist"), join(target, "dist"), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(target, "node_modules"), "dir");
  rmSync(join(target, operators));
  return target;
}
