/**
 * What the checker makes of rewritten cells: tensor types flow through operators, errors name
 * the operator and the types at the user's own position, number-only cells are left alone, and
 * the rewrite is minimal (operand text copied byte for byte). Every case on both checkers.
 */
import { afterAll, describe, expect, it } from "vitest";
import { CHECKERS, closeNative, compile as compileOn, rewriteOf } from "./harness.js";
import { operatorErrorMessage as compileTimeMessage } from "../../kernel/typescript/operators/diagnostics.js";
import { __gradlabOps } from "../../stdlib/operators.js";
import { tensor } from "../../stdlib/index.js";

const TENSORS = "const w = tensor(1), x = tensor(2);\n";

/** Position of the `nth` occurrence of `needle` in `code`. */
function at(code: string, needle: string, nth = 0): number {
  let pos = -1;
  for (let i = 0; i <= nth; i++) pos = code.indexOf(needle, pos + 1);
  if (pos < 0) throw new Error(`${needle} not in ${code}`);
  return pos;
}

afterAll(closeNative);

describe.each(CHECKERS)("on the %s checker", (checker) => {
  const compile = (code: string) => compileOn(code, checker);

  describe("types", () => {
    it("(w + x) ** 2 on tensors is a Tensor, with no diagnostic", () => {
      const r = compile(`${TENSORS}const f: Tensor = (w + x) ** 2;\nconst g = f.exp();`);
      expect(r.errors).toEqual([]);
      expect(r.rewrite).toBeDefined();
    });

    it("types flow through variables, destructuring, functions and closures", () => {
      const code = `${TENSORS}const a = (w + x) ** 2;\nconst [b, c] = [a * 2, -a];\nfunction sq(t: Tensor) { return t * t; }\nconst d = sq(b) + c;\nconst h = [1, 2].map((k) => d * k);\nconst e: Tensor[] = [a, b, c, d, ...h];`;
      const r = compile(code);
      expect(r.errors).toEqual([]);
      expect(r.text).toContain("__gradlabOps.mul(a , 2)");
      expect(r.text).toContain("__gradlabOps.mul(t , t)");
      expect(r.text).toContain("__gradlabOps.add(sq(b) , c)");
      expect(r.text).toContain("__gradlabOps.mul(d , k)");
    });

    it("a tensor result assigned to a number is a type error naming Tensor, at the user's position", () => {
      const code = `${TENSORS}const n: number = w * x;`;
      const r = compile(code);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.message).toMatch(/Type 'Tensor' is not assignable to type 'number'/);
      expect(r.errors[0]!.start).toBe(at(code, "n:"));
    });

    it("an error inside a rewritten expression points at the original text", () => {
      const code = `${TENSORS}const q = (w + x).nope * 2;`;
      const r = compile(code);
      expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/Property 'nope' does not exist on type 'Tensor'/)]);
      expect(r.errors[0]!.start).toBe(at(code, "nope"));
    });

    it("tensor + \"text\" is an error naming the operator and both types, at the expression", () => {
      const code = `${TENSORS}const label = w + "text";`;
      const r = compile(code);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]!.message).toMatch(/^Operator '\+' cannot be applied to types 'Tensor' and 'string'\./);
      expect(r.errors[0]!.start).toBe(at(code, "w + "));
      expect(r.rewrite!.diagnostics[0]!.length).toBe('w + "text"'.length);
    });

    it.each([
      ["w * true", "*", "Tensor", "boolean"],
      ["w < \"a\"", "<", "Tensor", "string"],
      ["[1] - x", "-", "number[]", "Tensor"],
      ["w ** 2n", "**", "Tensor", "bigint"],
    ])("%s is reported as an operator error", (expr, op, left, right) => {
      const r = compile(`${TENSORS}const bad = ${expr};`);
      expect(r.errors.map((e) => e.message)).toEqual([expect.stringContaining(`Operator '${op}' cannot be applied to types '${left}' and '${right}'.`)]);
    });

    it("a union of a tensor and a string is rejected, a compound assignment too", () => {
      const r = compile(`${TENSORS}declare const u: Tensor | string;\nconst a = u * 2;\nlet s = "x";\ns += w;`);
      expect(r.errors).toHaveLength(2);
      expect(r.errors[0]!.message).toMatch(/Operator '\*' cannot be applied to types '(string \| Tensor|Tensor \| string)' and 'number'/);
      expect(r.errors[1]!.message).toMatch(/Operator '\+=' cannot be applied to types 'string' and 'Tensor'/);
    });

    it("the compile-time and run-time messages agree", () => {
      expect(compileTimeMessage("+", "Tensor", "string")).toBe(
        (() => {
          try {
            __gradlabOps.invalid("+", tensor(1), "s");
          } catch (error) {
            return (error as Error).message;
          }
          return "did not throw";
        })(),
      );
    });

    it("writing to a tensor element is left to the checker (tensors are immutable)", () => {
      const r = compile(`${TENSORS}w[0] = 1;`);
      expect(r.errors.length).toBeGreaterThan(0);
      expect(r.text).not.toContain(".at(");
    });

    it("a string index on a tensor is property access, not .at", () => {
      const r = compile(`${TENSORS}const s = w["shape"];\nconst y = w * 2;`);
      expect(r.errors).toEqual([]);
      expect(r.text).toContain(`w["shape"]`);
    });
  });

  describe("syntax and precedence", () => {
    it("-x ** 2 is a syntax error, left to the compiler, as in JavaScript", () => {
      expect(rewriteOf(`${TENSORS}const y = -x ** 2;`, checker)).toBeUndefined();
      const r = compile(`${TENSORS}const y = -x ** 2;`);
      expect(r.errors[0]!.code).toBe(17006);
    });

    it("(-x) ** 2 and -(x ** 2) are different and both work", () => {
      const r = compile(`${TENSORS}const y = (-x) ** 2, z = -(x ** 2);`);
      expect(r.errors).toEqual([]);
      expect(r.text).toContain("__gradlabOps.pow((__gradlabOps.neg(x)) , 2)");
      expect(r.text).toContain("__gradlabOps.neg((__gradlabOps.pow(x , 2)))");
    });

    it("left and right associativity follow the syntax tree", () => {
      const r = compile(`${TENSORS}const l = w - x - 1;\nconst p = w ** x ** 2;`);
      expect(r.text).toContain("__gradlabOps.sub(__gradlabOps.sub(w , x) , 1)");
      expect(r.text).toContain("__gradlabOps.pow(w , __gradlabOps.pow(x , 2))");
    });

    it("comments and spacing inside operands are kept byte for byte", () => {
      const code = `${TENSORS}const y = w /* weight */ *\n  (x + 1); // done`;
      const r = compile(code);
      expect(r.errors).toEqual([]);
      expect(r.text).toContain("__gradlabOps.mul(w /* weight */ ,\n  (__gradlabOps.add(x , 1))); // done");
    });
  });

  describe("number-only cells are untouched", () => {
    it.each([
      "let s = 0;\nfor (let i = 0; i < 1000; i++) s += i * i - (i % 7) / 3;\ns",
      "const a = [1, 2, 3];\nconst b = a[0] + a[1] * -a[2];\nconst t = `${b}` + '!';\nconst c = 2n ** 10n;",
      "const o = { x: 1 };\no.x += 2;\nconst neg = -o.x;\nconst cmp = neg < 3 && 'a' < 'b';",
      "const d = new Date();\nconst later = +d + 1000;",
    ])("%s", (code) => {
      expect(rewriteOf(code, checker)).toBeUndefined();
    });

    it("a cell that mentions tensors only through methods is untouched", () => {
      expect(rewriteOf(`${TENSORS}const y = w.mul(x).add(1);\nconst n = 2 * 3;`, checker)).toBeUndefined();
    });

    it("in a tensor cell, number operators stay native", () => {
      const r = compile(`${TENSORS}const k = 2 * 3 + 1;\nconst y = w * k;`);
      expect(r.text).toContain("const k = 2 * 3 + 1;");
      expect(r.text).toContain("__gradlabOps.mul(w , k)");
    });
  });

  describe("position map", () => {
    it("maps every copied character of the user's text back to itself", () => {
      const code = `${TENSORS}let y = (w + x) ** 2 * -w;\ny += x[0] * 3;`;
      const r = compile(code);
      const rewrite = r.rewrite!;
      const source = code + "\nexport {};\n";
      for (const token of ["(w", "x)", "2 * -w", "y +=", "x[", "3;"]) {
        const orig = source.indexOf(token);
        const gen = rewrite.toGeneratedPosition(orig);
        expect(rewrite.text.slice(gen, gen + 1)).toBe(source[orig]);
        expect(rewrite.toOriginalPosition(gen)).toBe(orig);
      }
    });
  });

  describe("generic code", () => {
    it("a type parameter bounded by Tensor is a tensor, and so are results computed from it", () => {
      const r = compile(`function f<T extends Tensor>(a: T) {\n  const y = a * 2;\n  return y * a - 1;\n}\nconst out: Tensor = f(tensor(3)) * 2;`);
      expect(r.errors).toEqual([]);
      expect(r.text).toContain("__gradlabOps.sub(__gradlabOps.mul(y , a) , 1)");
    });
  });
});
