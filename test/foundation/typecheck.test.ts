// The whole tree (kernel, library, tests, benchmarks) type-checks under the project's strict
// tsconfig: vitest strips types without checking them, so without this a test file with a type
// error, or a kernel change that breaks a test's types, would pass unnoticed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/project.js";

describe("the TypeScript sources", () => {
  it("type-check with tsconfig.json (strict), without errors", () => {
    const tsc = join(projectRoot, "node_modules", "typescript", "bin", "tsc");
    const result = spawnSync(process.execPath, [tsc, "-p", join(projectRoot, "tsconfig.json"), "--noEmit"], { encoding: "utf8", cwd: projectRoot });
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  }, 180_000);
});
