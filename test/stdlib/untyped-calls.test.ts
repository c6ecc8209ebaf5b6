/**
 * Calls the type checker never sees: plain Node (`import { torch } from "gradlab"`), `any` values in
 * cells (JSON data, untyped parameters), `// @ts-nocheck` cells and kernels without checking. The
 * public tensor API (the prelude's functions, `torch`, `np`, `autograd` with their sub-namespaces,
 * and every Tensor method) is walked with the wrong kinds of argument a JavaScript caller passes;
 * a refusal must be a GradlabError whose message names the function called, and a call that is
 * accepted must give a well-formed tensor. Then the common mistakes' messages are checked for what
 * they say: what was passed and what the function takes. The plotting functions are outside this
 * walk (README "Status and known limits").
 */
import { describe, expect, it } from "vitest";
import * as g from "../../stdlib/index.js";
import { GradlabError, Tensor, tensor } from "../../stdlib/index.js";
import { opBehind } from "../../stdlib/namespaces.js";

type Entry = { label: string; fn: Function; self: unknown; names: string[] };

/** Prelude exports that are not tensor functions: classes, the operator helpers, plotting. */
const NOT_WALKED = new Set([
  "Tensor", "GradlabError", "Figure", "Axes", "Axes3D", "__gradlabOps",
  "plot", "setFigsize", "setAxes", "configurePlots", "d2l", "plt", "plots",
  // the random seed setters take any number and ignore the rest; nothing to refuse
  "manualSeed",
]);
/** Members that take no tensor (seeds, the recording query) or any value (the isTensor predicate). */
const NO_TENSOR_ARGS = new Set(["manualSeed", "manual_seed", "initialSeed", "initial_seed", "seed", "isRecording", "isTensor"]);
/** Exports whose messages use the name the frameworks give the op. */
const FUNCTION_OPS: Record<string, string[]> = { gradients: ["grad"], variance: ["var"], asarray: ["array"] };

function entries(): Entry[] {
  const out: Entry[] = [];
  const add = (label: string, fn: Function, self: unknown) => {
    const last = label.split(".").pop()!;
    const names = [label, last, opBehind(fn).name, ...(FUNCTION_OPS[last] ?? [])];
    out.push({ label, fn, self, names: names.filter((n) => n !== "" && n !== "wrapper") });
  };
  for (const [k, v] of Object.entries(g)) if (typeof v === "function" && !NOT_WALKED.has(k) && !NO_TENSOR_ARGS.has(k)) add(k, v, undefined);
  const spaces: [string, Record<string, unknown>][] = [
    ["torch", g.torch], ["np", g.np], ["autograd", g.autograd], ["torch.linalg", g.torch.linalg],
    ["torch.autograd", g.torch.autograd], ["np.linalg", g.np.linalg], ["np.random", g.np.random],
  ];
  for (const [ns, obj] of spaces)
    for (const [k, v] of Object.entries(obj)) if (typeof v === "function" && !NO_TENSOR_ARGS.has(k)) add(`${ns}.${k}`, v, obj);
  return out;
}

/** Tensor methods under another name than the op whose message they share. */
const METHOD_OPS: Record<string, string[]> = {
  view: ["reshape"], expand: ["broadcastTo"], expandDims: ["unsqueeze"], clip: ["clamp"], astype: ["cast"],
  float: ["cast"], double: ["cast"], var: ["var"], backward: ["backward"], indexPut: ["indexPut"],
};
/** Methods that take no argument a caller could get wrong (conversions, flags). */
const NO_ARG_METHODS = new Set(["toArray", "toFloat64Array", "toString", "toJSON", "zeroGrad", "detach", "attachGrad", "item"]);

/** The wrong kinds of argument, each as a plain JavaScript caller writes it. */
const WRONG: [string, () => unknown][] = [
  ["a number", () => 3],
  ["a nested array", () => [[1, 2], [3, 4]]],
  ["a flat array", () => [3, 5]],
  ["undefined", () => undefined],
  ["null", () => null],
  ["a string", () => "abc"],
  ["a function", () => () => 1],
  ["an object", () => ({})],
  ["NaN", () => NaN],
  ["a misspelt options object", () => ({ requires_grad: true })],
  ["a non-integer", () => 1.5],
  ["an out-of-range dim", () => 7],
];

