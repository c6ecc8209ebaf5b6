/**
 * Test helpers for the stdlib: plain-JS n-d arrays for references, seeded random inputs and
 * central finite differences. No library ops are used to compute expected values.
 */
import { Tensor, tensor } from "../../stdlib/index.js";

export interface Plain {
  data: number[];
  shape: number[];
}

export function plain(t: Tensor): Plain {
  return { data: Array.from(t.toFloat64Array()), shape: [...t.shape] };
}

export function stridesOf(shape: number[]): number[] {
  const s: number[] = [];
  for (let i = shape.length - 1, k = 1; i >= 0; i--) (s[i] = k), (k *= shape[i]!);
  return s;
}

/** Elementwise reference with NumPy broadcasting, in plain JS. */
export function ew(fn: (...v: number[]) => number) {
  return (...xs: Plain[]): Plain => {
    const nd = Math.max(...xs.map((x) => x.shape.length));
    const shape = Array.from({ length: nd }, (_, i) =>
      Math.max(...xs.map((x) => (i < nd - x.shape.length ? 1 : x.shape[i - (nd - x.shape.length)]!))),
    );
    const n = shape.reduce((a, b) => a * b, 1);
    const data: number[] = [];
    for (let k = 0; k < n; k++) {
      const idx: number[] = [];
      let r = k;
      for (let i = nd - 1; i >= 0; i--) (idx[i] = r % shape[i]!), (r = Math.floor(r / shape[i]!));
      data.push(
        fn(
          ...xs.map((x) => {
            const off = nd - x.shape.length;
            const st = stridesOf(x.shape);
            let p = 0;
            for (let i = 0; i < x.shape.length; i++) p += (x.shape[i] === 1 ? 0 : idx[i + off]!) * st[i]!;
            return x.data[p]!;
          }),
        ),
      );
    }
    return { data, shape };
  };
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTensor(shape: number[], lo: number, hi: number, r: () => number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const t = tensor(0);
  const data = Float64Array.from({ length: n }, () => lo + (hi - lo) * r());
  return new Tensor(data, shape, "float64", t.flavour);
}

/** Central finite-difference gradient of a scalar function of several tensors. */
export function fdGradient(f: (...xs: Tensor[]) => number, xs: Tensor[], eps = 1e-6): Float64Array[] {
  return xs.map((x, i) => {
    const g = new Float64Array(x.size);
    const base = x.toFloat64Array();
    for (let k = 0; k < x.size; k++) {
      const at = (h: number) => {
        const d = Float64Array.from(base);
        d[k]! += h;
        const args = xs.slice();
        args[i] = new Tensor(d, x.shape, "float64", x.flavour);
        return f(...args);
      };
      g[k] = (at(eps) - at(-eps)) / (2 * eps);
    }
    return g;
  });
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} vs ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e))))
      throw new Error(`${what}: element ${i} is ${a}, expected ${e} (tolerance ${tol})`);
  }
}
