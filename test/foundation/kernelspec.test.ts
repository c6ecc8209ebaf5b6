// The kernelspec: visible to the project's Jupyter, listed by the server `npm start` runs,
// and installable elsewhere with the CLI.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, jupyter, jupyterEnv, projectRoot, requireSetup } from "../support/project.js";

const cli = join(projectRoot, "bin", "gradlab.js");

describe("kernelspec", () => {
  beforeAll(requireSetup);

  it("is listed by the project's jupyter with the expected kernel.json", () => {
    const result = spawnSync(jupyter, ["kernelspec", "list", "--json"], { encoding: "utf8", env: jupyterEnv() });
    expect(result.status).toBe(0);
    const spec = JSON.parse(result.stdout).kernelspecs.gradlab;
    expect(spec.resource_dir).toBe(join(projectRoot, ".venv", "share", "jupyter", "kernels", "gradlab"));
    expect(spec.spec.display_name).toBe("TypeScript (gradlab)");
    expect(spec.spec.language).toBe("typescript");
    expect(spec.spec.interrupt_mode).toBe("message");
    expect(spec.spec.argv).toEqual([process.execPath, cli, "kernel", "{connection_file}"]);
    for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
      expect(existsSync(join(spec.resource_dir, logo))).toBe(true);
    }
  });

  it("installs into and uninstalls from a prefix with the CLI", () => {
    const prefix = mkdtempSync(join(tmpdir(), "gradlab-prefix-"));
    const install = spawnSync(process.execPath, [cli, "install", "--prefix", prefix], { encoding: "utf8" });
    expect(install.status).toBe(0);
    const kernelJson = join(prefix, "share", "jupyter", "kernels", "gradlab", "kernel.json");
    expect(JSON.parse(readFileSync(kernelJson, "utf8")).display_name).toBe("TypeScript (gradlab)");
    const uninstall = spawnSync(process.execPath, [cli, "uninstall", "--prefix", prefix], { encoding: "utf8" });
    expect(uninstall.status).toBe(0);
    expect(existsSync(kernelJson)).toBe(false);
  });

  it("rejects an unknown command with usage and exit code 2", () => {
    const result = spawnSync(process.execPath, [cli, "instal"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage: gradlab");
  });
});

describe("the Jupyter server that `npm start` runs", () => {
  let server: ChildProcess;
  let base: string;
  const token = "gradlab-test-token";

  beforeAll(async () => {
    requireSetup();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      [join(projectRoot, "scripts", "start.js"), `--port=${port}`, "--no-browser", `--IdentityProvider.token=${token}`],
      { cwd: projectRoot, env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let log = "";
    server.stdout!.on("data", (chunk) => (log += chunk));
    server.stderr!.on("data", (chunk) => (log += chunk));
    const deadline = Date.now() + 90_000;
    for (;;) {
      try {
        const response = await fetch(`${base}/api/status?token=${token}`);
        if (response.ok) break;
      } catch {
        // not listening yet
      }
      if (server.exitCode !== null || Date.now() > deadline) {
        throw new Error(`JupyterLab from \`npm start\` did not come up:\n${log.slice(-3000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(() => {
    // The whole process group: npm start's node, and the JupyterLab it runs.
    if (server?.pid && server.exitCode === null) process.kill(-server.pid, "SIGTERM");
  });

  it("lists the gradlab kernel at /api/kernelspecs", async () => {
    const response = await fetch(`${base}/api/kernelspecs?token=${token}`);
    const body = (await response.json()) as {
      default: string;
      kernelspecs: Record<string, { spec: { display_name: string } }>;
    };
    expect(body.kernelspecs.gradlab?.spec.display_name).toBe("TypeScript (gradlab)");
    // New notebooks get gradlab, and it is the only kernel offered: ipykernel is in the .venv too
    // (for the benchmarks), but a beginner picking Python by accident gets nothing but errors.
    expect(body.default).toBe("gradlab");
    expect(Object.keys(body.kernelspecs)).toEqual(["gradlab"]);
  });

  it("does not ask a first-time user about Jupyter news or update checks", async () => {
    const response = await fetch(`${base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token=${token}`);
    expect(response.status).toBe(200);
    // The server applies overrides.json as the schema's defaults; the user's own settings stay empty.
    const body = (await response.json()) as { schema: { properties: Record<string, { default: unknown }> } };
    expect([body.schema.properties["fetchNews"]?.default, body.schema.properties["checkForUpdates"]?.default]).toEqual(["false", false]);
  });

  it("serves JupyterLab", async () => {
    const response = await fetch(`${base}/lab?token=${token}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("JupyterLab");
  });
});
