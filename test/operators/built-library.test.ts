/**
 * The rewrite against the BUILT library (dist/stdlib/index.d.ts and index.js, what the kernel
 * preloads), inside a language service with in-memory files and a prelude of global aliases the
 * way the kernel sets cells up: the probe program must work from such a program, and the
 * emitted JavaScript must run against the built stdlib.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ts } from "./harness.js";
import { rewriteTensorOperators } from "../../kernel/typescript/operators/rewrite.js";
import { openBuiltLibrary, type BuiltLibrary } from "../support/built-library.js";

const MARKER = "\n;export {};\n";

let built: BuiltLibrary;
let lib: Record<string, unknown>;

beforeAll(async () => {
  built = await openBuiltLibrary();
  lib = built.exports;
});

/** Loads the cell, rewrites it, checks the rewrite in the same service, returns errors and the emitted JS. */
function compileCell(code: string): { errors: string[]; js: string; rewritten: boolean } {
  const { service, cellPath } = built;
  built.setCellText(code + MARKER);
  const program = service.getProgram()!;
  const rewrite = rewriteTensorOperators(ts, program, program.getSourceFile(cellPath)!);
  if (rewrite) built.setCellText(rewrite.text);
  const errors = [...service.getSemanticDiagnostics(cellPath), ...(rewrite?.diagnostics ?? [])].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  const js = service.getEmitOutput(cellPath).outputFiles.find((f) => f.name.endsWith(".js"))!.text;
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
    const { service, cellPath } = built;
    const code = "const t = tensor(1);\nconst q = (t + 1).";
    built.setCellText(code + MARKER);
    const program = service.getProgram()!;
    expect(rewriteTensorOperators(ts, program, program.getSourceFile(cellPath)!), "a cell with a syntax error is left alone by default").toBeUndefined();
    const rewrite = rewriteTensorOperators(ts, program, program.getSourceFile(cellPath)!, { allowSyntaxErrors: true })!;
    built.setCellText(rewrite.text);
    const names = service.getCompletionsAtPosition(cellPath, rewrite.toGeneratedPosition(code.length), {})!.entries.map((e) => e.name);
    expect(names).toContain("backward");
    expect(names).toContain("item");
  });
});
