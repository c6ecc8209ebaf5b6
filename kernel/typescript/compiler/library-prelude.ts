/**
 * Makes every export of the preloaded library a global name for the checker: a module file that
 * imports the library and re-declares each export inside `declare global` as an alias.
 *
 * Why aliases (`export import tensor = lib.tensor`) rather than `declare const tensor: typeof …`:
 * an alias carries every meaning of the export at once — value, type, namespace, generic
 * parameters — and quick info then shows the export's own signature and doc comment. TypeScript
 * reports TS2667 for imports inside a global augmentation, but binds the alias all the same; that
 * diagnostic lives in the prelude file, whose diagnostics the kernel never asks for. Tests pin the
 * behaviour (test/typescript/language-features.test.ts: completion and inspection of library names;
 * test/operators/built-library.test.ts).
 */
import type * as TS from "typescript";
import type { Project } from "typescript7/unstable/sync";
import { isPlainIdentifier } from "./identifiers.js";

/** The names a module exports (values and types), read from the checker. */
export function exportedNames(ts: typeof TS, program: TS.Program, modulePath: string): string[] {
  const source = program.getSourceFile(modulePath);
  if (!source) return [];
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(source);
  if (!symbol) return [];
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.getName())
    .filter((name) => name !== "default" && isPlainIdentifier(name));
}

/**
 * The prelude's text.
 *
 * @example
 * preludeText("/p/dist/stdlib/index.d.ts", ["tensor", "Tensor"]);
 * // import * as __gradlab_library from "/p/dist/stdlib/index.js";
 * // declare global { export import tensor = __gradlab_library.tensor; … }
 */
export function preludeText(libraryTypes: string, names: string[]): string {
  const specifier = libraryTypes.replace(/\.d\.ts$/, ".js");
  const lines = [`import * as __gradlab_library from ${JSON.stringify(specifier)};`, "declare global {"];
  for (const name of names) lines.push(`  export import ${name} = __gradlab_library.${name};`);
  lines.push("}", "export {};", "");
  return lines.join("\n");
}

/** The same names, read from TypeScript 7's native checker (the module's exports, one round trip). */
export function nativeExportedNames(project: Project, modulePath: string): string[] {
  const source = project.program.getSourceFile(modulePath);
  if (!source) return [];
  const symbol = project.checker.getSymbolAtLocation(source);
  if (!symbol) return [];
  return project.checker
    .getExportsOfModule(symbol)
    .map((s) => s.name)
    .filter((name) => name !== "default" && isPlainIdentifier(name));
}
