/**
 * Ops built from other ops: their gradients come for free from the parts, to any order, so each
 * one here adds no backward rule that could be wrong and no loop that could be slow. Boundary: no
 * loops and no backward rules here, only compositions of primitives.
 * The ops' Tensor methods (`x.mean()`) are declared and installed at the end of the file.
 */
import { checkOptions, expectNumber, expectTensor } from "../args.js";
import { defineMethods, type Axis, type Tensor } from "../tensor.js";
import { noGrad } from "../autodiff/mode.js";
import { fail } from "../errors.js";
import { normalizeAxes } from "../shape.js";
import { abs, add, div, eq, exp, gt, isfinite, le, log, lt, mul, ne, sqrt, square, sub, where } from "./elementwise.js";
import { max, sum } from "./reduce.js";
import { reshape, slice } from "./shape-ops.js";

/**
 * Mean over `axis` (all when omitted: a 0-d tensor) = sum / count; `keepdims` keeps reduced axes
 * with length 1. PyTorch `torch.mean(x, dim, keepdim)`, NumPy `np.mean`.
 * @example mean(tensor([1, 2, 3])).item() // 2
 */
export function mean(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  expectTensor(x, "mean");
  const axes = normalizeAxes(axis, x.ndim, "mean");
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(x, axes, keepdims), count);
}

/** Options of `norm`: which axes to reduce (all when omitted) and whether to keep them as size 1. */
export interface NormOptions {
  axis?: Axis;
  keepdims?: boolean;
}

/**
 * Euclidean 2-norm over `axis` (all elements when omitted: the Frobenius norm of a matrix). Its
 * gradient x/‖x‖ is taken as 0 where a slice is all zeros, as PyTorch does. PyTorch
 * `torch.norm` / `torch.linalg.norm`, NumPy `np.linalg.norm`, with the options as an object
 * (`{ axis, keepdims }`) and the 2-norm only (no `ord`).
 * @example norm(tensor([3, 4])).item() // 5
 * @example norm(tensor([[3, 4], [0, 0]]), { axis: 1 }) // tensor([5., 0.])
 */
export function norm(x: Tensor, options: NormOptions = {}): Tensor {
  expectTensor(x, "norm");
  if (typeof options !== "object" || options === null || Array.isArray(options))
    fail(`norm: the second argument is an options object such as { axis: 1, keepdims: true }; got ${Array.isArray(options) ? "an array" : String(options)}`);
  checkOptions(options, "norm", ["axis", "keepdims"]);
  const axes = normalizeAxes(options.axis, x.ndim, "norm");
  const s = sum(square(x), axes, options.keepdims ?? false);
  // sqrt(s) alone has slope 1/(2·0) = ∞ at an all-zero slice, and the chain rule then gives
  // 0·∞ = NaN. So the root is taken of a safe 1 there and the result replaced by 0: both wheres
  // send a zero gradient into those slices, at every order, and change nothing elsewhere.
  const zero = eq(s, 0);
  return where(zero, 0, sqrt(where(zero, 1, s)));
}

/**
 * log(sum(exp(x))) over `axis` (all when omitted), computed stably by shifting with the
 * (constant) maximum, so large inputs do not overflow. PyTorch `torch.logsumexp`, SciPy
 * `scipy.special.logsumexp`.
 * @example logsumexp(tensor([1000, 1000])).item() // 1000.6931…
 */
export function logsumexp(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  return logsumexpFor("logsumexp", x, axis, keepdims);
}

/** logsumexp, its axis errors worded for `op` (softmax reaches it with the user's axis). */
function logsumexpFor(op: string, x: Tensor, axis: Axis, keepdims: boolean): Tensor {
  expectTensor(x, op);
  const axes = normalizeAxes(axis, x.ndim, op);
  const m = noGrad(() => {
    const mx = max(x.detach(), axes, true);
    return where(isfinite(mx), mx, 0);
  });
  const out = add(log(sum(exp(sub(x, m)), axes, true)), m);
  return keepdims ? out : reshape(out, x.shape.filter((_, i) => !axes.includes(i)));
}

