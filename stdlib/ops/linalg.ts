/**
 * Small dense linear algebra on square matrices (the sizes of a Hessian): solve, inv and det by
 * LU with partial pivoting, eigvalsh by cyclic Jacobi rotations. The backward rules use solve,
 * inv and matmul themselves, so they differentiate again (eigvalsh is first order only).
 * The ops' Tensor methods (`x.inv()`) are declared and installed at the end of the file.
 */
import { Tensor, defineMethods, type Storage } from "../tensor.js";
import { defineOp, record, tracks } from "../autodiff/rule.js";
import { mode } from "../autodiff/mode.js";
import { fail, showShape, GradlabError } from "../errors.js";
import { readContiguous } from "./copy.js";
import { matmul } from "./matmul.js";
import { mul, neg } from "./elementwise.js";
import { reshape, transpose } from "./shape-ops.js";

function square(A: Tensor, op: string): number {
  if (!(A instanceof Tensor)) fail(`${op}: expected a matrix (a 2-d Tensor), got ${Array.isArray(A) ? "an array (wrap it with tensor(...))" : typeof A}`);
  if (A.ndim !== 2 || A.shape[0] !== A.shape[1]) fail(`${op}: needs a square matrix, got shape ${showShape(A.shape)}`);
  return A.shape[0]!;
}

/** LU factors of an n×n matrix in place: rows permuted by `perm`; `sign` is the permutation's sign. */
function lu(src: Storage, n: number): { a: Float64Array; perm: Int32Array; sign: number; singular: boolean } {
  const a = Float64Array.from(src);
  const perm = new Int32Array(n).map((_, i) => i);
  let sign = 1, singular = false;
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(a[k * n + k]!);
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]!) > best) (best = Math.abs(a[i * n + k]!)), (p = i);
    if (best === 0) {
      singular = true;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j]!, a[k * n + j]!];
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
      sign = -sign;
    }
    const d = a[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k]! /= d);
      for (let j = k + 1; j < n; j++) a[i * n + j]! -= f * a[k * n + j]!;
    }
  }
  return { a, perm, sign, singular };
}

/** Solves LU x = P b for an n×k right-hand side (row-major), returning x. */
function luSolve(f: ReturnType<typeof lu>, b: Storage, n: number, k: number): Float64Array {
  const { a, perm } = f;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) x[i * k + c] = b[perm[i]! * k + c]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) { const l = a[i * n + j]!; for (let c = 0; c < k; c++) x[i * k + c]! -= l * x[j * k + c]!; }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) { const u = a[i * n + j]!; for (let c = 0; c < k; c++) x[i * k + c]! -= u * x[j * k + c]!; }
    for (let c = 0; c < k; c++) x[i * k + c]! /= a[i * n + i]!;
  }
  return x;
}

function finish(out: Tensor, op: ReturnType<typeof defineOp>, inputs: Tensor[]): Tensor {
  if (mode.gradEnabled && inputs.some(tracks)) record(out, op, inputs);
  return out;
}

const T = (x: Tensor) => transpose(x);
const Solve = defineOp("solve", (g, out, [A, b], _c, needs) => {
  const gb = solve(T(A as Tensor), g);
  const gA = out.ndim === 1 ? neg(matmul(reshape(gb, [gb.size, 1]), reshape(out, [1, out.size]))) : neg(matmul(gb, T(out)));
  return [needs[0] ? gA : null, needs[1] ? gb : null];
});
/**
 * x with A·x = b, for a square [n, n] A and b of shape [n] or [n, k] (columns); x has b's shape.
 * Singular A gives Infinity/NaN, as IEEE. PyTorch `torch.linalg.solve`, NumPy `np.linalg.solve`
 * (no batches here).
 * @example solve(tensor([[2, 0], [0, 4]]), tensor([2, 2])) // tensor([1.0000, 0.5000])
 */
