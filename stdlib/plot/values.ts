/**
 * Turning what a cell passes to a plotting call into plain numbers.
 *
 * Role: accept number arrays, typed arrays, nested arrays and tensors, and hand back flat
 * `number[]` vectors and `number[][]` grids. Boundary: tensors are recognised by duck typing (an
 * object with `toArray()` and `shape`), so this module imports nothing from the tensor library and
 * keeps working whatever its internals become.
 */

/** Anything with the tensor library's `toArray()` and `shape`. */
export interface TensorLike {
  readonly shape: readonly number[];
  toArray(): unknown;
}

/** A one-axis sequence of numbers: an array, a typed array, a 1-d tensor. */
export type Vector = ArrayLike<number> | TensorLike | Iterable<number>;

/** A two-axis grid of numbers: nested arrays or a 2-d tensor. */
export type Grid = ArrayLike<ArrayLike<number>> | TensorLike;

/** True for tensor-like objects (`toArray()` plus an array `shape`). */
export function isTensorLike(value: unknown): value is TensorLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toArray?: unknown }).toArray === "function" &&
    Array.isArray((value as { shape?: unknown }).shape)
  );
}

/** Converts a scalar: a number, a 0-d / one-element tensor, or anything with `item()`. */
export function toScalar(value: unknown, what = "value"): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "object" && value !== null) {
    const item = (value as { item?: unknown }).item;
    if (typeof item === "function") return toScalar(item.call(value), what);
    if (isTensorLike(value)) {
      const flat = flatten(value.toArray());
      if (flat.length === 1) return flat[0]!;
    }
  }
  throw new TypeError(`plot: expected a number for ${what}, got ${describe(value)}`);
}

/** How many axes a plot argument has (0 for scalars). */
export function rank(value: unknown): number {
  if (isTensorLike(value)) return value.shape.length;
  if (typeof value === "number") return 0;
  if (ArrayBuffer.isView(value)) return 1;
  if (Array.isArray(value)) return value.length === 0 ? 1 : 1 + rank(value[0]);
  return 0;
}

/**
 * A flat vector of numbers.
 * @example toVector([1, 2, 3]) // [1, 2, 3]
 */
export function toVector(value: unknown, what = "data"): number[] {
  if (isTensorLike(value)) {
    if (value.shape.length > 1 && value.shape.filter((n) => n !== 1).length > 1) {
      throw new TypeError(
        `plot: ${what} must have one axis, got a tensor of shape [${value.shape.join(", ")}]`,
      );
    }
    return flatten(value.toArray());
  }
  if (typeof value === "number") return [value];
  if (value != null && typeof (value as Iterable<unknown>)[Symbol.iterator] === "function") {
    return Array.from(value as Iterable<unknown>, (v, i) => toScalar(v, `${what}[${i}]`));
  }
  if (value != null && typeof (value as ArrayLike<unknown>).length === "number") {
    return Array.from(value as ArrayLike<unknown>, (v, i) => toScalar(v, `${what}[${i}]`));
  }
  throw new TypeError(`plot: expected an array or a tensor for ${what}, got ${describe(value)}`);
}

/**
 * A rectangular grid (rows of equal length).
 * @example toGrid([[1, 2], [3, 4]]) // [[1, 2], [3, 4]]
 */
export function toGrid(value: unknown, what = "grid"): number[][] {
  let rows: number[][];
  if (isTensorLike(value)) {
    if (value.shape.length !== 2) {
      throw new TypeError(
        `plot: ${what} must be a 2-d grid, got a tensor of shape [${value.shape.join(", ")}]`,
      );
    }
    const raw = value.toArray();
    const [m, n] = value.shape as [number, number];
    const flat = flatten(raw);
    rows = Array.from({ length: m }, (_, i) => flat.slice(i * n, (i + 1) * n));
  } else if (value != null && typeof (value as ArrayLike<unknown>).length === "number") {
    rows = Array.from(value as ArrayLike<unknown>, (row, i) => toVector(row, `${what}[${i}]`));
  } else {
    throw new TypeError(`plot: expected a 2-d array or tensor for ${what}, got ${describe(value)}`);
  }
  const width = rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new TypeError(`plot: ${what} is ragged: row 0 has ${width} values, row ${i} has ${row.length}`);
    }
  });
  return rows;
}

/** Plotly draws gaps where JSON has null; NaN and ±Infinity would not survive JSON anyway. */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function flatten(value: unknown): number[] {
  const out: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "number") out.push(v);
    else if (typeof v === "bigint") out.push(Number(v));
    else if (typeof v === "boolean") out.push(v ? 1 : 0);
    else if (ArrayBuffer.isView(v)) {
      const typed = v as unknown as ArrayLike<number>;
      for (let i = 0; i < typed.length; i++) out.push(Number(typed[i]));
    }
    else if (Array.isArray(v)) v.forEach(walk);
    else out.push(toScalar(v));
  };
  walk(value);
  return out;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === "object" ? `an object (${value.constructor?.name ?? "Object"})` : typeof value;
}
