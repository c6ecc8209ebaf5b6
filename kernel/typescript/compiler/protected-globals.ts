/**
 * Refuses a cell whose top level declares the name of a JavaScript built-in (`class Map`,
 * `const JSON`, `let Date`, `function Promise`, `const Buffer`), with an error at the name that
 * says what to do instead.
 *
 * Why: a cell's top-level declarations live in the global scope of the realm the kernel runs in
 * (V8's REPL mode, see repl-bindings.ts), and every global lookup of the kernel's own code, the
 * type checker's client and the preloaded library goes through that scope first. A student's
 * `class Map { … }` for a game board replaced `Map` for all of them: every later cell failed with
 * the kernel's own errors ("projectMap.get is not a function") or never answered, and only a
 * restart, which loses every variable, helped. TypeScript accepts such a cell (to it, a cell is a
 * module whose declarations shadow the globals harmlessly), so the kernel checks it itself.
 *
 * Which names: every global of the JavaScript engine (read from a fresh context, so the list is
 * the running V8's own), the Node.js globals the kernel's main thread relies on, and the kernel's
 * `__gradlab`. Other Node.js globals (`Event`, `File`, `Request`, …) and the library's and
 * kernel's display helpers may be declared again. Declarations inside a function or a block, and
 * type-only or `declare` ones, are not affected.
 *
 * Boundary: syntax only (either checker's tree, through Syntax). Runs on: the thread that compiles
 * cells.
 */
import type * as TS from "typescript";
import { runInNewContext } from "node:vm";
import type { CellDiagnostic } from "../shared/compiler-messages.js";
import { bindingNames } from "./cell-declarations.js";
import { cellDiagnostic } from "./cell-compiler.js";
import type { Syntax } from "./syntax.js";

/** Diagnostics of the kernel's own rules carry this code (there is no TypeScript number for them). */
export const KERNEL_RULE_CODE = 0;

const NODE_GLOBALS = [
  "Buffer", "console", "global", "performance", "process", "queueMicrotask", "structuredClone", "TextDecoder", "TextEncoder",
  "URL", "URLSearchParams", "setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "clearImmediate",
];
const KERNEL_GLOBALS = ["__gradlab"];

let protectedNames: ReadonlySet<string> | undefined;

function isProtected(name: string): boolean {
  protectedNames ??= new Set([...(runInNewContext("Object.getOwnPropertyNames(globalThis)") as string[]), ...NODE_GLOBALS, ...KERNEL_GLOBALS]);
  return protectedNames.has(name);
}

/**
 * One error per top-level declaration of a protected name; none for most cells.
 *
 * @example
 * // source of `class Map {}`
 * protectedGlobalDiagnostics(ts, source, toUser); // [{ line: 0, column: 6, message: "'Map' is …", code: 0, … }]
 */
export function protectedGlobalDiagnostics(ts: Syntax, source: TS.SourceFile, toUser: (pos: number) => { line: number; column: number }): CellDiagnostic[] {
  const diagnostics: CellDiagnostic[] = [];
  for (const statement of source.statements) {
    if (isAmbient(ts, statement)) continue;
    for (const name of runtimeNames(ts, statement)) {
      if (!isProtected(name.text)) continue;
      diagnostics.push(cellDiagnostic(toUser(name.getStart()), toUser(name.end), protectedNameMessage(name.text), KERNEL_RULE_CODE, false));
    }
  }
  return diagnostics;
}

function protectedNameMessage(name: string): string {
  return (
    `'${name}' is a built-in of JavaScript or Node.js that the kernel itself uses: declared at the top level of a cell, ` +
    `it would replace the built-in for the whole session and break the kernel. Rename it (for example 'my${name.charAt(0).toUpperCase()}${name.slice(1)}'), ` +
    `or declare it inside a function or a { block }.`
  );
}

/** The names a top-level statement binds at run time (not types). */
function runtimeNames(ts: Syntax, statement: TS.Statement): TS.Identifier[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => bindingNames(ts, d.name));
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) return statement.name ? [statement.name] : [];
  if (ts.isModuleDeclaration(statement)) return ts.isIdentifier(statement.name) ? [statement.name] : [];
  if (ts.isImportEqualsDeclaration(statement)) return statement.isTypeOnly ? [] : [statement.name];
  if (ts.isImportDeclaration(statement)) return importedNames(ts, statement);
  return [];
}

function importedNames(ts: Syntax, statement: TS.ImportDeclaration): TS.Identifier[] {
  const clause = statement.importClause;
  if (!clause || clause.isTypeOnly) return [];
  const names = clause.name ? [clause.name] : [];
  const bindings = clause.namedBindings;
  if (!bindings) return names;
  if (ts.isNamespaceImport(bindings)) return [...names, bindings.name];
  return [...names, ...bindings.elements.filter((element) => !element.isTypeOnly).map((element) => element.name)];
}

function isAmbient(ts: Syntax, statement: TS.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
}
