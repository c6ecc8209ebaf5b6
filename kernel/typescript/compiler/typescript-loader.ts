/**
 * Loads the "typescript" package for the checker service through a V8 code cache.
 *
 * Why: compiling TypeScript's 9 MB script from source makes V8 parse all of it, and the parser's
 * scratch memory (about 20 MB, malloc'd) stays in the process after it is freed; from a code cache
 * V8 skips that parse. Measured with the kernel after the benchmark's startup cells: about 11 MB
 * less RSS (147 → 136 MB) and the checker warm about 130 ms sooner. The cache is written once, after
 * the checker's warm-up (so it holds the functions a check needs), to a per-user folder under the
 * system temp directory, named by a hash of the exact typescript.js, the Node version and the CPU
 * architecture; V8 itself rejects a cache made with other flags, and a rejected or unreadable cache
 * only means the ordinary load; a folder or file another user could write to is ignored (a cache
 * is code). GRADLAB_CODE_CACHE=0 turns it off.
 *
 * Boundary: only loading the module; what the compiler does with it lives elsewhere.
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import type * as TS from "typescript";

export interface LoadedTypeScript {
  ts: typeof TS;
  /** True when V8 accepted a cache written by an earlier kernel. */
  fromCache: boolean;
  /** Writes the cache unless it was used; call once the compiler is warm. Never throws. */
  saveCache(): void;
}

/** The default cache folder: per user, under the system temp directory. */
export function defaultCacheDir(): string | undefined {
  if (process.env["GRADLAB_CODE_CACHE"] === "0") return undefined;
  const user = typeof process.getuid === "function" ? String(process.getuid()) : "user";
  return join(tmpdir(), `gradlab-code-cache-${user}`);
}

/**
 * Loads typescript (resolved from `from`) as CommonJS, with the code cache in `cacheDir` (none
 * when undefined).
 *
 * @example
 * const loaded = loadTypeScript(import.meta.url, defaultCacheDir());
 * loaded.ts.transpileModule("let x: number = 1", {}).outputText; // "var x = 1;\n" (or similar)
 * loaded.saveCache();
 */
export function loadTypeScript(from: string, cacheDir: string | undefined, variant = ""): LoadedTypeScript {
  const file = createRequire(from).resolve("typescript");
  const source = readFileSync(file, "utf8");
  const cacheFile = cacheDir ? join(cacheDir, cacheName(source, variant)) : undefined;
  let cachedData: Buffer | undefined;
  if (cacheFile && ownedByUs(cacheDir!) && ownedByUs(cacheFile)) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  // The same wrapper Node gives a CommonJS module, so `require`, `module` and `__filename` work.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const fromCache = cachedData !== undefined && script.cachedDataRejected === false;
  return {
    ts: module.exports as typeof TS,
    fromCache,
    saveCache: () => {
      if (!cacheFile || fromCache || !cacheDir) return;
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        if (!ownedByUs(cacheDir)) return;
        const partial = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
        renameSync(partial, cacheFile); // atomic: a concurrent kernel reads the old file or the new one
      } catch {
        // a read-only or full temp folder: the next kernel loads from source, as now
      }
    },
  };
}

/**
 * A cache is code the kernel runs: only read from (or write to) a path that this user owns and
 * nobody else can write, never through a symlink (the temp directory is shared between users).
 */
function ownedByUs(path: string): boolean {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return false;
    if (typeof process.getuid === "function" && stat.uid !== process.getuid()) return false;
    return (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * One cache per variant: the cache holds the functions compiled before it was written, and V8
 * loads all of them, so the native checker's worker (which loads TypeScript 6 only for the few
 * jobs the native API cannot do, and writes the cache after the first of them) keeps its own cache
 * rather than one holding the whole TypeScript 6 checker.
 */
function cacheName(source: string, variant: string): string {
  const hash = createHash("sha256").update(source).update(process.version).update(process.arch).digest("hex").slice(0, 24);
  return `typescript-${hash}${variant ? `-${variant}` : ""}.cache`;
}
