/**
 * Ops that rearrange elements without arithmetic: reshape, permute, broadcast, index, slice,
 * concat/stack. Most return views (shared storage, new shape/strides/offset); each has a
 * backward rule in differentiable ops (reshape ↔ reshape, permute ↔ inverse permute,
 * broadcastTo ↔ sumTo, slice ↔ scatter-into-zeros).
 * The ops' Tensor methods (`x.reshape(2, 3)`, `x.T`) are declared and installed at the end of
 * the file.
 */
import { Tensor, allocStorage, defineMethods, type SliceSpec, type TensorLike } from "../tensor.js";
import { MAX_DIMS, contiguousStrides, normalizeAxis, sameShape, sizeOf, tryBroadcast, type Shape } from "../shape.js";
import { defineOp, record, tracks } from "../autodiff/rule.js";
import { mode, noGrad } from "../autodiff/mode.js";
import { fail, showShape } from "../errors.js";
import { readContiguous, writeStrided } from "./copy.js";
import { fillInSlices } from "../slices.js";
import { sum } from "./reduce.js";
import { describeValue, expectTensor, expectTensorList, shapeArg } from "../args.js";

function view(x: Tensor, shape: readonly number[], strides: number[], offset: number): Tensor {
  return new Tensor(x["_data"], shape, x.dtype, x.flavour, strides, offset);
}

function track(out: Tensor, op: ReturnType<typeof defineOp>, inputs: Tensor[], ctx?: unknown): Tensor {
  if (mode.gradEnabled && inputs.some(tracks)) record(out, op, inputs, ctx);
  return out;
}

// ---------- copies ----------

const Copy = defineOp("contiguous", (g) => [g]);
/**
 * `x` itself when its elements already lie row-major without gaps, else such a copy; same shape,
 * differentiable. PyTorch `t.contiguous()`, NumPy `np.ascontiguousarray`.
 * @example contiguous(transpose(tensor([[1, 2], [3, 4]]))) // tensor([[1., 3.], [2., 4.]])
 */
export function contiguous(x: Tensor): Tensor {
  expectTensor(x, "contiguous");
  if (x["_contig"]) return x;
  return track(new Tensor(readContiguous(x), x.shape, x.dtype, x.flavour), Copy, [x]);
}
/**
 * A fresh row-major copy, same shape, still in the graph (differentiable). PyTorch `t.clone()`,
 * NumPy `a.copy()`.
 * @example clone(tensor([1, 2])) // tensor([1., 2.])
 */
export function clone(x: Tensor): Tensor {
  expectTensor(x, "clone");
  return track(new Tensor(readContiguous(x), x.shape, x.dtype, x.flavour), Copy, [x]);
}

// ---------- reshape family ----------

const Reshape = defineOp("reshape", (g, _o, [x]) => [reshape(g, (x as Tensor).shape)]);
/**
 * The same elements in row-major order under a new shape with the same number of elements (one
 * entry may be -1 to infer it); a view when x is contiguous. PyTorch `torch.reshape`, NumPy
 * `np.reshape` (the shape as one array, not spread arguments).
 * @example reshape(arange(6), [2, 3]) // tensor([[0., 1., 2.], [3., 4., 5.]])
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, "reshape");
  shape = shapeArg(shape, "reshape", true);
  let infer = -1, known = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === -1) {
      if (infer >= 0) fail(`reshape: only one dimension can be -1, got ${showShape(shape)}`);
      infer = i;
    } else known *= shape[i]!;
  }
  let target = shape;
  if (infer >= 0) {
    if (known === 0 || x.size % known !== 0)
      fail(`reshape: cannot reshape a tensor of shape ${showShape(x.shape)} (${x.size} elements) into ${showShape(shape)}`);
    target = shape.slice();
    (target as number[])[infer] = x.size / known;
  }
  if (sizeOf(target) !== x.size)
    fail(`reshape: cannot reshape a tensor of shape ${showShape(x.shape)} (${x.size} elements) into ${showShape(shape)} (${sizeOf(target)} elements)`);
  if (sameShape(target, x.shape)) return x;
  const src = x["_contig"] ? x : contiguous(x);
  return track(view(src, [...target], contiguousStrides(target), src["_offset"]), Reshape, [src]);
}
/**
 * All elements as a 1-d tensor of length `x.size`, row-major. PyTorch `torch.flatten` (without
 * start_dim/end_dim), NumPy `a.flatten()`.
 * @example flatten(tensor([[1, 2], [3, 4]])) // tensor([1., 2., 3., 4.])
 */
