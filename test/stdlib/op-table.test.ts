/**
 * The op table: each row checks one op on given input shapes (broadcast cases included) and a
 * domain. The runner checks the forward pass against a plain-JS reference and, as the row's
 * `order` asks, the gradient against central finite differences, the gradient of the gradient
 * (second order) against finite differences of the gradient, and PyTorch-style `backward()`
 * against the functional `grad`. A new op is a new row; the coverage checks at the end fail until
 * every op has one, and until each op has its Tensor method and its torch/np entries or a stated
 * reason why not.
 */
import { describe, expect, it } from "vitest";
import * as g from "../../stdlib/index.js";
import { Tensor } from "../../stdlib/index.js";
import { opBehind } from "../../stdlib/namespaces.js";
import * as elementwise from "../../stdlib/ops/elementwise.js";
import * as reduce from "../../stdlib/ops/reduce.js";
import * as composite from "../../stdlib/ops/composite.js";
import * as matmul from "../../stdlib/ops/matmul.js";
import * as linalg from "../../stdlib/ops/linalg.js";
import * as shapeOps from "../../stdlib/ops/shape-ops.js";
import { ew, expectClose, fdGradient, plain, randomTensor, rng, stridesOf, type Plain } from "./helpers.js";

/** Every op: every export of the op modules (index.ts re-exports them all). */
const OPS = { ...elementwise, ...reduce, ...composite, ...matmul, ...linalg, ...shapeOps };
type OpName = keyof typeof OPS;

interface Row {
  /** The op this row checks. */
  op: OpName;
  name: string;
  shapes: number[][];
  /** [low, high] for each input (or one for all) */
  domain?: [number, number] | [number, number][];
  fn: (...xs: Tensor[]) => Tensor;
  ref: (...xs: Plain[]) => Plain;
  /**
   * Highest derivative order checked against finite differences (default 2). 0: forward only,
   * for ops with no gradient, whose output must then not be recorded at all.
   */
  order?: 0 | 1 | 2;
  /**
   * Inputs are drawn on a grid of this step and finite differences step by it: for ops exact only
   * on a grid (a float32 round trip), where a 1e-6 step would measure rounding, not the slope.
   */
  grid?: number;
}

const sumRef = (axes: number[] | null, keep: boolean) => (x: Plain): Plain => {
  const nd = x.shape.length;
  const ax = axes === null ? x.shape.map((_, i) => i) : axes.map((a) => (a < 0 ? a + nd : a));
  const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const out = new Array(kept.reduce((a, b) => a * b, 1)).fill(0);
  const ks = stridesOf(kept);
  x.data.forEach((v, k) => {
    let r = k, o = 0;
    for (let i = nd - 1; i >= 0; i--) {
      const c = r % x.shape[i]!;
      r = Math.floor(r / x.shape[i]!);
      if (!ax.includes(i)) o += c * ks[i]!;
    }
    out[o] += v;
  });
  return { data: out, shape: keep ? kept : x.shape.filter((_, i) => !ax.includes(i)) };
};
/** 2-norm over axes: the square root of sumRef over the squares. */
const normRef = (axes: number[] | null, keep: boolean) => (x: Plain): Plain => {
  const s = sumRef(axes, keep)({ data: x.data.map((v) => v * v), shape: x.shape });
  return { data: s.data.map(Math.sqrt), shape: s.shape };
};
const extRef = (pick: (a: number, b: number) => number, axis: number | null) => (x: Plain): Plain => {
  if (axis === null) return { data: [x.data.reduce((p, q) => pick(p, q))], shape: [] };
  // 2-d only in the table
  const [n, m] = x.shape as [number, number];
  const out: number[] = [];
  if (axis === 0) for (let j = 0; j < m; j++) out.push(Array.from({ length: n }, (_, i) => x.data[i * m + j]!).reduce((p, q) => pick(p, q)));
  else for (let i = 0; i < n; i++) out.push(x.data.slice(i * m, (i + 1) * m).reduce((p, q) => pick(p, q)));
  return { data: out, shape: [axis === 0 ? m : n] };
};
function matRef(a: Plain, b: Plain): Plain {
  const A = a.shape.length === 1 ? { data: a.data, shape: [1, a.shape[0]!] } : a;
  const B = b.shape.length === 1 ? { data: b.data, shape: [b.shape[0]!, 1] } : b;
  const [n, k] = A.shape.slice(-2) as [number, number];
  const m = B.shape[B.shape.length - 1]!;
  const batchA = A.shape.length === 3 ? A.shape[0]! : 1, batchB = B.shape.length === 3 ? B.shape[0]! : 1;
  const nb = Math.max(batchA, batchB);
  const out: number[] = [];
  for (let q = 0; q < nb; q++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A.data[(batchA > 1 ? q : 0) * n * k + i * k + p]! * B.data[(batchB > 1 ? q : 0) * k * m + p * m + j]!;
        out.push(s);
      }
  let shape = nb > 1 || A.shape.length === 3 || B.shape.length === 3 ? [nb, n, m] : [n, m];
  if (b.shape.length === 1) shape = shape.slice(0, -1);
  if (a.shape.length === 1) shape = shape.filter((_, i) => i !== shape.length - (b.shape.length === 1 ? 1 : 2));
  return { data: out, shape };
}
const transposeRef = (x: Plain): Plain => {
  const [n, m] = x.shape as [number, number];
  const data: number[] = [];
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) data.push(x.data[i * m + j]!);
  return { data, shape: [m, n] };
};
function det2(a: number[], n: number): number {
  if (n === 1) return a[0]!;
  let d = 0;
  for (let j = 0; j < n; j++) {
    const minor: number[] = [];
    for (let i = 1; i < n; i++) for (let k = 0; k < n; k++) if (k !== j) minor.push(a[i * n + k]!);
    d += (j % 2 ? -1 : 1) * a[j]! * det2(minor, n - 1);
  }
  return d;
}
// a well-conditioned matrix: random plus a multiple of the identity
const wellConditioned = (x: Tensor) => x.add(g.eye(x.shape[0]!).mul(3));
const symmetric = (x: Tensor) => x.add(x.T);