/**
 * exp(x) / sum(exp(x)) along `axis` (default the last), stable for large inputs; same shape, each
 * slice sums to 1. PyTorch `torch.softmax(x, dim)`.
 * @example softmax(tensor([0, Math.log(3)])) // tensor([0.2500, 0.7500])
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(sub(x, logsumexpFor("softmax", x, axis, true)));
}

/**
 * log(softmax(x)) along `axis` (default the last), without the round trip through exp; same
 * shape. PyTorch `torch.log_softmax` / `F.log_softmax(x, dim)`.
 * @example logSoftmax(tensor([0, 0])) // tensor([-0.6931, -0.6931])
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return sub(x, logsumexpFor("logSoftmax", x, axis, true));
}

/**
 * x limited to [min, max] (either bound may be left out as undefined): PyTorch `torch.clamp(x,
 * min, max)`, NumPy `np.clip(a, a_min, a_max)`. The gradient is 1 where x lies within the bounds
 * (the bounds included) and 0 where it was cut, as PyTorch's.
 * @example clamp(tensor([-2, 0.5, 3]), 0, 1) // tensor([0.0000, 0.5000, 1.0000])
 */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  expectTensor(x, "clamp");
  if (min !== undefined) expectNumber(min, "clamp", "the lower bound");
  if (max !== undefined) expectNumber(max, "clamp", "the upper bound");
  if (min === undefined && max === undefined) fail("clamp: give a lower bound, an upper bound or both, as clamp(x, 0, 1) or clamp(x, undefined, 1)");
  if (min !== undefined && max !== undefined && min > max) fail(`clamp: the lower bound ${min} is above the upper bound ${max}`);
  let out = x;
  if (min !== undefined) out = where(lt(out, min), min, out);
  if (max !== undefined) out = where(gt(out, max), max, out);
  return out;
}

/**
 * The variance over `axis` (all elements when omitted): the sum of squared deviations from the
 * mean, divided by (count − correction). `correction` is 1 on a PyTorch tensor (`torch.var`'s
 * unbiased default) and 0 on a NumPy array (`np.var`'s `ddof=0`), as each library has it.
 * @example variance(tensor([1, 2, 3, 4])) // tensor(1.6667)
 */
export function variance(x: Tensor, axis?: Axis, keepdims = false, correction?: number): Tensor {
  return varianceFor("var", x, axis, keepdims, correction);
}

/** variance, its errors worded for `op` (std reaches it with the user's arguments). */
function varianceFor(op: string, x: Tensor, axis: Axis, keepdims: boolean, correction: number | undefined): Tensor {
  expectTensor(x, op);
  if (correction === undefined) correction = x.flavour === "np" ? 0 : 1;
  else expectNumber(correction, op, "the correction");
  const axes = normalizeAxes(axis, x.ndim, op);
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  if (count - correction <= 0) fail(`${op}: ${count} element${count === 1 ? "" : "s"} over the reduced axes leave no degrees of freedom with correction ${correction}`);
  const deviations = sub(x, mean(x, axes, true));
  return div(sum(square(deviations), axes, keepdims), count - correction);
}

/**
 * The standard deviation over `axis`: the square root of `variance` with the same correction (1 on
 * a PyTorch tensor, 0 on a NumPy array). PyTorch `torch.std`, NumPy `np.std`.
 * @example std(tensor([1, 2, 3, 4])) // tensor(1.2910)
 */
export function std(x: Tensor, axis?: Axis, keepdims = false, correction?: number): Tensor {
  return sqrt(varianceFor("std", x, axis, keepdims, correction));
}

/**
 * Whether every element of a is close to the element of b at its place (broadcast): |a − b| ≤
 * atol + rtol·|b|, NaN never close. PyTorch `torch.allclose`, NumPy `np.allclose`, with their
 * default tolerances.
 * @example allclose(tensor([1, 2]), tensor([1, 2 + 1e-9])) // true
 */
export function allclose(a: Tensor, b: Tensor | number, rtol = 1e-5, atol = 1e-8): boolean {
  expectTensor(a, "allclose", "a");
  if (typeof b !== "number") expectTensor(b, "allclose", "b");
  expectNumber(rtol, "allclose", "rtol");
  expectNumber(atol, "allclose", "atol");
  return noGrad(() => all(le(abs(sub(a, b)), add(atol, mul(rtol, abs(b))))).item() === 1);
}

/**
 * Whether any element is non-zero (true), over `axis` (all elements when omitted): a bool tensor.
 * PyTorch `torch.any`, NumPy `np.any`.
 * @example any(tensor([0, 0, 3])) // tensor(True)
 */
