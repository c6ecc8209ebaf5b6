/**
 * Shape arithmetic: sizes, contiguous strides, NumPy broadcasting and axis normalisation.
 * Pure functions on number arrays; knows nothing of tensors or autodiff.
 */
import { fail, showShape } from "./errors.js";

export type Shape = readonly number[];

/** The most dimensions a tensor has (deeper nesting is a mistake, and would overflow the stack of the recursive passes). */
export const MAX_DIMS = 64;

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
  return broadcastAll([a, b], op);
}

/**
 * The broadcast shape of several operands, or null when they do not broadcast. Callers that
 * reshape their operands first (matmul's batch axes) use this and word the error themselves,
 * with the shapes the user passed.
 */
export function tryBroadcast(shapes: readonly Shape[]): number[] | null {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let d = 1;
    for (const s of shapes) {
      const k = i - (n - s.length);
      const dk = k < 0 ? 1 : s[k]!;
      if (dk === d || dk === 1) continue;
      if (d !== 1) return null;
      d = dk;
    }
    out[i] = d;
  }
  return out;
}

/**
 * Broadcasts several operands' shapes; the error names the op, every operand's shape (with
 * `names`, e.g. ["cond", "a", "b"], when there are more than two) and the first axis that clashes.
 */
export function broadcastAll(shapes: readonly Shape[], op: string, names?: readonly string[]): number[] {
  const out = tryBroadcast(shapes);
  if (out !== null) return out;
  const n = Math.max(...shapes.map((s) => s.length));
  let axis = -1, sizes: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    sizes = shapes.map((s) => (i - (n - s.length) < 0 ? 1 : s[i - (n - s.length)]!));
    if (new Set(sizes.filter((d) => d !== 1)).size > 1) {
      axis = i - n;
      break;
    }
  }
  const shown = shapes.map((s, i) => showShape(s) + (names && shapes.length > 2 ? ` (${names[i]})` : ""));
  const list = shown.length === 2 ? `${shown[0]} and ${shown[1]}` : `${shown.slice(0, -1).join(", ")} and ${shown.at(-1)}`;
  const has = sizes.length === 2 ? `${sizes[0]} vs ${sizes[1]}` : sizes.join(" vs ");
  return fail(`${op}: shapes ${list} cannot be broadcast together (axis ${axis} has ${has}; sizes must match or one of them be 1)`);
}

/** Turns a possibly negative axis into 0..ndim-1, with an error naming the op. */
export function normalizeAxis(axis: number, ndim: number, op: string): number {
  if (!Number.isInteger(axis)) fail(`${op}: an axis is a whole number (0 for the first, -1 for the last), got ${describeAxis(axis)}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= ndim)
    fail(`${op}: axis ${axis} is out of range for a tensor with ${ndim} dimension(s)`);
  return a;
}

/** Normalises `axis` (undefined = all axes) to a sorted list without duplicates. */
export function normalizeAxes(axis: number | readonly number[] | undefined | null, ndim: number, op: string): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  // `t.sum({ dim: 0 })`, PyTorch's keyword as an object, reached `list.map is not a function`.
  if (typeof axis !== "number" && !Array.isArray(axis)) fail(`${op}: the axis is a number or an array of numbers, e.g. ${op}(0) or ${op}([0, 1]); got ${describeAxis(axis)}`);
  const list = typeof axis === "number" ? [axis] : axis;
  const out = [...new Set(list.map((a) => normalizeAxis(a, ndim, op)))];
  return out.sort((x, y) => x - y);
}

/** A wrong axis as the student wrote it: `"a"` in quotes, an object as its JSON. */
function describeAxis(axis: unknown): string {
  if (typeof axis === "string") return JSON.stringify(axis);
  if (typeof axis === "object" && axis !== null) {
    try {
      return JSON.stringify(axis);
    } catch {
      return "an object";
    }
  }
  return String(axis);
}
