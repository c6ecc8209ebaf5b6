/**
 * Test harness for the operator rewrite: builds real TypeScript programs in which a cell sees the
 * stdlib's exports (from the stdlib's own sources) as globals, the way the kernel's prelude
 * makes them global, runs the rewrite, type-checks the result, and evaluates the emitted
 * JavaScript against the real stdlib. Both checkers: TypeScript 6's (rewrite.ts, a program per
 * cell) and TypeScript 7's native one (native-rewrite.ts, one native project whose cell file
 * changes), behind the same `compile` and `rewriteOf`.
 */
import type * as TS from "typescript";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as index from "../../stdlib/index.js";
import { __gradlabOps } from "../../stdlib/operators.js";
import { rewriteTensorOperators, type OperatorRewrite } from "../../kernel/typescript/operators/rewrite.js";
import { rewriteTensorOperatorsNatively, type NativeOperatorRewrite } from "../../kernel/typescript/operators/native-rewrite.js";
import { nativeSourceFile, nativeSyntax } from "../../kernel/typescript/compiler/native-syntax.js";
import { NativeChecker } from "../../kernel/typescript/compiler/native-checker.js";
import { kernelFileNames } from "../../kernel/typescript/compiler/language-host.js";
import { tensorElementsText } from "../../kernel/typescript/compiler/library-prelude.js";
import { DiagnosticCategory, type Project } from "typescript7/unstable/sync";

export const ts = createRequire(import.meta.url)("typescript") as typeof TS;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = path.join(root, "test/operators");
export const CELL = path.join(dir, "__cell.ts");
const GLOBALS = path.join(dir, "__globals.ts");

/** What a cell sees: the stdlib index's exports (and `__gradlabOps`, whether or not the index exports it yet). */
const modules: Array<[string, Record<string, unknown>]> = [["../../stdlib/index.js", index]];
const origin = new Map<string, number>();
modules.forEach(([, m], i) => {
  for (const name of Object.keys(m)) if (/^[A-Za-z_$][\w$]*$/.test(name) && name !== "__gradlabOps") origin.set(name, i);
});
const lib: Record<string, unknown> = Object.fromEntries([...origin].map(([name, i]) => [name, modules[i]![1][name]]));

function globalNames(): string[] {
  return [...origin.keys(), "__gradlabOps"];
}

function globalsText(): string {
  const lines = modules.map(([spec], i) => `import * as __m${i} from ${JSON.stringify(spec)};`);
  lines.push(`import * as __ops from "../../stdlib/operators.js";`, `declare global {`, `  export import __gradlabOps = __ops.__gradlabOps;`);
  for (const [name, i] of origin) lines.push(`  export import ${name} = __m${i}.${name};`);
  lines.push(`  export import TensorLike = __m0.TensorLike;`);
  lines.push(`}`);
  // A tensor's elements read as tensors and are read-only, as the kernel's prelude declares.
  lines.push(...tensorElementsText(modules[0]![0]));
  lines.push(`export {};`, ``);
  return lines.join("\n");
}

const options: TS.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  lib: ["lib.es2023.d.ts"],
  types: [],
  noEmit: true,
};

const sourceCache = new Map<string, TS.SourceFile>();
const baseHost = ts.createCompilerHost(options, true);
let previous: TS.Program | undefined;
let globals: string | undefined;

/** A program of the stdlib, the globals file and `code` as the cell (a module, as in the kernel). */
export function programFor(code: string): { program: TS.Program; cell: TS.SourceFile; text: string } {
  globals ??= globalsText();
  const text = code + "\nexport {};\n";
  const host: TS.CompilerHost = {
    ...baseHost,
    getSourceFile(fileName, languageVersion) {
      if (fileName === CELL) return ts.createSourceFile(fileName, text, languageVersion, true);
      if (fileName === GLOBALS) return ts.createSourceFile(fileName, globals!, languageVersion, true);
      let sf = sourceCache.get(fileName);
      if (!sf) {
        sf = baseHost.getSourceFile(fileName, languageVersion);
        if (sf) sourceCache.set(fileName, sf);
      }
      return sf;
    },
    fileExists: (f) => f === CELL || f === GLOBALS || baseHost.fileExists(f),
    readFile: (f) => (f === CELL ? text : f === GLOBALS ? globals : baseHost.readFile(f)),
  };
  const program = ts.createProgram({ rootNames: [GLOBALS, CELL], options, host, oldProgram: previous });
  previous = program;
  return { program, cell: program.getSourceFile(CELL)!, text };
}

