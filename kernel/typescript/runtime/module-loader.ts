/**
 * `import` for cells: resolves a specifier from the notebook's directory first, then from the
 * kernel's own package (so the project's node_modules work from any notebook), and loads it with
 * Node's ESM loader (CommonJS packages included, ESM-only ones with top-level await too).
 * Also makes the `require` that cells see.
 */
import { createRequire, isBuiltin } from "node:module";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve as resolvePath } from "node:path";
import { pathToFileURL } from "node:url";

type Exports = string | null | Exports[] | { [key: string]: Exports };
const CONDITIONS = ["import", "node", "module", "default"];

export class ModuleLoader {
  readonly require: NodeJS.Require;

  constructor(
    private readonly cwd: string,
    private readonly fallbackDirs: string[],
  ) {
    this.require = createRequire(join(cwd, "__gradlab_cell__.js"));
  }

  /** `import(specifier)` as a cell means it. */
  import(specifier: unknown): Promise<unknown> {
    if (typeof specifier !== "string") return import(String(specifier));
    try {
      return import(this.resolve(specifier));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The URL (or built-in name) the specifier names, seen from the notebook's directory. */
  resolve(specifier: string): string {
    if (isBuiltin(specifier) || /^(node|data|file|https?):/.test(specifier)) return specifier;
    if (specifier.startsWith(".") || isAbsolute(specifier)) return pathToFileURL(resolvePath(this.cwd, specifier)).href;
    for (const dir of [this.cwd, ...this.fallbackDirs]) {
      const found = resolvePackage(specifier, dir);
      if (found) return pathToFileURL(found).href;
    }
    const error = new Error(`Cannot find package '${specifier}' from ${this.cwd} (looked in node_modules folders up from there)`);
    (error as NodeJS.ErrnoException).code = "ERR_MODULE_NOT_FOUND";
    throw error;
  }
}

/** Finds `name[/subpath]` in node_modules folders up from `dir`, following package.json exports. */
function resolvePackage(specifier: string, dir: string): string | undefined {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameLength).join("/");
  const subpath = parts.length > nameLength ? "./" + parts.slice(nameLength).join("/") : ".";
  for (let current = resolvePath(dir); ; current = dirname(current)) {
    const packageDir = join(current, "node_modules", name);
    const manifestPath = join(packageDir, "package.json");
    if (existsSync(manifestPath)) return entryOf(packageDir, JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest, subpath);
    if (dirname(current) === current) return undefined;
  }
}

interface Manifest {
  exports?: Exports;
  module?: string;
  main?: string;
}

function entryOf(packageDir: string, manifest: Manifest, subpath: string): string | undefined {
  if (manifest.exports !== undefined) {
    const exportsMap = manifest.exports;
    const isSubpathMap = typeof exportsMap === "object" && exportsMap !== null && !Array.isArray(exportsMap) && Object.keys(exportsMap).some((k) => k.startsWith("."));
    let target: string | undefined;
    if (isSubpathMap) {
      const map = exportsMap as Record<string, Exports>;
      if (map[subpath] !== undefined) target = pickCondition(map[subpath]!);
      else {
        for (const [key, value] of Object.entries(map)) {
          const star = key.indexOf("*");
          if (star < 0) continue;
          const [before, after] = [key.slice(0, star), key.slice(star + 1)];
          if (subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= key.length - 1) {
            const picked = pickCondition(value);
            target = picked?.replaceAll("*", subpath.slice(before.length, subpath.length - after.length));
            break;
          }
        }
      }
    } else if (subpath === ".") target = pickCondition(exportsMap);
    if (target) return join(packageDir, target);
    return undefined;
  }
  if (subpath !== ".") return withExtension(join(packageDir, subpath));
  return withExtension(join(packageDir, manifest.main ?? manifest.module ?? "index.js"));
}

function pickCondition(value: Exports): string | undefined {
  if (typeof value === "string") return value;
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const picked = pickCondition(item);
      if (picked) return picked;
    }
    return undefined;
  }
  for (const [condition, target] of Object.entries(value)) {
    if (CONDITIONS.includes(condition)) {
      const picked = pickCondition(target);
      if (picked) return picked;
    }
  }
  return undefined;
}

/** CommonJS-style file lookup for packages without an exports map. */
function withExtension(path: string): string | undefined {
  for (const candidate of [path, `${path}.js`, `${path}.mjs`, `${path}.cjs`, `${path}.json`, join(path, "index.js")]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}
