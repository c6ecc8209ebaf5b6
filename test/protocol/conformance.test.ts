/**
 * The real kernel (TypeScript executor, `gradlab kernel` from dist/) passes jupyter_kernel_test,
 * run from the project's .venv with a temporary kernelspec. Every test must pass; the only
 * accepted skip is the pager test (gradlab has no pager payloads).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const python = join(root, ".venv/bin/python");
const cli = join(root, "dist/kernel/cli.js");
let jupyterPath: string;

beforeAll(() => {
  // dist/ must hold the current kernel: build it (incremental, quick when up to date).
  spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  if (!existsSync(cli)) throw new Error(`${cli} is missing after the build`);
  if (!existsSync(python)) throw new Error(`${python} is missing: run npm run setup`);
  jupyterPath = mkdtempSync(join(tmpdir(), "gradlab-conformance-"));
  const spec = join(jupyterPath, "kernels/gradlab-conformance");
  mkdirSync(spec, { recursive: true });
  writeFileSync(
    join(spec, "kernel.json"),
    JSON.stringify({ argv: [process.execPath, cli, "kernel", "{connection_file}"], display_name: "gradlab (conformance)", language: "typescript", interrupt_mode: "message" }),
  );
});

describe("jupyter_kernel_test", () => {
  it("passes every test against the real kernel", () => {
    const run = spawnSync(python, ["-m", "unittest", "-v", "gradlab_kernel_conformance"], {
      cwd: dirname(fileURLToPath(import.meta.url)),
      env: { ...process.env, JUPYTER_PATH: jupyterPath, PYTHONDONTWRITEBYTECODE: "1" },
      encoding: "utf8",
      timeout: 300_000,
    });
    const report = `${run.stdout}\n${run.stderr}`;
    const results = [...report.matchAll(/^(test_\w+) \(.*?\) \.\.\. (ok|FAIL|ERROR|skipped.*)$/gm)].map((m) => [m[1], m[2]]);
    const failed = results.filter(([, outcome]) => outcome === "FAIL" || outcome === "ERROR");
    const skipped = results.filter(([, outcome]) => outcome!.startsWith("skipped")).map(([name]) => name);
    expect(failed, report).toEqual([]);
    expect(skipped, report).toEqual(["test_pager"]);
    expect(results.length, report).toBeGreaterThanOrEqual(12);
    expect(run.status, report).toBe(0);
  });
});
