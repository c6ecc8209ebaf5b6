/**
 * Making tensors: from (nested) arrays and numbers, constant fills, ranges, grids and seeded
 * random numbers. The `flavour` argument (set by the `torch` and `np` namespaces) only decides how
 * the tensor prints.
 */
import { Tensor, allocStorage, type DType, type Flavour, type TensorLike } from "./tensor.js";
import { MAX_DIMS, sizeOf } from "./shape.js";
import { fail, showShape } from "./errors.js";
import { readContiguous } from "./ops/copy.js";
import { checkOptions, expectDType, expectNumber, expectTensor, shapeArg } from "./args.js";
import { broadcastTo, contiguous, reshape } from "./ops/shape-ops.js";
import { fillInSlices, setInSlices } from "./slices.js";

/** The keys TensorOptions has, for the check that catches `requires_grad` and other misspellings. */
const TENSOR_OPTION_KEYS = ["dtype", "requiresGrad"] as const;

/** Refuses unknown option keys and dtype names (a caller without types can write anything). */
function checkTensorOptions(options: TensorOptions, op: string): void {
  checkOptions(options, op, TENSOR_OPTION_KEYS);
  if (options.dtype !== undefined) expectDType(options.dtype, op);
}

/** Options of the functions that make tensors: the dtype, and whether to record ops for backward. */
export interface TensorOptions {
  /** "float64" (default), "float32" or "bool". */
  dtype?: DType;
  /** PyTorch style: record ops on this tensor for backward. */
  requiresGrad?: boolean;
}
/**
 * Nested arrays of numbers, booleans or one-element tensors (typed arrays too). A string is left
 * out, though it is array-like: `torch.tensor("[3, 4]")` is then a type error, not a failure when
 * the cell runs.
 */
export type NestedData = number | boolean | Tensor | readonly unknown[] | ArrayLike<number>;

function finish(data: ReturnType<typeof allocStorage>, shape: number[], dtype: DType, flavour: Flavour, opts?: TensorOptions): Tensor {
  const t = new Tensor(data, shape, dtype, flavour);
  if (opts?.requiresGrad) {
    if (dtype === "bool") fail("tensor: a bool tensor cannot require gradients; use dtype float64 or float32");
    t.requiresGrad = true;
  }
  return t;
}

function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let d: any = data;
  while (typeof d === "object" && d !== null && !(d instanceof Tensor) && typeof d.length === "number") {
    shape.push(d.length);
    if (d.length === 0) break;
    d = d[0];
  }
  if (d instanceof Tensor && d.size !== 1) shape.push(...d.shape);
  return shape;
}

/**
 * A new tensor from a number (0-d), nested arrays (their nesting is the shape; elements may be
 * numbers, booleans or one-element tensors, as in `torch.tensor([t1, t2])`) or another tensor
 * (copied, cut from its graph). float64 unless `options.dtype` says otherwise (PyTorch's default
 * is float32). PyTorch `torch.tensor(data, requires_grad=True)` is `tensor(data, { requiresGrad:
 * true })`; NumPy `np.array`. `flavour` picks how it prints (`torch.tensor` and `np.array` set it).
 * @example tensor([[1, 2], [3, 4]], { requiresGrad: true }) // tensor([[1., 2.], [3., 4.]], requires_grad=True)
 */
