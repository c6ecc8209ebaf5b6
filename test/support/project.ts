/**
 * Paths and helpers shared by the end-to-end tests: where the project's .venv and its tools are,
 * free ports, and running a Python helper script from the .venv.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const venvBin = join(projectRoot, ".venv", process.platform === "win32" ? "Scripts" : "bin");
export const venvPython = join(venvBin, process.platform === "win32" ? "python.exe" : "python");
export const jupyter = join(venvBin, "jupyter");

/** Fails with the one instruction that fixes it, instead of a cryptic ENOENT deep in a test. */
export function requireSetup(): void {
  if (!existsSync(venvPython) || !existsSync(join(projectRoot, "dist", "kernel", "cli.js"))) {
    throw new Error("The project is not set up: run `npm run setup` (npm test does it for you).");
  }
}

/** Environment for Jupyter tools in tests: the .venv's kernelspecs win over a user's own. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, JUPYTER_PREFER_ENV_PATH: "1", PYDEVD_DISABLE_FILE_VALIDATION: "1", ...extra };
}

/** Runs a Python script from the .venv and returns its stdout parsed as JSON. */
export function runPythonJson<T>(script: string, args: string[] = [], timeoutMs = 120_000): T {
  const result = spawnSync(venvPython, [script, ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: jupyterEnv(),
    timeout: timeoutMs,
  });
  if (result.status !== 0) {
    throw new Error(`${script} exited with ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/**
 * A port below Linux's ephemeral range (32768 and up) that is free now. A port the OS hands out
 * for `listen(0)` comes from the ephemeral range, where the outgoing connections of every other
 * test (ZeroMQ clients, HTTP) also take their local ports: on a busy machine one of them could
 * take it before the kernel binds ("Address already in use").
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.unref();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