/** Index of the first extreme element, as argmax/argmin define it. */
const argRef = (xs: number[], pick: (...v: number[]) => number) => xs.indexOf(pick(...xs));
/** `b` with its first and last elements replaced by `a`'s, so comparisons meet ties. */
const tieFirstAndLast = (a: Tensor, b: Tensor) => g.where(g.tensor([true, false, true]), a, b);

const rows: Row[] = [
  { op: "add", name: "add same shape", shapes: [[2, 3], [2, 3]], fn: g.add, ref: ew((a, b) => a + b) },
  { op: "add", name: "add broadcast row", shapes: [[2, 3], [3]], fn: g.add, ref: ew((a, b) => a + b) },
  { op: "add", name: "add broadcast outer", shapes: [[2, 1], [1, 3]], fn: g.add, ref: ew((a, b) => a + b) },
  { op: "add", name: "add 0-d and [1]", shapes: [[], [1]], fn: g.add, ref: ew((a, b) => a + b) },
  { op: "add", name: "add number", shapes: [[3]], fn: (a) => g.add(2.5, a), ref: ew((a) => 2.5 + a) },
  { op: "sub", name: "sub", shapes: [[2, 3], [3]], fn: g.sub, ref: ew((a, b) => a - b) },
  { op: "sub", name: "sub number left", shapes: [[3]], fn: (a) => g.sub(1, a), ref: ew((a) => 1 - a) },
  { op: "mul", name: "mul", shapes: [[2, 3], [2, 1]], fn: g.mul, ref: ew((a, b) => a * b) },
  { op: "mul", name: "mul 0-d", shapes: [[], [4]], fn: g.mul, ref: ew((a, b) => a * b) },
  { op: "div", name: "div", shapes: [[2, 3], [3]], domain: [[-2, 2], [0.5, 2]], fn: g.div, ref: ew((a, b) => a / b) },
  { op: "div", name: "div number left", shapes: [[3]], domain: [0.5, 2], fn: (a) => g.div(3, a), ref: ew((a) => 3 / a) },
  { op: "pow", name: "pow tensor exponent", shapes: [[3], [3]], domain: [[0.5, 2], [-1.5, 2.5]], fn: g.pow, ref: ew((a, b) => a ** b) },
  { op: "pow", name: "pow number exponent", shapes: [[2, 2]], domain: [0.5, 2], fn: (a) => g.pow(a, 3.5), ref: ew((a) => a ** 3.5) },
  { op: "pow", name: "pow square of negatives", shapes: [[4]], domain: [-2, 2], fn: (a) => g.pow(a, 2), ref: ew((a) => a * a) },
  { op: "pow", name: "pow number base", shapes: [[3]], domain: [-1, 1], fn: (a) => g.pow(2, a), ref: ew((a) => 2 ** a) },
  { op: "remainder", name: "remainder", shapes: [[3], [3]], domain: [[0.1, 0.9], [1.1, 1.9]], fn: g.remainder, ref: ew((a, b) => a - Math.floor(a / b) * b) },
  { op: "neg", name: "neg", shapes: [[2, 2]], fn: g.neg, ref: ew((a) => -a) },
  { op: "exp", name: "exp", shapes: [[2, 3]], fn: g.exp, ref: ew(Math.exp) },
  { op: "log", name: "log", shapes: [[3]], domain: [0.2, 3], fn: g.log, ref: ew(Math.log) },
  { op: "sqrt", name: "sqrt", shapes: [[3]], domain: [0.2, 3], fn: g.sqrt, ref: ew(Math.sqrt) },
  { op: "square", name: "square", shapes: [[3]], fn: g.square, ref: ew((a) => a * a) },
  { op: "abs", name: "abs", shapes: [[4]], domain: [0.1, 2], fn: (a) => g.abs(a.mul(g.tensor([1, -1, 1, -1]))), ref: ew((a) => Math.abs(a)) },
  { op: "sin", name: "sin", shapes: [[3]], fn: g.sin, ref: ew(Math.sin) },
  { op: "cos", name: "cos", shapes: [[3]], fn: g.cos, ref: ew(Math.cos) },
  { op: "tan", name: "tan", shapes: [[3]], domain: [-1, 1], fn: g.tan, ref: ew(Math.tan) },
  { op: "tanh", name: "tanh", shapes: [[3]], fn: g.tanh, ref: ew(Math.tanh) },
  { op: "sigmoid", name: "sigmoid", shapes: [[3]], fn: g.sigmoid, ref: ew((a) => 1 / (1 + Math.exp(-a))) },
  { op: "relu", name: "relu", shapes: [[4]], domain: [0.1, 1], fn: (a) => g.relu(a.mul(g.tensor([1, -1, 1, -1]))), ref: (x) => ({ data: x.data.map((v, i) => (i % 2 ? 0 : v)), shape: x.shape }) },
  { op: "maximum", name: "maximum", shapes: [[3], [3]], domain: [[0, 1], [2, 3]], fn: (a, b) => g.maximum(a, b.mul(g.tensor([1, -1, 1]))), ref: (a, b) => ({ data: a.data.map((v, i) => Math.max(v, i === 1 ? -b.data[i]! : b.data[i]!)), shape: [3] }) },
  { op: "minimum", name: "minimum broadcast", shapes: [[2, 3], []], domain: [[0, 1], [0.4, 0.6]], fn: g.minimum, ref: ew((a, b) => Math.min(a, b)) },
  { op: "where", name: "where", shapes: [[3], [3]], fn: (a, b) => g.where(g.tensor([true, false, true]), a, b), ref: (a, b) => ({ data: [a.data[0]!, b.data[1]!, a.data[2]!], shape: [3] }) },
  { op: "where", name: "where broadcast with a number", shapes: [[3]], fn: (a) => g.where(g.tensor([[true], [false]]), a, 0.5), ref: (a) => ({ data: [...a.data, 0.5, 0.5, 0.5], shape: [2, 3] }) },
  { op: "lt", name: "lt broadcast", shapes: [[2, 3], [3]], order: 0, fn: g.lt, ref: ew((a, b) => (a < b ? 1 : 0)) },
  { op: "lt", name: "lt number", shapes: [[4]], order: 0, fn: (a) => g.lt(a, 0), ref: ew((a) => (a < 0 ? 1 : 0)) },
  { op: "gt", name: "gt 0-d", shapes: [[3], []], order: 0, fn: g.gt, ref: ew((a, b) => (a > b ? 1 : 0)) },
  // le, ge, eq, ne: the first and last elements compare a value with itself, so ties are checked
  { op: "le", name: "le with ties", shapes: [[3], [3]], order: 0, fn: (a, b) => g.le(a, tieFirstAndLast(a, b)), ref: (a, b) => ({ data: [1, a.data[1]! <= b.data[1]! ? 1 : 0, 1], shape: [3] }) },
  { op: "ge", name: "ge with ties", shapes: [[3], [3]], order: 0, fn: (a, b) => g.ge(a, tieFirstAndLast(a, b)), ref: (a, b) => ({ data: [1, a.data[1]! >= b.data[1]! ? 1 : 0, 1], shape: [3] }) },
  { op: "eq", name: "eq with ties", shapes: [[3], [3]], order: 0, fn: (a, b) => g.eq(a, tieFirstAndLast(a, b)), ref: (a, b) => ({ data: [1, a.data[1]! === b.data[1]! ? 1 : 0, 1], shape: [3] }) },
  { op: "ne", name: "ne with ties", shapes: [[3], [3]], order: 0, fn: (a, b) => g.ne(a, tieFirstAndLast(a, b)), ref: (a, b) => ({ data: [0, a.data[1]! !== b.data[1]! ? 1 : 0, 0], shape: [3] }) },
  { op: "isfinite", name: "isfinite", shapes: [[3]], domain: [0.5, 1], order: 0, fn: (a) => g.isfinite(g.div(a, g.tensor([1, 0, 1]))), ref: () => ({ data: [1, 0, 1], shape: [3] }) },
  { op: "sign", name: "sign (gradient 0)", shapes: [[4]], domain: [0.1, 2], fn: (a) => g.sign(a.mul(g.tensor([1, -1, 1, -1]))), ref: () => ({ data: [1, -1, 1, -1], shape: [4] }) },
  { op: "floor", name: "floor (gradient 0)", shapes: [[2, 3]], fn: g.floor, ref: ew(Math.floor) },
  { op: "cast", name: "cast to float32 and back", shapes: [[2, 3]], grid: 2 ** -10, fn: (x) => g.cast(g.cast(x, "float32"), "float64"), ref: ew(Math.fround) },
  { op: "sum", name: "sum all", shapes: [[2, 3]], fn: (x) => g.sum(x), ref: sumRef(null, false) },
  { op: "sum", name: "sum axis 0", shapes: [[2, 3]], fn: (x) => g.sum(x, 0), ref: sumRef([0], false) },
  { op: "sum", name: "sum axis -1 keepdims", shapes: [[2, 3]], fn: (x) => g.sum(x, -1, true), ref: sumRef([1], true) },
  { op: "sum", name: "sum axes 0,2 of 3-d", shapes: [[2, 3, 2]], fn: (x) => g.sum(x, [0, 2]), ref: sumRef([0, 2], false) },
  { op: "mean", name: "mean axis 1", shapes: [[2, 3]], fn: (x) => g.mean(x, 1), ref: (x) => { const s = sumRef([1], false)(x); return { data: s.data.map((v) => v / 3), shape: s.shape }; } },
  { op: "max", name: "max all", shapes: [[2, 3]], fn: (x) => g.max(x), ref: extRef(Math.max, null) },
  { op: "max", name: "max axis 0", shapes: [[3, 2]], fn: (x) => g.max(x, 0), ref: extRef(Math.max, 0) },
  { op: "min", name: "min axis 1", shapes: [[2, 3]], fn: (x) => g.min(x, 1), ref: extRef(Math.min, 1) },
  { op: "argmax", name: "argmax flat", shapes: [[2, 3]], order: 0, fn: (x) => g.argmax(x), ref: (x) => ({ data: [argRef(x.data, Math.max)], shape: [] }) },
  { op: "argmax", name: "argmax axis 1", shapes: [[2, 3]], order: 0, fn: (x) => g.argmax(x, 1), ref: (x) => ({ data: [0, 1].map((i) => argRef(x.data.slice(3 * i, 3 * i + 3), Math.max)), shape: [2] }) },
  { op: "argmin", name: "argmin axis 0", shapes: [[3, 2]], order: 0, fn: (x) => g.argmin(x, 0), ref: (x) => ({ data: [0, 1].map((j) => argRef([0, 1, 2].map((i) => x.data[2 * i + j]!), Math.min)), shape: [2] }) },
  { op: "dot", name: "dot vectors", shapes: [[4], [4]], fn: g.dot, ref: matRef },
  { op: "matmul", name: "matmul matrix·vector", shapes: [[2, 3], [3]], fn: g.matmul, ref: matRef },
  { op: "matmul", name: "matmul vector·matrix", shapes: [[3], [3, 2]], fn: g.matmul, ref: matRef },
  { op: "matmul", name: "matmul matrices", shapes: [[2, 3], [3, 4]], fn: g.matmul, ref: matRef },
  { op: "matmul", name: "matmul 5 rows (blocked loop tail)", shapes: [[5, 2], [2, 3]], fn: g.matmul, ref: matRef },
  { op: "matmul", name: "matmul batch broadcast", shapes: [[2, 2, 3], [3, 2]], fn: g.matmul, ref: matRef },
  { op: "transpose", name: "transpose", shapes: [[2, 3]], fn: (x) => x.T.mul(1), ref: transposeRef },
  { op: "exp", name: "transpose then exp (strided loop)", shapes: [[2, 3]], fn: (x) => g.exp(x.T), ref: (x) => ew(Math.exp)(transposeRef(x)) },
  { op: "reshape", name: "reshape", shapes: [[2, 3]], fn: (x) => g.reshape(x, [3, -1]), ref: (x) => ({ data: x.data, shape: [3, 2] }) },
  { op: "at", name: "at", shapes: [[2, 3]], fn: (x) => x.at(1, -1), ref: (x) => ({ data: [x.data[5]!], shape: [] }) },
  { op: "at", name: "at row", shapes: [[2, 3]], fn: (x) => x.at(0).mul(2), ref: (x) => ({ data: x.data.slice(0, 3).map((v) => 2 * v), shape: [3] }) },
  { op: "indexPut", name: "indexPut one element", shapes: [[2, 3], []], fn: (x, v) => x.indexPut([1, -1], v), ref: (x, v) => ({ data: x.data.map((e, k) => (k === 5 ? v.data[0]! : e)), shape: [2, 3] }) },
  { op: "indexPut", name: "indexPut a row, value broadcast", shapes: [[2, 3], [1]], fn: (x, v) => x.indexPut([0], v), ref: (x, v) => ({ data: x.data.map((e, k) => (k < 3 ? v.data[0]! : e)), shape: [2, 3] }) },
  { op: "indexPut", name: "indexPut a number", shapes: [[3]], fn: (x) => x.indexPut([1], 7), ref: (x) => ({ data: [x.data[0]!, 7, x.data[2]!], shape: [3] }) },
  { op: "slice", name: "slice step", shapes: [[5]], fn: (x) => x.slice("::2"), ref: (x) => ({ data: [x.data[0]!, x.data[2]!, x.data[4]!], shape: [3] }) },
  { op: "slice", name: "slice 2-d", shapes: [[3, 3]], fn: (x) => x.slice("1:", [null, null, -1]).mul(x.slice("1:", [null, null, -1])), ref: (x) => ({ data: [5, 4, 3, 8, 7, 6].map((i) => x.data[i]! ** 2), shape: [2, 3] }) },
  { op: "concat", name: "concat", shapes: [[2], [3]], fn: (a, b) => g.concat([a, b]), ref: (a, b) => ({ data: [...a.data, ...b.data], shape: [5] }) },
  { op: "stack", name: "stack axis 1", shapes: [[2], [2]], fn: (a, b) => g.stack([a, b], 1), ref: (a, b) => ({ data: [a.data[0]!, b.data[0]!, a.data[1]!, b.data[1]!], shape: [2, 2] }) },
  { op: "broadcastTo", name: "broadcastTo", shapes: [[3]], fn: (x) => g.broadcastTo(x, [2, 3]), ref: (x) => ({ data: [...x.data, ...x.data], shape: [2, 3] }) },
  { op: "unsqueeze", name: "unsqueeze/squeeze", shapes: [[3]], fn: (x) => g.squeeze(g.unsqueeze(x, 0).mul(x)), ref: ew((a) => a * a) },
  { op: "unsqueeze", name: "unsqueeze at -1", shapes: [[3]], fn: (x) => g.unsqueeze(x, -1), ref: (x) => ({ data: x.data, shape: [3, 1] }) },
  { op: "squeeze", name: "squeeze all", shapes: [[1, 3, 1]], fn: (x) => g.squeeze(x), ref: (x) => ({ data: x.data, shape: [3] }) },
  { op: "squeeze", name: "squeeze one axis", shapes: [[1, 3, 1]], fn: (x) => g.squeeze(x, -1), ref: (x) => ({ data: x.data, shape: [1, 3] }) },
  { op: "flatten", name: "flatten", shapes: [[2, 3]], fn: g.flatten, ref: (x) => ({ data: x.data, shape: [6] }) },
  { op: "sumTo", name: "sumTo a kept axis", shapes: [[2, 3]], fn: (x) => g.sumTo(x, [1, 3]), ref: sumRef([0], true) },
  { op: "sumTo", name: "sumTo leading axes", shapes: [[2, 2, 3]], fn: (x) => g.sumTo(x, [3]), ref: sumRef([0, 1], false) },
  { op: "contiguous", name: "contiguous of a transposed view", shapes: [[2, 3]], fn: (x) => g.contiguous(x.T), ref: transposeRef },
  { op: "clone", name: "clone", shapes: [[2, 3]], fn: g.clone, ref: (x) => x },
  { op: "permute", name: "permute 3-d", shapes: [[2, 1, 3]], fn: (x) => g.permute(x, [2, 0, 1]).mul(1), ref: (x) => ({ data: [0, 3, 1, 4, 2, 5].map((i) => x.data[i]!), shape: [3, 2, 1] }) },
  { op: "norm", name: "norm", shapes: [[4]], fn: (x) => g.norm(x), ref: (x) => ({ data: [Math.hypot(...x.data)], shape: [] }) },
  { op: "norm", name: "norm of a matrix (Frobenius)", shapes: [[2, 3]], fn: (x) => x.norm(), ref: (x) => ({ data: [Math.hypot(...x.data)], shape: [] }) },
  { op: "norm", name: "norm axis 1", shapes: [[2, 3]], fn: (x) => g.norm(x, { axis: 1 }), ref: normRef([1], false) },
  { op: "norm", name: "norm axis 0 keepdims", shapes: [[3, 2]], fn: (x) => g.norm(x, { axis: 0, keepdims: true }), ref: normRef([0], true) },
  { op: "norm", name: "norm axes [0, 2] (method)", shapes: [[2, 3, 2]], fn: (x) => x.norm({ axis: [0, -1] }), ref: normRef([0, 2], false) },
  { op: "norm", name: "norm all axes keepdims", shapes: [[2, 2]], fn: (x) => g.norm(x, { keepdims: true }), ref: normRef(null, true) },
  // Inside the bounds, above and below: x0 stays, x1 is cut to 1, x2 to -1 (no kink within the domain).
  { op: "clamp", name: "clamp both bounds", shapes: [[3]], domain: [0.1, 0.9], fn: (a) => g.clamp(g.add(a, g.tensor([0, 2, -2])), -1, 1), ref: (a) => ({ data: [a.data[0]!, 1, -1], shape: [3] }) },
  { op: "variance", name: "variance axis 1 (PyTorch tensor: n − 1)", shapes: [[2, 3]], fn: (x) => g.variance(x, 1), ref: (x) => ({ data: [0, 1].map((i) => { const r = x.data.slice(3 * i, 3 * i + 3); const m = r.reduce((s, v) => s + v, 0) / 3; return r.reduce((s, v) => s + (v - m) ** 2, 0) / 2; }), shape: [2] }) },
  { op: "std", name: "std axis 0, correction 0", shapes: [[3, 2]], domain: [0, 2], fn: (x) => g.std(x, 0, false, 0), ref: (x) => ({ data: [0, 1].map((j) => { const c = [0, 1, 2].map((i) => x.data[2 * i + j]!); const m = c.reduce((s, v) => s + v, 0) / 3; return Math.sqrt(c.reduce((s, v) => s + (v - m) ** 2, 0) / 3); }), shape: [2] }) },
  { op: "any", name: "any axis 1", shapes: [[2, 3]], order: 0, fn: (x) => g.any(g.gt(g.mul(x, g.tensor([[1, 1, 1], [0, 0, 0]])), 0.5), 1), ref: (x) => ({ data: [x.data.slice(0, 3).some((v) => v > 0.5) ? 1 : 0, 0], shape: [2] }) },
  { op: "all", name: "all", shapes: [[4]], order: 0, fn: (x) => g.all(g.gt(x, -0.5)), ref: (x) => ({ data: [x.data.every((v) => v > -0.5) ? 1 : 0], shape: [] }) },
  { op: "allclose", name: "allclose (a JavaScript boolean, shown here as a tensor)", shapes: [[3]], order: 0, fn: (a) => g.tensor([g.allclose(a, g.add(a, 1e-9)) ? 1 : 0, g.allclose(a, g.add(a, 0.1)) ? 1 : 0]), ref: () => ({ data: [1, 0], shape: [2] }) },
  { op: "logsumexp", name: "logsumexp axis 1", shapes: [[2, 3]], fn: (x) => g.logsumexp(x, 1), ref: (x) => ({ data: [0, 1].map((i) => Math.log(x.data.slice(3 * i, 3 * i + 3).reduce((s, v) => s + Math.exp(v), 0))), shape: [2] }) },
  { op: "softmax", name: "softmax", shapes: [[3]], fn: (x) => g.softmax(x), ref: (x) => { const s = x.data.reduce((a, v) => a + Math.exp(v), 0); return { data: x.data.map((v) => Math.exp(v) / s), shape: [3] }; } },
  { op: "logSoftmax", name: "logSoftmax over the last axis", shapes: [[2, 3]], fn: (x) => g.logSoftmax(x), ref: (x) => ({ data: x.data.map((v, k) => { const r = x.data.slice(k - (k % 3), k - (k % 3) + 3); return v - Math.log(r.reduce((s, u) => s + Math.exp(u), 0)); }), shape: [2, 3] }) },
  { op: "det", name: "det", shapes: [[3, 3]], fn: (x) => g.det(wellConditioned(x)), ref: (x) => ({ data: [det2(x.data.map((v, i) => v + (i % 4 === 0 ? 3 : 0)), 3)], shape: [] }) },
  { op: "inv", name: "inv (checked as inv·A = I)", shapes: [[3, 3]], fn: (x) => g.matmul(g.inv(wellConditioned(x)), wellConditioned(x)), ref: () => ({ data: [1, 0, 0, 0, 1, 0, 0, 0, 1], shape: [3, 3] }) },
  { op: "inv", name: "inv", shapes: [[2, 2]], fn: (x) => g.inv(wellConditioned(x)), ref: (x) => { const [a, b, c, d] = [x.data[0]! + 3, x.data[1]!, x.data[2]!, x.data[3]! + 3]; const D = a * d - b * c; return { data: [d / D, -b / D, -c / D, a / D], shape: [2, 2] }; } },
  { op: "solve", name: "solve", shapes: [[2, 2], [2]], fn: (A, b) => g.solve(wellConditioned(A), b), ref: (x, y) => { const [a, b, c, d] = [x.data[0]! + 3, x.data[1]!, x.data[2]!, x.data[3]! + 3]; const D = a * d - b * c; return { data: [(d * y.data[0]! - b * y.data[1]!) / D, (-c * y.data[0]! + a * y.data[1]!) / D], shape: [2] }; } },
  { op: "eigvalsh", name: "eigvalsh", shapes: [[2, 2]], order: 1, fn: (x) => g.eigvalsh(symmetric(x)), ref: (x) => { const a = 2 * x.data[0]!, b = x.data[1]! + x.data[2]!, d = 2 * x.data[3]!; const m = (a + d) / 2, r = Math.hypot((a - d) / 2, b); return { data: [m - r, m + r], shape: [2] }; } },
];

