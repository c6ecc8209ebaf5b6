/**
 * Loop generation for elementwise ops. Each op gets its own monomorphic loops, generated once
 * from its element expression (`a * b`, `Math.exp(a)`), so V8 compiles the expression inline. A
 * shared loop that calls the element function as a closure sees every op's closure at one call
 * site, cannot inline it, and pays a call per element: 1.7-2x slower on arrays and ~10x slower on
 * scalar graphs, as measured with this library's benchmark workloads (`npm run bench:stdlib`).
 * Four loops per binary op: both contiguous and same shape; left or right a single value; and a
 * general strided loop that also serves broadcasting (stride 0 on broadcast axes).
 * Knows nothing of tensors: it sees typed arrays, offsets, strides and shapes.
 */
import type { Storage } from "../tensor.js";

type Arr = Storage;
export interface BinaryLoops {
  /** out[i] = f(ad[ao+i], bd[bo+i]) */
  same(out: Arr, ad: Arr, ao: number, bd: Arr, bo: number, n: number): void;
  /** out[i] = f(a, bd[bo+i]) */
  left(out: Arr, a: number, bd: Arr, bo: number, n: number): void;
  /** out[i] = f(ad[ao+i], b) */
  right(out: Arr, ad: Arr, ao: number, b: number, n: number): void;
  /** general broadcasting/strided walk over `shape` (ndim >= 1) */
  strided(out: Arr, ad: Arr, ao: number, as: readonly number[], bd: Arr, bo: number, bs: readonly number[], shape: readonly number[]): void;
  /** the element function itself, for single values */
  scalar(a: number, b: number): number;
}
export interface UnaryLoops {
  same(out: Arr, ad: Arr, ao: number, n: number): void;
  strided(out: Arr, ad: Arr, ao: number, as: readonly number[], shape: readonly number[]): void;
  scalar(a: number): number;
}

// The generated source only ever contains the op's own fixed expression (a string literal in
// this library), never user input.
export function binaryLoops(expr: string): BinaryLoops {
  const f = (body: string, args: string) => new Function(args, body) as any;
  return {
    same: f(`for (let i = 0; i < n; i++) { const a = ad[ao + i], b = bd[bo + i]; out[i] = ${expr}; }`, "out, ad, ao, bd, bo, n"),
    left: f(`for (let i = 0; i < n; i++) { const b = bd[bo + i]; out[i] = ${expr}; }`, "out, a, bd, bo, n"),
    right: f(`for (let i = 0; i < n; i++) { const a = ad[ao + i]; out[i] = ${expr}; }`, "out, ad, ao, b, n"),
    strided: f(
      `const nd = shape.length, last = shape[nd - 1], sa = as[nd - 1], sb = bs[nd - 1];
       let outer = 1; for (let d = 0; d < nd - 1; d++) outer *= shape[d];
       const idx = new Int32Array(nd);
       let pa = ao, pb = bo, o = 0;
       for (let r = 0; r < outer; r++) {
         for (let j = 0; j < last; j++) { const a = ad[pa + j * sa], b = bd[pb + j * sb]; out[o++] = ${expr}; }
         for (let d = nd - 2; d >= 0; d--) {
           idx[d]++; pa += as[d]; pb += bs[d];
           if (idx[d] < shape[d]) break;
           pa -= as[d] * shape[d]; pb -= bs[d] * shape[d]; idx[d] = 0;
         }
       }`,
      "out, ad, ao, as, bd, bo, bs, shape",
    ),
    scalar: f(`return ${expr};`, "a, b"),
  };
}

export function unaryLoops(expr: string): UnaryLoops {
  const f = (body: string, args: string) => new Function(args, body) as any;
  return {
    same: f(`for (let i = 0; i < n; i++) { const a = ad[ao + i]; out[i] = ${expr}; }`, "out, ad, ao, n"),
    strided: f(
      `const nd = shape.length, last = shape[nd - 1], sa = as[nd - 1];
       let outer = 1; for (let d = 0; d < nd - 1; d++) outer *= shape[d];
       const idx = new Int32Array(nd);
       let pa = ao, o = 0;
       for (let r = 0; r < outer; r++) {
         for (let j = 0; j < last; j++) { const a = ad[pa + j * sa]; out[o++] = ${expr}; }
         for (let d = nd - 2; d >= 0; d--) {
           idx[d]++; pa += as[d];
           if (idx[d] < shape[d]) break;
           pa -= as[d] * shape[d]; idx[d] = 0;
         }
       }`,
      "out, ad, ao, as, shape",
    ),
    scalar: f(`return ${expr};`, "a"),
  };
}

/** Strides of `shape`/`strides` seen through a broadcast to `outShape` (0 where repeated). */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], outShape: readonly number[]): number[] {
  const n = outShape.length;
  const off = n - shape.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    if (i < off) out[i] = 0;
    else out[i] = shape[i - off] === 1 ? 0 : strides[i - off]!;
  }
  return out;
}
