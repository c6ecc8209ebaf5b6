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

  it("xs.length() / t.size() / t.size(0) (TS2349): values, not methods; PyTorch's size() is the shape", async () => {
    await expectHint("const xs = [1, 2];\nconsole.log(xs.length());", "Type 'Number' has no call signatures. (TS2349)",
      "`.length` is a value here, not a method: drop the `()`.");
    await expectHint("const t = tensor([1, 2]);\nconsole.log(t.size());", "Type 'Number' has no call signatures. (TS2349)",
      "`t.size` is the number of elements here (NumPy's meaning), a value, not a method; PyTorch's `t.size()` is `t.shape`.");
    await expectHint("const t = tensor([[1, 2]]);\nconsole.log(t.size(0));", "Type 'Number' has no call signatures. (TS2349)",
      "`t.size` is the number of elements here (NumPy's meaning), a value, not a method; PyTorch's `t.size(0)` is `t.shape[0]`.");
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

/** The hint lines of a failed cell, in order. */
async function hintsOf(code: string): Promise<string[]> {
  return (await tracebackOf(code)).filter((l) => l.startsWith("Hint: ")).map((l) => l.slice("Hint: ".length));
}

// What a reader who knows Python and PyTorch types first, each answered with the TypeScript way,
// spelled with the cell's own names where the line shows them.
describe("hints for Python syntax that stops the parser", () => {
  it("x @ y: matmul", async () => {
    expect(await hintsOf("const a = tensor([[1, 2], [3, 4]]);\nconst b = a @ a;")).toEqual([
      "TypeScript has no `@` operator: write `a.matmul(a)` (or `torch.matmul(a, a)`).",
    ]);
    expect(await hintsOf("tensor([1, 2]).view(-1, 1) @ tensor([1, 2]).view(1, -1)")).toEqual([
      "TypeScript has no `@` operator: write `a.matmul(b)` (or `torch.matmul(a, b)`).",
    ]);
  });

  it("x[:, 0] and xs[1:]: slices", async () => {
    expect(await hintsOf("const m = tensor([[1, 2], [3, 4]]);\nm[:, 0]")).toEqual([
      "TypeScript has no `a:b` slices inside `[]`: for a tensor write `m.slice(\":\", 0)` (one spec per axis: an index, \":\" for all of it, or \"1:3\").",
    ]);
    expect(await hintsOf("const q = [1, 2, 3];\nq[1:]")).toEqual([
      "TypeScript has no `a:b` slices inside `[]`: for a tensor write `q.slice(\"1:\")` (one spec per axis: an index, \":\" for all of it, or \"1:3\"); for an array, `q.slice(1)`.",
    ]);
  });

  it("with torch.no_grad(): and with autograd.record():", async () => {
    expect(await hintsOf("with torch.no_grad():\n    y = 2")).toEqual([
      "a `with` block is a function here: `torch.noGrad(() => { ... })` runs the block without recording gradients.",
    ]);
    expect(await hintsOf("with autograd.record():\n    y = 2")).toEqual([
      "a `with` block is a function here: `autograd.record(() => { ... })` records the block and returns what it returns.",
    ]);
  });

  it("for i in range(n): and for x in xs:", async () => {
    expect(await hintsOf("for i in range(3): print(i)")).toEqual([
      "a loop is written `for (let i = 0; i < 3; i++) { ... }`.",
    ]);
    expect(await hintsOf("const xs = [1, 2];\nfor x in xs:\n    console.log(x)")).toEqual([
      "a loop is written `for (const x of xs) { ... }`.",
    ]);
  });

  it("if/elif/while with a colon: parentheses and braces", async () => {
    expect(await hintsOf("const a = 1;\nif a > 0:\n    console.log(a)")).toEqual([
      "the condition goes in parentheses and the block in braces: `if (a > 0) { ... }`.",
    ]);
    expect(await hintsOf("elif a < 0:\n    console.log(a)")).toEqual([
      "the condition goes in parentheses and the block in braces: `else if (a < 0) { ... }`.",
    ]);
  });

  it("list comprehensions and `is None`", async () => {
    expect(await hintsOf("const xs = [1, 2, 3];\nconst ys = [x ** 2 for x in xs];")).toEqual(["a list comprehension is written `xs.map((x) => x ** 2)`."]);
    expect(await hintsOf("const zs = [x for x in xs if x > 1]")).toEqual(["a list comprehension is written `xs.filter((x) => x > 1)`."]);
    expect(await hintsOf("const sq = [i * i for i in range(5)]")).toEqual(["a list comprehension is written `Array.from({ length: 5 }, (_, i) => i * i)`."]);
    expect(await hintsOf("const n = null;\nconst t = n is None")).toEqual(["TypeScript writes `n === null` for `n is None` (and `!==` for `is not`)."]);
  });

  it("f-strings, # comments, not / and / or, lambda", async () => {
    expect(await hintsOf("const v = 2;\nf\"v = {v}\"")).toEqual(["TypeScript writes f\"v = {v}\" as a template literal, in backquotes: `v = ${v}`."]);
    expect(await hintsOf("# a comment")).toEqual(["comments start with `//` in TypeScript."]);
    expect(await hintsOf("const loss = 0.123456;\nconsole.log(f\"loss {loss:.3f}\")")).toEqual([
      "TypeScript writes f\"loss {loss:.3f}\" as a template literal, in backquotes: `loss ${loss.toFixed(3)}`.",
    ]);
    expect(await hintsOf("console.log(f\"v = {v}\")")).toEqual(["TypeScript writes f\"v = {v}\" as a template literal, in backquotes: `v = ${v}`."]);
    expect(await hintsOf("const ok = true and false")).toEqual(["TypeScript writes `&&` for `and`."]);
    expect(await hintsOf("const ok = true or false")).toEqual(["TypeScript writes `||` for `or`."]);
    expect(await hintsOf("const flag = true;\nnot flag")).toEqual(["TypeScript writes `!flag` for `not flag`."]);
    expect(await hintsOf("lambda x: x * 2")).toEqual(["an anonymous function is written `(x: Tensor) => ...`."]);
  });
});

describe("hints for PyTorch calls and members TypeScript does not know", () => {
  it("keyword arguments: dim=0, requires_grad=True", async () => {
    expect(await hintsOf("const t = tensor([[1, 2], [3, 4]]);\nt.sum(dim=0)")).toEqual([
      "`dim=0` is a Python keyword argument; TypeScript passes arguments by position (Shift+Tab on the function lists them): write `0` alone.",
    ]);
    expect(await hintsOf("const w = torch.tensor([1.0, 2.0], requires_grad=True);")).toEqual([
      "`requires_grad=True` is written `{ requiresGrad: true }` here, as the last argument: `torch.tensor([1.0, 2.0], { requiresGrad: true })`.",
      "TypeScript writes `true` (lower case).",
    ]);
  });

  it("a first assignment without let", async () => {
    expect(await hintsOf("z = 3")).toEqual(["a new name is declared: `let z = ...` (or `const z = ...` if it never changes); later assignments leave out the `let`."]);
  });

  it("np.zeros(2, 3): the shape is one array (NumPy's own zeros takes no sizes one by one)", async () => {
    expect(await hintsOf("np.zeros(2, 3)")).toEqual([
      "the shape goes in one array: `np.zeros([2, 3])` (the argument after the shape is an options object such as `{ requiresGrad: true }`).",
    ]);
  });

  it("torch.zeros(2, 3), torch.randn(2, 3, { requiresGrad: true }): PyTorch's sizes one by one are taken as they are", async () => {
    const outcome = await session.run(
      'const made = [torch.zeros(2, 3), torch.ones(4), torch.rand(2, 2, 2), torch.randn(2, 3, { requiresGrad: true })];\nmade.map((t) => `${t.shape} ${t.requiresGrad}`).join("; ")',
    );
    expect(outcome.status === "ok" && outcome.result?.data["text/plain"]).toBe("'2,3 false; 4 false; 2,2,2 false; 2,3 true'");
  });

  it("np.zeros((2, 3)): a Python tuple is JavaScript's comma operator (the value 3), a type error, not a silent shape [3]", async () => {
    const lines = await tracebackOf("const q = np.zeros((2, 3));");
    expect(lines.join("\n")).toContain("Left side of comma operator is unused and has no side effects. (TS2695)");
    expect(lines.filter((l) => l.startsWith("Hint: "))).toEqual([
      "Hint: TypeScript has no tuples: `(2, 3)` is the comma operator, whose value is 3; write the shape as an array, `[2, 3]`.",
    ]);
  });

  it("torch.cat((a, b)): a tuple of tensors is an array", async () => {
    expect(await hintsOf("const a = tensor([1]), b = tensor([2]);\ntorch.cat((a, b))")).toEqual([
      "TypeScript has no tuples: `(a, b)` is the comma operator, whose value is b; write them as an array, `[a, b]`.",
    ]);
  });

  it("keyword options: requiresGrad=true, dtype=torch.float32; the compiler's own suggestion for requires_grad_()", async () => {
    expect(await hintsOf("const c = torch.tensor([1.0], requiresGrad=true);")).toEqual([
      "`requiresGrad=true` is written `{ requiresGrad: true }` here, as the last argument: `torch.tensor([1.0], { requiresGrad: true })`.",
    ]);
    expect(await hintsOf("const m = tensor([[1, 2]]);\nm.sum(0, keepdims=True)")).toEqual([
      "`keepdims=True` is a Python keyword argument; TypeScript passes arguments by position (Shift+Tab on the function lists them): write `true` alone.",
      "TypeScript writes `true` (lower case).",
    ]);
    expect(await hintsOf("const c = torch.tensor([1.0], dtype=torch.float32);")).toEqual([
      "`dtype=torch.float32` is written `{ dtype: torch.float32 }` here, as the last argument: `torch.tensor([1.0], { dtype: torch.float32 })`.",
    ]);
    expect(await hintsOf("const a = tensor([1, 2]);\na.requires_grad_()")).toEqual([]);
    expect(await hintsOf('const [X, Y] = torch.meshgrid(a, a, indexing="xy");')).toEqual([
      "`indexing=\"xy\"` is written `{ indexing: \"xy\" }` here, as the last argument: `torch.meshgrid(a, a, { indexing: \"xy\" })`.",
    ]);
    expect(await hintsOf("a.sum().backward(retain_graph=True)")).toEqual([
      "`retain_graph=True` is written `{ retainGraph: true }` here, as the last argument.",
      "TypeScript writes `true` (lower case).",
    ]);
  });

  it("import matplotlib.pyplot as plt: plt is preloaded", async () => {
    expect(await hintsOf("import matplotlib.pyplot as plt")).toEqual([
      "no import is needed: `plt` (a small matplotlib drawing with plotly) and `d2l.plot(...)` are preloaded.",
    ]);
    expect((await session.run("plt.plot([1, 2], [3, 4]);")).status).toBe("ok");
  });

  it("Python builtins: float, int, str, list, round, isinstance, enumerate, zip, math", async () => {
    const expected: Record<string, string> = {
      "float(tensor(1))": "`Number(x)` makes a number (of a one-element tensor: `t.item()`).",
      "int(3.7)": "`Math.trunc(x)` drops the fraction (JavaScript has one number type).",
      "str(1)": "`String(x)` makes a string (or a template literal: `x = ${x}` in backquotes).",
      "list(tensor([1]))": "`Array.from(xs)` makes an array; a tensor's elements as nested arrays are `t.toArray()`.",
      "round(2.5)": "`Math.round(x)` rounds (halves up: `Math.round(2.5)` is 3, where Python's `round` gives 2).",
      "isinstance(tensor(1), Tensor)": "`x instanceof Tensor` tests a class.",
      "enumerate([1, 2])": "`for (const [i, x] of xs.entries()) { ... }` counts while looping.",
      "zip([1], [2])": "`xs.map((x, i) => [x, ys[i]])` pairs two arrays.",
      "math.sqrt(2)": "JavaScript's math is `Math` (capital M): `Math.sqrt(2)`, `Math.PI`.",
    };
    for (const [code, hint] of Object.entries(expected)) expect(await hintsOf(code), code).toEqual([hint]);
  });

  it("members PyTorch has under other names: numpy(), tolist(), length, numel(), dim(), cuda(), data", async () => {
    const t = "const t = tensor([1, 2]);\n";
    expect(await hintsOf(`${t}t.numpy()`)).toEqual(["`t.toArray()` gives the elements as nested JavaScript arrays (plots take tensors directly)."]);
    expect(await hintsOf(`${t}t.tolist()`)).toEqual(["`t.toArray()` gives the elements as nested JavaScript arrays (plots take tensors directly)."]);
    expect(await hintsOf(`${t}t.length`)).toEqual(["a tensor's first dimension is `t.shape[0]`, its number of elements `t.size`."]);
    expect(await hintsOf(`${t}t.numel()`)).toEqual(["`t.size` is the number of elements (a value, not a method)."]);
    expect(await hintsOf(`${t}t.dim()`)).toEqual(["`t.ndim` is the number of dimensions (a value, not a method)."]);
    expect(await hintsOf(`${t}t.cuda()`)).toEqual(["gradlab computes on the CPU only, so there is nothing to move: leave out `.cuda()`."]);
    expect(await hintsOf(`${t}t.data`)).toEqual(["`t.detach()` is the same values cut from the graph (what PyTorch's `.data` gives)."]);
  });

  it("in-place methods: add_(1), grad.zero_()", async () => {
    expect(await hintsOf("let t = tensor([1, 2]);\nt.add_(1)")).toEqual([
      "gradlab's tensors cannot change in place (every op makes a new one): write `t = t.add(1)` (with `t` declared by `let`).",
    ]);
    expect(await hintsOf("const w = torch.tensor([1.0], { requiresGrad: true });\nw.grad!.zero_()")).toEqual([
      "reset a gradient with `w.zeroGrad()` (or `w.grad = null`).",
    ]);
  });

  it("Math.exp(t), t[t > 1], torch.tensor(\"[3, 4]\")", async () => {
    const t = "const t = tensor([1, 2]);\n";
    expect(await hintsOf(`${t}Math.exp(t)`)).toEqual(["`Math.exp` takes a plain number; for a tensor write `torch.exp(t)` or `t.exp()`."]);
    expect(await hintsOf(`${t}t[t > 1]`)).toEqual([
      "a tensor cannot be indexed by a mask: `torch.where(t > 1, t, 0)` keeps the shape and puts 0 elsewhere.",
    ]);
    expect(await hintsOf('const s = "[3, 4]";\ntorch.tensor(s)')).toEqual([
      "a string is text, not numbers: `JSON.parse(s)` reads text such as \"[3, 4]\" as an array.",
    ]);
  });

  it("each suggested replacement runs", async () => {
    for (const code of [
      "const m = tensor([[1, 2], [3, 4]]);\nm.matmul(m).slice(\":\", 0).sum(0).item()",
      "const w = torch.tensor([1.0, 2.0], { requiresGrad: true });\ntorch.noGrad(() => { return w * 2; });\nw.zeroGrad();\nw.grad = null;",
      "let t = tensor([1, 2]);\nt = t.add(1);\nconst kept = torch.where(t > 2, t, 0);\nconst z2 = torch.zeros([2, 3]);\n[t.toArray(), t.shape[0], t.size, t.ndim, t.detach(), torch.exp(t), JSON.parse(\"[3, 4]\")]",
    ]) {
      const outcome = await session.run(code);
      expect(outcome.status, code + "\n" + (outcome.status === "error" ? outcome.traceback.join("\n") : "")).toBe("ok");
    }
  });
});