function domainOf(row: Row, i: number): [number, number] {
  const d = row.domain ?? [-1.5, 1.5];
  return typeof d[0] === "number" ? (d as [number, number]) : (d as [number, number][])[i]!;
}

function inputsOf(row: Row, r: () => number): Tensor[] {
  return row.shapes.map((s, i) => {
    const x = randomTensor(s, ...domainOf(row, i), r);
    const step = row.grid;
    return step === undefined ? x : g.tensor(Array.from(x.toFloat64Array(), (v) => Math.round(v / step) * step)).reshape(s);
  });
}

describe("op table: forward vs plain JS, gradients vs finite differences to second order", () => {
  for (const row of rows) {
    it(row.name, () => {
      const r = rng(row.name.length * 7919 + 17);
      const xs = inputsOf(row, r);
      const out = row.fn(...xs);
      const expected = row.ref(...xs.map(plain));
      expect([...out.shape]).toEqual(expected.shape);
      expectClose(out.toFloat64Array(), expected.data, 1e-12, `${row.name} forward`);

      const order = row.order ?? 2;
      if (order === 0) {
        expect(row.fn(...xs.map((x) => x.detach().requiresGrad_())).gradFn, `${row.name}: recorded though it has no gradient`).toBeNull();
        return;
      }
      const eps = row.grid ?? 1e-6;

      // first order: gradient of ⟨w, f(xs)⟩ vs finite differences
      const w = randomTensor([...out.shape], -1, 1, r);
      const scalar = (...ys: Tensor[]) => g.sum(g.mul(row.fn(...ys), w));
      const argnums = xs.map((_, i) => i);
      const grads = g.grad(scalar, { argnums })(...xs);
      const fd = fdGradient((...ys) => scalar(...ys).item(), xs, eps);
      grads.forEach((gr, i) => {
        expect([...gr.shape]).toEqual([...xs[i]!.shape]);
        expectClose(gr.toFloat64Array(), fd[i]!, 1e-6, `${row.name} gradient of input ${i}`);
      });

      // second order: gradient of ⟨v, ∇⟨w, f⟩⟩ vs finite differences of that gradient
      if (order >= 2) {
        const vs = xs.map((x) => randomTensor([...x.shape], -1, 1, r));
        const second = (...ys: Tensor[]) =>
          g.grad(scalar, { argnums })(...ys).reduce((s: Tensor, gi, i) => g.add(s, g.sum(g.mul(gi, vs[i]!))), g.tensor(0));
        const h = g.grad(second, { argnums })(...xs);
        const fd2 = fdGradient((...ys) => second(...ys).item(), xs, eps);
        h.forEach((hi, i) => expectClose(hi.toFloat64Array(), fd2[i]!, 1e-5, `${row.name} second derivative of input ${i}`));
      }
    });
  }
});

