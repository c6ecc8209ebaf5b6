/**
 * The prelude: everything a gradlab cell sees as a global, and what `import ... from "gradlab"`
 * gives in plain Node. Tensors and ops, the autodiff flavours (PyTorch methods, MXNet's
 * `autograd`, JAX-style transforms) and the `torch` / `np` namespaces.
 */
export { Tensor, isTensor } from "./tensor.js";
export type { DType, Flavour, TensorLike, Axis, SliceSpec } from "./tensor.js";
export { GradlabError } from "./errors.js";
export {
  tensor, zeros, ones, full, eye, arange, linspace, meshgrid, zerosLike, onesLike, fullLike, rand, randn, manualSeed,
} from "./creation.js";
export type { TensorOptions, MeshgridOptions, NestedData } from "./creation.js";
// The op modules' exports are the list of ops: every export of an op module is a public op, and
// the module also installs the op's Tensor method, so an op is written, exported and made a
// method in one file. test/stdlib/op-table.test.ts checks that each op has a method, torch/np
// entries (namespaces.ts) and a row in the op table, or a stated reason why not.
export * from "./ops/elementwise.js";
export * from "./ops/reduce.js";
export * from "./ops/composite.js";
export * from "./ops/matmul.js";
export * from "./ops/linalg.js";
export * from "./ops/shape-ops.js";
export { noGrad, enableGrad } from "./autodiff/mode.js";
export { gradients } from "./autodiff/backward.js";
export type { BackwardOptions } from "./autodiff/backward.js";
export { grad, valueAndGrad, vjp, jvp, jacobian, hessian, hvp } from "./autodiff/transforms.js";
export type { GradOptions } from "./autodiff/transforms.js";
export { checkGrads } from "./autodiff/check-grads.js";
export type { CheckGradsOptions } from "./autodiff/check-grads.js";
export { torch, np, autograd } from "./namespaces.js";
export { formatPythonFloat } from "./format.js";
/** The helpers the kernel compiles tensor operators in cells to (`w + x` → `__gradlabOps.add(w, x)`). */
export { __gradlabOps } from "./operators.js";

import { tensor as makeTensor, type NestedData, type TensorOptions } from "./creation.js";
/** An np-flavoured tensor (prints as `array(...)`), MXNet's `np.array`. @example array([1, 2]) */
export function array(data: NestedData, options?: TensorOptions) {
  return makeTensor(data, options, "np");
}
/** Plots: d2l.plot, d2l.plt (matplotlib-like 2-d/3-d figures as plotly), plots.* teaching helpers. */
export * from "./plot/index.js";