/** The two checkers the rewrite runs on. */
export const CHECKERS = ["typescript6", "native"] as const;
export type CheckerKind = (typeof CHECKERS)[number];

/** What the tests read of a rewrite, on either checker. */
export type AnyRewrite = Pick<OperatorRewrite, "text" | "toOriginalPosition" | "toGeneratedPosition"> & {
  diagnostics: ReadonlyArray<{ start?: number | undefined; length?: number | undefined }>;
  checked?: { text: string } | undefined;
};

export interface Compiled {
  rewrite: AnyRewrite | undefined;
  /** The text that is checked and run: the rewrite's, or the cell's own. */
  text: string;
  /** Errors of the checked text (positions in the user's text) plus the rewrite's own. */
  errors: Array<{ start: number; message: string; code: number }>;
}

/** Rewrites and type-checks a cell as the kernel does (TypeScript 6, or `checker`). */
export function compile(code: string, checker: CheckerKind = "typescript6"): Compiled {
  if (checker === "native") return compileNatively(code);
  const { program, cell, text } = programFor(code);
  const rewrite = rewriteTensorOperators(ts, program, cell);
  let checked = program;
  if (rewrite) {
    const host: TS.CompilerHost = {
      ...baseHost,
      getSourceFile: (f, v) => (f === CELL ? ts.createSourceFile(f, rewrite.text, v, true) : program.getSourceFile(f) ?? baseHost.getSourceFile(f, v)),
      fileExists: (f) => f === CELL || program.getSourceFile(f) !== undefined || baseHost.fileExists(f),
    };
    checked = ts.createProgram({ rootNames: [GLOBALS, CELL], options, host, oldProgram: program });
  }
  const toUser = (pos: number) => (rewrite ? rewrite.toOriginalPosition(pos) : pos);
  const errors = [
    ...checked.getSyntacticDiagnostics(checked.getSourceFile(CELL)),
    ...checked.getSemanticDiagnostics(checked.getSourceFile(CELL)),
  ].map((d) => ({ start: toUser(d.start ?? 0), message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), code: d.code }));
  for (const d of rewrite?.diagnostics ?? []) errors.push({ start: d.start!, message: String(d.messageText), code: d.code });
  return { rewrite, text: rewrite ? rewrite.text : text, errors };
}

/**
 * Compiles `code`, requires it to type-check, runs it with the stdlib as globals and returns
 * the named variables.
 */
export function run(code: string, names: string[], checker: CheckerKind = "typescript6"): Record<string, any> {
  const compiled = compile(code, checker);
  if (compiled.errors.length > 0) throw new Error(`type errors in cell:\n${compiled.errors.map((e) => e.message).join("\n")}\n---\n${compiled.text}`);
  return evaluate(compiled.text, names);
}