describe("op table: the PyTorch-style backward agrees with the functional grad", () => {
  for (const row of rows.filter((row) => (row.order ?? 2) >= 1)) {
    it(row.name, () => {
      const r = rng(99);
      const xs = inputsOf(row, r).map((x) => x.requiresGrad_());
      g.sum(row.fn(...xs)).backward();
      const fgr = g.grad((...ys: Tensor[]) => g.sum(row.fn(...ys)), { argnums: xs.map((_, i) => i) })(...xs.map((x) => x.detach()));
      xs.forEach((x, i) => expectClose(x.grad!.toFloat64Array(), fgr[i]!.toFloat64Array(), 1e-14, `${row.name} input ${i}`));
    });
  }
});

// ---------- coverage: one place per op, checked ----------

/** Ops with no gradient at all: their rows check the forward pass and that nothing is recorded. */
const NOT_DIFFERENTIABLE: Partial<Record<OpName, string>> = {
  lt: "a comparison: a bool result has no slope", gt: "a comparison", le: "a comparison", ge: "a comparison",
  eq: "a comparison", ne: "a comparison", isfinite: "a predicate: a bool result",
  argmax: "an index: piecewise constant", argmin: "an index: piecewise constant",
  any: "a predicate: a bool result", all: "a predicate: a bool result", allclose: "a predicate: a JavaScript boolean",
};

