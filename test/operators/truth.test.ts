/**
 * A Tensor that JavaScript tests for truth (`if (t)`, `while`, `do`, `for`, `?:`, `!`, `&&`, `||`)
 * reads as PyTorch's `bool(t)`: the rewrite wraps it by its type, on both checkers, and the
 * runtime helpers (stdlib/operators.ts `bool`, `orOperand`, `andOperand`) read its one element
 * or say what to write instead. Existence checks (`Tensor | undefined`), `any`, numbers and
 * other objects keep JavaScript's meaning, byte for byte.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CHECKERS, closeNative, compile as compileOn, evaluate, nativeQuestions, rewriteOf, run as runOn } from "./harness.js";
import { __gradlabOps } from "../../stdlib/operators.js";
import { tensor } from "../../stdlib/index.js";

afterAll(closeNative);

const T = "const t = tensor([1, 2]);\nconst z = tensor(0), one = tensor(1);\n";

describe.each(CHECKERS)("on the %s checker", (checker) => {
  const compile = (code: string) => compileOn(code, checker);
  const run = (code: string, names: string[]) => runOn(code, names, checker);
  /** The rewritten text without the module marker the harness adds. */
  const text = (code: string) => compile(code).text.replace(/\nexport \{\};\n$/, "");

  describe("what is rewritten", () => {
    it("names, properties, calls, element reads and parenthesised forms in if/while/do/for conditions", () => {
      const code = `${T}const o = { loss: z };\nif (z) {}\nwhile ((o.loss)) break;\ndo {} while (t.sum());\nfor (; t[0]; ) break;`;
      const r = compile(code);
      expect(r.errors).toEqual([]);
      expect(text(code).split("\n").slice(3)).toEqual([
        'if (__gradlabOps.bool(z, "z")) {}',
        'while ((__gradlabOps.bool(o.loss, "o.loss"))) break;',
        'do {} while (__gradlabOps.bool(t.sum(), "t.sum()"));',
        'for (; __gradlabOps.bool(t.at(0), "t[0]"); ) break;',
      ]);
    });

    it("`!t`, `t ? a : b`, and both sides of `&&` / `||` when the whole is a condition", () => {
      const code = `${T}const a = !z;\nconst b = z ? 1 : 2;\nif (z && !one || t.at(1)) {}`;
      expect(compile(code).errors).toEqual([]);
      expect(text(code).split("\n").slice(2)).toEqual([
        'const a = !__gradlabOps.bool(z, "z");',
        'const b = __gradlabOps.bool(z, "z") ? 1 : 2;',
        'if (__gradlabOps.bool(z, "z") && !__gradlabOps.bool(one, "one") || __gradlabOps.bool(t.at(1), "t.at(1)")) {}',
      ]);
    });

    it("arithmetic on tensors, `this.t`, `t!`, `t as Tensor` and `await` in a condition", () => {
      const code = `${T}class K { t = tensor(1); f() { return this.t ? 1 : 0; } }\nif (t.sum() * 0) {}\nif (-z) {}\nif ((z as Tensor)!) {}\nasync function g(p: Promise<Tensor>) { return (await p) ? "y" : "n"; }`;
      expect(compile(code).errors).toEqual([]);
      expect(text(code).split("\n").slice(2)).toEqual([
        'class K { t = tensor(1); f() { return __gradlabOps.bool(this.t, "this.t") ? 1 : 0; } }',
        'if (__gradlabOps.bool(__gradlabOps.mul(t.sum() , 0), "t.sum() * 0")) {}',
        'if (__gradlabOps.bool(__gradlabOps.neg(z), "-z")) {}',
        'if (__gradlabOps.bool((z as Tensor)!, "(z as Tensor)!")) {}',
        'async function g(p: Promise<Tensor>) { return (__gradlabOps.bool(await p, "await p")) ? "y" : "n"; }',
      ]);
    });

    it("a value `t || x` / `t && x` keeps the tensor, as Python's `t or x` / `t and x` do", () => {
      const code = `${T}const a = z || one;\nconst b = z && one || t;\nconst c = z || one && t;`;
      expect(compile(code).errors).toEqual([]);
      expect(text(code).split("\n").slice(2)).toEqual([
        'const a = (__gradlabOps.orOperand(z, "z") ?? one);',
        'const b = (__gradlabOps.orOperand((__gradlabOps.andOperand(z, "z") ?? one), "z && one") ?? t);',
        // Python's `z or (one and t)`: the right side's own `and` tests `one` too.
        'const c = (__gradlabOps.orOperand(z, "z") ?? ((__gradlabOps.andOperand(one, "one") ?? t)));',
      ]);
    });

    it("`c ? t : u` and an assignment `x = next()` in a condition", () => {
      const code = `${T}let swap = false;\nconst pick = (swap ? z : one) ? "one" : "z";\nlet k = 3, x = one;\nconst next = () => (k-- > 1 ? one : z);\nlet loops = 0;\nwhile (x = next()) loops++;`;
      expect(compile(code).errors).toEqual([]);
      expect(text(code)).toContain('const pick = (__gradlabOps.bool(swap ? z : one, "swap ? z : one")) ? "one" : "z";');
      expect(text(code)).toContain('while (__gradlabOps.bool(x = next(), "x = next()")) loops++;');
      expect(run(code, ["pick", "loops"])).toEqual({ pick: "one", loops: 2 });
    });

    it("a variable that holds a tensor only because of an operator in the same cell", () => {
      const code = "const w = tensor([3]);\nconst loss = (w - 3) ** 2;\nconst big = loss > 1;\nconst said = big ? 'big' : 'small';";
      expect(compile(code).errors).toEqual([]);
      expect(text(code)).toContain('const said = __gradlabOps.bool(big, "big") ? \'big\' : \'small\';');
      expect(run(code, ["said"]).said).toBe("small");
    });

    it("inside noGrad, closures and generic functions", () => {
      const code = `${T}let seen = 0;\nnoGrad(() => { if (one) seen++; });\nconst picks = [z, one].filter((x) => x ? true : false).length;\nfunction first<U extends Tensor>(u: U) { return u ? 1 : 0; }\nconst f = first(z);`;
      expect(compile(code).errors).toEqual([]);
      expect(run(code, ["seen", "picks", "f"])).toEqual({ seen: 1, picks: 1, f: 0 });
    });
  });

  describe("what is left as JavaScript wrote it", () => {
    it("an existence check on `Tensor | undefined` or `Tensor | null` keeps its narrowing and meaning", () => {
      const code = "function pick(best: Tensor | undefined, last: Tensor | null) {\n  if (best) best.sum();\n  const s = last ? last.sum() : undefined;\n  return best || tensor(0);\n}";
      const r = compile(code);
      expect(r.errors).toEqual([]);
      expect(r.rewrite).toBeUndefined();
    });

    it("`any`, numbers, booleans, strings and other objects (an array there is a habit of its own: habits.test.ts)", () => {
      const code = "const a: any = tensor([1, 2]);\nconst n = 0, b = false, s = '';\nconst d = new Date();\nif (a || n || b || s || d) {}\nconst v = a ? 1 : 2;";
      expect(compile(code).rewrite).toBeUndefined();
      expect(run(code, ["v"]).v).toBe(1);
    });

    it("comparisons keep their own reading (`truth`), wrapped once", () => {
      const code = `${T}if (t.sum() > 2) {}`;
      expect(text(code)).toContain('if (__gradlabOps.truth(__gradlabOps.gt(t.sum() , 2), "t.sum() > 2")) {}');
      expect(text(code)).not.toContain("bool");
    });

    it("a cell of numbers only is not rewritten", () => {
      expect(rewriteOf("let k = 3;\nwhile (k) k--;\nconst e = !k ? 'done' : 'no';\nfor (let i = 0; i && k; i++) {}", checker)).toBeUndefined();
    });
  });

  describe("values", () => {
    it("a one-element tensor reads as its element: zero is false, anything else true", () => {
      const code = `${T}const zeroTaken = z ? 1 : 0;\nconst oneTaken = one ? 1 : 0;\nconst notZero = !z;\nlet halvings = 0;\nlet x = tensor(8.0);\nwhile (x.sub(1)) { x = x.div(2); halvings++; if (halvings > 5) break; }\nconst both = z && one ? 1 : 0;\nconst either = z || one ? 1 : 0;`;
      // x: 8 → 4 → 2 → 1, whose x - 1 is 0: three halvings.
      expect(run(code, ["zeroTaken", "oneTaken", "notZero", "halvings", "both", "either"])).toEqual({ zeroTaken: 0, oneTaken: 1, notZero: true, halvings: 3, both: 0, either: 1 });
    });

    it("a value `t || x` is `t` when it reads as true, else `x`; `t && x` is `t` when it reads as false, else `x`", () => {
      const out = run(`${T}const a = z || one;\nconst b = one || z;\nconst c = z && one;\nconst d = one && z;\nconst e = z && one || t;`, ["a", "b", "c", "d", "e", "z", "one", "t"]);
      expect(out.a).toBe(out.one);
      expect(out.b).toBe(out.one);
      expect(out.c).toBe(out.z);
      expect(out.d).toBe(out.z);
      expect(out.e).toBe(out.t);
    });

    it("a tensor of several elements is an error that says what to write, in the cell's own text", () => {
      expect(() => run(`${T}if (t) {}`, [])).toThrow(
        'a condition needs one true-or-false value, but `t` is a tensor of shape [2] (2 elements), which has none (PyTorch: "Boolean value of Tensor with more than one value is ambiguous"): write `t.any()` for "some element is nonzero", `t.all()` for "every element is", or test one element with `t.at(i)`',
      );
      expect(() => run(`${T}const y = t.mul(2) || z;`, [])).toThrow("but `t.mul(2)` is a tensor of shape [2] (2 elements)");
      expect(() => run(`${T}const y = t.mul(2) || z;`, [])).toThrow("write `t.mul(2).any()`");
      expect(() => run(`${T}const y = !(t * 2);`, [])).toThrow("write `(t * 2).any()`");
      expect(() => run("const e = tensor([]);\nconst y = e ? 1 : 0;", [])).toThrow(
        "a condition needs one true-or-false value, but `e` is an empty tensor (shape [0]), which has none: to ask whether it has elements, write `e.size > 0`",
      );
      // What the message says to write works.
      expect(run(`${T}const y = t.any() ? 1 : 0;\nconst w = (t * 0).all() ? 1 : 0;`, ["y", "w"])).toEqual({ y: 1, w: 0 });
    });

    it("an async function's awaited tensor is read the same way", async () => {
      const { g } = run("async function g(p: Promise<Tensor>) { return (await p) ? 'y' : 'n'; }", ["g"]);
      expect(await g(Promise.resolve(tensor(0)))).toBe("n");
      expect(await g(Promise.resolve(tensor(2)))).toBe("y");
    });
  });

  describe("positions", () => {
    it("a type error after a wrapped test on the same line is at the user's column", () => {
      const code = `${T}if (z) { const n: number = "x"; }`;
      const errors = compile(code).errors;
      expect(errors).toHaveLength(1);
      expect(errors[0]!.start).toBe(code.indexOf("n: number"));
    });

    it("the probe stands in for the final text when every test is a condition, not for a value `t || x`", () => {
      expect(rewriteOf(`${T}const m = t * 2;\nif (m.sum()) {}`, checker)?.checked).toBeDefined();
      expect(rewriteOf(`${T}const m = t * 2;\nconst k = m.sum() || z;`, checker)?.checked).toBeUndefined();
    });
  });
});

