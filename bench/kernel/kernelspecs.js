/**
 * Kernelspecs for the kernel benchmark, in a temporary Jupyter data folder (role: setup only).
 *
 * Nothing global changes: the benchmark points JUPYTER_PATH at the folder this writes. It holds
 * - `gradlab`, installed by gradlab's own installer (`bin/gradlab.js install --prefix`);
 * - `tslab` and `deno`, the anchors from devDependencies, with the argv their docs give
 *   (Deno's real binary is used, not the npm wrapper that would add a Node process);
 * - `gradlab-nooperators`, the same gradlab kernel with `GRADLAB_OPERATORS=0` added to its
 *   environment: the kernel's own switch for the tensor-operators rewrite, so the issue-6 entry
 *   measures a cell "without the feature" on the very same build.
 * - `gradlab-ts6`, the same gradlab kernel with `GRADLAB_CHECKER=typescript6`: TypeScript 6's
 *   checker, the kernel's fallback, measured beside the native one in the same run.
 * ipykernel's `python3` spec comes from the venv itself.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

  const installed = JSON.parse(readFileSync(join(kernels, "gradlab", "kernel.json"), "utf8"));
  writeSpec(kernels, "gradlab-ts6", {
    ...installed,
    env: { ...installed.env, GRADLAB_CHECKER: "typescript6" },
    display_name: "TypeScript (gradlab, GRADLAB_CHECKER=typescript6)",
  });

  // Without the built rewrite both kernels would lack the feature: the entry would compare nothing.
  const hasOperators = existsSync(join(root, "dist", "kernel", "typescript", "operators", "rewrite.js"));
  if (hasOperators) {
    const spec = JSON.parse(readFileSync(join(kernels, "gradlab", "kernel.json"), "utf8"));
    // The installed spec keeps the default (on) even if the caller's environment says 0.
    writeSpec(kernels, "gradlab", { ...spec, env: { ...spec.env, GRADLAB_OPERATORS: "1" } });
    spec.env = { ...spec.env, GRADLAB_OPERATORS: "0" };
    spec.display_name = "TypeScript (gradlab, GRADLAB_OPERATORS=0)";
    writeSpec(kernels, "gradlab-nooperators", spec);
  } else {
    notes.push("dist/kernel/typescript/operators/rewrite.js not found: no with/without operators entry");
  }
  return { jupyterPath, hasNoOperators: hasOperators, notes };
}

function writeSpec(kernels, name, spec) {
  mkdirSync(join(kernels, name), { recursive: true });
  writeFileSync(join(kernels, name, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
}
