/**
 * checkGrads: compares the library's derivatives with central finite differences along random
 * directions, to any order (order 2 checks the derivative of the vector-Jacobian product), like
 * autograd's check_grads. Exported so students can test their own functions.
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { GradlabError, fail } from "../errors.js";
import { noGrad } from "./mode.js";
import { vjp } from "./transforms.js";
import { asTensor } from "../creation.js";
import { checkOptions, expectFunction, expectTensor } from "../args.js";
import { concat, flatten } from "../ops/shape-ops.js";

type Fn = (...args: Tensor[]) => TensorLike;

/** Options of `checkGrads`: the derivative order, the finite-difference step and the tolerances. */
export interface CheckGradsOptions {
  /** Highest derivative order to check (default 2). */
  order?: number;
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Relative and absolute tolerance (defaults 1e-5, 1e-7). */
  rtol?: number;
  atol?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

function randomLike(x: Tensor, r: () => number): Tensor {
  const t = new Tensor(new Float64Array(x.size), x.shape, "float64", x.flavour);
  for (let i = 0; i < x.size; i++) t["_data"][i] = r();
  return t;
}

function inner(a: Tensor, b: Tensor): number {
  const x = a.toFloat64Array(), y = b.toFloat64Array();
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function checkOrder(f: Fn, xs: Tensor[], order: number, level: number, o: Required<CheckGradsOptions>, r: () => number): void {
  const y = noGrad(() => asTensor(f(...xs)));
  const v = randomLike(y, r);
  const ds = xs.map((x) => randomLike(x, r));
  const at = (h: number) => noGrad(() => inner(v, asTensor(f(...xs.map((x, i) => x.add(ds[i]!.mul(h)))))));
  const numeric = (at(o.eps) - at(-o.eps)) / (2 * o.eps);
  const pull = vjp(f as any, ...xs)[1](v);
  const analytic = pull.reduce((s, g, i) => s + inner(g, ds[i]!), 0);
  if (!(Math.abs(numeric - analytic) <= o.atol + o.rtol * Math.max(Math.abs(numeric), Math.abs(analytic))))
    throw new GradlabError(
      `checkGrads: derivative of order ${level} disagrees with finite differences along a random direction: ` +
        `autodiff gives ${analytic}, finite differences give ${numeric} (difference ${Math.abs(numeric - analytic)})`,
    );
  if (order > 1) {
    const g: Fn = (...zs) => {
      const gs = vjp(f as any, ...zs)[1](v);
      return concat(gs.map((t) => flatten(t.ndim === 0 ? t.reshape([1]) : t)));
    };
    checkOrder(g, xs, order - 1, level + 1, o, r);
  }
}

/**
 * Checks the derivatives of `f` at `inputs` up to `order` against central finite differences;
 * throws a GradlabError describing the mismatch, returns true when all agree.
 * @example checkGrads((x: Tensor) => x.mul(x.exp()).sum(), [tensor([0.3, -1.2])], { order: 2 }) // true
 */
export function checkGrads(f: Fn, inputs: TensorLike | readonly TensorLike[], options: CheckGradsOptions = {}): true {
  expectFunction(f, "checkGrads");
  checkOptions(options, "checkGrads", ["order", "eps", "rtol", "atol"]);
  const xs = (Array.isArray(inputs) ? inputs : [inputs]).map((x, i) => {
    if (typeof x !== "number") expectTensor(x, "checkGrads", `input ${i + 1}`);
    const t = asTensor(x as TensorLike);
    if (t.dtype !== "float64") fail("checkGrads: use float64 inputs; finite differences are too coarse in float32");
    return t.detach();
  });
  const o: Required<CheckGradsOptions> = { order: 2, eps: 1e-6, rtol: 1e-5, atol: 1e-7, ...options };
  checkOrder(f, xs, o.order, 1, o, rng(12345));
  return true;
}
