/**
 * The Tensor class: typed-array storage viewed through shape, strides and offset, plus the few
 * fields the autodiff engine needs (a tensor produced by a recorded op IS its graph node: `_op`
 * and `_inputs` say how it was made, so a backward rule that reuses the output reuses this very
 * object, never a clone). Those internal fields are TypeScript-`private`, so a cell's `t.` completion
 * lists only the API; the library's op modules read and write them as `t["_data"]`, the bracket
 * access TypeScript allows for private members (documented in the handbook's Classes chapter). It
 * compiles to the same named property access as `t._data`: no cost on the scalar path, unlike
 * symbol keys (keyed accesses: 5-10% slower on the scalar chain workload, measured) or `#private`
 * fields (which the op modules, outside the class, cannot reach). Every method delegates to the op
 * functions in ops/, so an op is written once and reachable both as `exp(x)` and `x.exp()`.
 */
import type { Shape } from "./shape.js";
import { contiguousStrides, sizeOf } from "./shape.js";
import { fail, showShape } from "./errors.js";
import type { OpRule } from "./autodiff/rule.js";
import * as E from "./ops/elementwise.js";
import * as R from "./ops/reduce.js";
import * as S from "./ops/shape-ops.js";
import * as M from "./ops/matmul.js";
import * as L from "./ops/linalg.js";
import * as C from "./ops/composite.js";
import { backwardFrom, type BackwardOptions } from "./autodiff/backward.js";
import { formatTensor, formatPythonFloat, htmlTable } from "./format.js";
import { readContiguous, toNested } from "./ops/copy.js";

export type DType = "float64" | "float32" | "bool";
/** Which framework's conventions a tensor prints with: PyTorch (`tensor(...)`) or NumPy/MXNet (`array(...)`). */
export type Flavour = "torch" | "np";
export type Storage = Float64Array | Float32Array | Uint8Array;
/** A tensor or a plain number (numbers are "weak" scalars: they never change a tensor's dtype). */
export type TensorLike = Tensor | number;
export type Axis = number | readonly number[] | null | undefined;
/** One axis of a slice: an index (drops the axis), `null`/":" (all), "a:b:c" or [start, stop, step]. */
export type SliceSpec = number | null | string | readonly [number | null | undefined, (number | null)?, (number | null)?];

export function allocStorage(dtype: DType, n: number): Storage {
  return dtype === "float64" ? new Float64Array(n) : dtype === "float32" ? new Float32Array(n) : new Uint8Array(n);
}

