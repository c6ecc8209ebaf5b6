/**
 * Operators on tensors compute what the method calls compute, values and gradients, in cells
 * compiled by the rewrite, type-checked, and run against the real stdlib: on both checkers.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CHECKERS, closeNative, run as runOn } from "./harness.js";

/** Shared inputs: a, b any sign, c positive (so fractional powers are defined); m a matrix. */
const PRELUDE = `
const a = tensor([0.5, -1.5, 2], { requiresGrad: true });
const b = tensor([1.25, 3, -0.75], { requiresGrad: true });
const c = tensor([0.8, 1.5, 2.5], { requiresGrad: true });
const n: number = 1.5;
`;

/** [operators, the same with method/function calls]. */
const TABLE: Array<[string, string]> = [
  ["a + b", "a.add(b)"],
  ["a - b", "a.sub(b)"],
  ["a * b", "a.mul(b)"],
  ["a / b", "a.div(b)"],
  ["a ** 2", "a.pow(2)"],
  ["c ** a", "c.pow(a)"],
  ["a % 0.75", "a.remainder(0.75)"],
  ["-a", "a.neg()"],
  ["+a", "a"],
  ["2 * a", "a.mul(2)"],
  ["a * 2", "a.mul(2)"],
  ["2 - a", "sub(2, a)"],
  ["1 / b", "div(1, b)"],
  ["2 ** a", "pow(2, a)"],
  ["n * a + n", "a.mul(n).add(n)"],
  ["(n + 1) * a", "a.mul(2.5)"],
  ["a * b + c / 2 - a ** 2", "a.mul(b).add(c.div(2)).sub(a.pow(2))"],
  ["a - b - c", "a.sub(b).sub(c)"],
  ["a / b / c", "a.div(b).div(c)"],
  ["c ** a ** 2", "c.pow(a.pow(2))"],
  ["(c ** a) ** 2", "c.pow(a).pow(2)"],
  ["(-a) ** 2", "a.neg().pow(2)"],
  ["-(a * b)", "a.mul(b).neg()"],
  ["a * -b", "a.mul(b.neg())"],
  ["- -a", "a.neg().neg()"],
  ["((a + b)) * (c)", "a.add(b).mul(c)"],
  ["a[1] * b[2] + a", "a.at(1).mul(b.at(2)).add(a)"],
  ["(a * b)[0] - c[2]", "a.mul(b).at(0).sub(c.at(2))"],
  ["a.exp() * b.sum() - 1", "a.exp().mul(b.sum()).sub(1)"],
  ["(a + b).exp() * 3", "a.add(b).exp().mul(3)"],
];

afterAll(closeNative);

