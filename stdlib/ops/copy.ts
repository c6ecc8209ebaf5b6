/**
 * Moving elements between layouts: a row-major copy of any view, writing into a strided view,
 * and conversion to nested JavaScript arrays. No autodiff here.
 */
import { allocStorage, type Storage, type Tensor } from "../tensor.js";
import { unaryLoops } from "./loops.js";
import { setInSlices } from "../slices.js";

const identity = unaryLoops("a");

/** The elements of `x` in row-major order, as a fresh typed array of x's dtype. */
export function readContiguous(x: Tensor): Storage {
  const out = allocStorage(x.dtype, x.size);
  if (x.size === 0) return out;
  if (x["_contig"]) setInSlices(out, x["_data"].subarray(x["_offset"], x["_offset"] + x.size));
  else if (x.shape.length === 0) out[0] = x["_data"][x["_offset"]]!;
  else identity.strided(out, x["_data"], x["_offset"], x["_strides"], x.shape);
  return out;
}

/** Writes the row-major `src` into the (possibly strided) view `dst`, in place. */
export function writeStrided(dst: Tensor, src: ArrayLike<number>): void {
  const shape = dst.shape, st = dst["_strides"], d = dst["_data"];
  const nd = shape.length;
  if (dst.size === 0) return;
  if (nd === 0) {
    d[dst["_offset"]] = src[0]!;
    return;
  }
  const last = shape[nd - 1]!, sl = st[nd - 1]!;
  const outer = dst.size / last;
  const idx = new Int32Array(nd);
  let p = dst["_offset"], o = 0;
  for (let r = 0; r < outer; r++) {
    for (let j = 0; j < last; j++) d[p + j * sl] = src[o++]!;
    for (let k = nd - 2; k >= 0; k--) {
      idx[k]!++;
      p += st[k]!;
      if (idx[k]! < shape[k]!) break;
      p -= st[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
}

/** Nested arrays of numbers (booleans for bool tensors); a plain value for a 0-d tensor. */
export function toNested(x: Tensor): any {
  const flat = readContiguous(x);
  const conv = x.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  if (x.shape.length === 0) return conv(flat[0]!);
  let pos = 0;
  const build = (axis: number): any[] => {
    const n = x.shape[axis]!;
    const out = new Array(n);
    if (axis === x.shape.length - 1) for (let i = 0; i < n; i++) out[i] = conv(flat[pos++]!);
    else for (let i = 0; i < n; i++) out[i] = build(axis + 1);
    return out;
  };
  return build(0);
}