export function flatten(x: Tensor): Tensor {
  expectTensor(x, "flatten");
  return reshape(x, [x.size]);
}
/**
 * Removes the axes of length 1 (only `axis` when given). PyTorch `torch.squeeze`, NumPy
 * `np.squeeze`.
 * @example squeeze(zeros([1, 3, 1])).shape // [3]
 */
export function squeeze(x: Tensor, axis?: number): Tensor {
  expectTensor(x, "squeeze");
  if (axis === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const a = normalizeAxis(axis, x.ndim, "squeeze");
  if (x.shape[a] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== a));
}
/**
 * Inserts an axis of length 1 at `axis` (negative counts from the end of the result). PyTorch
 * `torch.unsqueeze`, NumPy `np.expand_dims`.
 * @example unsqueeze(tensor([1, 2]), 0).shape // [1, 2]
 */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  expectTensor(x, "unsqueeze");
  if (x.ndim >= MAX_DIMS) fail(`unsqueeze: the tensor already has ${x.ndim} dimensions, the most a tensor has`);
  const a = normalizeAxis(axis, x.ndim + 1, "unsqueeze");
  const s = x.shape.slice();
  s.splice(a, 0, 1);
  return reshape(x, s);
}

// ---------- permutations ----------

const Permute = defineOp("permute", (g, _o, _i, axes: number[]) => {
  const inverse = new Array<number>(axes.length);
  axes.forEach((a, i) => (inverse[a] = i));
  return [permute(g, inverse)];
});
/**
 * Reorders axes: result axis i is input axis `axes[i]` (a view). PyTorch `torch.permute`, NumPy
 * `np.transpose(a, axes)`.
 * @example permute(zeros([2, 3, 4]), [2, 0, 1]).shape // [4, 2, 3]
 */
export function permute(x: Tensor, axes: readonly number[]): Tensor {
  expectTensor(x, "permute");
  if (!Array.isArray(axes)) fail(`permute: the axes must be an array such as [1, 0], got ${describeValue(axes)}`);
  if (axes.length !== x.ndim) fail(`permute: got ${axes.length} axes for a tensor of shape ${showShape(x.shape)}`);
  const norm = axes.map((a) => normalizeAxis(a, x.ndim, "permute"));
  if (new Set(norm).size !== norm.length) fail(`permute: axes ${showShape(axes)} repeat an axis`);
  if (norm.every((a, i) => a === i)) return x;
  return track(view(x, norm.map((a) => x.shape[a]!), norm.map((a) => x["_strides"][a]!), x["_offset"]), Permute, [x], norm);
}
/**
 * No axes: reverse all (matrix transpose, `.T`). Two axes on a PyTorch-flavoured tensor, or on an
 * array that is not 2-d: swap them (PyTorch's `torch.transpose(x, dim0, dim1)`, so
 * `torch.tensor(m).transpose(0, 1)` is m's transpose). A full list on an array: a permutation
 * (NumPy's `np.transpose(a, axes)`, where `(0, 1)` on a matrix changes nothing). A view.
 * @example transpose(tensor([[1, 2, 3]])).shape // [3, 1]
 */
export function transpose(x: Tensor, ...axes: number[]): Tensor {
  expectTensor(x, "transpose");
  if (axes.length === 0) return permute(x, x.shape.map((_, i) => x.ndim - 1 - i));
  // The two readings differ only for two axes of a 2-d tensor; its flavour says which one its
  // author had in mind.
  const swap = axes.length === 2 && (x.flavour === "torch" || x.ndim !== 2);
  if (!swap && axes.length === x.ndim) return permute(x, axes);
  if (axes.length === 2) {
    const p = x.shape.map((_, i) => i);
    const i = normalizeAxis(axes[0]!, x.ndim, "transpose"), j = normalizeAxis(axes[1]!, x.ndim, "transpose");
    [p[i], p[j]] = [p[j]!, p[i]!];
    return permute(x, p);
  }
  return fail(`transpose: give no axes, two axes to swap, or all ${x.ndim} axes; got ${axes.length}`);
}

