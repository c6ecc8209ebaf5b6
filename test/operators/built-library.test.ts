/**
 * The rewrite against the BUILT library (dist/stdlib/index.d.ts and index.js, what the kernel
 * preloads), inside a language service with in-memory files and a prelude of global aliases the
 * way the kernel sets cells up: the probe program must work from such a program, and the
 * emitted JavaScript must run against the built stdlib.
 */
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type * as TS from "typescript";
import { ts } from "./harness.js";
import { rewriteTensorOperators } from "../../kernel/typescript/operators.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const typesPath = path.join(root, "dist/stdlib/index.d.ts");
const modulePath = path.join(root, "dist/stdlib/index.js");
const CELL = path.join(root, "__virtual__/cell.ts");
const PRELUDE = path.join(root, "__virtual__/prelude.ts");
const MARKER = "\n;export {};\n";

let lib: Record<string, unknown>;
let service: TS.LanguageService;
const files = new Map<string, { text: string; version: number }>();

function setFile(name: string, text: string): void {
  files.set(name, { text, version: (files.get(name)?.version ?? 0) + 1 });
}

beforeAll(async () => {
  expect(existsSync(typesPath), "the build (npm run build) emits dist/stdlib/index.d.ts").toBe(true);
  lib = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const names = Object.keys(lib).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  setFile(PRELUDE, [
    `import * as __lib from ${JSON.stringify(modulePath)};`,
    "declare global {",
    ...names.map((n) => `  export import ${n} = __lib.${n};`),
    "}",
    "export {};",
  ].join("\n"));
  setFile(CELL, "export {};");
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, skipLibCheck: true, lib: ["lib.es2023.d.ts"], types: [],
  };
  const host: TS.LanguageServiceHost = {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [PRELUDE, CELL],
    getScriptVersion: (f) => String(files.get(f)?.version ?? 0),
    getScriptSnapshot: (f) => {
      const text = files.get(f)?.text ?? ts.sys.readFile(f);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => files.has(f) || ts.sys.fileExists(f),
    readFile: (f) => files.get(f)?.text ?? ts.sys.readFile(f),
  };
  service = ts.createLanguageService(host, ts.createDocumentRegistry());
});

/** Loads the cell, rewrites it, checks the rewrite in the same service, returns errors and the emitted JS. */
function compileCell(code: string): { errors: string[]; js: string; rewritten: boolean } {
  setFile(CELL, code + MARKER);
  const program = service.getProgram()!;
  const rewrite = rewriteTensorOperators(ts, program, program.getSourceFile(CELL)!);
  if (rewrite) setFile(CELL, rewrite.text);
  const errors = [...service.getSemanticDiagnostics(CELL), ...(rewrite?.diagnostics ?? [])].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  const js = service.getEmitOutput(CELL).outputFiles.find((f) => f.name.endsWith(".js"))!.text;
  return { errors, js, rewritten: rewrite !== undefined };
}

function runJs(js: string, names: string[]): Record<string, any> {
  const body = js.replace(/^export \{\};\s*$/m, "").replace(/^;\s*$/m, "");
  const scope = Object.keys(lib).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  return new Function(...scope, `"use strict";\n${body}\nreturn { ${names.join(", ")} };`)(...scope.map((n) => lib[n])) as Record<string, any>;
}

describe("with the built library in a language service", () => {
  it("the chapter's chain example gives ∂f/∂w = −4096", () => {
    const { errors, js, rewritten } = compileCell(`const w = tensor(-1.0, { requiresGrad: true }), x = tensor(0.0, { requiresGrad: true });
const y = tensor(-2.0, { requiresGrad: true }), z = tensor(1.0, { requiresGrad: true });
const [a, b] = [(w + x + y + z) ** 2, (w + x - y - z) ** 2];
const u = (a + b) ** 2, v = (a - b) ** 2;
const f = (u + v) ** 2;
f.backward();
const dw = w.grad!.item();`);
    expect(errors).toEqual([]);
    expect(rewritten).toBe(true);
    expect(runJs(js, ["dw"]).dw).toBe(-4096);
  });

  it("a number-only cell is not rewritten", () => {
    const { errors, rewritten } = compileCell("let s = 0;\nfor (let i = 0; i < 10; i++) s += i * 2 - 1;");
    expect(errors).toEqual([]);
    expect(rewritten).toBe(false);
  });

  it("tensor + string is reported", () => {
    const { errors } = compileCell(`const t = tensor([1, 2]);\nconst s = t + "text";`);
    expect(errors).toEqual([expect.stringMatching(/^Operator '\+' cannot be applied to types 'Tensor' and 'string'\./)]);
  });
});

describe("completion after an operator expression", () => {
  it("lists Tensor's members at `(t + 1).` once the incomplete cell is rewritten", () => {
    const code = "const t = tensor(1);\nconst q = (t + 1).";
    setFile(CELL, code + MARKER);
    const program = service.getProgram()!;
    expect(rewriteTensorOperators(ts, program, program.getSourceFile(CELL)!), "a cell with a syntax error is left alone by default").toBeUndefined();
    const rewrite = rewriteTensorOperators(ts, program, program.getSourceFile(CELL)!, { allowSyntaxErrors: true })!;
    setFile(CELL, rewrite.text);
    const names = service.getCompletionsAtPosition(CELL, rewrite.toGeneratedPosition(code.length), {})!.entries.map((e) => e.name);
    expect(names).toContain("backward");
    expect(names).toContain("item");
  });
});
