/**
 * When the checker loads @types/node: only for a cell that really uses a Node global or imports a
 * built-in module, never for the word in a comment, a string or a property name.
 */
import { createRequire, isBuiltin } from "node:module";
import type * as TS from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usesNodeApi } from "../../kernel/typescript/compiler/node-usage.js";
import { resultText, startSession, type Session } from "./helpers.js";

const ts = createRequire(import.meta.url)("typescript") as typeof TS;

describe("usesNodeApi", () => {
  it.each([
    ["process.env.HOME", true],
    ["const b = Buffer.from('a')", true],
    ["let t: NodeJS.Timeout", true],
    ["({ process })", true],
    ["`pid ${process.pid}`", true],
    ['import { join } from "node:path"', true],
    ['import fs from "fs"', true],
    ['export { readFile } from "node:fs/promises"', true],
    ['const os = await import("os")', true],
    ['const os = require("os")', true],
    ['type P = typeof import("node:path")', true],
  ])("%s uses Node's API", (code, expected) => {
    expect(usesNodeApi(ts, code, isBuiltin)).toBe(expected);
  });

  it.each([
    ["// Initialize as tensors that require gradients\nlet w = 1"],
    ["/* the module exports */ const a = 2"],
    ['const s = "process the Event"'],
    ["const t = `a global view`"],
    ["obj.module + obj.process"],
    ["const o = { Event: 1, require: 2 }"],
    ["const { exports: e } = { exports: 3 }"],
    ["class K { process() {} }"],
    ['import { tensor } from "./local.js"'],
    ['const name = "fs"'],
  ])("%s does not", (code) => {
    expect(usesNodeApi(ts, code, isBuiltin)).toBe(false);
  });
});

describe("the session's checker", () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  it("keeps Node's types unloaded for a comment, then loads them for a real use", async () => {
    expect(resultText(await s.run("// values that require gradients, the module's exports\nconst plain = 1\nplain"))).toBe("1");
    expect((await s.executor.compilerStatus()).nodeTypes).toBe(false);
    expect(resultText(await s.run("typeof process.pid"))).toBe("'number'");
    expect((await s.executor.compilerStatus()).nodeTypes).toBe(true);
  });
});