// ---------- broadcasting ----------

const BroadcastTo = defineOp("broadcastTo", (g, _o, [x]) => [sumTo(g, (x as Tensor).shape)]);
/**
 * A view of `x` repeated to `shape` by NumPy's broadcasting rules (stride 0 on repeated axes);
 * its gradient sums back. NumPy `np.broadcast_to`, PyTorch `torch.broadcast_to`.
 * @example broadcastTo(tensor([1, 2]), [2, 2]) // tensor([[1., 2.], [1., 2.]])
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  expectTensor(x, "broadcastTo");
  shape = shapeArg(shape, "broadcastTo");
  if (sameShape(x.shape, shape)) return x;
  const off = shape.length - x.ndim;
  if (off < 0) fail(`broadcastTo: cannot broadcast shape ${showShape(x.shape)} to the smaller ${showShape(shape)}`);
  const strides = shape.map((d, i) => {
    if (i < off) return 0;
    const s = x.shape[i - off]!;
    if (s === d) return s === 1 ? 0 : x["_strides"][i - off]!;
    if (s === 1) return 0;
    return fail(`broadcastTo: cannot broadcast shape ${showShape(x.shape)} to ${showShape(shape)}`);
  });
  return track(view(x, [...shape], strides, x["_offset"]), BroadcastTo, [x]);
}

/**
 * Sums `g` down to `shape` (the inverse of broadcasting): the one place where a broadcast
 * gradient is folded back onto its input. PyTorch `t.sum_to_size(shape)`.
 * @example sumTo(ones([2, 3]), [3]) // tensor([2., 2., 2.])
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  expectTensor(g, "sumTo", "g");
  shape = shapeArg(shape, "sumTo");
  if (sameShape(g.shape, shape)) return g;
  const off = g.ndim - shape.length;
  if (off < 0) fail(`sumTo: cannot reduce shape ${showShape(g.shape)} to the larger ${showShape(shape)}`);
  const back = tryBroadcast([shape, g.shape]);
  if (back === null || !sameShape(back, g.shape))
    fail(`sumTo: cannot sum a tensor of shape ${showShape(g.shape)} down to ${showShape(shape)}; that shape must broadcast to ${showShape(g.shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < off || (shape[i - off] === 1 && g.shape[i] !== 1)) axes.push(i);
  const s = axes.length ? sum(g, axes, true) : g;
  return reshape(s, shape);
}

// ---------- indexing and slicing ----------

/** One axis of a normalised slice plan: keep a range, or pick one index and drop the axis. */
type PlanAxis = { start: number; step: number; count: number } | { index: number };

function planView(x: Tensor, plan: readonly PlanAxis[]): Tensor {
  let offset = x["_offset"];
  const shape: number[] = [], strides: number[] = [];
  plan.forEach((p, i) => {
    if ("index" in p) offset += p.index * x["_strides"][i]!;
    else {
      offset += p.start * x["_strides"][i]!;
      shape.push(p.count);
      strides.push(p.step * x["_strides"][i]!);
    }
  });
  return view(x, shape, strides, offset);
}

const SliceOp = defineOp("slice", (g, _o, [x], plan: PlanAxis[]) => [scatterSlice(g, (x as Tensor).shape, plan)]);
const ScatterOp = defineOp("sliceBackward", (g, _o, _i, plan: PlanAxis[]) => [applyPlan(g, plan)]);

function applyPlan(x: Tensor, plan: PlanAxis[]): Tensor {
  return track(planView(x, plan), SliceOp, [x], plan);
}

/** Zeros of `shape` with `g` written where the slice `plan` reads (the slice's backward). */
function scatterSlice(g: Tensor, shape: readonly number[], plan: PlanAxis[]): Tensor {
  const out = new Tensor(allocStorage(g.dtype, sizeOf(shape)), [...shape], g.dtype, g.flavour);
  writeStrided(planView(out, plan), readContiguous(g));
  return track(out, ScatterOp, [g], plan);
}

function fullAxis(n: number): PlanAxis {
  return { start: 0, step: 1, count: n };
}

