/**
 * Shape errors name the op the user called and the shapes the user passed (a student can act on
 * a message that speaks of their own call; one about an internal reshape only puzzles them),
 * also for ops that reshape their operands before the real work (matmul/dot turn vectors into
 * rows and columns and split off batch axes; where broadcasts three operands; softmax goes
 * through logsumexp). Checked exhaustively over a grid of shapes, plus the messages' wording.
 */
import { describe, expect, it } from "vitest";
import * as g from "../../stdlib/index.js";
import { GradlabError, tensor, zeros, type Tensor } from "../../stdlib/index.js";

const show = (shape: readonly number[]) => `[${shape.join(", ")}]`;
/** The bracketed shapes a message mentions. */
const shapesIn = (message: string) => [...message.matchAll(/\[[\d, ]*\]/g)].map((m) => m[0]);

function errorOf(fn: () => unknown): GradlabError | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(GradlabError);
    return e as GradlabError;
  }
}

const GRID: number[][] = [[], [1], [2], [3], [1, 3], [3, 1], [2, 2], [2, 3], [3, 2], [2, 2, 2], [3, 2, 2], [2, 1, 3, 2]];
const make = (shape: number[]) => zeros(shape).add(1);

describe("every shape error of a two-operand op names that op and both of the user's shapes", () => {
  const ops: [string, (a: Tensor, b: Tensor) => unknown][] = [
    ["matmul", g.matmul], ["dot", g.dot], ["add", g.add], ["mul", g.mul], ["maximum", g.maximum], ["lt", g.lt],
    ["matmul", (a, b) => a.matmul(b)], ["dot", (a, b) => a.dot(b)], ["sub", (a, b) => a.sub(b)],
  ];
  for (const [name, op] of ops)
    it(name, () => {
      let failures = 0;
      for (const sa of GRID)
        for (const sb of GRID) {
          const e = errorOf(() => op(make(sa), make(sb)));
          if (!e) continue;
          failures++;
          const where = `${name}(${show(sa)}, ${show(sb)}): ${e.message}`;
          expect(e.message.startsWith(`${name}: `), where).toBe(true);
          expect(e.message, where).toContain(`${show(sa)} and ${show(sb)}`);
          // any other shape mentioned is part of the user's (matmul's batch axes), never a reshaped operand
          const allowed = new Set([sa, sb].flatMap((s) => s.map((_, i) => show(s.slice(0, i))).concat(show(s))));
          for (const s of shapesIn(e.message)) expect(allowed.has(s), where).toBe(true);
        }
      expect(failures).toBeGreaterThan(0);
    });
});