export function tensor(data: NestedData, options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  const op = flavour === "np" ? "array" : "tensor"; // the name the caller used
  checkTensorOptions(options, op);
  if (data instanceof Tensor) {
    const dtype = options.dtype ?? data.dtype;
    const src = readContiguous(data);
    const out = allocStorage(dtype, src.length);
    setInSlices(out, src);
    return finish(out, data.shape.slice(), dtype, flavour, options);
  }
  // fast paths for the common scalar and flat-list cases (the chapter's examples)
  if (typeof data === "number" && (options.dtype ?? "float64") === "float64")
    return finish(Float64Array.of(data), [], "float64", flavour, options);
  if (Array.isArray(data) && (options.dtype ?? "float64") === "float64") {
    const flat = new Float64Array(data.length);
    let i = 0;
    for (; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== "number") break;
      flat[i] = v;
    }
    if (i === data.length) return finish(flat, [data.length], "float64", flavour, options);
  }
  const shape = inferShape(data);
  // Checked before the recursive walk below, which a deeper nesting would overflow.
  if (shape.length > MAX_DIMS) fail(`${op}: the data is nested ${shape.length} levels deep; a tensor has at most ${MAX_DIMS} dimensions`);
  const n = sizeOf(shape);
  const flat = new Float64Array(n);
  let pos = 0, sawBool = false, sawNumber = false;
  const walk = (d: any, axis: number): void => {
    if (axis === shape.length || d instanceof Tensor) {
      if (typeof d === "number") (flat[pos++] = d), (sawNumber = true);
      else if (typeof d === "boolean") (flat[pos++] = d ? 1 : 0), (sawBool = true);
      else if (d instanceof Tensor) {
        const need = sizeOf(shape.slice(axis));
        if (d.size !== need) fail(`${op}: ragged data: a tensor of shape ${showShape(d.shape)} sits where ${need} value(s) were expected`);
        flat.set(readContiguous(d), pos);
        pos += d.size;
        sawNumber = true;
      } else fail(`${op}: expected numbers, booleans or nested arrays of them, got ${d === null ? "null" : typeof d} at depth ${axis}`);
      return;
    }
    if (typeof d !== "object" || d === null || d.length !== shape[axis])
      fail(`${op}: ragged nested arrays: expected ${shape[axis]} elements at depth ${axis} (shape ${showShape(shape)})`);
    for (let i = 0; i < d.length; i++) walk(d[i], axis + 1);
  };
  walk(data, 0);
  const dtype = options.dtype ?? (sawBool && !sawNumber ? "bool" : "float64");
  if (dtype === "float64") return finish(flat, shape, dtype, flavour, options);
  const out = allocStorage(dtype, n);
  setInSlices(out, flat);
  return finish(out, shape, dtype, flavour, options);
}

/**
 * A tensor of `shape` (a number for 1-d) filled with `value`. PyTorch `torch.full`, NumPy
 * `np.full`.
 * @example full([2, 2], 7) // tensor([[7., 7.], [7., 7.]])
 */
export function full(shape: number | readonly number[], value: number, options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  return filled("full", shape, value, options, flavour);
}

/** `full` for the op the user called (its name goes into the error a bad shape gets). */
function filled(op: string, shape: number | readonly number[], value: number, options: TensorOptions, flavour: Flavour): Tensor {
  const s = shapeArg(shape, op).slice();
  expectNumber(value, op, "the fill value");
  checkTensorOptions(options, op);
  const dtype = options.dtype ?? "float64";
  const data = allocStorage(dtype, sizeOf(s));
  if (value !== 0) fillInSlices(data, value);
  return finish(data, s, dtype, flavour, options);
}

/**
 * Zeros of `shape` (a number for 1-d), float64 unless `options.dtype` says otherwise. PyTorch
 * `torch.zeros` (the shape as one array, not spread arguments), NumPy `np.zeros`.
 * @example zeros([2, 3]).shape // [2, 3]
 */
export function zeros(shape: number | readonly number[], options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  return filled("zeros", shape, 0, options, flavour);
}
/**
 * Ones of `shape` (a number for 1-d). PyTorch `torch.ones` (the shape as one array), NumPy
 * `np.ones`.
 * @example ones(3) // tensor([1., 1., 1.])
 */
export function ones(shape: number | readonly number[], options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  return filled("ones", shape, 1, options, flavour);
}
/**
 * Same shape, dtype and flavour as `x`, filled with `value`. PyTorch `torch.full_like`, NumPy
 * `np.full_like`.
 * @example fullLike(tensor([1, 2]), 7) // tensor([7., 7.])
 */
export function fullLike(x: Tensor, value: number, options: TensorOptions = {}): Tensor {
  return filledLike("fullLike", x, value, options);
}

