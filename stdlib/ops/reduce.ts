/**
 * Reductions over axes (sum, max, min, argmax, argmin) with NumPy's `axis`/`keepdims`. One
 * loop per reduction kind; the general case walks the input once, adding each element into its
 * output slot. Backward rules: sum broadcasts `g` back; max/min send it to the arg-extrema,
 * split evenly among ties.
 * The ops' Tensor methods (`x.sum()`) are declared and installed at the end of the file.
 */
import { Tensor, allocStorage, defineMethods, type Axis, type Storage } from "../tensor.js";
import { contiguousStrides, normalizeAxes, sizeOf } from "../shape.js";
import { defineOp, record, tracks } from "../autodiff/rule.js";
import { mode } from "../autodiff/mode.js";
import { fail, showShape } from "../errors.js";
import { expectTensor } from "../args.js";
import { readContiguous } from "./copy.js";
import { broadcastTo, reshape } from "./shape-ops.js";
import { div, eq, mul } from "./elementwise.js";

type Kind = "sum" | "max" | "min";

interface Plan {
  axes: number[];
  kept: number[]; // input shape with reduced axes set to 1
  outShape: number[];
}

function plan(x: Tensor, axis: Axis, keepdims: boolean, op: string): Plan {
  expectTensor(x, op);
  const axes = normalizeAxes(axis, x.ndim, op);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outShape = keepdims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return { axes, kept, outShape };
}

/** Walks the contiguous `src` of `shape` and folds each element into out[slot]. */
function reduceInto(kind: Kind, src: Storage, off: number, shape: readonly number[], p: Plan, out: Float64Array): void {
  const n = sizeOf(shape);
  const init = kind === "sum" ? 0 : kind === "max" ? -Infinity : Infinity;
  out.fill(init);
  if (p.axes.length === shape.length || out.length === 1) {
    let acc = init;
    if (kind === "sum") for (let i = 0; i < n; i++) acc += src[off + i]!;
    else if (kind === "max") for (let i = 0; i < n; i++) { const v = src[off + i]!; if (v > acc || v !== v) acc = v; if (acc !== acc) break; }
    else for (let i = 0; i < n; i++) { const v = src[off + i]!; if (v < acc || v !== v) acc = v; if (acc !== acc) break; }
    out[0] = acc;
    return;
  }
  // slot strides: contiguous strides of the kept shape, 0 on reduced axes
  const ks = contiguousStrides(p.kept).map((s, i) => (p.axes.includes(i) ? 0 : s));
  const nd = shape.length, last = shape[nd - 1]!, sl = ks[nd - 1]!;
  const idx = new Int32Array(nd);
  let slot = 0, i = off;
  const outer = n / last;
  for (let r = 0; r < outer; r++) {
    if (kind === "sum") for (let j = 0; j < last; j++) out[slot + j * sl]! += src[i++]!;
    else if (kind === "max") for (let j = 0; j < last; j++) { const v = src[i++]!, o = slot + j * sl; if (v > out[o]! || v !== v) out[o] = v; }
    else for (let j = 0; j < last; j++) { const v = src[i++]!, o = slot + j * sl; if (v < out[o]! || v !== v) out[o] = v; }
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]!++;
      slot += ks[d]!;
      if (idx[d]! < shape[d]!) break;
      slot -= ks[d]! * shape[d]!;
      idx[d] = 0;
    }
  }
}

function reduce(kind: Kind, x: Tensor, p: Plan): Tensor {
  const dtype = x.dtype === "bool" ? "float64" : x.dtype;
  const acc = new Float64Array(sizeOf(p.outShape));
  if (x.size === 0) {
    if (kind !== "sum") fail(`${kind}: cannot reduce an empty tensor of shape ${showShape(x.shape)}`);
  } else if (x["_contig"]) reduceInto(kind, x["_data"], x["_offset"], x.shape, p, acc);
  else reduceInto(kind, readContiguous(x), 0, x.shape, p, acc);
  const data = dtype === "float64" ? acc : (allocStorage(dtype, acc.length).map((_, i) => acc[i]!) as Storage);
  return new Tensor(data, p.outShape, dtype, x.flavour);
}

const Sum = defineOp("sum", (g, _o, [x], p: Plan) => [broadcastTo(reshape(g, p.kept), (x as Tensor).shape)]);
/**
 * Sum over `axis` (all axes when omitted: a 0-d tensor); `keepdims` keeps reduced axes with
 * length 1. PyTorch `torch.sum(x, dim, keepdim)`, NumPy `np.sum(a, axis, keepdims)`.
 * @example sum(tensor([[1, 2], [3, 4]]), 0) // tensor([4., 6.])
 */
