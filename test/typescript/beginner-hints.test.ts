// The one-line hints under the compiler errors a Python user meets first, seen where a student sees
// them: the error output of a cell run by the real executor with the real preloaded library.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorText, startKernelSession, type KernelSession } from "../operators/kernel-session.js";
import { ensureBuilt } from "./helpers.js";

let session: KernelSession;
beforeAll(async () => {
  ensureBuilt();
  session = await startKernelSession();
}, 120_000);
afterAll(async () => {
  await session?.executor.shutdown(false);
});

/** The traceback lines of a failed cell. */
async function tracebackOf(code: string): Promise<string[]> {
  return errorText(await session.run(code)).split("\n");
}

/** Asserts the compiler's message, its source excerpt and caret, then exactly this hint. */
async function expectHint(code: string, message: string, hint: string): Promise<void> {
  const lines = await tracebackOf(code);
  const at = lines.findIndex((l) => l.includes(message));
  expect(at, lines.join("\n")).toBeGreaterThanOrEqual(0);
  expect(lines[at + 2], "the caret line follows the source line").toMatch(/^\s*\| *\^+$/);
  expect(lines[at + 3]).toBe(`Hint: ${hint}`);
  expect(lines.filter((l) => l.startsWith("Hint: "))).toHaveLength(1);
}

describe("beginner hints in type-error output", () => {
  it("'w.grad' is possibly 'null' (TS18047): write w.grad! once backward() has run", async () => {
    await expectHint(
      "let w = torch.tensor([-1.], { requiresGrad: true });\nlet f = (w * w).sum();\nf.backward();\nconsole.log(w.grad.item());",
      "'w.grad' is possibly 'null'. (TS18047)",
      "once backward() has run, write `w.grad!`: the `!` tells TypeScript it is not null here.",
    );
  });

  it("assigning to a const (TS2588): declare it with let", async () => {
    await expectHint("const learningRate = 0.5;\nlearningRate = 0.1;", "Cannot assign to 'learningRate' because it is a constant. (TS2588)",
      "declare `learningRate` with `let` instead of `const` if its value should change.");
  });

  it("Python names: True, None, len, print, range, def", async () => {
    await expectHint("let done = True;", "Cannot find name 'True'. (TS2304)", "TypeScript writes `true` (lower case).");
    await expectHint("let grad0 = None;", "Cannot find name 'None'. (TS2304)", "TypeScript writes `null` (or `undefined` for \"not set\").");
    await expectHint("const n = len(tensor([1, 2, 3]));", "Cannot find name 'len'. (TS2304)",
      "an array's length is `xs.length`, a tensor's first dimension `t.shape[0]`.");
    await expectHint('print("f =", 3);', "Cannot find name 'print'. (TS2304)",
      "print with `console.log(...)`, or end the cell with the expression to show its value.");
    await expectHint("for (const i of range(3)) console.log(i);", "Cannot find name 'range'. Did you mean 'arange'? (TS2552)",
      "count with `for (let i = 0; i < n; i++) { ... }`, or use `arange(n)` for a tensor.");
    await expectHint("def f1(x):\n    return 3 * x", "Unexpected keyword or identifier. (TS1434)",
      "a function is written `function f(x: Tensor) { return ...; }`.");
  });

  it("-x ** 2 (TS17006): the minus needs parentheses", async () => {
    await expectHint("const x = tensor([1, 2]);\nconst y = -x ** 2;", "(TS17006)",
      "Python reads `-x**2` as `-(x**2)`; TypeScript wants the parentheses written: `-(x ** 2)`.");
  });

  it("x.size() / xs.length() (TS2349): properties, not methods", async () => {
    await expectHint("const t = tensor([1, 2]);\nconsole.log(t.size());", "Type 'Number' has no call signatures. (TS2349)",
      "`.length` and `.size` are values here, not methods: drop the `()`.");
  });

  it("import numpy as np: one hint for the line's several syntax errors", async () => {
    const lines = await tracebackOf("import numpy as np");
    expect(lines.filter((l) => l.includes("(TS1005)")).length).toBeGreaterThan(1);
    expect(lines.filter((l) => l.startsWith("Hint: "))).toEqual([
      "Hint: no import is needed: `np`, `torch`, `d2l`, `grad`, `tensor` and the rest of the library are preloaded.",
    ]);
  });

  it("importing the library's own names (TS2307): no import is needed", async () => {
    for (const code of ['import torch from "torch";', 'import * as np from "numpy";', 'import { nd } from "mxnet";']) {
      const lines = await tracebackOf(code);
      expect(lines.filter((l) => l.startsWith("Hint: ")), code).toEqual([
        "Hint: no import is needed: `np`, `torch`, `d2l`, `grad`, `tensor` and the rest of the library are preloaded.",
      ]);
    }
  });

  it("a package that is not installed (TS2307): how to install it", async () => {
    await expectHint('import _ from "lodash";', "Cannot find module 'lodash' or its corresponding type declarations. (TS2307)",
      "`lodash` is not installed where this notebook looks: run `npm install lodash` in the notebook's folder, then run this cell again.");
    await expectHint('import { x } from "@scope/pkg/deep/path";', "Cannot find module '@scope/pkg/deep/path' or its corresponding type declarations. (TS2307)",
      "`@scope/pkg` is not installed where this notebook looks: run `npm install @scope/pkg` in the notebook's folder, then run this cell again.");
    // A relative path names a file of the user's, not a package: the compiler's message says it all.
    const lines = await tracebackOf('import * as mine from "./no-such-file.js";');
    expect(lines.filter((l) => l.startsWith("Hint: "))).toEqual([]);
  });

  it("says nothing where it has nothing certain to say, and leaves evalue as the compiler's message", async () => {
    for (const code of [
      'let r: number = "a";',                                             // TS2322: an ordinary type error
      "let maybe: { v: number } | null = null as any;\nmaybe.v;",        // TS18047, but not a .grad
      "let notDefinedAnywhere2 = someName;",                              // TS2304, not a Python name
    ]) {
      const lines = await tracebackOf(code);
      expect(lines.filter((l) => l.startsWith("Hint: ")), code).toEqual([]);
    }
    const outcome = await session.run("let ok = True;");
    expect(outcome.status === "error" && outcome.evalue).toBe("Cannot find name 'True'.");
  });
});