function indexAxis(i: number, n: number, axis: number, x: Tensor, op: string): PlanAxis {
  if (!Number.isInteger(i)) fail(`${op}: index ${i} on axis ${axis} is not an integer`);
  const j = i < 0 ? i + n : i;
  if (j < 0 || j >= n) fail(`${op}: index ${i} is out of range for axis ${axis} with size ${n} (tensor shape ${showShape(x.shape)})`);
  return { index: j };
}

/**
 * Element or sub-tensor at integer indices (negative count from the end): a 0-d tensor when
 * every axis is given. Differentiable. In a cell `t[1]` means `t.at(1)` (PyTorch's `t[1]`, NumPy's
 * `a[1]`); `t[1][0]` is `t.at(1, 0)`.
 * @example tensor([[1, 2], [3, 4]]).at(1, 0).item() // 3
 */
export function at(x: Tensor, ...index: number[]): Tensor {
  expectTensor(x, "at");
  if (index.length > x.ndim) fail(`at: ${index.length} indices for a tensor of shape ${showShape(x.shape)}`);
  const plan: PlanAxis[] = x.shape.map((n, axis) => (axis < index.length ? indexAxis(index[axis]!, n, axis, x, "at") : fullAxis(n)));
  return applyPlan(x, plan);
}

const IndexPut = defineOp("indexPut", (g, _o, _i, index: number[], needs) => [
  needs[0] ? indexPut(g, index, 0) : null,
  needs[1] ? at(g, ...index) : null,
]);
/**
 * A copy of `x` with the element (or the sub-tensor) at `index` replaced by `value`, which
 * broadcasts to that place's shape; `x` itself is unchanged. Gradients: `x`'s everywhere but
 * that place, `value`'s from it. Tensors here cannot change in place, so this is the way to
 * write PyTorch's `w[0] = 1` or `m[i][j] = v`: `w = w.indexPut([0], 1)`, `m = m.indexPut([i, j], v)`
 * (PyTorch's out-of-place `torch.index_put` / `t.index_put((i, j), v)`, with numbers as indices;
 * JAX's `x.at[i].set(v)`). The result is a new tensor: for a parameter, replace it under `noGrad`
 * and mark it again, `w = noGrad(() => w.indexPut([0], 1)).requiresGrad_()`.
 * @example tensor([1, 2, 3]).indexPut([0], 9) // tensor([9., 2., 3.])
 * @example tensor([[1, 2], [3, 4]]).indexPut([1], tensor([7, 8])) // tensor([[1., 2.], [7., 8.]])
 */
export function indexPut(x: Tensor, index: readonly number[], value: TensorLike): Tensor {
  expectTensor(x, "indexPut");
  if (!Array.isArray(index)) fail(`indexPut: the index is an array of integers, one per leading axis, as in indexPut([0, 1], v); got ${typeof index}`);
  if (index.length > x.ndim) fail(`indexPut: ${index.length} indices for a tensor of shape ${showShape(x.shape)}`);
  if (typeof value !== "number" && !(value instanceof Tensor)) fail(`indexPut: the value is a Tensor or a number, got ${value === null ? "null" : typeof value}`);
  const plan: PlanAxis[] = x.shape.map((n, axis) => (axis < index.length ? indexAxis(index[axis]!, n, axis, x, "indexPut") : fullAxis(n)));
  const out = new Tensor(readContiguous(x), x.shape, x.dtype, x.flavour);
  const place = planView(out, plan);
  if (typeof value === "number") writeStrided(place, fillInSlices(new Float64Array(place.size), value));
  else {
    if (!canBroadcastTo(value.shape, place.shape))
      fail(`indexPut: a value of shape ${showShape(value.shape)} does not fit the place ${showShape(place.shape)} at [${index.join(", ")}] of a tensor of shape ${showShape(x.shape)}`);
    writeStrided(place, readContiguous(noGrad(() => broadcastTo(value, place.shape))));
  }
  if (mode.gradEnabled && (tracks(x) || tracks(value))) record(out, IndexPut, [x, value], [...index]);
  return out;
}

/** Whether NumPy's rules broadcast `from` to exactly `to`. */
function canBroadcastTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  return from.every((d, i) => d === 1 || d === to[i + off]);
}