/** Runs a call; a refusal must be a GradlabError naming one of `names`; an accepted call gives a sane value. */
function check(names: string[], call: () => unknown): "refused" | "accepted" {
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(GradlabError);
    const message = (e as Error).message;
    expect(names.some((n) => message.startsWith(`${n}:`)), `"${message}" should start with one of ${names.join(", ")}`).toBe(true);
    return "refused";
  }
  for (const t of [result, ...(Array.isArray(result) ? result : [])]) {
    if (!(t instanceof Tensor)) continue;
    expect(t.shape.every((d) => Number.isInteger(d) && d >= 0), `shape [${t.shape}]`).toBe(true);
    expect(t.toFloat64Array().length).toBe(t.size);
  }
  return "accepted";
}

const two = () => tensor([[1, 2], [3, 4]]);

describe("the tensor API walked with wrong arguments from plain JavaScript", () => {
  const all = entries();

  it("the walk covers the prelude and the namespaces", () => {
    const labels = all.map((e) => e.label);
    for (const l of ["max", "sum", "tensor", "grad", "reshape", "torch.max", "torch.cat", "np.linalg.norm", "np.random.uniform", "autograd.record", "torch.autograd.grad"])
      expect(labels).toContain(l);
    expect(all.length).toBeGreaterThan(200);
  });

  for (const e of all) {
    it(`${e.label}: every refusal is a GradlabError naming it, and it refuses something`, () => {
      let refused = 0;
      for (const [, wrong] of WRONG) {
        if (check(e.names, () => e.fn.call(e.self, wrong())) === "refused") refused++;
        if (check(e.names, () => e.fn.call(e.self, two(), wrong())) === "refused") refused++;
      }
      expect(refused, `${e.label} accepted every wrong argument`).toBeGreaterThan(0);
    });
  }

  const methods = Object.getOwnPropertyNames(Tensor.prototype).filter(
    (m) => m !== "constructor" && typeof Object.getOwnPropertyDescriptor(Tensor.prototype, m)!.value === "function" && !NO_ARG_METHODS.has(m),
  );
  it("the walk covers the Tensor methods", () => {
    for (const m of ["sum", "max", "reshape", "view", "add", "backward", "slice", "astype"]) expect(methods).toContain(m);
  });
  for (const m of methods) {
    it(`t.${m}(wrong): every refusal is a GradlabError naming it`, () => {
      for (const [, wrong] of WRONG) {
        const t = two();
        check([m, ...(METHOD_OPS[m] ?? [])], () => (t as any)[m](wrong()));
        // the receiver survives a refused call unchanged
        expect(t.toArray()).toEqual([[1, 2], [3, 4]]);
      }
    });
  }

  it("a refused call leaves the grad mode and recording scope as they were", () => {
    for (const block of [undefined, 3, two()]) {
      expect(() => g.noGrad(block as any)).toThrow(GradlabError);
      expect(() => g.autograd.record(block as any)).toThrow(GradlabError);
    }
    expect(g.autograd.isRecording()).toBe(false);
    expect(tensor(2, { requiresGrad: true }).mul(3).gradFn).toBe("mul");
  });
});