/** Methods spelled differently from their op. */
const METHOD_NAME: Partial<Record<OpName, string>> = { cast: "astype", variance: "var" };

/** Ops with no Tensor method, and why. */
const NO_METHOD: Partial<Record<OpName, string>> = {
  where: "the condition selects between two other operands; as `cond.where(a, b)` the condition would read as the data",
  concat: "takes a list of tensors, none of which is `this`",
  stack: "takes a list of tensors, none of which is `this`",
  solve: "a system reads as a function of A and b (linalg.solve in NumPy and PyTorch); `A.solve(b)` hides which is which",
  eigvalsh: "a linalg function in NumPy and PyTorch, not a tensor method",
  allclose: "compares two tensors, neither of which reads as `this` (torch.allclose and np.allclose are functions)",
  sumTo: "gradient plumbing (broadcastTo's inverse) for custom rules; as a method it would crowd every `t.` completion",
};

// torch and np mirror the calls the chapter's PyTorch and MXNet cells make word for word; an op a
// cell reaches otherwise (an operator, a method, a top-level function) needs no namespace entry.
const COMPARED_BY_OPERATORS = "cells compare with operators (`x < 0` compiles to lt) or methods (`x.lt(0)`)";
const INDEXED_BY_METHODS = "cells index with the methods at() and slice() (Python's x[i], x[a:b] have no TypeScript spelling)";