export function any(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  expectTensor(x, "any");
  const axes = normalizeAxes(axis, x.ndim, "any");
  return noGrad(() => gt(sum(ne(x.detach(), 0), axes, keepdims), 0));
}

/**
 * Whether every element is non-zero (true), over `axis` (all elements when omitted): a bool
 * tensor. PyTorch `torch.all`, NumPy `np.all`.
 * @example all(tensor([1, 2, 0])) // tensor(False)
 */
export function all(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  expectTensor(x, "all");
  const axes = normalizeAxes(axis, x.ndim, "all");
  return noGrad(() => eq(sum(eq(x.detach(), 0), axes, keepdims), 0));
}

/**
 * x with its elements in reverse order along `axis` (every axis when omitted): PyTorch
 * `torch.flip(x, dims)`, NumPy `np.flip(a, axis)`. Differentiable: the gradient is reversed back.
 * @example flip(tensor([[1, 2], [3, 4]]), 1) // tensor([[2., 1.], [4., 3.]])
 */
export function flip(x: Tensor, axis?: Axis): Tensor {
  expectTensor(x, "flip");
  const axes = normalizeAxes(axis, x.ndim, "flip");
  return slice(x, ...x.shape.map((_, i) => (axes.includes(i) ? "::-1" : ":")));
}

declare module "../tensor.js" {
  interface Tensor {
    /** The elements in reverse order along `axis` (every axis when omitted): see `flip`. @example tensor([1, 2, 3]).flip() // tensor([3., 2., 1.]) */
    flip(axis?: Axis): Tensor;
    mean(axis?: Axis, keepdims?: boolean): Tensor;
    /** x limited to [min, max], PyTorch's `t.clamp(min, max)`: see `clamp`. @example tensor([-1, 2]).clamp(0, 1) // tensor([0., 1.]) */
    clamp(min?: number, max?: number): Tensor;
    /** NumPy's `a.clip(a_min, a_max)`, the same as `clamp`. @example np.array([-1, 2]).clip(0, 1) // array([0., 1.]) */
    clip(min?: number, max?: number): Tensor;
    /** The standard deviation, PyTorch's `t.std(dim)` (correction 1) or NumPy's `a.std(axis)` (ddof 0): see `std`. */
    std(axis?: Axis, keepdims?: boolean, correction?: number): Tensor;
    /** The variance, PyTorch's `t.var(dim)` (correction 1) or NumPy's `a.var(axis)` (ddof 0): see `variance`. */
    var(axis?: Axis, keepdims?: boolean, correction?: number): Tensor;
    /** Whether any element is non-zero, a bool tensor: see `any`. @example tensor([0, 1]).any().item() // 1 */
    any(axis?: Axis, keepdims?: boolean): Tensor;
    /** Whether every element is non-zero, a bool tensor: see `all`. @example tensor([0, 1]).all().item() // 0 */
    all(axis?: Axis, keepdims?: boolean): Tensor;
    /** 2-norm over `axis` (all elements when omitted). @example tensor([[3, 4]]).norm({ axis: 1 }) // tensor([5.]) */
    norm(options?: NormOptions): Tensor;
    logsumexp(axis?: Axis, keepdims?: boolean): Tensor;
    softmax(axis?: number): Tensor;
    /** log(softmax) along `axis` (default the last), PyTorch's `t.log_softmax(dim)`. */
    logSoftmax(axis?: number): Tensor;
  }
}

defineMethods({
  mean(axis, keepdims = false) { return mean(this, axis, keepdims); },
  clamp(min, max) { return clamp(this, min, max); },
  flip(axis) { return flip(this, axis); },
  clip(min, max) { return clamp(this, min, max); },
  std(axis, keepdims = false, correction) { return std(this, axis, keepdims, correction); },
  var(axis, keepdims = false, correction) { return variance(this, axis, keepdims, correction); },
  any(axis, keepdims = false) { return any(this, axis, keepdims); },
  all(axis, keepdims = false) { return all(this, axis, keepdims); },
  norm(options) { return norm(this, options); },
  logsumexp(axis, keepdims = false) { return logsumexp(this, axis, keepdims); },
  softmax(axis = -1) { return softmax(this, axis); },
  logSoftmax(axis = -1) { return logSoftmax(this, axis); },
});