describe("the messages, worded for a student", () => {
  it("matrix times a vector of the wrong length: the user's [3], not the column [3, 1]", () => {
    const e = errorOf(() => tensor([[1, 2], [3, 4]]).matmul(tensor([1, 2, 3])))!;
    expect(e.message).toBe(
      "matmul: shapes [2, 2] and [3] do not line up: the first's last axis (2) must equal the length of the second (3)",
    );
  });

  it("a vector times a matrix, and two vectors, under the name dot", () => {
    expect(errorOf(() => g.dot(tensor([1, 2, 3]), tensor([[1, 2], [3, 4]])))!.message).toBe(
      "dot: shapes [3] and [2, 2] do not line up: the length of the first (3) must equal the second's second-to-last axis (2)",
    );
    expect(errorOf(() => tensor([1, 2]).dot(tensor([1, 2, 3])))!.message).toBe(
      "dot: vectors of shapes [2] and [3] have different lengths (2 vs 3)",
    );
  });

  it("batches that do not broadcast show the full shapes and their batch axes", () => {
    expect(errorOf(() => g.matmul(zeros([2, 3, 4]), zeros([3, 4, 5])))!.message).toMatch(
      /^matmul: shapes \[2, 3, 4\] and \[3, 4, 5\] have batch axes \[2\] and \[3\]/,
    );
  });

  it("where names all three operands", () => {
    expect(errorOf(() => g.where(zeros([2]).gt(0), zeros([3]), zeros([2, 1])))!.message).toBe(
      "where: shapes [2] (cond), [3] (a) and [2, 1] (b) cannot be broadcast together " +
        "(axis -1 has 2 vs 3 vs 1; sizes must match or one of them be 1)",
    );
    expect(errorOf(() => g.where(tensor([1, 0]), [1, 2] as never, 0))!.message).toMatch(/^where: expected a Tensor or a number, got an array/);
  });

  it("solve names A's and b's shapes and what b must be", () => {
    for (const b of [[3], [3, 2], [2, 2, 2], []]) {
      const e = errorOf(() => g.solve(tensor([[2, 0], [0, 4]]), zeros(b)))!;
      expect(e.message).toMatch(/^solve: shapes \[2, 2\] and \[[\d, ]*\] do not fit/);
      expect(e.message).toContain(show(b));
      expect(e.message).toContain("a vector of length 2 or a matrix with 2 rows");
    }
    expect(errorOf(() => g.solve(zeros([2, 3]), zeros([2])))!.message).toBe("solve: needs a square matrix, got shape [2, 3]");
    expect(errorOf(() => g.solve([[1, 0], [0, 1]] as never, zeros([2])))!.message).toMatch(/^solve: expected a matrix.*wrap it with tensor/);
  });

  it("softmax and logSoftmax name themselves for a bad axis", () => {
    expect(errorOf(() => g.softmax(zeros([3]), 2))!.message).toMatch(/^softmax: axis 2 is out of range/);
    expect(errorOf(() => g.logSoftmax(zeros([3]), -2))!.message).toMatch(/^logSoftmax: axis -2 is out of range/);
  });

  it("the checks leave valid products alone", () => {
    expect(g.matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray()).toEqual([3, 7]);
    expect(g.dot(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    expect(g.matmul(zeros([2, 1, 3, 2]).add(1), zeros([3, 2, 4]).add(1)).shape).toEqual([2, 3, 3, 4]);
    expect(g.solve(tensor([[2, 0], [0, 4]]), tensor([2, 2])).toArray()).toEqual([1, 0.5]);
  });
});

describe("a shape passed to a creation function", () => {
  // PyTorch and NumPy refuse these; silently rounding 1.5 to 1, or NaN to an empty tensor, hid the
  // mistake, and a negative size failed inside the allocation with a message about typed arrays.
  const makers: [string, (shape: number[]) => unknown][] = [
    ["zeros", (s) => g.zeros(s)],
    ["ones", (s) => g.ones(s)],
    ["full", (s) => g.full(s, 7)],
    ["rand", (s) => g.rand(s)],
    ["randn", (s) => g.randn(s)],
    ["torch.zeros", (s) => g.torch.zeros(s)],
    ["np.ones", (s) => g.np.ones(s)],
  ];
  for (const [name, make] of makers) {
    for (const [shape, bad] of [[[1.5], "1.5"], [[2, -1], "-1"], [[NaN], "NaN"], [[Infinity, 2], "Infinity"]] as const) {
      it(`${name}(${show(shape)}) fails naming the op, the shape and the bad size`, () => {
        const error = errorOf(() => make([...shape]));
        expect(error?.message).toBe(`${name.replace(/^(torch|np)\./, "")}: the shape ${show(shape)} has the size ${bad}; every size must be a whole number, 0 or more`);
      });
    }
  }

  it("whole sizes, 0 included, still make tensors", () => {
    expect(g.zeros([2, 0, 3]).shape).toEqual([2, 0, 3]);
    expect(g.ones(3).shape).toEqual([3]);
    expect(g.zeros([]).shape).toEqual([]);
  });
});

describe("a count passed to a function that builds its own shape", () => {
  // They made their tensor with zeros, and the message named zeros, which the student never called.
  const makers: [string, () => unknown, string][] = [
    ["linspace(0, 1, -5)", () => g.linspace(0, 1, -5), "linspace: the shape [-5] has the size -5"],
    ["torch.linspace(0, 1, 2.5)", () => g.torch.linspace(0, 1, 2.5), "linspace: the shape [2.5] has the size 2.5"],
    ["eye(-2)", () => g.eye(-2), "eye: the shape [-2, -2] has the size -2"],
    ["arange(0, NaN)", () => g.arange(0, NaN), "arange: the shape [NaN] has the size NaN"],
  ];
  for (const [call, make, message] of makers) it(call, () => expect(errorOf(make)?.message).toMatch(new RegExp(`^${message.replace(/[[\]().]/g, "\\$&")}`)));
});

describe("a value that is not a tensor where backward or an operator needs one", () => {
  it("backward's options passed first, as PyTorch's keyword would be, say where they go", () => {
    const x = tensor(2, { requiresGrad: true });
    const error = errorOf(() => x.mul(x).backward({ retainGraph: true } as never));
    expect(error?.message).toBe("backward: the gradient must be a Tensor or a number, got an object; options go second: y.backward(undefined, { retainGraph: true })");
  });

  it("an array as backward's gradient says to wrap it", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(errorOf(() => x.mul(2).backward([1, 1] as never))?.message).toMatch(/^backward: the gradient must be a Tensor or a number, got an array \(wrap it with tensor\(\.\.\.\)\)/);
  });

  it("a null operand, as a .grad read after an update outside noGrad gives, says why .grad is null", () => {
    // The gradient-descent step written without noGrad: w stops being a leaf, so backward leaves
    // its .grad null, and the next step multiplies null.
    let w = tensor(1, { requiresGrad: true });
    w.sub(3).square().backward();
    w = w.sub(w.grad!.mul(0.1));
    w.sub(3).square().backward();
    expect(w.grad).toBeNull();
    const step = errorOf(() => g.mul(0.1, w.grad as never));
    expect(step?.message).toMatch(/^mul: expected a Tensor or a number, got null\. A \.grad is null until backward\(\) reaches the tensor, and only leaves get one/);
    expect(step?.message).toMatch(/torch\.noGrad/);
  });
});

describe("the function transforms name themselves and the argument a student got wrong", () => {
  const square = (x: Tensor) => x.mul(x).sum();
  const cases: [string, () => unknown, RegExp][] = [
    // Float64Array.of([1, 2]) is NaN: these gave tensor(nan) without a word.
    ["grad(f)([1, 2])", () => g.grad(square)([1, 2] as never), /^grad: the argument to differentiate must be a Tensor or a number, got an array \(wrap it with tensor\(\.\.\.\)\)$/],
    ["hessian(f)([1, 2])", () => g.hessian(square)([1, 2] as never), /^hessian: the argument to differentiate must be a Tensor or a number, got an array/],
    ["jacobian(f)('abc')", () => g.jacobian((x: Tensor) => x)("abc" as never), /^jacobian: the argument to differentiate must be a Tensor or a number, got a string$/],
    ["vjp(f, [1])", () => g.vjp(square, [1] as never), /^vjp: the argument to differentiate must be a Tensor or a number/],
    ["jvp(f, [[1]], [1])", () => g.jvp(square, [[1]] as never, [1]), /^jvp: the argument to differentiate must be a Tensor or a number/],
    // It failed only when called, with "f is not a function" from inside the library.
    ["grad(42)", () => g.grad(42 as never), /^grad: the first argument is the function to differentiate, e\.g\. grad\(\(x: Tensor\) => \(x \*\* 2\)\.sum\(\)\); got a number$/],
    ["hessian(undefined)", () => g.hessian(undefined as never), /^hessian: the first argument is the function to differentiate/],
    // The message named grad, which the student did not call.
    ["hessian of a vector-valued function", () => g.hessian((x: Tensor) => x.mul(x))(tensor([1, 2])), /^hessian: the function must return a scalar \(one element\), but it returned shape \[2\]/],
  ];
  for (const [call, run, message] of cases) it(call, () => expect(errorOf(run)?.message).toMatch(message));
});

describe("an axis that is not a whole number", () => {
  const x = () => g.ones([2, 3]);
  const cases: [string, () => unknown, string][] = [
    // PyTorch's keyword dim=0 written as an object: it failed with "list.map is not a function".
    ["sum({ dim: 0 })", () => x().sum({ dim: 0 } as never), 'sum: the axis is a number or an array of numbers, e.g. sum(0) or sum([0, 1]); got {"dim":0}'],
    ["mean('a')", () => x().mean("a" as never), 'mean: the axis is a number or an array of numbers, e.g. mean(0) or mean([0, 1]); got "a"'],
    // It said "axis 1.5 is out of range", which it is not.
    ["sum(1.5)", () => x().sum(1.5), "sum: an axis is a whole number (0 for the first, -1 for the last), got 1.5"],
    ["softmax(NaN)", () => x().softmax(NaN), "softmax: an axis is a whole number (0 for the first, -1 for the last), got NaN"],
  ];
  for (const [call, run, message] of cases) it(call, () => expect(errorOf(run)?.message).toBe(message));
  it("a whole axis out of range still says so", () => expect(errorOf(() => x().sum(2))?.message).toBe("sum: axis 2 is out of range for a tensor with 2 dimension(s)"));
});

describe("more dimensions than a tensor has", () => {
  // Printing, copying and the nested-array walk recurse once per dimension: thousands overflowed
  // the stack with a bare "Maximum call stack size exceeded".
  const deeplyNested = (levels: number): unknown => {
    let data: unknown = 1;
    for (let i = 0; i < levels; i++) data = [data];
    return data;
  };
  it("refuses data nested deeper than 64 levels, naming the function", () => {
    expect(errorOf(() => g.tensor(deeplyNested(100_000) as never))?.message).toBe("tensor: the data is nested 100000 levels deep; a tensor has at most 64 dimensions");
    expect(errorOf(() => g.np.array(deeplyNested(65) as never))?.message).toBe("array: the data is nested 65 levels deep; a tensor has at most 64 dimensions");
    expect(g.tensor(deeplyNested(64) as never).shape.length).toBe(64);
  });
  it("refuses a shape of more than 64 sizes, and any tensor made with more", () => {
    expect(errorOf(() => g.zeros(new Array(2000).fill(1)))?.message).toBe("zeros: the shape has 2000 sizes; a tensor has at most 64 dimensions");
    expect(errorOf(() => g.ones([1]).reshape(new Array(65).fill(1)))?.message).toMatch(/^reshape: the shape has 65 sizes; a tensor has at most 64 dimensions$/);
    expect(errorOf(() => { let t = g.ones([1]); for (let i = 0; i < 70; i++) t = t.unsqueeze(0); return t; })?.message).toBe("unsqueeze: the tensor already has 64 dimensions, the most a tensor has");
    expect(errorOf(() => new g.Tensor(new Float64Array(1), new Array(65).fill(1), "float64", "torch"))?.message).toBe("a tensor has at most 64 dimensions; this one would have 65");
  });
  it("refuses a requiresGrad_ flag that is not true or false", () => {
    expect(errorOf(() => g.ones([2]).requiresGrad_("abc" as never))?.message).toBe('requiresGrad_: the flag is true or false, got "abc"');
    expect(g.ones([2]).requiresGrad_().requiresGrad).toBe(true);
    expect(g.ones([2]).requiresGrad_(false).requiresGrad).toBe(false);
  });
});
