/**
 * Ops built from other ops (STYLE idea 1): their gradients come for free from the parts. `norm`
 * is the one primitive here, because its composite sqrt(sum(x²)) has gradient x/0 = NaN at the
 * origin, where PyTorch (and a student) expects 0.
 */
import type { Axis, Tensor } from "../tensor.js";
import { defineOp, record, tracks } from "../autodiff/rule.js";
import { mode, noGrad } from "../autodiff/mode.js";
import { normalizeAxes } from "../shape.js";
import { add, div, eq, exp, isfinite, log, mul, sqrt, square, sub, where } from "./elementwise.js";
import { max, sum } from "./reduce.js";
import { reshape } from "./shape-ops.js";

/** Mean over `axis` (all when omitted) = sum / count. @example mean(tensor([1, 2, 3])).item() // 2 */
export function mean(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "mean");
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return div(sum(x, axes, keepdims), count);
}

const Norm = defineOp("norm", (g, out, [x]) => [mul(g, div(x as Tensor, where(eq(out, 0), 1, out)))]);
/**
 * Euclidean (Frobenius) norm of all elements; its gradient x/‖x‖ is taken as 0 at the origin.
 * @example norm(tensor([3, 4])).item() // 5
 */
export function norm(x: Tensor): Tensor {
  const out = noGrad(() => sqrt(sum(square(x))));
  if (mode.gradEnabled && tracks(x)) record(out, Norm, [x]);
  return out;
}

/**
 * log(sum(exp(x))) over `axis`, computed stably by shifting with the (constant) maximum, so
 * large inputs do not overflow. @example logsumexp(tensor([1000, 1000])).item() // 1000.6931…
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

/** exp(x) / sum(exp(x)) along `axis` (default last), stable for large inputs. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return exp(sub(x, logsumexpFor("softmax", x, axis, true)));
}

/** log(softmax(x)) along `axis`, without the round trip through exp. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return sub(x, logsumexpFor("logSoftmax", x, axis, true));
}
