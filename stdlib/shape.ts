/**
 * Shape arithmetic: sizes, contiguous strides, NumPy broadcasting and axis normalisation.
 * Pure functions on number arrays; knows nothing of tensors or autodiff.
 */
import { fail, showShape } from "./errors.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Row-major (C order) strides of a contiguous array of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else
      fail(
        `${op}: shapes ${showShape(a)} and ${showShape(b)} cannot be broadcast together ` +
          `(axis ${i - n} has ${da} vs ${db}; sizes must match or one of them be 1)`,
      );
  }
  return out;
}

/** Turns a possibly negative axis into 0..ndim-1, with an error naming the op. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim)
    fail(`${op}: axis ${axis} is out of range for a tensor with ${ndim} dimension(s)`);
  return a;
}

/** Normalises `axis` (undefined = all axes) to a sorted list without duplicates. */
export function normalizeAxes(axis: number | readonly number[] | undefined | null, ndim: number, op: string): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = [...new Set(list.map((a) => normalizeAxis(a, ndim, op)))];
  return out.sort((x, y) => x - y);
}
