/**
 * Python habits that JavaScript runs with another meaning (habits.ts): `x in xs`, `for (const x
 * in xs)` and `xs[-1]` on arrays, tensors and strings are refused with an error at the habit that
 * says what to write, in the cell's own text; the same forms where they mean what they say
 * (objects, records, a tensor's `t[-1]`) are left alone. Both checkers.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CHECKERS, closeNative, compile as compileOn, run as runOn } from "./harness.js";

afterAll(closeNative);

describe.each(CHECKERS)("on the %s checker", (checker) => {
  const compile = (code: string) => compileOn(code, checker);
  /** The cell's errors as `message @ the text the error starts at`. */
  const errors = (code: string) => compile(code).errors.map((e) => `${e.message} @ ${code.slice(e.start, e.start + 12)}`);

  it("`x in xs` on an array is refused: Python's membership is `xs.includes(x)`", () => {
    expect(errors("const xs = [1, 2, 3];\nconst has = 3 in xs;")).toEqual([
      "`3 in xs` asks whether `xs` has an index `3`, not whether 3 is one of its elements as Python's `in` does: write `xs.includes(3)`. @ 3 in xs;",
    ]);
    expect(errors("const o = { names: ['a'] };\nif ('a' in o.names) {}")).toEqual([
      "`'a' in o.names` asks whether `o.names` has an index `'a'`, not whether 'a' is one of its elements as Python's `in` does: write `o.names.includes('a')`. @ 'a' in o.nam",
    ]);
  });

  it("`x in t` on a tensor is refused too, with the tensor way", () => {
    expect(errors("const t = tensor([1, 2]);\nconst has = 2 in t;")).toEqual([
      "`2 in t` asks whether the tensor object `t` has a property named `2`, not whether 2 is one of its elements as Python's `in` does: write `t.eq(2).any()`. @ 2 in t;",
    ]);
  });

  it("`for (const x in xs)` over an array or a tensor is refused: its elements are `for (const x of xs)`", () => {
    expect(errors("const names = ['a', 'b'];\nfor (const name in names) void name;")).toEqual([
      '`for (const name in names)` goes over the indices of `names` as strings ("0", "1", …), not over its elements as Python\'s `for x in xs:` does: write `for (const name of names)` (and `for (const [i, x] of names.entries())` for indices too). @ for (const n',
    ]);
    expect(errors("const t = tensor([1, 2]);\nfor (const row in t) {}")[0]).toContain("write `for (let i = 0; i < t.shape[0]; i++)` and `t.at(i)` for row i");
  });

  it("`xs[-1]` on an array or a string is refused: the last element is `xs.at(-1)`", () => {
    expect(errors("const xs = [1, 2, 3];\nconst last = xs[-1];")).toEqual([
      "`xs[-1]` is undefined: an array has no negative indices in JavaScript (Python counts them from the end): write `xs.at(-1)`. @ xs[-1];",
    ]);
    expect(errors("const s = 'abc';\nconst c = s[-2];")[0]).toContain("a string has no negative indices");
  });

  it("the same forms where they mean what they say are left alone", () => {
    const code = "const o: Record<string, number> = { a: 1 };\nconst has = 'a' in o;\nlet keys = '';\nfor (const k in o) keys += k;\nconst t = tensor([1, 2, 3]);\nconst last = t[-1].item();\nconst m = new Map<number, number>();\nconst d: { [k: number]: string } = { [-1]: 'x' };\nconst v = d[-1];";
    expect(compile(code).errors).toEqual([]);
    expect(runOn(code, ["has", "keys", "last", "v"], checker)).toEqual({ has: true, keys: "a", last: 3, v: "x" });
  });

  it("a habit next to tensor operators is reported with them", () => {
    const r = compile("const w = tensor([1, 2]);\nconst f = w * 2;\nconst xs = [f.sum().item()];\nconst bad = 3 in xs;");
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringContaining("write `xs.includes(3)`")]);
  });
});

