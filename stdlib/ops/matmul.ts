/**
 * Matrix products. One primitive, `mm` on (..., n, k) × (..., k, m) with broadcast batch axes,
 * backed by a 4-row register-blocked loop (about 2 GFLOP/s on 512×512 float64, as
 * `npm run bench:stdlib` measures); vectors are handled by reshaping around it, so there is one
 * backward rule: dA = g·Bᵀ, dB = Aᵀ·g (the engine sums broadcast batch axes).
 * The ops' Tensor methods (`x.matmul(b)`) are declared and installed at the end of the file.
 */
import { Tensor, allocStorage, defineMethods, type Storage } from "../tensor.js";
import { broadcastShapes, sizeOf, tryBroadcast } from "../shape.js";
import { defineOp, record, tracks } from "../autodiff/rule.js";
import { mode } from "../autodiff/mode.js";
import { fail, showShape } from "../errors.js";
import { readContiguous } from "./copy.js";
import { broadcastTo, reshape, transpose } from "./shape-ops.js";

/** C[n×m] += A[n×k]·B[k×m], all row-major at the given offsets. */
function gemm(A: Storage, ao: number, B: Storage, bo: number, C: Storage, co: number, n: number, k: number, m: number): void {
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const c0 = co + i * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    const a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = A[a0 + p]!, x1 = A[a1 + p]!, x2 = A[a2 + p]!, x3 = A[a3 + p]!;
      const b = bo + p * m;
      for (let j = 0; j < m; j++) {
        const y = B[b + j]!;
        C[c0 + j] += x0 * y;
        C[c1 + j] += x1 * y;
        C[c2 + j] += x2 * y;
        C[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < n; i++) {
    const c0 = co + i * m, a0 = ao + i * k;
    for (let p = 0; p < k; p++) {
      const x0 = A[a0 + p]!, b = bo + p * m;
      for (let j = 0; j < m; j++) C[c0 + j] += x0 * B[b + j]!;
    }
  }
}

const swapLast = (t: Tensor) => transpose(t, t.ndim - 1, t.ndim - 2);
const MM = defineOp("matmul", (g, _o, [a, b], _c, needs) => [
  needs[0] ? mm(g, swapLast(b as Tensor)) : null,
  needs[1] ? mm(swapLast(a as Tensor), g) : null,
]);

function mm(a: Tensor, b: Tensor): Tensor {
  const n = a.shape[a.ndim - 2]!, k = a.shape[a.ndim - 1]!, m = b.shape[b.ndim - 1]!;
  // the public entry points check the user's operands; this guards the backward rule's own calls
  if (b.shape[b.ndim - 2] !== k)
    fail(`internal: matmul: shapes ${showShape(a.shape)} and ${showShape(b.shape)} do not line up: the first's last axis (${k}) must equal the second's second-to-last (${b.shape[b.ndim - 2]})`);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), "internal: matmul");
  const dtype = a.dtype === "float64" || b.dtype === "float64" ? "float64" : a.dtype === "float32" || b.dtype === "float32" ? "float32" : "float64";
  const nb = sizeOf(batch);
  const A = readContiguous(batch.length && sizeOf(a.shape.slice(0, -2)) !== nb ? broadcastTo(a, [...batch, n, k]) : a);
  const B = readContiguous(batch.length && sizeOf(b.shape.slice(0, -2)) !== nb ? broadcastTo(b, [...batch, k, m]) : b);
  const C = allocStorage(dtype, nb * n * m);
  for (let q = 0; q < nb; q++) gemm(A, q * n * k, B, q * k * m, C, q * n * m, n, k, m);
  const out = new Tensor(C, [...batch, n, m], dtype, a.flavour);
  if (mode.gradEnabled && (tracks(a) || tracks(b))) record(out, MM, [a, b]);
  return out;
}

/**
 * Checks a matrix product's operands as the user passed them (before vectors become rows or
 * columns), so that every message names the op the user called and the user's shapes.
 */
function checkOperands(a: Tensor, b: Tensor, op: string): void {
  const what = (x: unknown) => (Array.isArray(x) ? "an array (wrap it with tensor(...))" : x === null ? "null" : typeof x);
  if (!(a instanceof Tensor)) fail(`${op}: both arguments must be tensors; the first is ${what(a)}`);
  if (!(b instanceof Tensor)) fail(`${op}: both arguments must be tensors; the second is ${what(b)}`);
  const shapes = `${showShape(a.shape)} and ${showShape(b.shape)}`;
  if (a.ndim === 0 || b.ndim === 0) fail(`${op}: needs at least 1-d tensors, got shapes ${shapes} (use mul for scalars)`);
  const av = a.ndim === 1, bv = b.ndim === 1;
  const k = a.shape[a.ndim - 1]!, kb = bv ? b.shape[0]! : b.shape[b.ndim - 2]!;
  if (av && bv && k !== kb) fail(`${op}: vectors of shapes ${shapes} have different lengths (${k} vs ${kb})`);
  if (k !== kb) {
    const first = av ? "the length of the first" : "the first's last axis";
    const second = bv ? "the length of the second" : "the second's second-to-last axis";
    fail(`${op}: shapes ${shapes} do not line up: ${first} (${k}) must equal ${second} (${kb})`);
  }
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  if (tryBroadcast([batchA, batchB]) === null)
    fail(
      `${op}: shapes ${shapes} have batch axes ${showShape(batchA)} and ${showShape(batchB)} (all but the last two) ` +
        "that cannot be broadcast together; sizes must match or one of them be 1",
    );
}

/**
 * Matrix product with NumPy's rules: [n, k] @ [k, m] → [n, m]; vectors are rows (left) or
 * columns (right) and their axis is dropped from the result; leading axes are batches and
 * broadcast. PyTorch `torch.matmul` (and `torch.mm`, which here also accepts vectors and
 * batches), NumPy `np.matmul` / the `@` operator (TypeScript has no `@`).
 * @example matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])) // tensor([3., 7.])
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return product(a, b, "matmul");
}

function product(a: Tensor, b: Tensor, op: string): Tensor {
  checkOperands(a, b, op);
  const av = a.ndim === 1, bv = b.ndim === 1;
  const out = mm(av ? reshape(a, [1, a.shape[0]!]) : a, bv ? reshape(b, [b.shape[0]!, 1]) : b);
  if (!av && !bv) return out;
  const shape = out.shape.slice();
  if (bv) shape.splice(shape.length - 1, 1);
  if (av) shape.splice(shape.length - (bv ? 1 : 2), 1);
  return reshape(out, shape);
}

/**
 * Dot product of two vectors (a 0-d tensor); for matrices the same as matmul. PyTorch
 * `torch.dot` (vectors only there), NumPy `np.dot`.
 * @example dot(tensor([1, 2]), tensor([3, 4])).item() // 11
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  return product(a, b, "dot");
}

declare module "../tensor.js" {
  interface Tensor {
    matmul(b: Tensor): Tensor;
    dot(b: Tensor): Tensor;
  }
}

defineMethods({
  matmul(b) { return matmul(this, b); },
  dot(b) { return dot(this, b); },
});
