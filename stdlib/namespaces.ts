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

/**
 * The members `torch` and `np` share, wrapped for the flavour where a result can be made from
 * numbers alone (`np.exp(1)` prints as an array). Each is the top-level function of the same name
 * (its type is `typeof exp`), so its documentation is that function's, written once beside it.
 */
function mathOps(flavour: Flavour) {
  const f = <F extends (...a: any[]) => any>(fn: F) => flavoured(fn, flavour);
  return {
    exp: f(E.exp), log: f(E.log), sqrt: f(E.sqrt), square: f(E.square), abs: f(E.abs), sign: f(E.sign),
    sin: f(E.sin), cos: f(E.cos), tan: f(E.tan), tanh: f(E.tanh), floor: f(E.floor),
    maximum: f(E.maximum), minimum: f(E.minimum), where: E.where,
    sum: R.sum, max: R.max, min: R.min, argmax: R.argmax, argmin: R.argmin, mean: K.mean,
    dot: M.dot, matmul: M.matmul, reshape: S.reshape, transpose: S.transpose, stack: S.stack,
    squeeze: S.squeeze, logsumexp: K.logsumexp,
    std: K.std, var: K.variance, allclose: K.allclose, any: K.any, all: K.all, flip: K.flip,
    zerosLike: C.zerosLike, onesLike: C.onesLike, fullLike: C.fullLike,
    zeros_like: C.zerosLike, ones_like: C.onesLike, full_like: C.fullLike,
    /** The dtype name "float32", for `{ dtype: torch.float32 }` (PyTorch `torch.float32`, NumPy `np.float32`). @example zeros(2, { dtype: torch.float32 }).dtype // "float32" */
    float32: "float32" as DType,
    /** The dtype name "float64", gradlab's default (PyTorch `torch.float64`, NumPy `np.float64`). @example ones(2, { dtype: np.float64 }).dtype // "float64" */
    float64: "float64" as DType,
    /** π = 3.14159… (`Math.PI`; PyTorch `torch.pi`, NumPy `np.pi`). @example np.sin(np.pi / 2) // array(1.) */
    pi: Math.PI,
    /** Euler's number e = 2.71828… (`Math.E`; PyTorch `torch.e`, NumPy `np.e`). @example np.log(np.e) // array(1.) */
    e: Math.E,
  };
}

type Opts = C.TensorOptions;

/**
 * A PyTorch maker of a given shape (`torch.zeros`, `ones`, `rand`, `randn`): the shape as one array
 * or number, or, as PyTorch also takes it, the sizes one by one (`torch.zeros(2, 3)`), options last.
 */
export interface SizedMaker {
  (shape: number | readonly number[], options?: Opts): Tensor;
  (...sizes: [number, number, ...number[]] | [number, number, ...number[], Opts]): Tensor;
}

/** The maker `make` taking PyTorch's sizes one by one too (see SizedMaker). */
function sizedMaker(make: (shape: number | readonly number[], options: Opts | undefined, flavour: Flavour) => Tensor): SizedMaker {
  return ((...args: unknown[]) => {
    const last = args[args.length - 1];
    const options = typeof last === "object" && last !== null && !Array.isArray(last) && !ArrayBuffer.isView(last) ? (last as Opts) : undefined;
    const sizes = options ? args.slice(0, -1) : args;
    return make((sizes.length === 1 ? sizes[0] : sizes) as number | readonly number[], options, "torch");
  }) as SizedMaker;
}

/**
 * PyTorch names: `torch.tensor([-1.], { requiresGrad: true })`, `torch.exp`, `torch.arange`,
 * `torch.meshgrid(x, y)` ("ij" by default), `torch.noGrad`, `torch.autograd.grad`, ...
 * @example torch.log(torch.tensor([2.0])) // tensor([0.6931])
 */