/** Ops neither namespace offers, for the same reason in both. */
const IN_NEITHER: Partial<Record<OpName, string>> = {
  lt: COMPARED_BY_OPERATORS, gt: COMPARED_BY_OPERATORS, le: COMPARED_BY_OPERATORS, ge: COMPARED_BY_OPERATORS,
  eq: COMPARED_BY_OPERATORS, ne: COMPARED_BY_OPERATORS,
  at: INDEXED_BY_METHODS, slice: INDEXED_BY_METHODS,
  sumTo: "gradient plumbing with no counterpart in PyTorch or NumPy",
  isfinite: "reached through the top-level function; no chapter cell calls the framework's isfinite",
};

/** Ops `torch` does not offer, and why. */
const NOT_IN_TORCH: Partial<Record<OpName, string>> = {
  ...IN_NEITHER,
  cast: "PyTorch converts with methods (x.float(), x.double(), x.to(dtype)), here float(), double(), astype()",
  broadcastTo: "PyTorch cells broadcast with x.expand(...), which Tensor has",
  contiguous: "a method in PyTorch, as it is here",
  clone: "a method in PyTorch, as it is here",
};

/** Ops `np` does not offer, and why. */
const NOT_IN_NP: Partial<Record<OpName, string>> = {
  ...IN_NEITHER,
  indexPut: "NumPy writes elements in place (a[i] = v, np.put); the method indexPut serves NumPy-style cells",
  cast: "NumPy converts with x.astype(dtype), which Tensor has",
  sigmoid: "NumPy has no sigmoid (MXNet keeps it in npx, which is not mirrored)",
  relu: "NumPy has no relu (MXNet keeps it in npx, which is not mirrored)",
  softmax: "NumPy has no softmax (MXNet keeps it in npx, which is not mirrored)",
  logSoftmax: "NumPy has no log_softmax (MXNet keeps it in npx, which is not mirrored)",
  flatten: "NumPy flattens with the method x.flatten(), which Tensor has",
  permute: "NumPy permutes with np.transpose(x, axes), which np.transpose does here",
  contiguous: "NumPy arrays need no such call; the method serves PyTorch-style cells",
  clone: "NumPy copies with the method x.copy(); here the method clone()",
};