describe("the messages say what was passed and what the function takes", () => {
  const t = () => tensor([1, 2, 3]);
  const cases: [string, () => unknown, string][] = [
    ["max(3, 5)", () => g.max(3 as any, 5), "max: x must be a Tensor, got the number 3 (wrap it: tensor(...))"],
    ["max([3, 5])", () => g.max([3, 5] as any), "max: x must be a Tensor, got an array of length 2 (wrap it: tensor(...))"],
    ["torch.max(undefined)", () => g.torch.max(undefined as any), "max: x must be a Tensor, got undefined"],
    ["sum(t, '0')", () => g.sum(t(), "0" as any), 'sum: the axis is a number or an array of numbers, e.g. sum(0) or sum([0, 1]); got "0"'],
    ["sum(t, 0.5)", () => g.sum(t(), 0.5), "sum: an axis is a whole number (0 for the first, -1 for the last), got 0.5"],
    ["sum(t, NaN)", () => g.sum(t(), NaN), "sum: an axis is a whole number (0 for the first, -1 for the last), got NaN"],
    ["sum(t, 3)", () => g.sum(t(), 3), "sum: axis 3 is out of range for a tensor with 1 dimension(s)"],
    ["mean(t, {})", () => g.mean(t(), {} as any), "mean: the axis is a number or an array of numbers, e.g. mean(0) or mean([0, 1]); got {}"],
    ["tensor(d, { requires_grad })", () => g.tensor([1], { requires_grad: true } as any),
      'tensor: unknown option "requires_grad"; did you mean "requiresGrad"? (it takes "dtype", "requiresGrad")'],
    ["torch.zeros(2, { requires_grad })", () => g.torch.zeros(2, { requires_grad: true } as any),
      'zeros: unknown option "requires_grad"; did you mean "requiresGrad"? (it takes "dtype", "requiresGrad")'],
    ["tensor(d, { dtype: 'int32' })", () => g.tensor([1], { dtype: "int32" as any }),
      'tensor: unknown dtype the string "int32"; gradlab has "float64" (the default), "float32" and "bool"'],
    ["t.astype('float')", () => t().astype("float" as any), 'cast: unknown dtype the string "float"; gradlab has "float64" (the default), "float32" and "bool"'],
    ["reshape(t, [3, '1'])", () => g.reshape(t(), [3, "1"] as any),
      'reshape: the shape [3, "1"] has the size the string "1"; every size must be a whole number, 0 or more (or one -1)'],
    ["t.reshape()", () => t().reshape(undefined as any), "reshape: the shape [undefined] has the size undefined; every size must be a whole number, 0 or more (or one -1)"],
    ["broadcastTo(t, 'abc')", () => g.broadcastTo(t(), "abc" as any), 'broadcastTo: the shape must be an array of sizes or a number, got the string "abc"'],
    ["full([2], '7')", () => g.full([2], "7" as any), 'full: the fill value must be a number, got the string "7"'],
    ["linspace(0, '1', 3)", () => g.linspace(0, "1" as any, 3), 'linspace: stop must be a number, got the string "1"'],
    ["arange(undefined)", () => g.arange(undefined as any), "arange: stop must be a number, got undefined"],
    ["concat([t, [1]])", () => g.concat([t(), [1]] as any), "concat: element 1 of the list must be a Tensor, got an array of length 1 (wrap it: tensor(...))"],
    ["stack(t)", () => g.stack(t() as any), "stack: expected an array of Tensors, got a tensor of shape [3]"],
    ["add(t, undefined)", () => g.add(t(), undefined as any), "add: expected a Tensor or a number, got undefined"],
    ["grad(3)", () => g.grad(3 as any), "grad: the first argument is the function to differentiate, e.g. grad((x: Tensor) => (x ** 2).sum()); got a number"],
    ["grad(f)([1, 2])", () => g.grad((x: g.Tensor) => x.sum())([1, 2] as any), "grad: the argument to differentiate must be a Tensor or a number, got an array (wrap it with tensor(...))"],
    ["noGrad(t)", () => g.noGrad(t() as any), "noGrad: takes the code to run as a function, as in noGrad(() => ...); got object"],
    ["y.backward(undefined, { retain_graph })", () => tensor(2, { requiresGrad: true }).mul(3).backward(undefined, { retain_graph: true } as any),
      'backward: unknown option "retain_graph"; did you mean "retainGraph"? (it takes "retainGraph", "createGraph")'],
    ["torch.autograd.grad(y, [1])", () => g.torch.autograd.grad(tensor(2, { requiresGrad: true }).mul(3), [1] as any),
      "grad: input 1 must be a Tensor, got the number 1 (wrap it: tensor(...))"],
    ["meshgrid(t, [1, 2])", () => g.meshgrid(t(), [1, 2] as any), "meshgrid: argument 2 must be a Tensor, got an array of length 2 (wrap it: tensor(...))"],
    ["np.random.uniform('0', 1)", () => g.np.random.uniform("0" as any, 1), 'np.random.uniform: low must be a number, got the string "0"'],
    ["zerosLike([1, 2])", () => g.zerosLike([1, 2] as any), "zerosLike: x must be a Tensor, got an array of length 2 (wrap it: tensor(...))"],
    ["norm(t, { axes: 0 })", () => g.norm(t(), { axes: 0 } as any), 'norm: unknown option "axes"; did you mean "axis"? (it takes "axis", "keepdims")'],
  ];
  for (const [call, run, message] of cases) {
    it(call, () => {
      expect(run).toThrow(GradlabError);
      expect(run).toThrow(message);
    });
  }

  it("what PyTorch and NumPy accept keeps working", () => {
    expect(g.exp(1).item()).toBeCloseTo(Math.E);
    expect(g.add(tensor([1, 2]), 1).toArray()).toEqual([2, 3]);
    expect(g.zeros(3).shape).toEqual([3]);
    expect(g.torch.zeros(2, 3, { requiresGrad: true }).requiresGrad).toBe(true);
    expect(g.reshape(g.arange(6), [-1, 3]).shape).toEqual([2, 3]);
    expect(g.tensor([1, 2]).reshape(2, 1).shape).toEqual([2, 1]);
    expect(g.sum(tensor([[1, 2], [3, 4]]), [0, 1]).item()).toBe(10);
    expect(g.sum(tensor([[1, 2], [3, 4]]), null).item()).toBe(10);
    expect(g.zeros(new Int32Array([2, 2]) as any).shape).toEqual([2, 2]);
  });
});
