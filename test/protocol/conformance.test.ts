/**
 * jupyter_kernel_test (from the project's .venv), which validates every reply against the message
 * schemas:
 * - against the protocol layer with the JavaScript test executor (compiled by the harness);
 * - against the real kernel: `bin/gradlab.js kernel` (dist/) with the TypeScript executor.
 * Every test must pass; the only accepted skip is the pager test (gradlab sends no pager payloads).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { compileTestKernel } from "./kernel-harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const python = join(root, ".venv/bin/python");
let jupyterPath: string;

function addKernelspec(name: string, argv: string[], language: string): void {
  const dir = join(jupyterPath, "kernels", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify({ argv: [...argv, "{connection_file}"], display_name: name, language, interrupt_mode: "message" }));
}

/** Runs one unittest module of this folder; returns test name → outcome, and the full report. */
function runSuite(module: string): { outcomes: Map<string, string>; report: string; status: number | null } {
  const run = spawnSync(python, ["-m", "unittest", "-v", module], {
    cwd: here,
    env: { ...process.env, JUPYTER_PATH: jupyterPath, PYTHONDONTWRITEBYTECODE: "1" },
    encoding: "utf8",
    timeout: 300_000,
  });
  const report = `${run.stdout}\n${run.stderr}`;
  const outcomes = new Map([...report.matchAll(/^(test_\w+) \(.*?\) \.\.\. (ok|FAIL|ERROR|skipped.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  return { outcomes, report, status: run.status };
}

function expectAllPassed({ outcomes, report, status }: ReturnType<typeof runSuite>): void {
  const notOk = [...outcomes].filter(([name, outcome]) => outcome !== "ok" && !(name === "test_pager" && outcome.startsWith("skipped")));
  expect(notOk, report).toEqual([]);
  expect(outcomes.size, report).toBe(12);
  expect(status, report).toBe(0);
}

beforeAll(() => {
  if (!existsSync(python)) throw new Error(`${python} is missing: run npm run setup`);
  jupyterPath = mkdtempSync(join(tmpdir(), "gradlab-conformance-"));
  addKernelspec("gradlab-protocol-js", [process.execPath, compileTestKernel()], "javascript");
  // dist/ must hold the current kernel: build it (incremental, quick when up to date).
  spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  // What the installed kernelspec runs (bin/gradlab.js → dist/kernel/cli.js → startKernel).
  addKernelspec("gradlab-conformance", [process.execPath, join(root, "bin/gradlab.js"), "kernel"], "typescript");
});

describe("jupyter_kernel_test", () => {
  it("passes against the protocol layer with the JavaScript test executor", () => {
    expectAllPassed(runSuite("protocol_conformance"));
  });

  it("passes against the real kernel with the TypeScript executor", () => {
    expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js after the build").toBe(true);
    expect(existsSync(join(root, "dist/kernel/typescript/index.js")), "the TypeScript executor (kernel/typescript/index.ts) is built").toBe(true);
    expectAllPassed(runSuite("gradlab_kernel_conformance"));
  });
});