/** The ops a namespace offers, under any name and at any depth (torch.linalg.solve, ...). */
function offeredBy(namespace: object): Set<Function> {
  const found = new Set<Function>();
  const walk = (value: unknown): void => {
    if (typeof value === "function") found.add(opBehind(value));
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(namespace);
  return found;
}

describe("op table coverage: every op is exported, has a method, namespace entries and rows", () => {
  const names = Object.keys(OPS) as OpName[];

  it("every export of the op modules is a function the library exports under the same name", () => {
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(typeof OPS[name], name).toBe("function");
      expect((g as Record<string, unknown>)[name], `${name} is not exported by stdlib/index.ts`).toBe(OPS[name]);
    }
  });

  it("every op has a row, and every differentiable op a row that checks its gradient", () => {
    for (const name of names) {
      const own = rows.filter((row) => row.op === name);
      expect(own.length, `${name} has no row in the op table`).toBeGreaterThan(0);
      if (name in NOT_DIFFERENTIABLE) expect(own.every((row) => row.order === 0), `${name} has no gradient to check`).toBe(true);
      else expect(own.some((row) => (row.order ?? 2) >= 1), `${name} is differentiable but no row checks its gradient`).toBe(true);
    }
  });

  it("every op has a Tensor method, or a reason why not", () => {
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    for (const name of names) {
      const hasMethod = typeof proto[METHOD_NAME[name] ?? name] === "function";
      if (name in NO_METHOD) expect(hasMethod, `${name} has a method now: drop it from NO_METHOD`).toBe(false);
      else expect(hasMethod, `Tensor has no method ${METHOD_NAME[name] ?? name}`).toBe(true);
    }
  });

  for (const [label, namespace, exempt] of [["torch", g.torch, NOT_IN_TORCH], ["np", g.np, NOT_IN_NP]] as const) {
    it(`every op is offered by ${label}, or a reason says why not`, () => {
      const offered = offeredBy(namespace);
      for (const name of names) {
        if (name in exempt) expect(offered.has(OPS[name]), `${label} offers ${name} now: drop it from its exemptions`).toBe(false);
        else expect(offered.has(OPS[name]), `${label} does not offer ${name}`).toBe(true);
      }
    });
  }

  it("op methods are installed like a class body's: not enumerable, so a tensor spreads to its fields only", () => {
    const t = g.tensor([1, 2]);
    const enumerable: string[] = [];
    for (const key in t) enumerable.push(key);
    expect(enumerable.filter((key) => typeof (t as unknown as Record<string, unknown>)[key] === "function")).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(Tensor.prototype, "T")?.get).toBeTypeOf("function");
  });

  it("every exemption names an op and gives a reason; every other method name names an op", () => {
    for (const table of [NOT_DIFFERENTIABLE, NO_METHOD, IN_NEITHER, NOT_IN_TORCH, NOT_IN_NP])
      for (const [name, reason] of Object.entries(table)) {
        expect(names, name).toContain(name);
        expect(reason!.length, name).toBeGreaterThan(3);
      }
    for (const [name, method] of Object.entries(METHOD_NAME)) {
      expect(names, name).toContain(name);
      expect(method, name).toMatch(/^[a-z]\w*$/i);
    }
  });
});
