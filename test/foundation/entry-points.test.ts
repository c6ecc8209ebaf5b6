/**
 * The kernel's entry points: the bundles of the build when they are current, the modules tsc wrote
 * when the bundles are missing or older than tsc's last build; and a launched kernel really runs
 * from the bundles.
 */
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { entryPoint } from "../../kernel/entry-points.js";
import { launchKernel, type TestClient } from "../protocol/kernel-harness.js";
import { projectRoot } from "../support/project.js";

/** A dist/ folder with a .tsbuildinfo and, if asked, a bundle, with the given modification times (s). */
function dist(times: { buildInfo?: number; bundle?: number }): URL {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-dist-"));
  mkdirSync(join(dir, "bundle"));
  const files = [
    ["buildInfo", join(dir, ".tsbuildinfo")],
    ["bundle", join(dir, "bundle", "typescript.js")],
  ] as const;
  for (const [key, path] of files) {
    const time = times[key];
    if (time === undefined) continue;
    writeFileSync(path, "");
    utimesSync(path, time, time);
  }
  return pathToFileURL(dir + "/");
}

const module = new URL("file:///somewhere/dist/kernel/typescript/index.js");

describe("the kernel's entry points", () => {
  it("are the bundles when they are as new as tsc's last build, or newer", () => {
    expect(entryPoint("typescript", module, dist({ buildInfo: 1000, bundle: 1000 })).pathname).toMatch(/\/bundle\/typescript\.js$/);
    expect(entryPoint("typescript", module, dist({ buildInfo: 1000, bundle: 2000 })).pathname).toMatch(/\/bundle\/typescript\.js$/);
  });

  it("are the modules when the bundle is older than tsc's last build, or missing", () => {
    expect(entryPoint("typescript", module, dist({ buildInfo: 2000, bundle: 1000 }))).toBe(module);
    expect(entryPoint("typescript", module, dist({ buildInfo: 2000 }))).toBe(module);
  });

  it("are the bundles in an installed package, which ships no .tsbuildinfo", () => {
    expect(entryPoint("typescript", module, dist({ bundle: 1000 })).pathname).toMatch(/\/bundle\/typescript\.js$/);
  });
});

describe("a launched gradlab kernel", () => {
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it("runs its protocol thread and its language from the build's bundles, and checks and runs cells", async () => {
    client = await launchKernel([process.execPath, join(projectRoot, "bin", "gradlab.js"), "kernel"], { GRADLAB_LAUNCH_TRACE: "1" });
    await client.ready(30_000);
    const { reply } = await client.run("const fromBundle: number = 6 * 7; fromBundle", {});
    expect(reply.content["status"]).toBe("ok");
    const typeError = await client.run('const wrong: number = "six"', {});
    expect(typeError.reply.content["status"]).toBe("error");
    expect(typeError.reply.content["evalue"]).toBe("Type 'string' is not assignable to type 'number'.");
    expect(client.stderr).toContain(`protocol-worker from ${join(projectRoot, "dist", "bundle", "protocol-worker.js")}`);
    expect(client.stderr).toContain(`typescript from ${join(projectRoot, "dist", "bundle", "typescript.js")}`);
  }, 60_000);
});
