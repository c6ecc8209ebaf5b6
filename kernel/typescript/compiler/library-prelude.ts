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

/** The library's tensor class; inspection shows an undocumented method the doc comment of the function of the same name. */
export const TENSOR_CLASS = "Tensor";

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
export function preludeText(libraryTypes: string, names: string[], options: { tensorElements?: boolean } = {}): string {
  const specifier = libraryTypes.replace(/\.d\.ts$/, ".js");
  const lines = [`import * as __gradlab_library from ${JSON.stringify(specifier)};`, "declare global {"];
  for (const name of names) lines.push(`  export import ${name} = __gradlab_library.${name};`);
  lines.push("}");
  if (options.tensorElements && names.includes("Tensor")) lines.push(...tensorElementsText(specifier));
  // Module-local (no cell sees it): the tensor-operators rewrite reads the library's Tensor type
  // here in one type query, where reaching it through `__gradlabOps` takes seven round trips.
  // Written as the exported class where there is one (the same type as `neg`'s result, which the
  // checker then need not instantiate: 0.3 instead of 0.6 ms for a cell's first look).
  if (names.includes(OPERATOR_HELPERS)) {
    const tensor = names.includes("Tensor") ? "__gradlab_library.Tensor" : `ReturnType<typeof __gradlab_library.${OPERATOR_HELPERS}.neg>`;
    lines.push(`declare const ${TENSOR_WITNESS}: ${tensor};`);
  }
  lines.push("export {};", "");
  return lines.join("\n");
}

/**
 * In cells, `t[i]` on a tensor is `t.at(i)` (the operators rewrite), so the checker is told that
 * a tensor's elements read as tensors, and only read: `w[0] = 1`, `w[0] += 1` and `m[i][j] = v`
 * are then TypeScript's own error TS2542 ("Index signature in type 'Tensor' only permits
 * reading") on either checker, where before they compiled (to a property named "0" that nothing
 * reads) because cells allow implicit `any`. Tensors are immutable; beginner-hints.ts says what to
 * write instead. Only with the rewrite on: without it `t[i]` is plain JavaScript (undefined), and
 * plain Node (no rewrite) never sees this declaration. The Tensor class is declared in the
 * library's tensor module, next to its index module.
 */
export function tensorElementsText(indexSpecifier: string): string[] {
  const tensorModule = indexSpecifier.replace(/index\.js$/, "tensor.js");
  return [`declare module ${JSON.stringify(tensorModule)} {`, "  interface Tensor { readonly [index: number]: Tensor; }", "}"];
}

/** The library's operator helpers (stdlib/operators.ts): `neg` returns the library's Tensor. */
const OPERATOR_HELPERS = "__gradlabOps";
const TENSOR_WITNESS = "__gradlab_tensor";

/**
 * Where in the prelude the library's Tensor type can be read (the type at that position), or
 * undefined when the library has no operator helpers.
 *
 * @example
 * checker.getTypeAtPosition(names.prelude, tensorWitnessPosition(prelude)!); // Tensor
 */
export function tensorWitnessPosition(prelude: string): number | undefined {
  const at = prelude.indexOf(`declare const ${TENSOR_WITNESS}:`);
  return at < 0 ? undefined : at + "declare const ".length;
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
