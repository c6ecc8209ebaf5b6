/**
 * What an op tells the engine: its name and its vector-Jacobian product. Every vjp is written
 * with the library's own differentiable ops, so differentiating a gradient needs no second rule
 * set. `record` attaches the op to its output, which from then on is the graph node.
 */
import type { Tensor, TensorLike } from "../tensor.js";
import { mode } from "./mode.js";

export interface OpRule {
  readonly name: string;
  /**
   * Gradients for each input given `g`, the gradient of the output `out` (same shape as `out`).
   * A gradient may have the broadcast output's shape: the engine sums it back to the input's
   * shape in one place. Return null for inputs that get no gradient (`needs[i]` false, or
   * non-differentiable inputs).
   */
  vjp(g: Tensor, out: Tensor, inputs: readonly TensorLike[], ctx: any, needs: readonly boolean[]): (Tensor | null)[];
}

/** Whether ops on `x` are recorded right now (MXNet-style leaves only inside autograd.record). */
export function tracks(x: TensorLike): boolean {
  return typeof x !== "number" && x.requiresGrad && (!x["_recordOnly"] || mode.recordDepth > 0);
}

/** Makes `out` a graph node of `op` when grad mode is on and an input is tracked. */
export function record(out: Tensor, op: OpRule, inputs: TensorLike[], ctx?: unknown): Tensor {
  if (!mode.gradEnabled) return out;
  let any = false;
  let recordOnly = false;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    if (tracks(x)) {
      any = true;
      if ((x as Tensor)["_recordOnly"]) recordOnly = true;
    }
  }
  if (!any) return out;
  out["_op"] = op;
  out["_inputs"] = inputs;
  out["_ctx"] = ctx;
  out.requiresGrad = true;
  out["_recordOnly"] = recordOnly;
  return out;
}

/** Defines an op rule; a helper only so rules read as `defineOp("exp", (g, out) => ...)`. */
export function defineOp(name: string, vjp: OpRule["vjp"]): OpRule {
  return { name, vjp };
}