export const torch = {
  ...mathOps("torch"),
  // The makers below are the top-level ones (documented there) fixed to print as PyTorch does;
  // each doc says only what differs from PyTorch's own function.
  /**
   * PyTorch `torch.tensor(data, requires_grad=True)`: see `tensor`. float64 by default (PyTorch: float32).
   * @example torch.tensor([1, 2], { requiresGrad: true }) // tensor([1., 2.], requires_grad=True)
   */
  tensor: (data: C.NestedData, options?: Opts) => C.tensor(data, options, "torch"),
  /** PyTorch `torch.zeros`, the shape as one array or number, or the sizes one by one: see `zeros`. @example torch.zeros(2, 3).shape // [2, 3] */
  zeros: sizedMaker(C.zeros),
  /** PyTorch `torch.ones`, the shape as one array or number, or the sizes one by one: see `ones`. @example torch.ones(2) // tensor([1., 1.]) */
  ones: sizedMaker(C.ones),
  /** PyTorch `torch.full(shape, value)`: see `full`. @example torch.full([2], 7) // tensor([7., 7.]) */
  full: (shape: number | readonly number[], value: number, options?: Opts) => C.full(shape, value, options, "torch"),
  /** PyTorch `torch.eye(n, m)`: see `eye`. @example torch.eye(2) // tensor([[1., 0.], [0., 1.]]) */
  eye: (n: number, m?: number, options?: Opts) => C.eye(n, m, options, "torch"),
  /** PyTorch `torch.arange(start, end, step)`, always float here: see `arange`. @example torch.arange(3) // tensor([0., 1., 2.]) */
  arange: (start: number, stop?: number, step?: number, options?: Opts) => C.arange(start, stop, step, options, "torch"),
  /** PyTorch `torch.linspace(start, end, steps)`, `steps` required as there: see `linspace`. @example torch.linspace(0, 1, 3) // tensor([0.0000, 0.5000, 1.0000]) */
  linspace: (start: number, stop: number, steps: number, options?: Opts) => C.linspace(start, stop, steps, options, "torch"),
  /** PyTorch `torch.rand`, the shape as one array or number, or the sizes one by one: see `rand`. @example torch.rand(2, 2).shape // [2, 2] */
  rand: sizedMaker(C.rand),
  /** PyTorch `torch.randn`, the shape as one array or number, or the sizes one by one: see `randn`. @example torch.randn(2, 3).shape // [2, 3] */
  randn: sizedMaker(C.randn),
  /**
   * PyTorch `torch.meshgrid(x, y)`, "ij" indexing unless `{ indexing: "xy" }` comes last: see `meshgrid`.
   * @example const [X, Y] = torch.meshgrid(torch.arange(3), torch.arange(2)); X.shape // [3, 2]
   */
  meshgrid: (...args: (Tensor | C.MeshgridOptions)[]) => {
    const last = args[args.length - 1];
    return last instanceof Tensor || last === undefined ? C.meshgrid(...args, { indexing: "ij" }) : C.meshgrid(...args);
  },
  manualSeed: C.manualSeed, manual_seed: C.manualSeed, initialSeed: C.initialSeed, initial_seed: C.initialSeed, seed: C.seed,
  add: E.add, sub: E.sub, mul: E.mul, div: E.div, pow: E.pow, neg: E.neg, remainder: E.remainder,
  sigmoid: flavoured(E.sigmoid, "torch"), relu: flavoured(E.relu, "torch"),
  index_put: S.indexPut, indexPut: S.indexPut,
  mm: M.matmul, cat: S.concat, concat: S.concat, unsqueeze: S.unsqueeze, flatten: S.flatten, permute: S.permute,
  softmax: K.softmax, logSoftmax: K.logSoftmax, norm: K.norm, clamp: K.clamp, clip: K.clamp,
  noGrad, no_grad: noGrad, enableGrad, enable_grad: enableGrad,
  /** PyTorch's `torch.linalg`: `solve`, `inv`, `det`, `eigvalsh`, `norm` (single matrices, no batches). @example torch.linalg.det(torch.eye(2)).item() // 1 */
  linalg: { solve: L.solve, inv: L.inv, det: L.det, eigvalsh: L.eigvalsh, norm: K.norm },
  /** PyTorch's `torch.autograd`: `grad`. (`y.backward()` is a Tensor method.) */
  autograd: {
    /**
     * PyTorch `torch.autograd.grad(output, inputs, grad_outputs, create_graph=…)`: the gradients
     * of `output` with respect to each of `inputs` (an array, one per input, each of its input's
     * shape); `.grad` is left untouched. `gradOutput` seeds a non-scalar output.
     * @example const x = torch.tensor(3, { requiresGrad: true }); torch.autograd.grad(x.mul(x), x)[0] // tensor(6.)
     */
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
  // The makers below are the top-level ones (documented there) fixed to print as NumPy/MXNet do;
  // each doc says only what differs from NumPy's own function.
  /**
   * NumPy `np.array(data)`: a copy of `data` as an array (see `tensor`); float64 by default (MXNet: float32).
   * @example np.array([0.01, -0.03]) // array([ 0.01, -0.03])
   */
  array: (data: C.NestedData, options?: Opts) => C.tensor(data, options, "np"),
  /** NumPy `np.asarray`: `data` itself when it is already a tensor, else `np.array(data)`. @example np.asarray([1, 2]) // array([1., 2.]) */
  asarray: (data: C.NestedData, options?: Opts) => (data instanceof Tensor ? data : C.tensor(data, options, "np")),
  /** NumPy `np.zeros(shape)`: see `zeros`. @example np.zeros([2, 3]).shape // [2, 3] */
  zeros: (shape: number | readonly number[], options?: Opts) => C.zeros(shape, options, "np"),
  /** NumPy `np.clip(a, a_min, a_max)`: see `clamp`. @example np.clip(np.array([-1, 2]), 0, 1) // array([0., 1.]) */
  clip: K.clamp,
  /** NumPy `np.ones(shape)`: see `ones`. @example np.ones(2) // array([1., 1.]) */
  ones: (shape: number | readonly number[], options?: Opts) => C.ones(shape, options, "np"),
  /** NumPy `np.full(shape, value)`: see `full`. @example np.full([2], 7) // array([7., 7.]) */
  full: (shape: number | readonly number[], value: number, options?: Opts) => C.full(shape, value, options, "np"),
  /** NumPy `np.eye(n, m)`: see `eye`. @example np.eye(2) // array([[1., 0.], [0., 1.]]) */
  eye: (n: number, m?: number, options?: Opts) => C.eye(n, m, options, "np"),
  /** NumPy `np.arange(start, stop, step)`, always float here: see `arange`. @example np.arange(3) // array([0., 1., 2.]) */
  arange: (start: number, stop?: number, step?: number, options?: Opts) => C.arange(start, stop, step, options, "np"),
  /** NumPy `np.linspace(start, stop, num=50)`: see `linspace`. @example np.linspace(0, 1, 3) // array([0. , 0.5, 1. ]) */
  linspace: (start: number, stop: number, num?: number, options?: Opts) => C.linspace(start, stop, num, options, "np"),
  /**
   * NumPy `np.meshgrid(x, y)`, "xy" indexing unless `{ indexing: "ij" }` comes last: see `meshgrid`.
   * @example const [X, Y] = np.meshgrid(np.arange(3), np.arange(2)); X.shape // [2, 3]
   */
  meshgrid: (...args: (Tensor | C.MeshgridOptions)[]) => {
    const last = args[args.length - 1];
    return last instanceof Tensor || last === undefined ? C.meshgrid(...args, { indexing: "xy" }) : C.meshgrid(...args);
  },
  add: E.add, subtract: E.sub, multiply: E.mul, divide: E.div, power: E.pow, negative: E.neg, mod: E.remainder,
  concatenate: S.concat, expand_dims: S.unsqueeze, expandDims: S.unsqueeze, broadcast_to: S.broadcastTo,
  /** NumPy's `np.linalg`: `norm`, `solve`, `inv`, `det`, `eigvalsh` (single matrices, no batches). @example np.linalg.norm(np.array([3, 4])).item() // 5 */
  linalg: { norm: K.norm, solve: L.solve, inv: L.inv, det: L.det, eigvalsh: L.eigvalsh },
  /** NumPy's `np.random`: `seed`, `rand`, `randn`, `uniform`, `normal` (gradlab's generator: other numbers than NumPy's for a seed). */
  random: {
    /**
     * NumPy `np.random.seed(seed)`: the same seed gives the same numbers (gradlab's generator, not
     * NumPy's numbers); without a seed, an unpredictable one. See `manualSeed`.
     * @example np.random.seed(1); const a = np.random.rand(2); np.random.seed(1); np.random.rand(2).sub(a) // array([0., 0.])
     */
    seed: (seed?: number): void => (seed === undefined ? void C.seed() : C.manualSeed(seed)),
    /** NumPy `np.random.rand(d0, d1, …)`: uniform samples in [0, 1), the sizes as arguments. @example np.random.rand(2, 3).shape // [2, 3] */
    rand: (...shape: number[]) => C.rand(shape, {}, "np"),
    /** NumPy `np.random.randn(d0, d1, …)`: standard normal samples, the sizes as arguments. @example np.random.randn(3).shape // [3] */
    randn: (...shape: number[]) => C.randn(shape, {}, "np"),
    /** NumPy `np.random.uniform(low, high, size)`: uniform samples in [low, high) of shape `size` (a 0-d array when omitted). @example np.random.uniform(-1, 1, [2]).shape // [2] */
    uniform: (low = 0, high = 1, size: number | readonly number[] = []) => E.add(E.mul(C.rand(size, {}, "np"), high - low), low),
    /** NumPy `np.random.normal(loc, scale, size)`: normal samples with mean `loc` and standard deviation `scale`, of shape `size`. @example np.random.normal(0, 0.01, [2, 1]).shape // [2, 1] */
    normal: (loc = 0, scale = 1, size: number | readonly number[] = []) => E.add(E.mul(C.randn(size, {}, "np"), scale), loc),
  },
};

/**
 * MXNet's autograd: `autograd.record(() => { ... })` records ops on arrays marked with
 * `attachGrad()`; `y.backward()` then writes each `.grad`.
 * @example const x = np.array(3); x.attachGrad(); const y = autograd.record(() => x.mul(x)); y.backward(); x.grad // array(6.)
 */
export const autograd = {
  /**
   * Runs `fn` while recording ops on arrays marked with `attachGrad()`; returns what `fn` returns.
   * MXNet's `with autograd.record():` block, written as a callback.
   * @example const x = np.array(3); x.attachGrad(); autograd.record(() => x.mul(x)).backward(); x.grad // array(6.)
   */
  record<T>(fn: () => T): T {
    mode.recordDepth++;
    try {
      return enableGrad(fn);
    } finally {
      mode.recordDepth--;
    }
  },
  /**
   * Runs `fn` without recording, inside a `record` scope; returns what `fn` returns. MXNet's
   * `with autograd.pause():`.
   * @example autograd.record(() => autograd.pause(() => autograd.isRecording())) // false
   */
  pause<T>(fn: () => T): T {
    return noGrad(fn);
  },
  /**
   * Whether ops are being recorded now (inside `record` and not paused). MXNet's `autograd.is_recording()`.
   * @example autograd.record(() => autograd.isRecording()) // true
   */
  isRecording(): boolean {
    return mode.recordDepth > 0 && mode.gradEnabled;
  },
  /**
   * Gradients of `heads` with respect to `variables` (one per variable, each of its shape),
   * leaving `.grad` untouched. MXNet's `autograd.grad(heads, variables, head_grads, create_graph=…)`.
   * @example const x = np.array(3); x.attachGrad(); autograd.grad(autograd.record(() => x.mul(x)), x)[0] // array(6.)
   */
  grad(heads: Tensor, variables: Tensor | readonly Tensor[], headGrads?: TensorLike, options: { createGraph?: boolean } = {}): Tensor[] {
    return gradients(heads, variables instanceof Tensor ? [variables] : variables, headGrads, options.createGraph ?? false);
  },
};
