/**
 * The `torch`, `np` and `autograd` namespaces, so a cell can mirror a PyTorch or MXNet line word
 * for word. They are thin: the same functions as the top level, with the framework's defaults
 * (np.meshgrid indexes "xy", torch.meshgrid "ij") and the flavour that decides how results print.
 */
import { Tensor, type DType, type Flavour, type TensorLike } from "./tensor.js";
import * as C from "./creation.js";
import * as E from "./ops/elementwise.js";
import * as R from "./ops/reduce.js";
import * as S from "./ops/shape-ops.js";
import * as M from "./ops/matmul.js";
import * as L from "./ops/linalg.js";
import * as K from "./ops/composite.js";
import { mode, noGrad, enableGrad } from "./autodiff/mode.js";
import { gradients } from "./autodiff/backward.js";

/** The function each flavoured wrapper calls, keyed by the wrapper. */
const wrappedOps = new WeakMap<Function, Function>();

/** Wraps a function so results made from numbers alone print in `flavour`. */
function flavoured<F extends (...a: any[]) => any>(fn: F, flavour: Flavour): F {
  const wrapper = ((...args: any[]) => {
    const r = fn(...args);
    if (r instanceof Tensor && !args.some((a) => a instanceof Tensor)) r.flavour = flavour;
    return r;
  }) as F;
  wrappedOps.set(wrapper, fn);
  return wrapper;
}

/**
 * The op a namespace entry stands for (the entry itself unless it is a flavoured wrapper), so the
 * op table's coverage check can tell which ops `torch` and `np` offer. Not re-exported by index.ts.
 */
export function opBehind(entry: Function): Function {
  return wrappedOps.get(entry) ?? entry;
}

function mathOps(flavour: Flavour) {
  const f = <F extends (...a: any[]) => any>(fn: F) => flavoured(fn, flavour);
  return {
    exp: f(E.exp), log: f(E.log), sqrt: f(E.sqrt), square: f(E.square), abs: f(E.abs), sign: f(E.sign),
    sin: f(E.sin), cos: f(E.cos), tan: f(E.tan), tanh: f(E.tanh), floor: f(E.floor),
    maximum: f(E.maximum), minimum: f(E.minimum), where: E.where,
    sum: R.sum, max: R.max, min: R.min, argmax: R.argmax, argmin: R.argmin, mean: K.mean,
    dot: M.dot, matmul: M.matmul, reshape: S.reshape, transpose: S.transpose, stack: S.stack,
    squeeze: S.squeeze, logsumexp: K.logsumexp,
    zerosLike: C.zerosLike, onesLike: C.onesLike, fullLike: C.fullLike,
    zeros_like: C.zerosLike, ones_like: C.onesLike, full_like: C.fullLike,
    float32: "float32" as DType, float64: "float64" as DType, pi: Math.PI, e: Math.E,
  };
}

type Opts = C.TensorOptions;

/**
 * PyTorch names: `torch.tensor([-1.], { requiresGrad: true })`, `torch.exp`, `torch.arange`,
 * `torch.meshgrid(x, y)` ("ij" by default), `torch.noGrad`, `torch.autograd.grad`, ...
 * @example torch.log(torch.tensor([2.0])) // tensor([0.6931])
 */
export const torch = {
  ...mathOps("torch"),
  tensor: (data: C.NestedData, options?: Opts) => C.tensor(data, options, "torch"),
  zeros: (shape: number | readonly number[], options?: Opts) => C.zeros(shape, options, "torch"),
  ones: (shape: number | readonly number[], options?: Opts) => C.ones(shape, options, "torch"),
  full: (shape: number | readonly number[], value: number, options?: Opts) => C.full(shape, value, options, "torch"),
  eye: (n: number, m?: number, options?: Opts) => C.eye(n, m, options, "torch"),
  arange: (start: number, stop?: number, step?: number, options?: Opts) => C.arange(start, stop, step, options, "torch"),
  linspace: (start: number, stop: number, steps: number, options?: Opts) => C.linspace(start, stop, steps, options, "torch"),
  rand: (shape: number | readonly number[], options?: Opts) => C.rand(shape, options, "torch"),
  randn: (shape: number | readonly number[], options?: Opts) => C.randn(shape, options, "torch"),
  meshgrid: (...args: (Tensor | C.MeshgridOptions)[]) => {
    const last = args[args.length - 1];
    return last instanceof Tensor || last === undefined ? C.meshgrid(...args, { indexing: "ij" }) : C.meshgrid(...args);
  },
  manualSeed: C.manualSeed, manual_seed: C.manualSeed,
  add: E.add, sub: E.sub, mul: E.mul, div: E.div, pow: E.pow, neg: E.neg, remainder: E.remainder,
  sigmoid: flavoured(E.sigmoid, "torch"), relu: flavoured(E.relu, "torch"),
  mm: M.matmul, cat: S.concat, concat: S.concat, unsqueeze: S.unsqueeze, flatten: S.flatten, permute: S.permute,
  softmax: K.softmax, logSoftmax: K.logSoftmax, norm: K.norm,
  noGrad, no_grad: noGrad, enableGrad, enable_grad: enableGrad,
  linalg: { solve: L.solve, inv: L.inv, det: L.det, eigvalsh: L.eigvalsh, norm: K.norm },
  autograd: {
    /** torch.autograd.grad(output, inputs, gradOutput?, { createGraph }) → gradients, no `.grad` touched. */
    grad: (output: Tensor, inputs: Tensor | readonly Tensor[], gradOutput?: TensorLike, options: { createGraph?: boolean } = {}) =>
      gradients(output, inputs instanceof Tensor ? [inputs] : inputs, gradOutput, options.createGraph ?? false),
  },
};

