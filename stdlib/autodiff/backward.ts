/**
 * The reverse-mode engine: one walk used by PyTorch's `backward()`, MXNet's `backward()` and the
 * functional transforms. It orders the graph below the outputs, feeds each node's gradient to its
 * op's vjp, folds broadcast gradients back to the input's shape (here, and nowhere else), checks
 * every gradient's shape, and accumulates. With `createGraph` the vjps run with recording on, so
 * the gradients are themselves differentiable. Installs `Tensor.backward()` at the end of the file.
 */
import { Tensor, defineMethods, type TensorLike } from "../tensor.js";
import { mode } from "./mode.js";
import { describeNonTensor, fail, showShape } from "../errors.js";
import { add, cast } from "../ops/elementwise.js";
import { sumTo } from "../ops/shape-ops.js";
import { sameShape } from "../shape.js";
import { fullLike } from "../creation.js";
import { checkOptions, describeValue, expectTensor } from "../args.js";

/** Options of `y.backward(gradient, options)`: PyTorch's `retain_graph` and `create_graph`. */
export interface BackwardOptions {
  /** Keep the graph so that backward can run through it again (default false). */
  retainGraph?: boolean;
  /** Record the backward computation so gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

let passCounter = 0;

/** Nodes reachable from `root` through tracked inputs, in an order where inputs come first. */
function topoOrder(root: Tensor, pass: number, stop: ReadonlySet<Tensor> | null): Tensor[] {
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  root["_pass"] = pass;
  root["_gacc"] = null;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const node = stack[top]!;
    const inputs = stop !== null && stop.has(node) ? null : node["_inputs"];
    if (node["_freed"] && stop === null)
      fail(
        "backward: trying to go back through the graph a second time, but its saved values were freed by the first " +
          "backward. Pass { retainGraph: true } to the first backward() if you need to call it twice, or recompute the output.",
      );
    const i = next[top]!;
    if (inputs !== null && i < inputs.length) {
      next[top] = i + 1;
      const x = inputs[i]!;
      if (typeof x !== "number" && x.requiresGrad && x["_pass"] !== pass) {
        x["_pass"] = pass;
        x["_gacc"] = null;
        stack.push(x);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(node);
    }
  }
  return order;
}

/**
 * Propagates `seed` (the gradient of `root`) down the graph. Leaves (and, when `stop` is given,
 * the stop nodes, which are not expanded) are handed to `deliver` with their total gradient.
 */
function propagate(root: Tensor, seed: Tensor, createGraph: boolean, stop: ReadonlySet<Tensor> | null, deliver: (node: Tensor, g: Tensor) => void): Tensor[] {
  const pass = ++passCounter;
  const order = topoOrder(root, pass, stop);
  root["_gacc"] = seed;
  const prevGrad = mode.gradEnabled;
  mode.gradEnabled = createGraph;
  if (createGraph) mode.recordDepth++;
  try {
    for (let k = order.length - 1; k >= 0; k--) {
      const node = order[k]!;
      const g = node["_gacc"];
      node["_gacc"] = null;
      if (g === null) continue;
      if (node["_op"] === null || node["_inputs"] === null || (stop !== null && stop.has(node))) {
        deliver(node, g);
        continue;
      }
      const inputs = node["_inputs"];
      const needs = inputs.map((x) => typeof x !== "number" && x.requiresGrad && x["_pass"] === pass);
      const grads = node["_op"].vjp(g, node, inputs, node["_ctx"], needs);
      for (let i = 0; i < inputs.length; i++) {
        if (!needs[i]) continue;
        const x = inputs[i] as Tensor;
        let gi = grads[i];
        if (gi === null || gi === undefined) continue;
        if (!sameShape(gi.shape, x.shape)) gi = sumTo(gi, x.shape);
        if (!sameShape(gi.shape, x.shape))
          fail(`internal: the gradient of ${node["_op"].name} for input ${i} has shape ${showShape(gi.shape)}, expected ${showShape(x.shape)}`);
        if (gi.dtype !== x.dtype) gi = cast(gi, x.dtype);
        x["_gacc"] = x["_gacc"] === null ? gi : add(x["_gacc"], gi);
      }
    }
  } finally {
    mode.gradEnabled = prevGrad;
    if (createGraph) mode.recordDepth--;
  }
  return order;
}

function seedFor(out: Tensor, gradient: TensorLike | undefined, who: string): Tensor {
  if (gradient === undefined || gradient === null) {
    if (out.size !== 1)
      fail(
        `${who}: the output has shape ${showShape(out.shape)}, not a single number, so there is no single gradient. ` +
          `Reduce it first (e.g. y.sum().backward()), or pass a gradient of shape ${showShape(out.shape)}: y.backward(v).`,
      );
    return fullLike(out, 1);
  }
  if (typeof gradient !== "number" && !(gradient instanceof Tensor)) {
    const what = describeNonTensor(gradient);
    // PyTorch's keyword `retain_graph=True` written as a first argument `{ retainGraph: true }`.
    const options = typeof gradient === "object" && !Array.isArray(gradient) ? `; options go second: y.${who}(undefined, { retainGraph: true })` : "";
    fail(`${who}: the gradient must be a Tensor or a number, got ${what}${options}`);
  }
  const g = typeof gradient === "number" ? fullLike(out, gradient) : gradient;
  if (!sameShape(g.shape, out.shape))
    fail(`${who}: the gradient has shape ${showShape(g.shape)} but the output has shape ${showShape(out.shape)}; they must match`);
  return g;
}

/** PyTorch/MXNet `y.backward(gradient?, options)`: gradients into the leaves' `.grad`. */
export function backwardFrom(out: Tensor, gradient: TensorLike | undefined, options: BackwardOptions): void {
  checkOptions(options, "backward", ["retainGraph", "createGraph"]);
  if (!out.requiresGrad)
    fail(
      "backward: this tensor does not depend on anything that requires a gradient. Create the inputs with " +
        "{ requiresGrad: true } (PyTorch style), or call x.attachGrad() and compute inside autograd.record(() => ...) (MXNet style).",
    );
  const seed = seedFor(out, gradient, "backward");
  const createGraph = options.createGraph ?? false;
  const order = propagate(out, seed, createGraph, null, (leaf, g) => {
    if (!createGraph && g.requiresGrad) g = g.detach();
    if (leaf["_gradWrite"] || leaf.grad === null) leaf.grad = g;
    else leaf.grad = createGraph ? add(leaf.grad, g) : noGradAdd(leaf.grad, g);
  });
  if (!(options.retainGraph ?? createGraph)) {
    for (const node of order) {
      if (node["_op"] !== null) {
        node["_inputs"] = null;
        node["_freed"] = true;
      }
    }
  }
}

function noGradAdd(a: Tensor, b: Tensor): Tensor {
  const prev = mode.gradEnabled;
  mode.gradEnabled = false;
  try {
    return add(a, b);
  } finally {
    mode.gradEnabled = prev;
  }
}

/**
 * d(output)/d(inputs) contracted with `seed` (PyTorch's torch.autograd.grad): touches no `.grad`,
 * stops at `inputs` (so nested transforms never mix levels) and keeps the graph. Inputs the
 * output does not depend on get zeros.
 */
export function gradients(output: Tensor, inputs: readonly Tensor[], seed: TensorLike | undefined, createGraph: boolean): Tensor[] {
  expectTensor(output, "grad", "the output");
  if (!Array.isArray(inputs)) fail(`grad: the inputs must be a Tensor or an array of Tensors, got ${describeValue(inputs)}`);
  for (let i = 0; i < inputs.length; i++) expectTensor(inputs[i], "grad", `input ${i + 1}`);
  const s = seedFor(output, seed, "grad");
  const stop = new Set(inputs);
  const found = new Map<Tensor, Tensor>();
  if (output.requiresGrad) propagate(output, s, createGraph, stop, (node, g) => {
    if (stop.has(node)) found.set(node, g);
  });
  return inputs.map((x) => {
    const g = found.get(x);
    return g === undefined ? fullLike(x, 0) : g;
  });
}

declare module "../tensor.js" {
  interface Tensor {
    /**
     * Back-propagates from this tensor, adding d(this)/d(leaf) into each leaf's `.grad`.
     * @example const x = tensor([2], { requiresGrad: true }); x.mul(x).sum().backward(); x.grad // tensor([4.])
     */
    backward(gradient?: TensorLike, options?: BackwardOptions): void;
  }
}

defineMethods({
  backward(gradient, options = {}) { backwardFrom(this, gradient, options); },
});
