/**
 * The library's doc comments show examples with their printed result (`@example exp(tensor([0]))
 * // tensor([1.])`); a student reads them in the kernel's inspection. This runs every such example
 * of stdlib/ (the TypeScript transpiled, the library's exports in scope) and checks that it prints
 * what its comment says, so a comment cannot drift from the code it documents. Examples whose
 * comment describes rather than shows a value (`// both [3, 2]`) are not compared.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as library from "../../stdlib/index.js";

const STDLIB = join(import.meta.dirname, "../../stdlib");

interface Example {
  file: string;
  code: string;
  shown: string;
}

/** `@example <code> // <shown>` lines whose shown part is a printed value (a tensor, an array, a number, a boolean, a string). */
function examples(): Example[] {
  const found: Example[] = [];
  for (const file of readdirSync(STDLIB, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".ts")) continue;
    for (const match of readFileSync(join(STDLIB, file), "utf8").matchAll(/@example (.*?) \/\/ (.*?)(?:\s*\*\/)?$/gm)) {
      const [, code, shown] = match as unknown as [string, string, string];
      // Internal helpers' examples (a name the library does not export) are for maintainers.
      const first = /^(?:const\s+\[?[\w\s,]*\]?\s*=\s*)?([\w$]+)/.exec(code)?.[1];
      if (first === undefined || !(first in library)) continue;
      if (/^(tensor\(|array\(|\[|-?\d|true|false|")/.test(shown)) found.push({ file, code, shown });
    }
  }
  return found;
}

/** Runs an example's statements and returns its last expression's value as a cell would print it. */
function run(code: string): string {
  const statements = code.split(";").map((s) => s.trim()).filter((s) => s.length > 0);
  const last = statements.pop()!;
  const body = [...statements.map((s) => `${s};`), `return (${last});`].join("\n");
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const names = Object.keys(library);
  const value: unknown = new Function(...names, js)(...names.map((n) => (library as Record<string, unknown>)[n]));
  return printed(value);
}

function printed(value: unknown): string {
  if (library.isTensor(value)) return inspect(value);
  if (Array.isArray(value) && value.some(library.isTensor)) return `[${value.map(printed).join(", ")}]`;
  return JSON.stringify(value);
}

/** Whitespace-insensitive; `shown` may go on after the value (`, shape [2, 2]`) or cut it short with `…`. */
function agrees(printed: string, shown: string): boolean {
  const norm = (s: string) => s.replace(/\s+/g, "").replace(/'/g, '"');
  const [value, expected] = [norm(printed), norm(shown)];
  if (expected.endsWith("…")) return value.startsWith(expected.slice(0, -1));
  return expected.startsWith(value) && (expected.length === value.length || /^[,:]/.test(expected.slice(value.length)));
}

describe("doc comment examples print what they say", () => {
  const all = examples();
  it("finds the examples", () => expect(all.length).toBeGreaterThan(80));
  for (const { file, code, shown } of all) {
    it(`${file}: ${code}`, () => {
      const printed = run(code);
      expect(agrees(printed, shown), `prints ${printed}`).toBe(true);
    });
  }
});