export function sum(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const p = plan(x, axis, keepdims, "sum");
  const out = reduce("sum", x, p);
  if (mode.gradEnabled && tracks(x)) record(out, Sum, [x], p);
  return out;
}

// The gradient goes to every element equal to the extremum, shared evenly among ties.
const Extremum = (name: Kind) =>
  defineOp(name, (g, out, [x], p: Plan) => {
    const xt = x as Tensor;
    const mask = eq(xt, broadcastTo(reshape(out, p.kept), xt.shape));
    const count = reduce("sum", mask, { ...p, outShape: p.kept });
    return [mul(broadcastTo(reshape(g, p.kept), xt.shape), div(mask, count))];
  });
const Max = Extremum("max");
const Min = Extremum("min");

/**
 * Largest element over `axis` (all when omitted); NaN if any is NaN. The values only: PyTorch's
 * `torch.max(x, dim)` also returns indices (use `argmax`), NumPy `np.max`.
 * @example max(tensor([[1, 5], [7, 2]]), 1) // tensor([5., 7.])
 */
export function max(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const p = plan(x, axis, keepdims, "max");
  const out = reduce("max", x, p);
  if (mode.gradEnabled && tracks(x)) record(out, Max, [x], p);
  return out;
}
/**
 * Smallest element over `axis` (all when omitted); NaN if any is NaN. The values only (PyTorch's
 * `torch.min(x, dim)` also returns indices: use `argmin`), NumPy `np.min`.
 * @example min(tensor([[1, 5], [7, 2]]), 1) // tensor([1., 2.])
 */
export function min(x: Tensor, axis?: Axis, keepdims = false): Tensor {
  const p = plan(x, axis, keepdims, "min");
  const out = reduce("min", x, p);
  if (mode.gradEnabled && tracks(x)) record(out, Min, [x], p);
  return out;
}

function argExtremum(x: Tensor, axis: number | undefined, better: (v: number, best: number) => boolean, name: string): Tensor {
  expectTensor(x, name);
  const src = readContiguous(x);
  if (x.size === 0) fail(`${name}: the tensor is empty`);
  if (axis === undefined) {
    let bi = 0;
    for (let i = 1; i < src.length; i++) if (better(src[i]!, src[bi]!)) bi = i;
    return new Tensor(Float64Array.of(bi), [], "float64", x.flavour);
  }
  const p = plan(x, axis, false, name);
  const ax = p.axes[0]!;
  const n = x.shape[ax]!, inner = sizeOf(x.shape.slice(ax + 1)), outer = sizeOf(x.shape.slice(0, ax));
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let bi = 0;
      const base = o * n * inner + i;
      for (let k = 1; k < n; k++) if (better(src[base + k * inner]!, src[base + bi * inner]!)) bi = k;
      out[o * inner + i] = bi;
    }
  return new Tensor(out, p.outShape, "float64", x.flavour);
}
/**
 * Index of the largest element (first one on ties), of the flattened tensor or along `axis`.
 * Not differentiable; the indices are float64 (there is no integer dtype). PyTorch
 * `torch.argmax`, NumPy `np.argmax`.
 * @example argmax(tensor([3, 9, 4])).item() // 1
 */
export function argmax(x: Tensor, axis?: number): Tensor {
  return argExtremum(x, axis, (v, b) => v > b || (v !== v && b === b), "argmax");
}
/**
 * Index of the smallest element (first one on ties), of the flattened tensor or along `axis`;
 * float64 indices, not differentiable. PyTorch `torch.argmin`, NumPy `np.argmin`.
 * @example argmin(tensor([3, 9, 1])).item() // 2
 */
export function argmin(x: Tensor, axis?: number): Tensor {
  return argExtremum(x, axis, (v, b) => v < b || (v !== v && b === b), "argmin");
}

declare module "../tensor.js" {
  interface Tensor {
    sum(axis?: Axis, keepdims?: boolean): Tensor;
    max(axis?: Axis, keepdims?: boolean): Tensor;
    min(axis?: Axis, keepdims?: boolean): Tensor;
    argmax(axis?: number): Tensor;
    argmin(axis?: number): Tensor;
  }
}

defineMethods({
  sum(axis, keepdims = false) { return sum(this, axis, keepdims); },
  max(axis, keepdims = false) { return max(this, axis, keepdims); },
  min(axis, keepdims = false) { return min(this, axis, keepdims); },
  argmax(axis) { return argmax(this, axis); },
  argmin(axis) { return argmin(this, axis); },
});