describe.each(CHECKERS)("on the %s checker", (checker) => {
  const run = (code: string, names: string[]) => runOn(code, names, checker);

  const valuesAndGrads = (expr: string): { value: unknown; grads: unknown[] } => {
    const out = run(`${PRELUDE}const out = ${expr};\nout.sum().backward();\nconst value = out.toArray();\nconst grads = [a.grad?.toArray() ?? null, b.grad?.toArray() ?? null, c.grad?.toArray() ?? null];`, ["value", "grads"]);
    return { value: out.value, grads: out.grads as unknown[] };
  };

  describe("operators equal their method calls (values and gradients)", () => {
    it.each(TABLE)("%s", (operators, methods) => {
      const got = valuesAndGrads(operators);
      const want = valuesAndGrads(methods);
      expect(got.value).toEqual(want.value);
      expect(got.grads).toEqual(want.grads);
      // Sanity: the row exercises autodiff (some input received a gradient).
      expect(want.grads.some((g) => g !== null)).toBe(true);
    });

    it("comparisons give the same bool tensors as lt/gt/le/ge", () => {
      const got = run(`${PRELUDE}const r = [a < b, a > b, a <= 0.5, a >= 0.5, 1 > a, 0 < c].map((t) => t.toArray());`, ["r"]).r;
      const want = run(`${PRELUDE}const r = [a.lt(b), a.gt(b), a.le(0.5), a.ge(0.5), gt(1, a), lt(0, c)].map((t) => t.toArray());`, ["r"]).r;
      expect(got).toEqual(want);
      expect(got[2]).toEqual([true, true, false].map((x) => (typeof want[2][0] === "boolean" ? x : Number(x))));
    });

    it("element access on a matrix: m[i][j] is m.at(i).at(j), differentiable", () => {
      const { v, g, row } = run(
        `const m = tensor([[1, 2], [3, 4]], { requiresGrad: true });\nconst i = 1;\nconst v = m[i][0] * 10 + m[0][1];\nv.backward();\nconst g = m.grad!.toArray();\nconst row = m[1].toArray();`,
        ["v", "g", "row"],
      );
      expect(v.item()).toBe(32);
      expect(g).toEqual([[0, 1], [10, 0]]);
      expect(row).toEqual([3, 4]);
    });

    it("a Tensor | number union always gives a tensor", () => {
      const { r, s } = run(`const u: Tensor | number = Math.random() > 2 ? tensor(1) : 3;\nconst r = u * 2;\nconst s = r.item();`, ["r", "s"]);
      expect(s).toBe(6);
      expect(typeof r.item).toBe("function");
    });
  });

  describe("any operands dispatch at run time", () => {
    it("numbers stay numbers, tensors become tensor ops", () => {
      const { x, y, z, w } = run(
        `const p: any = 3;\nconst q: any = tensor([1, 2]);\nconst x = p * 2 + 1;\nconst y = (q * p).toArray();\nconst z = p < 4;\nconst w = (-q).toArray();`,
        ["x", "y", "z", "w"],
      );
      expect(x).toBe(7);
      expect(y).toEqual([3, 6]);
      expect(z).toBe(true);
      expect(w).toEqual([-1, -2]);
    });

    it("a string with an any-held tensor throws the operator message", () => {
      expect(() => run(`const q: any = tensor([1]);\nconst s = q + "!";`, [])).toThrow(/Operator '\+' cannot be applied to types 'Tensor' and 'string'/);
    });

    it("an any number with a string concatenates as JavaScript does", () => {
      expect(run(`const p: any = 3;\nconst s = p + "!";`, ["s"]).s).toBe("3!");
    });
  });

  describe("compound assignments", () => {
    it("x op= y on a variable, for every operator", () => {
      const { r } = run(
        `let t = tensor([2, 3]);\nconst r: number[][] = [];\nt += 1; r.push(t.toArray());\nt -= 0.5; r.push(t.toArray());\nt *= 2; r.push(t.toArray());\nt /= 5; r.push(t.toArray());\nt **= 2; r.push(t.toArray());\nt %= 1; r.push(t.toArray());`,
        ["r"],
      );
      const want: number[][] = [];
      let t = [2, 3];
      for (const f of [(v: number) => v + 1, (v: number) => v - 0.5, (v: number) => v * 2, (v: number) => v / 5, (v: number) => v ** 2, (v: number) => v - Math.floor(v)]) {
        t = t.map(f);
        want.push(t);
      }
      expect(r).toEqual(want);
    });

    it("the value of the assignment expression is the new tensor", () => {
      expect(run(`let t = tensor(2);\nconst v = (t *= 3).item();`, ["v"]).v).toBe(6);
    });

    it("gradients flow through += accumulation", () => {
      const { g } = run(`const w = tensor([1, 2], { requiresGrad: true });\nlet s: Tensor | number = 0;\nfor (let i = 0; i < 3; i++) s += w * i;\n(s as Tensor).sum().backward();\nconst g = w.grad!.toArray();`, ["g"]);
      expect(g).toEqual([3, 3]);
    });

    it("property and element targets are evaluated once", () => {
      const { p, k, calls } = run(
        `let calls = 0;\nconst o = { p: tensor(1) };\nconst get = () => { calls++; return o; };\nget().p += 2;\nconst arr = [tensor(1), tensor(5)];\nconst key = () => { calls++; return 1; };\narr[key()] *= 3;\nconst p = o.p.item();\nconst k = arr[1].item();`,
        ["p", "k", "calls"],
      );
      expect(p).toBe(3);
      expect(k).toBe(15);
      expect(calls).toBe(2);
    });

    it("simple property and element targets, this included", () => {
      const { v } = run(
        `class Acc { total = tensor(0); add(x: Tensor) { this.total += x; return this; } }\nconst acc = new Acc().add(tensor(2)).add(tensor(3));\nconst o = { w: tensor(1) };\no.w -= 4;\nconst xs = [tensor(1)];\nxs[0] **= 2;\nconst v = [acc.total.item(), o.w.item(), xs[0].item()];`,
        ["v"],
      );
      expect(v).toEqual([5, -3, 1]);
    });
  });

  describe("the chapter's chain example, written with operators", () => {
    it("∂f/∂w = −4096 at (w, x, y, z) = (−1, 0, −2, 1)", () => {
      const { f, grads } = run(
        `const w = tensor(-1.0, { requiresGrad: true }), x = tensor(0.0, { requiresGrad: true });
  const y = tensor(-2.0, { requiresGrad: true }), z = tensor(1.0, { requiresGrad: true });
  const [a, b] = [(w + x + y + z) ** 2, (w + x - y - z) ** 2];
  const u = (a + b) ** 2, v = (a - b) ** 2;
  const f = (u + v) ** 2;
  f.backward();
  const grads = [w.grad!.item(), x.grad!.item(), y.grad!.item(), z.grad!.item()];`,
        ["f", "grads"],
      );
      expect(f.item()).toBe(1024);
      expect(grads).toEqual([-4096, -4096, -4096, -4096]);
    });
  });
});
