/**
 * The native checker's emitter (kernel/typescript/compiler/strip-emit.ts): erases types as text
 * edits and applies the kernel's transforms; the result runs like TypeScript 6's transpiled
 * output, maps every token back to the user's text, and cells with constructs it does not erase
 * are left to the transpiler.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type * as TS from "typescript";
import { MODULE_MARKER, userPositionMapper } from "../../kernel/typescript/compiler/cell-compiler.js";
import { emitCell } from "../../kernel/typescript/compiler/native-cell-compiler.js";
import { stripEmit } from "../../kernel/typescript/compiler/strip-emit.js";
import { originalPosition } from "../../kernel/typescript/shared/source-map.js";
import type { CompileResult } from "../../kernel/typescript/shared/compiler-messages.js";

const ts = createRequire(import.meta.url)("typescript") as typeof TS;
type Compiled = Extract<CompileResult, { kind: "compiled" }>;

function parse(code: string): TS.SourceFile {
  return ts.createSourceFile("/cell.ts", code + MODULE_MARKER, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

function strip(code: string, isValue: (name: TS.Identifier) => boolean = () => true): Compiled | undefined {
  return stripEmit(ts, parse(code), code.length, userPositionMapper(code, undefined), isValue) as Compiled | undefined;
}

function transpile(code: string): Compiled {
  return emitCell(ts, ts, parse(code), code, () => true) as Compiled;
}

/** Runs emitted JS as the kernel would (one async script), returning what it passed to setResult. */
async function run(js: string): Promise<unknown> {
  let result: unknown;
  const runtime = { setResult: (value: unknown) => (result = value), import: async (name: string) => ({ join: (...parts: string[]) => parts.join("/"), name }) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<void>;
  await new AsyncFunction("__gradlab", js)(runtime);
  return result;
}

const CELLS: Record<string, string> = {
  "annotations, optional and definite marks": "let a: number = 1\nlet b!: string\nfunction f(x?: number, y: string = 'y'): string { return `${x}${y}` }\nf(a) + (b ?? '')",
  "interfaces, type aliases, declare and overloads": "interface P { x: number }\ntype Q = P[]\ndeclare const d: number\nfunction g(x: string): string\nfunction g(x: number): number\nfunction g(x: any) { return x }\nconst q: Q = [{ x: g(2) }]\nq[0]!.x",
  "generics, type arguments, as, satisfies, non-null": "const id = <T,>(v: T): T => v\nconst m = new Map<string, number[]>([['k', [3]]])\nconst v = m.get('k')! as number[] satisfies number[]\nid<number>(v[0]!)",
  "classes: modifiers, implements, abstract, index signatures": "interface Named { name: string }\nabstract class Base<T> implements Named { [key: string]: unknown; abstract kind(): string; protected readonly name: string = 'base'; private count?: number }\nclass Leaf extends Base<number> { override kind() { return 'leaf:' + this.name } }\nnew Leaf().kind()",
  "hoisted functions, this parameters, type predicates": "const r = twice(3)\nfunction twice(this: void, n: number): number { return isBig(n) ? n : 2 * n }\nfunction isBig(n: unknown): n is number { return typeof n === 'number' && n > 10 }\nr",
  "imports: type-only names left out": "import { join, type Sep } from 'node:path'\nimport type { Stats } from 'node:fs'\nconst parts: string[] = ['a', 'b']\njoin(...parts)",
};

describe("stripEmit", () => {
  for (const [name, code] of Object.entries(CELLS)) {
    it(`runs like the transpiled cell: ${name}`, async () => {
      const stripped = strip(code);
      expect(stripped).toBeDefined();
      expect(await run(stripped!.js)).toEqual(await run(transpile(code).js));
      expect(stripped!.hasResult).toBe(true);
    });
  }

  it("makes bindings re-declarable and drops exports, as the transpiled cell does", () => {
    const js = strip("export const a = 1\nexport class C {}\nvar v = 2\nexport function f() { return a }")!.js;
    expect(js).toMatch(/^let f = function \(\) \{ return a \};/);
    expect(js).toContain("let a = 1");
    expect(js).toContain("let C = class C {};");
    expect(js).toContain("let v = 2");
    expect(js).not.toContain("export");
  });

  it("captures the last expression's value only without a trailing semicolon, as the transpiled cell does", async () => {
    expect(await run(strip("const k = 2\nk * 3")!.js)).toBe(6);
    expect(await run(strip("const k = 2\nk * 3;")!.js)).toBeUndefined();
    expect(await run(transpile("const k = 2\nk * 3;").js)).toBeUndefined();
  });

  it("leaves out imported names that are only types", () => {
    const js = strip("import { join, Sep } from 'node:path'\njoin('a')", (name) => name.text !== "Sep")!.js;
    expect(js).toContain('let { join } = await __gradlab.import("node:path");');
    expect(strip("import { Sep } from 'node:path'\n1", () => false)!.js).not.toContain("import(");
  });

  it("maps every token back to the user's line and column", () => {
    const code = "interface P { x: number }\nconst p: P = { x: 1 }\nconst bad = (p as any).missing.deep";
    const compiled = strip(code)!;
    const lines = compiled.js.split("\n");
    const line = lines.findIndex((l) => l.includes(".deep"));
    const column = lines[line]!.indexOf("deep");
    expect(originalPosition(compiled.mappings, line, column)).toEqual({ line: 2, column: code.split("\n")[2]!.indexOf("deep") });
  });

  it.each([
    ["an enum", "enum Color { Red }\nColor.Red"],
    ["a namespace with values", "namespace N { export const x = 1 }\nN.x"],
    ["a parameter property", "class P { constructor(private x: number) {} }"],
    ["a decorator", "function dec(c: any) {}\n@dec class D {}"],
    ["an angle-bracket assertion", "const n = <number>(1 as unknown)"],
  ])("leaves %s to the transpiler", (_name, code) => {
    expect(strip(code)).toBeUndefined();
  });
});