const NO_STRIDES: number[] = Object.freeze([]) as unknown as number[];
const UNIT_STRIDES: number[] = Object.freeze([1]) as unknown as number[];

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

  get ndim(): number {
    return this.shape.length;
  }
  /** Distance in elements between neighbours along each axis (0 on broadcast axes). */
  get strides(): readonly number[] {
    return this._strides;
  }
  /** Transpose (reverses all axes), as `.T` in NumPy and PyTorch. */
  get T(): Tensor {
    return S.transpose(this);
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
    return Float64Array.from(readContiguous(this));
  }
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
  toJSON(): unknown {
    return this.toArray();
  }

  // ---- autodiff (PyTorch flavour) ----
  /**
   * Back-propagates from this tensor, adding d(this)/d(leaf) into each leaf's `.grad`.
   * @example const x = tensor([2], { requiresGrad: true }); x.mul(x).sum().backward(); x.grad // tensor([4.])
   */
  backward(gradient?: TensorLike, options: BackwardOptions = {}): void {
    backwardFrom(this, gradient, options);
  }
  /** Marks this tensor for gradients (PyTorch); returns it for chaining. */
  requiresGrad_(flag = true): this {
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
  /** A contiguous copy (cut from the graph when `detach` is used first). */
  clone(): Tensor {
    return S.clone(this);
  }
  /** Converts to another dtype (differentiable between float dtypes). */
  astype(dtype: DType): Tensor {
    return E.cast(this, dtype);
  }
  float(): Tensor {
    return E.cast(this, "float32");
  }
  double(): Tensor {
    return E.cast(this, "float64");
  }

  // ---- elementwise ----
  add(b: TensorLike): Tensor { return E.add(this, b); }
  sub(b: TensorLike): Tensor { return E.sub(this, b); }
  mul(b: TensorLike): Tensor { return E.mul(this, b); }
  div(b: TensorLike): Tensor { return E.div(this, b); }
  pow(b: TensorLike): Tensor { return E.pow(this, b); }
  remainder(b: TensorLike): Tensor { return E.remainder(this, b); }
  neg(): Tensor { return E.neg(this); }
  exp(): Tensor { return E.exp(this); }
  log(): Tensor { return E.log(this); }
  sqrt(): Tensor { return E.sqrt(this); }
  square(): Tensor { return E.square(this); }
  abs(): Tensor { return E.abs(this); }
  sign(): Tensor { return E.sign(this); }
  sin(): Tensor { return E.sin(this); }
  cos(): Tensor { return E.cos(this); }
  tan(): Tensor { return E.tan(this); }
  tanh(): Tensor { return E.tanh(this); }
  sigmoid(): Tensor { return E.sigmoid(this); }
  relu(): Tensor { return E.relu(this); }
  maximum(b: TensorLike): Tensor { return E.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return E.minimum(this, b); }
  lt(b: TensorLike): Tensor { return E.lt(this, b); }
  gt(b: TensorLike): Tensor { return E.gt(this, b); }
  le(b: TensorLike): Tensor { return E.le(this, b); }
  ge(b: TensorLike): Tensor { return E.ge(this, b); }
  eq(b: TensorLike): Tensor { return E.eq(this, b); }
  ne(b: TensorLike): Tensor { return E.ne(this, b); }

  // ---- reductions ----
  sum(axis?: Axis, keepdims = false): Tensor { return R.sum(this, axis, keepdims); }
  mean(axis?: Axis, keepdims = false): Tensor { return C.mean(this, axis, keepdims); }
  max(axis?: Axis, keepdims = false): Tensor { return R.max(this, axis, keepdims); }
  min(axis?: Axis, keepdims = false): Tensor { return R.min(this, axis, keepdims); }
  argmax(axis?: number): Tensor { return R.argmax(this, axis); }
  argmin(axis?: number): Tensor { return R.argmin(this, axis); }
  /** 2-norm over `axis` (all elements when omitted). @example tensor([[3, 4]]).norm({ axis: 1 }) // tensor([5.]) */
  norm(options?: C.NormOptions): Tensor { return C.norm(this, options); }
  logsumexp(axis?: Axis, keepdims = false): Tensor { return C.logsumexp(this, axis, keepdims); }
  softmax(axis = -1): Tensor { return C.softmax(this, axis); }

  // ---- products and linear algebra ----
  matmul(b: Tensor): Tensor { return M.matmul(this, b); }
  dot(b: Tensor): Tensor { return M.dot(this, b); }
  inv(): Tensor { return L.inv(this); }
  det(): Tensor { return L.det(this); }

  // ---- shape ----
  reshape(...shape: (number | readonly number[])[]): Tensor { return S.reshape(this, flatShapeArgs(shape)); }
  view(...shape: (number | readonly number[])[]): Tensor { return S.reshape(this, flatShapeArgs(shape)); }
  flatten(): Tensor { return S.flatten(this); }
  squeeze(axis?: number): Tensor { return S.squeeze(this, axis); }
  unsqueeze(axis: number): Tensor { return S.unsqueeze(this, axis); }
  expandDims(axis: number): Tensor { return S.unsqueeze(this, axis); }
  transpose(...axes: number[]): Tensor { return S.transpose(this, ...axes); }
  permute(...axes: (number | readonly number[])[]): Tensor { return S.permute(this, flatShapeArgs(axes)); }
  broadcastTo(shape: Shape): Tensor { return S.broadcastTo(this, shape); }
  expand(...shape: (number | readonly number[])[]): Tensor { return S.broadcastTo(this, flatShapeArgs(shape)); }
  /** Element or sub-tensor by integer indices (negative count from the end); differentiable. */
  at(...index: number[]): Tensor { return S.at(this, ...index); }
  /** Basic slicing, one spec per axis: `m.slice(":", "1:3")`, `v.slice([0, null, 2])`. */
  slice(...specs: SliceSpec[]): Tensor { return S.slice(this, ...specs); }
  contiguous(): Tensor { return S.contiguous(this); }
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

function flatShapeArgs(args: (number | readonly number[])[]): number[] {
  if (args.length === 1 && typeof args[0] !== "number") return [...(args[0] as readonly number[])];
  return args as number[];
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