/** Emits `text` to JavaScript and runs it with the stdlib as globals. */
export function evaluate(text: string, names: string[]): Record<string, any> {
  const js = ts.transpileModule(text.replace(/\nexport \{\};\n$/, "\n"), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const scope = globalNames();
  const values = scope.map((n) => (n === "__gradlabOps" ? __gradlabOps : lib[n]));
  const body = `"use strict";\n${js}\nreturn { ${names.join(", ")} };`;
  return new Function(...scope, body)(...values) as Record<string, any>;
}

/** The rewrite alone (undefined: the cell compiles as written), on either checker. */
export function rewriteOf(code: string, checker: CheckerKind = "typescript6"): AnyRewrite | undefined {
  if (checker === "native") return nativeRewrite(code).rewrite;
  const { program, cell } = programFor(code);
  return rewriteTensorOperators(ts, program, cell);
}

// The native side: one native project (a child process) over the same globals, its cell file
// replaced per cell, as the kernel's compiler worker does.
const nativeNames = kernelFileNames(dir);
/** Module-local, as in the kernel's prelude (library-prelude.ts): where the Tensor type is read. */
const WITNESS = "declare const __gradlab_tensor: ReturnType<typeof __ops.__gradlabOps.neg>;\n";
let native: NativeChecker | undefined;

function nativeChecker(): NativeChecker {
  if (!native) {
    // The options `options` above says in TypeScript 6's terms (strict, implicit any an error).
    const nativeOptions = { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, skipLibCheck: true, lib: ["es2023"], types: [] };
    native = new NativeChecker(dir, nativeNames, [nativeNames.prelude, nativeNames.cell], undefined, nativeOptions);
    native.setFile(nativeNames.prelude, (globals ??= globalsText()) + WITNESS);
  }
  return native;
}

/** Stops the native checker's process (call from afterAll of a file that used it). */
export function closeNative(): void {
  native?.close();
  native = undefined;
}

function nativeRewrite(code: string): { rewrite: NativeOperatorRewrite | undefined; text: string; check(text: string): Project } {
  const checker = nativeChecker();
  const text = code + "\nexport {};\n";
  const check = (t: string): Project => {
    checker.setFile(nativeNames.cell, t);
    return checker.project();
  };
  const project = check(text);
  // The cell's tree from the native checker, read through nativeSyntax, as the kernel does.
  const source = nativeSourceFile(project, nativeNames.cell);
  const globalsFile = nativeNames.prelude;
  const witness = { file: globalsFile, position: globals!.length + "declare const ".length };
  const rewrite = rewriteTensorOperatorsNatively(nativeSyntax, source, { file: nativeNames.cell, project, check, tensorWitness: witness });
  return { rewrite, text, check };
}

/**
 * The native rewrite of `code` with every question to the native process counted by name:
 * the checker's methods (`getTypeAtLocation`, ...) and `check` (a new cell text in the project).
 */
export function nativeQuestions(code: string): { rewrite: NativeOperatorRewrite | undefined; asked: string[] } {
  const asked: string[] = [];
  const counted = (project: Project): Project => {
    const checker = new Proxy(project.checker, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver);
        return typeof value === "function" ? (...args: unknown[]) => (asked.push(String(name)), value.apply(target, args)) : value;
      },
    });
    return new Proxy(project, { get: (target, name, receiver) => (name === "checker" ? checker : Reflect.get(target, name, receiver)) });
  };
  const checker = nativeChecker();
  const text = code + "\nexport {};\n";
  const check = (t: string): Project => {
    asked.push("check");
    checker.setFile(nativeNames.cell, t);
    return counted(checker.project());
  };
  checker.setFile(nativeNames.cell, text);
  const project = checker.project();
  const source = nativeSourceFile(project, nativeNames.cell);
  const witness = { file: nativeNames.prelude, position: globals!.length + "declare const ".length };
  const rewrite = rewriteTensorOperatorsNatively(nativeSyntax, source, { file: nativeNames.cell, project: counted(project), check, tensorWitness: witness }, { syntaxChecked: true });
  return { rewrite, asked };
}

/** `compile` on the native checker: the final text (or the probe standing for it) checked natively. */
function compileNatively(code: string): Compiled {
  const { rewrite, text, check } = nativeRewrite(code);
  const project = rewrite?.checked ? rewrite.checked.project : check(rewrite ? rewrite.text : text);
  const toUser = (pos: number) => (rewrite?.checked ? rewrite.checked.toOriginalPosition(pos) : rewrite ? rewrite.toOriginalPosition(pos) : pos);
  const file = nativeNames.cell;
  const errors = [...project.program.getSyntacticDiagnostics(file), ...project.program.getSemanticDiagnostics(file)]
    .filter((d) => d.category === DiagnosticCategory.Error)
    .map((d) => ({ start: toUser(d.pos), message: flatten(d), code: d.code }));
  for (const d of rewrite?.diagnostics ?? []) errors.push({ start: d.start, message: d.message, code: d.code });
  return { rewrite, text: rewrite ? rewrite.text : text, errors };
}

function flatten(d: { text: string; messageChain?: readonly { text: string; messageChain?: unknown }[] | undefined }, depth = 0): string {
  let text = d.text;
  for (const next of d.messageChain ?? []) text += `\n${"  ".repeat(depth + 1)}${flatten(next as typeof d, depth + 1)}`;
  return text;
}
