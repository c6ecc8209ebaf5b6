/**
 * The chapter's plotting data built with plain numbers, plus a duck-typed tensor stand-in, for the
 * plot tests. (The stand-in only implements the documented contract the plot package relies on:
 * `shape` and `toArray()`; it is how any tensor library's values reach the plots.)
 */

/** NumPy's arange length rule: ceil((stop - start) / step) values. */
export function arange(start: number, stop: number, step: number): number[] {
  const n = Math.ceil((stop - start) / step);
  return Array.from({ length: n }, (_, i) => start + i * step);
}

export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** meshgrid with indexing 'ij': X[i][j] = xs[i], Y[i][j] = ys[j]. */
export function meshgridIJ(xs: number[], ys: number[]): [number[][], number[][]] {
  return [xs.map((x) => ys.map(() => x)), xs.map(() => ys.slice())];
}

export const map2 = (a: number[][], b: number[][], f: (x: number, y: number) => number): number[][] =>
  a.map((row, i) => row.map((x, j) => f(x, b[i]![j]!)));

/** A value carrying `shape` and `toArray()` like the tensor library's tensors. */
export class TensorLikeValue {
  constructor(readonly data: Float64Array, readonly shape: number[]) {}
  static from(nested: number[] | number[][]): TensorLikeValue {
    const is2d = Array.isArray(nested[0]);
    const flat = is2d ? (nested as number[][]).flat() : (nested as number[]);
    const shape = is2d ? [nested.length, (nested[0] as number[]).length] : [nested.length];
    return new TensorLikeValue(Float64Array.from(flat), shape);
  }
  toArray(): number[] | number[][] {
    const flat = Array.from(this.data);
    if (this.shape.length === 1) return flat;
    const [m, n] = this.shape as [number, number];
    return Array.from({ length: m }, (_, i) => flat.slice(i * n, (i + 1) * n));
  }
}

/**
 * What the kernel does: declare once that it drains figures (the array exists; without it
 * figures do not register), and at the end of a cell take and empty the pending figures.
 */
export function drainPending(): unknown[] {
  const key = Symbol.for("gradlab.pendingFigures");
  const g = globalThis as Record<symbol, unknown>;
  if (!Array.isArray(g[key])) g[key] = [];
  const pending = g[key] as unknown[];
  return pending.splice(0, pending.length);
}

/** The chapter's 3-d cell (both flavours draw the same): f and its quadratic at (-1, 0), corrected. */
export function chapterWireframeData() {
  const [x, y] = meshgridIJ(linspace(-2, 2, 101), linspace(-2, 2, 101));
  const z = map2(x, y, (a, b) => a * Math.exp(-a * a - b * b));
  // errata.md #8: the source's 2(x+1)² + 2y² drops the Taylor formula's ½.
  const w = map2(x, y, (a, b) => Math.exp(-1) * (-1 - (a + 1) + (a + 1) ** 2 + b ** 2));
  return { x, y, z, w };
}