export function solve(A: Tensor, b: Tensor): Tensor {
  const n = square(A, "solve");
  if (!(b instanceof Tensor)) fail(`solve: b must be a Tensor, got ${Array.isArray(b) ? "an array (wrap it with tensor(...))" : typeof b}`);
  if (b.ndim === 0 || b.ndim > 2 || b.shape[0] !== n)
    fail(
      `solve: shapes ${showShape(A.shape)} and ${showShape(b.shape)} do not fit: with A of shape ${showShape(A.shape)}, ` +
        `b must be a vector of length ${n} or a matrix with ${n} rows (one column per right-hand side)`,
    );
  const k = b.ndim === 1 ? 1 : b.shape[1]!;
  const x = luSolve(lu(readContiguous(A), n), readContiguous(b), n, k);
  return finish(new Tensor(x, b.shape.slice(), "float64", A.flavour), Solve, [A, b]);
}

const Inv = defineOp("inv", (g, out) => [neg(matmul(matmul(T(out), g), T(out)))]);
/**
 * Inverse of a square [n, n] matrix. PyTorch `torch.linalg.inv`, NumPy `np.linalg.inv` (no
 * batches here).
 * @example inv(tensor([[2, 0], [0, 4]])) // tensor([[0.5000, 0.0000], [0.0000, 0.2500]])
 */
export function inv(A: Tensor): Tensor {
  const n = square(A, "inv");
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return finish(new Tensor(luSolve(lu(readContiguous(A), n), I, n, n), [n, n], "float64", A.flavour), Inv, [A]);
}

const Det = defineOp("det", (g, out, [A]) => [mul(mul(g, out), T(inv(A as Tensor)))]);
/**
 * Determinant of a square [n, n] matrix, a 0-d tensor. PyTorch `torch.linalg.det`, NumPy
 * `np.linalg.det` (no batches here).
 * @example det(tensor([[1, 2], [3, 4]])).item() // -2
 */
export function det(A: Tensor): Tensor {
  const n = square(A, "det");
  const f = lu(readContiguous(A), n);
  let d = f.singular ? 0 : f.sign;
  if (!f.singular) for (let i = 0; i < n; i++) d *= f.a[i * n + i]!;
  return finish(new Tensor(Float64Array.of(d), [], "float64", A.flavour), Det, [A]);
}

/** Eigenvalues (ascending) and eigenvectors (columns) of a symmetric matrix, by cyclic Jacobi. */
function jacobiEigen(src: Storage, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(src);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!, akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!, aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!, vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => { for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src]!; });
  return { values, vectors };
}

const Eigvalsh = defineOp("eigvalsh", (g, _out, _in, V: Tensor) => {
  if (mode.gradEnabled)
    throw new GradlabError("eigvalsh: second and higher derivatives through eigvalsh are not supported (its backward uses the eigenvectors as constants)");
  // dλ_i = v_iᵀ dA v_i  ⇒  dA = V diag(g) Vᵀ
  return [matmul(mul(V, g), T(V))];
});
/**
 * Eigenvalues of a symmetric [n, n] matrix in ascending order, shape [n] (symmetry is assumed,
 * not checked). Classifies critical points: all > 0 minimum, all < 0 maximum. PyTorch
 * `torch.linalg.eigvalsh`, NumPy `np.linalg.eigvalsh` (no batches; first derivatives only).
 * @example eigvalsh(tensor([[2, 1], [1, 2]])) // tensor([1.0000, 3.0000])
 */
export function eigvalsh(A: Tensor): Tensor {
  const n = square(A, "eigvalsh");
  const { values, vectors } = jacobiEigen(readContiguous(A), n);
  const out = new Tensor(values, [n], "float64", A.flavour);
  if (mode.gradEnabled && tracks(A)) record(out, Eigvalsh, [A], new Tensor(vectors, [n, n], "float64", A.flavour));
  return out;
}

declare module "../tensor.js" {
  interface Tensor {
    inv(): Tensor;
    det(): Tensor;
  }
}

defineMethods({
  inv() { return inv(this); },
  det() { return det(this); },
});