function rangeAxis(start: number | null | undefined, stop: number | null | undefined, step: number | null | undefined, n: number): PlanAxis {
  const st = step ?? 1;
  for (const v of [start, stop])
    if (v != null && !Number.isInteger(v)) fail(`slice: a range's start and stop are integers or null, got ${describeValue(v)}`);
  if (st === 0 || !Number.isInteger(st)) fail(`slice: step must be a non-zero integer, got ${st}`);
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let b: number, e: number;
  if (st > 0) {
    b = start == null ? 0 : clamp(start < 0 ? start + n : start, 0, n);
    e = stop == null ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
  } else {
    b = start == null ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
    e = stop == null ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
  }
  const count = Math.max(0, Math.ceil((e - b) / st));
  return { start: count === 0 ? 0 : b, step: st, count };
}

function parseSpec(spec: SliceSpec, n: number, axis: number, x: Tensor): PlanAxis {
  if (spec === null || spec === ":") return fullAxis(n);
  if (typeof spec === "number") return indexAxis(spec, n, axis, x, "slice");
  if (typeof spec === "string") {
    const parts = spec.split(":").map((s) => (s.trim() === "" ? null : Number(s)));
    if (parts.length === 1) return indexAxis(parts[0] ?? NaN, n, axis, x, "slice");
    if (parts.length > 3 || parts.some((p) => p !== null && !Number.isInteger(p)))
      fail(`slice: cannot read "${spec}"; write it like "1:3", ":2", "::-1"`);
    return rangeAxis(parts[0], parts[1], parts[2], n);
  }
  if (!Array.isArray(spec)) fail(`slice: a spec is a number, null, a string like "1:3" or an array [start, stop, step]; got ${describeValue(spec)} for axis ${axis}`);
  return rangeAxis(spec[0], spec[1], spec[2], n);
}

/**
 * Basic slicing with one spec per leading axis (missing ones take the whole axis): a number picks
 * an index, `null`/":" the whole axis, "start:stop:step" or [start, stop, step] a range. PyTorch
 * and NumPy `t[:, 1:]` is `t.slice(":", "1:")`; differentiable.
 * @example tensor([[1, 2, 3], [4, 5, 6]]).slice(":", "1:") // tensor([[2., 3.], [5., 6.]])
 */
export function slice(x: Tensor, ...specs: SliceSpec[]): Tensor {
  expectTensor(x, "slice");
  if (specs.length > x.ndim) fail(`slice: ${specs.length} specs for a tensor of shape ${showShape(x.shape)}`);
  const plan = x.shape.map((n, axis) => (axis < specs.length ? parseSpec(specs[axis]!, n, axis, x) : fullAxis(n)));
  return applyPlan(x, plan);
}

// ---------- joining ----------

