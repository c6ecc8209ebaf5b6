/**
 * The Tensor class: typed-array storage viewed through shape, strides and offset, plus the few
 * fields the autodiff engine needs (a tensor produced by a recorded op IS its graph node: `_op`
 * and `_inputs` say how it was made, so a backward rule that reuses the output reuses this very
 * object, never a clone). Those internal fields are TypeScript-`private`, so a cell's `t.` completion
 * lists only the API; the library's op modules read and write them as `t["_data"]`, the bracket
 * access TypeScript allows for private members (documented in the handbook's Classes chapter). It
 * compiles to the same named property access as `t._data`: no cost on the scalar path, unlike
 * symbol keys (keyed accesses: 5-10% slower on the scalar chain workload, measured) or `#private`
 * fields (which the op modules, outside the class, cannot reach).
 *
 * The class holds storage, autodiff bookkeeping and conversions. The op methods (`x.exp()`,
 * `x.sum(0)`, `x.T`, `y.backward()`) are declared and installed by the modules that define the
 * ops, next to them (`declare module "../tensor.js"` plus `defineMethods`), so an op, its method
 * and its export live in one file. Boundary: this module imports no op module, so it is fully
 * evaluated before any op module installs a method; the methods exist once index.ts has loaded
 * the op modules, as it always does.
 */
import { MAX_DIMS, contiguousStrides, sizeOf } from "./shape.js";
import { fail, showShape } from "./errors.js";
import type { OpRule } from "./autodiff/rule.js";
import { formatTensor, formatPythonFloat, htmlTable } from "./format.js";
import { readContiguous, toNested } from "./ops/copy.js";

/** A tensor's element type: "float64" (the default here; PyTorch defaults to float32), "float32" or "bool". */
export type DType = "float64" | "float32" | "bool";
/** Which framework's conventions a tensor prints with: PyTorch (`tensor(...)`) or NumPy/MXNet (`array(...)`). */
export type Flavour = "torch" | "np";
export type Storage = Float64Array | Float32Array | Uint8Array;
/** A tensor or a plain number (numbers are "weak" scalars: they never change a tensor's dtype). */
export type TensorLike = Tensor | number;
/** The axes a reduction runs over: one axis, several, or all (`null`/omitted); negative counts from the end. */
export type Axis = number | readonly number[] | null | undefined;
/** One axis of a slice: an index (drops the axis), `null`/":" (all), "a:b:c" or [start, stop, step]. */
export type SliceSpec = number | null | string | readonly [number | null | undefined, (number | null)?, (number | null)?];

export function allocStorage(dtype: DType, n: number): Storage {
  try {
    return dtype === "float64" ? new Float64Array(n) : dtype === "float32" ? new Float32Array(n) : new Uint8Array(n);
  } catch (error) {
    // V8's own words ("Invalid typed array length: 1000000000000", "Array buffer allocation
    // failed") name neither the tensor nor its size; a typo in a shape is the usual cause.
    if (!(error instanceof RangeError)) throw error;
    const bytes = n * (dtype === "float64" ? 8 : dtype === "float32" ? 4 : 1);
    return fail(`a tensor of ${n} elements (${showBytes(bytes)} as ${dtype}) is more than this machine can hold; check the shape you asked for`);
  }
}

function showBytes(bytes: number): string {
  return bytes >= 1e12 ? `${+(bytes / 1e12).toPrecision(3)} TB` : bytes >= 1e9 ? `${+(bytes / 1e9).toPrecision(3)} GB` : `${+(bytes / 1e6).toPrecision(3)} MB`;
}

const NO_STRIDES: number[] = Object.freeze([]) as unknown as number[];
const UNIT_STRIDES: number[] = Object.freeze([1]) as unknown as number[];

/**
 * An n-dimensional array of numbers with automatic differentiation: PyTorch's `torch.Tensor`
 * (and MXNet's `np.ndarray`). Made with `tensor`, `zeros`, `arange`, `torch.*` or `np.*`, never
 * with `new`. Its ops are methods too (`x.exp()`, `x.sum(0)`, `x.T`), operators work on it in cells
 * (`x * 2 + 1`), and `t[i]` reads `t.at(i)`. Tensors are immutable: ops return new tensors.
 * @example const x = tensor([1, 2, 3], { requiresGrad: true }); x.square().sum().backward(); x.grad // tensor([2., 4., 6.])
 */
export class Tensor {
  /** Storage shared by views; read through `_offset` and `_strides`. */
  private _data: Storage;
  readonly shape: readonly number[];
  private _strides: number[];
  private _offset: number;
  readonly size: number;
  readonly dtype: DType;
  flavour: Flavour;
  /** True when the elements lie row-major and gap-free from `_offset` (the fast loops' case). */
  private _contig: boolean;
  /** PyTorch flavour: whether ops on this tensor are recorded for backward. */
  requiresGrad = false;
  /** The gradient written by `backward()`; set to `null` (or call `zeroGrad()`) to reset it. */
  grad: Tensor | null = null;
  private _op: OpRule | null = null;
  private _inputs: TensorLike[] | null = null;
  private _ctx: unknown = undefined;
  /** Leaves marked by `attachGrad` (MXNet) record only inside `autograd.record`. */
  private _recordOnly = false;
  /** MXNet semantics: backward overwrites `.grad` instead of accumulating. */
  private _gradWrite = false;
  /** Set when a backward pass without `retainGraph` released this node's links. */
  private _freed = false;
  private _pass = 0;
  private _gacc: Tensor | null = null;

