/**
 * Ops built from other ops: their gradients come for free from the parts, to any order, so each
 * one here adds no backward rule that could be wrong and no loop that could be slow. Boundary: no
 * loops and no backward rules here, only compositions of primitives.
 * The ops' Tensor methods (`x.mean()`) are declared and installed at the end of the file.
 */
import { defineMethods, type Axis, type Tensor } from "../tensor.js";
import { noGrad } from "../autodiff/mode.js";
import { fail } from "../errors.js";
import { normalizeAxes } from "../shape.js";
import { add, div, eq, exp, isfinite, log, sqrt, square, sub, where } from "./elementwise.js";
import { max, sum } from "./reduce.js";
import { reshape } from "./shape-ops.js";

/**
 * Mean over `axis` (all when omitted: a 0-d tensor) = sum / count; `keepdims` keeps reduced axes
 * with length 1. PyTorch `torch.mean(x, dim, keepdim)`, NumPy `np.mean`.
 * @example mean(tensor([1, 2, 3])).item() // 2
 */
export function mean(x: Tensor, axis?: Axis, keepdims = false): Tensor {
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
  if (typeof options !== "object" || options === null || Array.isArray(options))
    fail(`norm: the second argument is an options object such as { axis: 1, keepdims: true }; got ${Array.isArray(options) ? "an array" : String(options)}`);
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

declare module "../tensor.js" {
  interface Tensor {
    mean(axis?: Axis, keepdims?: boolean): Tensor;
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
  norm(options) { return norm(this, options); },
  logsumexp(axis, keepdims = false) { return logsumexp(this, axis, keepdims); },
  softmax(axis = -1) { return softmax(this, axis); },
  logSoftmax(axis = -1) { return logSoftmax(this, axis); },
});