const Concat = defineOp("concat", (g, _o, inputs, axis: number, needs) => {
  let start = 0;
  return inputs.map((x, i) => {
    const n = (x as Tensor).shape[axis]!;
    const plan = g.shape.map((d, k) => (k === axis ? { start, step: 1, count: n } : fullAxis(d)));
    start += n;
    return needs[i] ? applyPlan(g, plan) : null;
  });
});
/**
 * Joins tensors along an existing axis; all other axes must match. PyTorch `torch.cat`, NumPy
 * `np.concatenate`.
 * @example concat([tensor([1, 2]), tensor([3])]) // tensor([1., 2., 3.])
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  expectTensorList(tensors, "concat");
  if (tensors.length === 0) fail("concat: needs at least one tensor");
  const first = tensors[0]!;
  const ax = normalizeAxis(axis, first.ndim, "concat");
  let total = 0;
  for (const t of tensors) {
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i]))
      fail(`concat: shapes ${showShape(first.shape)} and ${showShape(t.shape)} differ outside axis ${axis}`);
    total += t.shape[ax]!;
  }
  const dtype = tensors.some((t) => t.dtype === "float64") ? "float64" : first.dtype;
  const shape = first.shape.slice();
  shape[ax] = total;
  const out = new Tensor(allocStorage(dtype, sizeOf(shape)), shape, dtype, first.flavour);
  let start = 0;
  for (const t of tensors) {
    const n = t.shape[ax]!;
    writeStrided(planView(out, shape.map((d, k) => (k === ax ? { start, step: 1, count: n } : fullAxis(d)))), readContiguous(t));
    start += n;
  }
  return track(out, Concat, [...tensors], ax);
}

/**
 * Stacks same-shape tensors along a new axis `axis` (result shape: theirs with the count inserted
 * there). PyTorch `torch.stack`, NumPy `np.stack`.
 * @example stack([tensor([1, 2]), tensor([3, 4])]) // tensor([[1., 2.], [3., 4.]]), shape [2, 2]
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  expectTensorList(tensors, "stack");
  if (tensors.length === 0) fail("stack: needs at least one tensor");
  for (const t of tensors)
    if (!sameShape(t.shape, tensors[0]!.shape)) fail(`stack: all tensors need the same shape; got ${showShape(tensors[0]!.shape)} and ${showShape(t.shape)}`);
  const ax = normalizeAxis(axis, tensors[0]!.ndim + 1, "stack");
  return concat(tensors.map((t) => unsqueeze(t, ax)), ax);
}

// ---------- Tensor methods ----------

declare module "../tensor.js" {
  interface Tensor {
    /** Transpose (reverses all axes), as `.T` in NumPy and PyTorch. */
    get T(): Tensor;
    /** A contiguous copy (cut from the graph when `detach` is used first). */
    clone(): Tensor;
    reshape(...shape: (number | readonly number[])[]): Tensor;
    /** `reshape` under PyTorch's other name (a view whenever the layout allows, else a copy). @example arange(6).view(2, -1).shape // [2, 3] */
    view(...shape: (number | readonly number[])[]): Tensor;
    flatten(): Tensor;
    squeeze(axis?: number): Tensor;
    unsqueeze(axis: number): Tensor;
    /** `unsqueeze` under NumPy's name (`np.expand_dims`): a new axis of length 1 at `axis`. @example tensor([1, 2]).expandDims(0).shape // [1, 2] */
    expandDims(axis: number): Tensor;
    transpose(...axes: number[]): Tensor;
    permute(...axes: (number | readonly number[])[]): Tensor;
    broadcastTo(shape: Shape): Tensor;
    /** `broadcastTo` under PyTorch's name (`t.expand(3, 2)`): a view repeating axes of length 1. @example tensor([[1], [2]]).expand(2, 3).shape // [2, 3] */
    expand(...shape: (number | readonly number[])[]): Tensor;
    /** Element or sub-tensor by integer indices (negative count from the end); differentiable. */
    at(...index: number[]): Tensor;
    /** A copy with the element or sub-tensor at `index` replaced by `value` (`w[0] = 1` is `w = w.indexPut([0], 1)`). */
    indexPut(index: readonly number[], value: TensorLike): Tensor;
    /** Basic slicing, one spec per axis: `m.slice(":", "1:3")`, `v.slice([0, null, 2])`. */
    slice(...specs: SliceSpec[]): Tensor;
    contiguous(): Tensor;
  }
}

/** PyTorch's two spellings of a shape argument: `x.reshape(2, 3)` and `x.reshape([2, 3])`. */
function flatShapeArgs(args: (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args as number[];
}

defineMethods({
  get T() { return transpose(this); },
  clone() { return clone(this); },
  reshape(...shape) { return reshape(this, flatShapeArgs(shape)); },
  view(...shape) { return reshape(this, flatShapeArgs(shape)); },
  flatten() { return flatten(this); },
  squeeze(axis) { return squeeze(this, axis); },
  unsqueeze(axis) { return unsqueeze(this, axis); },
  expandDims(axis) { return unsqueeze(this, axis); },
  transpose(...axes) { return transpose(this, ...axes); },
  permute(...axes) { return permute(this, flatShapeArgs(axes)); },
  broadcastTo(shape) { return broadcastTo(this, shape); },
  expand(...shape) { return broadcastTo(this, flatShapeArgs(shape)); },
  at(...index) { return at(this, ...index); },
  indexPut(index, value) { return indexPut(this, index, value); },
  slice(...specs) { return slice(this, ...specs); },
  contiguous() { return contiguous(this); },
});