  constructor(data: Storage, shape: readonly number[], dtype: DType, flavour: Flavour, strides?: number[], offset = 0) {
    // Printing, copying and broadcasting recurse once per dimension; thousands of them overflow the stack.
    if (shape.length > MAX_DIMS) fail(`a tensor has at most ${MAX_DIMS} dimensions; this one would have ${shape.length}`);
    this._data = data;
    this.shape = shape;
    this.dtype = dtype;
    this.flavour = flavour;
    this.size = shape.length === 0 ? 1 : shape.length === 1 ? shape[0]! : sizeOf(shape);
    this._offset = offset;
    if (strides === undefined) {
      // 0-d and 1-d tensors share frozen stride arrays: one allocation less per op on the scalar path
      this._strides = shape.length <= 1 ? (shape.length === 0 ? NO_STRIDES : UNIT_STRIDES) : contiguousStrides(shape);
      this._contig = true;
    } else {
      this._strides = strides;
      this._contig = isContiguousLayout(shape, strides);
    }
  }

  /** The number of axes (PyTorch `t.dim()`, NumPy `a.ndim`). @example tensor([[1, 2]]).ndim // 2 */
  get ndim(): number {
    return this.shape.length;
  }
  /** Distance in elements between neighbours along each axis (0 on broadcast axes). */
  get strides(): readonly number[] {
    return this._strides;
  }
  /** The name of the op that made this tensor, or null for a leaf. */
  get gradFn(): string | null {
    return this._op ? this._op.name : null;
  }
  /** True for tensors that no recorded op produced. */
  get isLeaf(): boolean {
    return this._op === null;
  }

  // ---- values out ----
  /** The single element as a number (any shape with one element). */
  item(): number {
    if (this.size !== 1)
      fail(`item(): only a tensor with one element converts to a number; this one has shape ${showShape(this.shape)} (${this.size} elements)`);
    return this._data[this._offset]!;
  }
  /** Nested plain arrays (a number for a 0-d tensor). */
  toArray(): any {
    return toNested(this);
  }
  /** The elements in row-major order as a new Float64Array. */
  toFloat64Array(): Float64Array {
    const elements = readContiguous(this);
    return elements instanceof Float64Array ? elements : Float64Array.from(elements);
  }
  /** The printed form (`tensor([1., 2.])`); a 0-d tensor prints as its number, as in a template string. @example tensor([1, 2]).toString() // "tensor([1., 2.])" */
  toString(): string {
    if (this.shape.length === 0) return formatPythonFloat(this._data[this._offset]!, this.dtype);
    return formatTensor(this);
  }
  [Symbol.toPrimitive](hint: string): string | number {
    if (hint === "number") return this.item();
    return this.toString();
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    const bundle: Record<string, string> = { "text/plain": formatTensor(this) };
    if (this.shape.length === 2 && this.size <= 400) bundle["text/html"] = htmlTable(this);
    return bundle;
  }
  /** The elements as nested arrays, so `JSON.stringify(t)` writes them. @example JSON.stringify(tensor([1, 2])) // "[1,2]" */
  toJSON(): unknown {
    return this.toArray();
  }

  // ---- autodiff (PyTorch flavour; backward() is installed by autodiff/backward.ts) ----
  /** Marks this tensor for gradients (PyTorch); returns it for chaining. */
  requiresGrad_(flag = true): this {
    if (typeof flag !== "boolean") fail(`requiresGrad_: the flag is true or false, got ${typeof flag === "string" ? JSON.stringify(flag) : String(flag)}`);
    if (this._op !== null && !flag) fail("requiresGrad_(false): only leaf tensors can stop requiring grad; use detach()");
    this.requiresGrad = flag;
    return this;
  }
  /** Sets `.grad` back to null (PyTorch's `x.grad = None`). */
  zeroGrad(): void {
    this.grad = null;
  }
  /** The same values cut from the graph (shares storage). */
  detach(): Tensor {
    return new Tensor(this._data, this.shape, this.dtype, this.flavour, this._strides, this._offset);
  }
  /** MXNet flavour: allocate `.grad` (zeros) and record ops on this array inside `autograd.record`. */
  attachGrad(): this {
    this.requiresGrad = true;
    this._recordOnly = true;
    this._gradWrite = true;
    this._op = null;
    this._inputs = null;
    this.grad = new Tensor(allocStorage(this.dtype, this.size), this.shape, this.dtype, this.flavour);
    return this;
  }
}

/** Whether a layout is row-major with no gaps (broadcast and permuted views are not). */
function isContiguousLayout(shape: readonly number[], strides: readonly number[]): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i]!;
  }
  return true;
}

/**
 * Whether `x` is a tensor (narrows its type). PyTorch `torch.is_tensor`.
 * @example isTensor(tensor(1)) // true
 */
export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/** The public members of Tensor, as an object of methods and getters to install. */
type TensorMembers = { [K in keyof Tensor]?: Tensor[K] } & ThisType<Tensor>;

/**
 * Installs methods (and getters) on Tensor.prototype as a class body would: non-enumerable, so
 * `for...in` and spreads of a tensor see only its fields. Typed against the Tensor interface, so
 * an implementation that disagrees with its `declare module` signature does not compile.
 * @example defineMethods({ exp() { return exp(this); } });
 */
export function defineMethods(members: TensorMembers): void {
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(members)))
    Object.defineProperty(Tensor.prototype, name, { ...descriptor, enumerable: false });
}