describe("the cost on the native checker: questions to its process", () => {
  it("a cell with no operator asks the types of its tests in one query, and of primitives, `any` and unions nothing more", () => {
    const { rewrite, asked } = nativeQuestions("declare const ready: boolean, n: number, a: any, best: Tensor | undefined;\nfunction go(): string | undefined { return undefined; }\nif (ready && n || a) {}\nwhile (go() || best) break;\nconst s = !best ? 1 : 2;");
    expect(rewrite).toBeUndefined();
    expect(asked).toEqual(["getTypeAtLocation"]);
  });

  it("a cell with operators asks its tests' types in the queries its operands already make", () => {
    const code = "declare const xs: number[], ok: () => boolean;\nlet k = 0;\nfor (let i = 0; i < xs.length; i++) if (ok() && xs[i]! % 2) k += xs[i]!;";
    const withTests = nativeQuestions(code).asked;
    const without = nativeQuestions(code.replace("if (ok() && xs[i]! % 2) ", "")).asked;
    expect(withTests).toEqual(without);
  });

  it("a cell where a tensor is tested but no operator involves one is rewritten without a probe", () => {
    const { rewrite, asked } = nativeQuestions("const t = tensor(1);\nif (t) {}");
    expect(rewrite?.text).toContain('__gradlabOps.bool(t, "t")');
    expect(asked).not.toContain("check");
  });
});

describe("the runtime helpers", () => {
  it("bool, orOperand and andOperand give JavaScript's answer for values that are not tensors", () => {
    expect([__gradlabOps.bool(0, "n"), __gradlabOps.bool("a", "s")]).toEqual([false, true]);
    expect([__gradlabOps.orOperand(3, "n"), __gradlabOps.orOperand(0, "n")]).toEqual([3, undefined]);
    expect([__gradlabOps.andOperand(0, "n"), __gradlabOps.andOperand(3, "n")]).toEqual([0, undefined]);
  });

  it("a tensor that requires gradients reads the same, and nothing is recorded", () => {
    const w = tensor([0.5], { requiresGrad: true });
    expect(__gradlabOps.bool(w, "w")).toBe(true);
    expect(evaluate("const y = __gradlabOps.bool(tensor(0), 'z');", ["y"]).y).toBe(false);
  });
});
