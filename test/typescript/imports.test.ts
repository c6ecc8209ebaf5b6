/**
 * Imports in cells: Node built-ins, an ESM-only package with top-level await, a CommonJS package,
 * a relative module, dynamic import(), require — resolved from the notebook's folder, with types
 * where the package has them, and persisting into later cells.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { resultText, startSession, type Session } from "./helpers.js";

let s: Session;
beforeAll(async () => {
  s = await startSession({ library: null });
});
afterAll(async () => {
  await s.executor.shutdown(false);
});

it("imports Node built-ins, with types, and keeps them for later cells", async () => {
  expect(resultText(await s.run("import { join } from 'node:path'\nimport * as os from 'os'\njoin('a', 'b')"))).toBe("'a/b'");
  expect(resultText(await s.run("typeof os.cpus"))).toBe("'function'");
  const outcome = await s.run("const n: number = join('x', 'y')");
  expect(outcome.status === "error" && outcome.ename).toBe("TSError");
});

it("imports an ESM-only package with top-level await, default and named", async () => {
  expect(resultText(await s.run("import greet, { answer } from 'esm-only-pkg'\n`${greet('you')} ${answer}`"))).toBe("'hello you 42'");
  expect(resultText(await s.run("greet('again')"))).toBe("'hello again'");
  const typed = await s.run("const wrong: string = answer");
  expect(typed.status === "error" && typed.evalue).toContain("not assignable");
  expect(resultText(await s.run("import { extra } from 'esm-only-pkg/extra'\nextra"))).toBe("'extra'");
});

it("imports a CommonJS package by default and by name", async () => {
  expect(resultText(await s.run("import cjs from 'cjs-pkg'\nimport { double } from 'cjs-pkg'\n[cjs.kind, double(21)]"))).toBe("[ 'commonjs', 42 ]");
});

it("supports dynamic import(), relative modules and require", async () => {
  expect(resultText(await s.run("const dyn = await import('esm-only-pkg')\ndyn.answer"))).toBe("42");
  expect(resultText(await s.run("const local = await import('./local-helper.mjs')\nlocal.localValue"))).toBe("7");
  expect(resultText(await s.run("require('cjs-pkg').double(4)"))).toBe("8");
});

it("resolves the kernel's own dependencies from any notebook folder", async () => {
  expect(resultText(await s.run("const ts = await import('typescript')\ntypeof ts.createSourceFile"))).toBe("'function'");
});

it("reports a missing package as an error", async () => {
  const outcome = await s.run("// @ts-nocheck\nawait import('no-such-package-here')");
  expect(outcome.status === "error" && outcome.evalue).toContain("no-such-package-here");
});
