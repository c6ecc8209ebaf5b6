/**
 * The compiler worker's TypeScript loader. Each load runs in a fresh node process (the built
 * loader in dist/): within one isolate V8 would answer a second compile of the same source from
 * its in-memory cache, so only a new process shows whether the cache file is used.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, ensureBuilt } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "gradlab-loader-test-"));
const expectedVersion = (createRequire(import.meta.url)("typescript") as { version: string }).version;
const loader = pathToFileURL(join(ROOT, "dist", "kernel", "typescript", "compiler", "typescript-loader.js")).href;

interface LoadReport {
  fromCache: boolean;
  version: string;
  emitted: string;
}

/** Loads typescript in a new process with `cacheDir` (none when null), saves the cache, reports. */
function loadInFreshProcess(cacheDir: string | null): LoadReport {
  const script = `
    import { loadTypeScript } from ${JSON.stringify(loader)};
    const loaded = loadTypeScript(${JSON.stringify(loader)}, ${JSON.stringify(cacheDir)} ?? undefined);
    const emitted = loaded.ts.transpileModule("const x: number = 40 + 2;", { compilerOptions: { target: loaded.ts.ScriptTarget.ES2022 } }).outputText;
    loaded.saveCache();
    process.stdout.write(JSON.stringify({ fromCache: loaded.fromCache, version: loaded.ts.version, emitted }));
  `;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" })) as LoadReport;
}

const cacheFiles = () => readdirSync(dir).filter((f) => f.endsWith(".cache"));

beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadTypeScript", () => {
  it("loads from source first, writes a cache, and the next process loads from it", () => {
    const first = loadInFreshProcess(dir);
    expect(first).toMatchObject({ fromCache: false, version: expectedVersion });
    expect(first.emitted).toMatch(/^const x = 40 \+ 2;$/m);
    expect(cacheFiles()).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toHaveLength(0);

    const second = loadInFreshProcess(dir);
    expect(second).toMatchObject({ fromCache: true, version: expectedVersion });
    expect(second.emitted).toBe(first.emitted);
  });

  it("falls back to the source when the cache is damaged, and replaces it", () => {
    writeFileSync(join(dir, cacheFiles()[0]!), Buffer.from("not a V8 code cache"));
    const damaged = loadInFreshProcess(dir);
    expect(damaged.fromCache).toBe(false);
    expect(damaged.emitted).toMatch(/^const x = 40 \+ 2;$/m);
    expect(loadInFreshProcess(dir).fromCache).toBe(true);
  });

  it("ignores a cache in a folder others can write to", () => {
    chmodSync(dir, 0o777);
    try {
      expect(loadInFreshProcess(dir).fromCache).toBe(false);
    } finally {
      chmodSync(dir, 0o700);
    }
    expect(loadInFreshProcess(dir).fromCache).toBe(true);
  });

  it("works without a cache folder", () => {
    const loaded = loadInFreshProcess(null);
    expect(loaded.fromCache).toBe(false);
    expect(loaded.emitted).toMatch(/^const x = 40 \+ 2;$/m);
  });
});