/**
 * MXNet's numpy names: `np.array`, `np.exp`, `np.arange`, `np.meshgrid(x, y)` ("xy" by default,
 * like NumPy), `np.linalg.norm`, `np.random.seed`, ...
 * @example np.array([0.01, -0.03]) // array([ 0.01, -0.03])
 */
export const np = {
  ...mathOps("np"),
  array: (data: C.NestedData, options?: Opts) => C.tensor(data, options, "np"),
  asarray: (data: C.NestedData, options?: Opts) => (data instanceof Tensor ? data : C.tensor(data, options, "np")),
  zeros: (shape: number | readonly number[], options?: Opts) => C.zeros(shape, options, "np"),
  ones: (shape: number | readonly number[], options?: Opts) => C.ones(shape, options, "np"),
  full: (shape: number | readonly number[], value: number, options?: Opts) => C.full(shape, value, options, "np"),
  eye: (n: number, m?: number, options?: Opts) => C.eye(n, m, options, "np"),
  arange: (start: number, stop?: number, step?: number, options?: Opts) => C.arange(start, stop, step, options, "np"),
  linspace: (start: number, stop: number, num?: number, options?: Opts) => C.linspace(start, stop, num, options, "np"),
  meshgrid: (...args: (Tensor | C.MeshgridOptions)[]) => {
    const last = args[args.length - 1];
    return last instanceof Tensor || last === undefined ? C.meshgrid(...args, { indexing: "xy" }) : C.meshgrid(...args);
  },
  add: E.add, subtract: E.sub, multiply: E.mul, divide: E.div, power: E.pow, negative: E.neg, mod: E.remainder,
  concatenate: S.concat, expand_dims: S.unsqueeze, expandDims: S.unsqueeze, broadcast_to: S.broadcastTo,
  linalg: { norm: K.norm, solve: L.solve, inv: L.inv, det: L.det, eigvalsh: L.eigvalsh },
  random: {
    seed: C.manualSeed,
    rand: (...shape: number[]) => C.rand(shape, {}, "np"),
    randn: (...shape: number[]) => C.randn(shape, {}, "np"),
    uniform: (low = 0, high = 1, size: number | readonly number[] = []) => E.add(E.mul(C.rand(size, {}, "np"), high - low), low),
    normal: (loc = 0, scale = 1, size: number | readonly number[] = []) => E.add(E.mul(C.randn(size, {}, "np"), scale), loc),
  },
};

/**
 * MXNet's autograd: `autograd.record(() => { ... })` records ops on arrays marked with
 * `attachGrad()`; `y.backward()` then writes each `.grad`.
 * @example const x = np.array(3); x.attachGrad(); const y = autograd.record(() => x.mul(x)); y.backward(); x.grad // array(6.)
 */
export const autograd = {
  /** Runs `fn` while recording; returns what `fn` returns. */
  record<T>(fn: () => T): T {
    mode.recordDepth++;
    try {
      return enableGrad(fn);
    } finally {
      mode.recordDepth--;
    }
  },
  /** Runs `fn` without recording, inside a `record` scope. */
  pause<T>(fn: () => T): T {
    return noGrad(fn);
  },
  isRecording(): boolean {
    return mode.recordDepth > 0 && mode.gradEnabled;
  },
  /** Gradients of `heads` with respect to `variables`, leaving `.grad` untouched. */
  grad(heads: Tensor, variables: Tensor | readonly Tensor[], headGrads?: TensorLike, options: { createGraph?: boolean } = {}): Tensor[] {
    return gradients(heads, variables instanceof Tensor ? [variables] : variables, headGrads, options.createGraph ?? false);
  },
};