describe.each(CHECKERS)("equality and sorting on the %s checker", (checker) => {
  const compile = (code: string) => compileOn(code, checker);
  const messages = (code: string) => compile(code).errors.map((e) => e.message);

  it("`a == b` on two tensors is refused: PyTorch's `==` is `a.eq(b)`; `===` (identity, Python's `is`) is left alone", () => {
    expect(messages("const a = tensor([1, 2]), b = tensor([1, 2]);\nconst same = a == b;")).toEqual([
      "`a == b` asks whether `a` and `b` are the same tensor object, not whether their elements are equal as PyTorch's `==` does: write `a.eq(b)` for each element (`.all()` on it for all of them, or `allclose(a, b)` for floats), or `===` if the same object is what you mean.",
    ]);
    expect(messages("const a = tensor([1, 2]), b = tensor([1, 2]);\nconst differ = a != b;")[0]).toContain("write `a.ne(b)` for each element");
    const code = "const a = tensor([1, 2]), b = a;\nconst same = a === b;\nconst xs = [1], ys = xs;\nconst arrays = xs == ys;\nlet n: number | null = null;\nconst none = n == null;";
    expect(compile(code).errors).toEqual([]);
    expect(runOn(code, ["same", "arrays", "none"], checker)).toEqual({ same: true, arrays: true, none: true });
  });

  it("`xs.sort()` on numbers is refused: by value is `xs.sort((a, b) => a - b)`; strings and comparers are left alone", () => {
    expect(messages("const xs = [10, 9, 1];\nxs.sort();")).toEqual([
      "`xs.sort()` sorts numbers as text in JavaScript (10 before 9), not by value as Python's `sort` does: write `xs.sort((a, b) => a - b)`.",
    ]);
    const code = "const ws = ['b', 'a'];\nws.sort();\nconst xs = [10, 9, 1];\nxs.sort((a, b) => a - b);\nconst fs = new Float64Array([3, 1]);\nfs.sort();";
    expect(compile(code).errors).toEqual([]);
    expect(runOn(code, ["ws", "xs"], checker)).toEqual({ ws: ["a", "b"], xs: [1, 9, 10] });
  });
});

describe.each(CHECKERS)("an array tested for truth on the %s checker", (checker) => {
  const compile = (code: string) => compileOn(code, checker);
  const messages = (code: string) => compile(code).errors.map((e) => e.message);

  it("`if (xs)` and `!xs` on an array are refused: Python's emptiness test is `xs.length > 0` / `xs.length === 0`", () => {
    expect(messages("const xs: number[] = [];\nif (xs) {}")).toEqual([
      "`xs` is always true here: an array is an object, which JavaScript takes as true even when it is empty (Python's `if xs:` asks whether a list has elements): write `xs.length > 0`.",
    ]);
    expect(messages("const o = { queue: [1] };\nwhile (!o.queue) break;")).toEqual([
      "`!o.queue` is always false: an array is an object, which JavaScript takes as true even when it is empty (Python's `not xs` asks whether a list is empty): write `o.queue.length === 0`.",
    ]);
    expect(messages("const pair: [number, number] = [1, 2];\nconst s = pair ? 1 : 0;")[0]).toContain("write `pair.length > 0`");
  });

  it("an array that may be missing, a tensor, an object and `xs.length` are left alone", () => {
    const code = "function f(xs?: number[], ys: number[] | null = null) { return xs ? 1 : ys ? 2 : 3; }\nconst t = tensor(1);\nconst o = { a: 1 };\nconst zs = [1];\nconst r = [f(), t ? 1 : 0, o ? 1 : 0, zs.length ? 1 : 0, !zs.length];";
    expect(compile(code).errors).toEqual([]);
    expect(runOn(code, ["r"], checker).r).toEqual([3, 1, 1, 1, false]);
  });
});

describe.each(CHECKERS)("a chained comparison on tensors on the %s checker", (checker) => {
  it("`0 < t < 1` is refused: Python's chain is `0 < t && t < 1`, or `(0 < t) * (t < 1)` for each element", () => {
    expect(compileOn("const t = tensor([0.5, 2]);\nconst inside = 0 < t < 1;", checker).errors.map((e) => e.message)).toEqual([
      "`0 < t < 1` compares `0 < t`, a tensor of true and false, with `1`: TypeScript does not chain comparisons as Python does. Write `0 < t && t < 1` for a one-element tensor, or `(0 < t) * (t < 1)` for each element.",
    ]);
    const code = "const t = tensor([0.5, 2]), s = tensor(0.5);\nconst each = ((0 < t) * (t < 1)).toArray();\nconst one = 0 < s && s < 1 ? 'in' : 'out';\nconst explicit = ((0 < t) < 1).toArray();";
    expect(runOn(code, ["each", "one", "explicit"], checker)).toEqual({ each: [1, 0], one: "in", explicit: [false, false] });
  });
});
