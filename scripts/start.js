#!/usr/bin/env node
// `npm start`: set up whatever is missing, then run the project's JupyterLab on notebooks/,
// on localhost. Arguments after `--` go to JupyterLab (`npm start -- --port=9999 --no-browser`).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const setup = spawnSync(process.execPath, [join(root, "scripts", "setup.js")], { stdio: "inherit" });
if (setup.status !== 0) process.exit(setup.status ?? 1);

const jupyter = join(root, ".venv", process.platform === "win32" ? "Scripts" : "bin", "jupyter");
const userArgs = process.argv.slice(2);
const hasOption = (name) => userArgs.some((arg) => arg === name || arg.startsWith(`${name}=`));
const args = ["lab", `--notebook-dir=${join(root, "notebooks")}`];
if (!hasOption("--ip") && !hasOption("--ServerApp.ip")) args.push("--ServerApp.ip=127.0.0.1");
// Jupyter refuses to run as root unless told; containers and CI machines often are root.
if (typeof process.getuid === "function" && process.getuid() === 0 && !hasOption("--allow-root")) {
  args.push("--allow-root");
}
// New notebooks get the gradlab kernel. ipykernel is in the .venv too (for the benchmarks), and
// JupyterLab's "Select Kernel" dialog preselects Python whatever the server's default says, so a
// beginner pressing Enter got a Python kernel: this JupyterLab offers only gradlab unless told otherwise.
if (!hasOption("--MappingKernelManager.default_kernel_name")) {
  args.push("--MappingKernelManager.default_kernel_name=gradlab");
}
if (!hasOption("--KernelSpecManager.allowed_kernelspecs")) {
  args.push("--KernelSpecManager.allowed_kernelspecs=gradlab");
}
args.push(...userArgs);

// A first start asked "Would you like to get notified about official Jupyter news?" in front of
// the chapter. This JupyterLab's own defaults (overrides.json in the .venv, not the user's
// settings) say no to news and update checks; a value already there is kept.
const labSettings = join(root, ".venv", "share", "jupyter", "lab", "settings");
const overridesFile = join(labSettings, "overrides.json");
const overrides = existsSync(overridesFile) ? JSON.parse(readFileSync(overridesFile, "utf8")) : {};
const notification = (overrides["@jupyterlab/apputils-extension:notification"] ??= {});
notification.fetchNews ??= "false";
notification.checkForUpdates ??= false;
mkdirSync(labSettings, { recursive: true });
writeFileSync(overridesFile, `${JSON.stringify(overrides, null, 2)}\n`);

console.log(`[gradlab] starting JupyterLab on ${join(root, "notebooks")} — open the URL printed below.`);
const lab = spawn(jupyter, args, {
  stdio: "inherit",
  // Prefer the .venv's kernelspecs (gradlab's) over same-named ones in the user's own Jupyter.
  env: { ...process.env, JUPYTER_PREFER_ENV_PATH: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => lab.kill(signal));
lab.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
