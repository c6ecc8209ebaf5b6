/**
 * Test helper: the BUILT library's declarations (dist/stdlib/index.d.ts) seen the way a kernel cell
 * sees them — every export a global through a prelude of aliases — inside an in-memory TypeScript
 * language service. Tests use it to type-check cell snippets and to list member completions, so
 * what they check is what `npm run build` ships, not the sources.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const typesPath = path.join(root, "dist/stdlib/index.d.ts");
const modulePath = path.join(root, "dist/stdlib/index.js");
const PRELUDE = path.join(root, "__virtual__/prelude.ts");
const CELL = path.join(root, "__virtual__/cell.ts");

/** Source files of stdlib/ newer than their emitted declarations (the build is stale). */
function staleDeclarations(): string[] {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(path.join(root, dir))) {
      const rel = path.join(dir, name);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (rel.endsWith(".ts")) {
        const dts = path.join(root, "dist", rel.replace(/\.ts$/, ".d.ts"));
        if (!existsSync(dts) || statSync(dts).mtimeMs < statSync(path.join(root, rel)).mtimeMs) stale.push(rel);
      }
    }
  };
  walk("stdlib");
  return stale;
}

export interface BuiltLibrary {
  /** The built library's exports (dist/stdlib/index.js), the values cells see as globals. */
  exports: Record<string, unknown>;
  /** The language service over the prelude and the cell file, for tests that drive it directly. */
  service: ts.LanguageService;
  /** The virtual cell file's path in that service. */
  cellPath: string;
  /** Replaces the cell file's text verbatim (no module marker added). */
  setCellText(text: string): void;
  /** Type errors of a cell's code, as "TS<code>: <message>" lines (empty when it checks). */
  diagnostics(code: string): string[];
  /** Member completion names at the end of `code` (which should end with `expr.`). */
  completions(code: string): string[];
}

/** Opens the built library; fails with a clear message when it is missing or older than stdlib/. */
export async function openBuiltLibrary(): Promise<BuiltLibrary> {
  if (!existsSync(typesPath)) throw new Error("dist/stdlib/index.d.ts is missing: run `npm run build` first");
  const stale = staleDeclarations();
  if (stale.length) throw new Error(`dist/ is older than ${stale.join(", ")}: run \`npm run build\` first`);
  const lib = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const names = Object.keys(lib).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  const files = new Map<string, { text: string; version: number }>();
  const setFile = (name: string, text: string) =>
    files.set(name, { text, version: (files.get(name)?.version ?? 0) + 1 });
  setFile(PRELUDE, [
    `import * as __lib from ${JSON.stringify(modulePath)};`,
    "declare global {",
    ...names.map((n) => `  export import ${n} = __lib.${n};`),
    "}",
    "export {};",
  ].join("\n"));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, skipLibCheck: true, lib: ["lib.es2023.d.ts"], types: [],
  };
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [PRELUDE, CELL],
    getScriptVersion: (f) => String(files.get(f)?.version ?? 0),
    getScriptSnapshot: (f) => {
      const text = files.get(f)?.text ?? ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    // Without this, TypeScript assumes a case-insensitive file system and lowercases the keys it
    // looks files up by: from a checkout whose path has capitals, PRELUDE and CELL are not found.
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
    readFile: (f) => files.get(f)?.text ?? ts.sys.readFile(f),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames));
  const cell = (code: string) => setFile(CELL, `${code}\nexport {};\n`);
  return {
    exports: lib,
    service,
    cellPath: CELL,
    setCellText: (text) => setFile(CELL, text),
    diagnostics(code) {
      cell(code);
      return service
        .getSemanticDiagnostics(CELL)
        .map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    },
    completions(code) {
      cell(code);
      const result = service.getCompletionsAtPosition(CELL, code.length, {
        includeCompletionsForModuleExports: false,
        includeCompletionsWithInsertText: true,
      });
      return (result?.entries ?? []).map((e) => e.name);
    },
  };
}
