/**
 * Installs gradlab as a teacher would, for the classroom test and benchmark: `npm pack` (the
 * tarball a registry would serve), then deploy/install-gradlab.sh into a temporary npm prefix and
 * Jupyter prefix, with the project's .venv as the single-user environment.
 *
 * Boundary: produces an installation and says where it is; starting a hub is classroom.py's job.
 * Plain JavaScript so that the benchmark (plain Node) and the vitest test share it.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const venvPython = join(projectRoot, ".venv", "bin", "python");

/** Runs a command to completion without blocking the event loop (vitest's worker must keep answering). */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: projectRoot, encoding: "utf8", maxBuffer: 1 << 26, ...options }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/**
 * @param {string} workdir an empty folder (may contain spaces)
 * @returns {Promise<{ tarball: string, wheel: string, npmPrefix: string, jupyterPrefix: string, log: string }>}
 */
export async function packAndInstall(workdir) {
  const packDir = join(workdir, "pack");
  mkdirSync(packDir, { recursive: true });
  // dist/ is already built by setup; `prepare` would only rebuild it.
  await run("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir, "--loglevel=error"]);
  const tarball = join(packDir, readdirSync(packDir).find((name) => name.endsWith(".tgz")));
  await run(venvPython, ["-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps", "-w", packDir, join(projectRoot, "python")]);
  const wheel = join(packDir, readdirSync(packDir).find((name) => name.endsWith(".whl")));
  const npmPrefix = join(workdir, "npm prefix");
  const jupyterPrefix = join(workdir, "jupyter prefix");
  const log = await run("bash", [
    join(projectRoot, "deploy", "install-gradlab.sh"),
    "--package", tarball,
    "--npm-prefix", npmPrefix,
    "--jupyter-prefix", jupyterPrefix,
    "--python", venvPython,
    "--python-package", wheel,
    "--warm-kernel",
  ]);
  return { tarball, wheel, npmPrefix, jupyterPrefix, log };
}