/** `fullLike` for the op the user called (zerosLike, onesLike), named in its errors. */
function filledLike(op: string, x: Tensor, value: number, options: TensorOptions): Tensor {
  expectTensor(x, op);
  expectNumber(value, op, "the fill value");
  checkTensorOptions(options, op);
  if (x.size === 1 && x.dtype === "float64" && options.dtype === undefined && !options.requiresGrad)
    return new Tensor(Float64Array.of(value), x.shape, "float64", x.flavour);
  return full(x.shape, value, { dtype: x.dtype === "bool" ? "float64" : x.dtype, ...options }, x.flavour);
}
/**
 * Zeros with the shape, dtype and flavour of `x`. PyTorch `torch.zeros_like`, NumPy
 * `np.zeros_like`.
 * @example zerosLike(tensor([[1, 2]])) // tensor([[0., 0.]])
 */
export function zerosLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return filledLike("zerosLike", x, 0, options);
}
/**
 * Ones with the shape, dtype and flavour of `x`. PyTorch `torch.ones_like`, NumPy `np.ones_like`.
 * @example onesLike(tensor([5, 6])) // tensor([1., 1.])
 */
export function onesLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return filledLike("onesLike", x, 1, options);
}
/**
 * The [n, m] identity matrix (m defaults to n). PyTorch `torch.eye`, NumPy `np.eye`.
 * @example eye(2) // tensor([[1., 0.], [0., 1.]])
 */
export function eye(n: number, m = n, options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  const t = filled("eye", [n, m], 0, options, flavour);
  for (let i = 0; i < Math.min(n, m); i++) t["_data"][i * m + i] = 1;
  return t;
}

/**
 * Evenly spaced values in [start, stop) with NumPy's length rule ceil((stop - start) / step);
 * one argument means [0, stop). Always float (no integer dtype). PyTorch `torch.arange`, NumPy
 * `np.arange`.
 * @example arange(-2, 3, 0.01).shape // [500]
 */
export function arange(start: number, stop?: number, step = 1, options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  // NaN goes on to the shape check, which names the length it would make
  for (const [v, what] of [[start, "start"], [stop, "stop"], [step, "step"]] as const) if (typeof v !== "number") expectNumber(v, "arange", what);
  if (step === 0) fail("arange: step must not be zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const t = filled("arange", [n], 0, options, flavour);
  for (let i = 0; i < n; i++) t["_data"][i] = start + i * step;
  return t;
}

/**
 * `num` (default 50, NumPy's) evenly spaced values from start to stop, both included. PyTorch
 * `torch.linspace` (where `steps` is required), NumPy `np.linspace`.
 * @example linspace(-2, 2, 5) // tensor([-2., -1.,  0.,  1.,  2.])
 */
export function linspace(start: number, stop: number, num = 50, options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  expectNumber(start, "linspace", "start");
  expectNumber(stop, "linspace", "stop");
  const t = filled("linspace", [num], 0, options, flavour);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) t["_data"][i] = start + i * step;
  if (num > 1) t["_data"][num - 1] = stop;
  return t;
}

/** Options of `meshgrid`: the indexing convention. */
export interface MeshgridOptions {
  /** "ij": output k varies along axis k. "xy" (NumPy's default): the first two axes swap. */
  indexing?: "ij" | "xy";
}
/**
 * Coordinate grids from 1-d tensors of lengths n1, n2, …: one tensor per input, each of shape
 * [n1, n2, …] ("ij") or with the first two axes swapped ("xy"); differentiable. The default
 * indexing is "ij" here and in `torch.meshgrid`, "xy" in `np.meshgrid`, as in those libraries.
 * @example const [X, Y] = meshgrid(linspace(-2, 2, 3), linspace(0, 1, 2), { indexing: "ij" }) // both [3, 2]
 */
export function meshgrid(...args: (Tensor | MeshgridOptions)[]): Tensor[] {
  let opts: MeshgridOptions = {};
  const last = args[args.length - 1];
  if (typeof last === "object" && last !== null && !Array.isArray(last) && !(last instanceof Tensor)) opts = args.pop() as MeshgridOptions;
  const xs = args as Tensor[];
  checkOptions(opts, "meshgrid", ["indexing"]);
  for (let i = 0; i < xs.length; i++) expectTensor(xs[i], "meshgrid", `argument ${i + 1}`);
  if (opts.indexing !== undefined && opts.indexing !== "ij" && opts.indexing !== "xy")
    fail(`meshgrid: indexing must be "ij" or "xy", got ${JSON.stringify(opts.indexing)}`);
  const indexing = opts.indexing ?? "ij";
  const lens = xs.map((x) => x.size);
  const axisOf = (k: number) => (indexing === "xy" && xs.length >= 2 && k < 2 ? 1 - k : k);
  const shape = xs.map((_, a) => lens[xs.findIndex((_, k) => axisOf(k) === a)]!);
  return xs.map((x, k) => {
    const s = shape.map(() => 1);
    s[axisOf(k)] = x.size;
    return contiguous(broadcastTo(reshape(x, s), shape));
  });
}

// ---- seeded random numbers (mulberry32 over a 32-bit state; deterministic per seed) ----

/** The state mulberry32 starts from for a seed of 0 (any fixed non-zero start would do). */
const SEED_ZERO_STATE = 0x2545f491;

/**
 * A 32-bit seed nobody chose: as in PyTorch and NumPy, a new process (a new kernel) draws other
 * numbers until a cell sets a seed.
 */
function unpredictableSeed(): number {
  const crypto = (globalThis as { crypto?: { getRandomValues?(array: Uint32Array): Uint32Array } }).crypto;
  if (crypto?.getRandomValues) return crypto.getRandomValues(new Uint32Array(1))[0]!;
  return Math.floor(Math.random() * 2 ** 32);
}

let seedInUse = unpredictableSeed();
let rngState = seedInUse || SEED_ZERO_STATE;

/**
 * Seeds the generator behind rand/randn, so the same seed gives the same numbers (not PyTorch's
 * or NumPy's numbers: the generator differs). Until a seed is set, each process starts from an
 * unpredictable one, as PyTorch and NumPy do. PyTorch `torch.manual_seed`, NumPy `np.random.seed`.
 * @example manualSeed(0); const a = rand(2); manualSeed(0); rand(2).sub(a) // tensor([0., 0.])
 */
export function manualSeed(seed: number): void {
  if (!Number.isFinite(seed)) fail(`manualSeed: the seed must be a number, got ${String(seed)}`);
  seedInUse = seed >>> 0;
  rngState = seedInUse || SEED_ZERO_STATE;
}

/**
 * The seed the generator last started from (32 bits): the one manualSeed set, or the
 * unpredictable one a process starts with. PyTorch `torch.initial_seed`.
 * @example manualSeed(7); torch.initialSeed() // 7
 */
export function initialSeed(): number {
  return seedInUse;
}

/**
 * Seeds the generator with an unpredictable seed and returns it (to reproduce the numbers later
 * with manualSeed). PyTorch `torch.seed`; NumPy `np.random.seed()` without an argument.
 * @example const s = torch.seed(); const a = rand(2); manualSeed(s); rand(2).sub(a) // tensor([0., 0.])
 */
export function seed(): number {
  manualSeed(unpredictableSeed());
  return seedInUse;
}
function uniform(): number {
  // mulberry32: small, fast and good enough for teaching examples
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
/**
 * Uniform samples in [0, 1) of `shape` (a number for 1-d). PyTorch `torch.rand` (the shape as
 * one array), NumPy `np.random.rand` (which takes the sizes as arguments).
 * @example manualSeed(0); rand([2, 2]).shape // [2, 2]
 */
export function rand(shape: number | readonly number[], options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  const t = filled("rand", shape, 0, options, flavour);
  for (let i = 0; i < t.size; i++) t["_data"][i] = uniform();
  return t;
}
/**
 * Standard normal samples (mean 0, standard deviation 1, Box-Muller) of `shape`. PyTorch
 * `torch.randn` (the shape as one array), NumPy `np.random.randn` (sizes as arguments).
 * @example manualSeed(0); randn(3).shape // [3]
 */
export function randn(shape: number | readonly number[], options: TensorOptions = {}, flavour: Flavour = "torch"): Tensor {
  const t = filled("randn", shape, 0, options, flavour);
  for (let i = 0; i < t.size; i += 2) {
    const u = 1 - uniform(), v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    t["_data"][i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < t.size) t["_data"][i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return t;
}

/** A tensor from a tensor or number (numbers become 0-d float64 tensors). */
export function asTensor(x: TensorLike, flavour: Flavour = "torch"): Tensor {
  return x instanceof Tensor ? x : new Tensor(Float64Array.of(x), [], "float64", flavour);
}
