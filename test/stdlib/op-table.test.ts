/**
 * The op table (STYLE idea 5): each row is one op with input shapes (broadcast cases included)
 * and a domain. The runner checks the forward pass against a plain-JS reference, the gradient
 * against central finite differences, and the gradient of the gradient (second order) against
 * finite differences of the gradient. A new op is a new row.
 */
import { describe, expect, it } from "vitest";
import * as g from "../../stdlib/index.js";
import { Tensor } from "../../stdlib/index.js";
import { ew, expectClose, fdGradient, plain, randomTensor, rng, stridesOf, type Plain } from "./helpers.js";

interface Row {
  name: string;
  shapes: number[][];
  /** [low, high] for each input (or one for all) */
  domain?: [number, number] | [number, number][];
  fn: (...xs: Tensor[]) => Tensor;
  ref: (...xs: Plain[]) => Plain;
  /** highest derivative order to check (default 2) */
  order?: number;
  /** inputs that are not differentiated (e.g. a condition) */
  constant?: number[];
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

const rows: Row[] = [
  { name: "add same shape", shapes: [[2, 3], [2, 3]], fn: g.add, ref: ew((a, b) => a + b) },
  { name: "add broadcast row", shapes: [[2, 3], [3]], fn: g.add, ref: ew((a, b) => a + b) },
  { name: "add broadcast outer", shapes: [[2, 1], [1, 3]], fn: g.add, ref: ew((a, b) => a + b) },
  { name: "add 0-d and [1]", shapes: [[], [1]], fn: g.add, ref: ew((a, b) => a + b) },
  { name: "add number", shapes: [[3]], fn: (a) => g.add(2.5, a), ref: ew((a) => 2.5 + a) },
  { name: "sub", shapes: [[2, 3], [3]], fn: g.sub, ref: ew((a, b) => a - b) },
  { name: "sub number left", shapes: [[3]], fn: (a) => g.sub(1, a), ref: ew((a) => 1 - a) },
  { name: "mul", shapes: [[2, 3], [2, 1]], fn: g.mul, ref: ew((a, b) => a * b) },
  { name: "mul 0-d", shapes: [[], [4]], fn: g.mul, ref: ew((a, b) => a * b) },
  { name: "div", shapes: [[2, 3], [3]], domain: [[-2, 2], [0.5, 2]], fn: g.div, ref: ew((a, b) => a / b) },
  { name: "div number left", shapes: [[3]], domain: [0.5, 2], fn: (a) => g.div(3, a), ref: ew((a) => 3 / a) },
  { name: "pow tensor exponent", shapes: [[3], [3]], domain: [[0.5, 2], [-1.5, 2.5]], fn: g.pow, ref: ew((a, b) => a ** b) },
  { name: "pow number exponent", shapes: [[2, 2]], domain: [0.5, 2], fn: (a) => g.pow(a, 3.5), ref: ew((a) => a ** 3.5) },
  { name: "pow square of negatives", shapes: [[4]], domain: [-2, 2], fn: (a) => g.pow(a, 2), ref: ew((a) => a * a) },
  { name: "pow number base", shapes: [[3]], domain: [-1, 1], fn: (a) => g.pow(2, a), ref: ew((a) => 2 ** a) },
  { name: "remainder", shapes: [[3], [3]], domain: [[0.1, 0.9], [1.1, 1.9]], fn: g.remainder, ref: ew((a, b) => a - Math.floor(a / b) * b) },
  { name: "neg", shapes: [[2, 2]], fn: g.neg, ref: ew((a) => -a) },
  { name: "exp", shapes: [[2, 3]], fn: g.exp, ref: ew(Math.exp) },
  { name: "log", shapes: [[3]], domain: [0.2, 3], fn: g.log, ref: ew(Math.log) },
  { name: "sqrt", shapes: [[3]], domain: [0.2, 3], fn: g.sqrt, ref: ew(Math.sqrt) },
  { name: "square", shapes: [[3]], fn: g.square, ref: ew((a) => a * a) },
  { name: "abs", shapes: [[4]], domain: [0.1, 2], fn: (a) => g.abs(a.mul(g.tensor([1, -1, 1, -1]))), ref: ew((a) => Math.abs(a)) },
  { name: "sin", shapes: [[3]], fn: g.sin, ref: ew(Math.sin) },
  { name: "cos", shapes: [[3]], fn: g.cos, ref: ew(Math.cos) },
  { name: "tan", shapes: [[3]], domain: [-1, 1], fn: g.tan, ref: ew(Math.tan) },
  { name: "tanh", shapes: [[3]], fn: g.tanh, ref: ew(Math.tanh) },
  { name: "sigmoid", shapes: [[3]], fn: g.sigmoid, ref: ew((a) => 1 / (1 + Math.exp(-a))) },
  { name: "relu", shapes: [[4]], domain: [0.1, 1], fn: (a) => g.relu(a.mul(g.tensor([1, -1, 1, -1]))), ref: (x) => ({ data: x.data.map((v, i) => (i % 2 ? 0 : v)), shape: x.shape }) },
  { name: "maximum", shapes: [[3], [3]], domain: [[0, 1], [2, 3]], fn: (a, b) => g.maximum(a, b.mul(g.tensor([1, -1, 1]))), ref: (a, b) => ({ data: a.data.map((v, i) => Math.max(v, i === 1 ? -b.data[i]! : b.data[i]!)), shape: [3] }) },
  { name: "minimum broadcast", shapes: [[2, 3], []], domain: [[0, 1], [0.4, 0.6]], fn: g.minimum, ref: ew((a, b) => Math.min(a, b)) },
  { name: "where", shapes: [[3], [3]], fn: (a, b) => g.where(g.tensor([true, false, true]), a, b), ref: ew(() => NaN) },
  { name: "sum all", shapes: [[2, 3]], fn: (x) => g.sum(x), ref: sumRef(null, false) },
  { name: "sum axis 0", shapes: [[2, 3]], fn: (x) => g.sum(x, 0), ref: sumRef([0], false) },
  { name: "sum axis -1 keepdims", shapes: [[2, 3]], fn: (x) => g.sum(x, -1, true), ref: sumRef([1], true) },
  { name: "sum axes 0,2 of 3-d", shapes: [[2, 3, 2]], fn: (x) => g.sum(x, [0, 2]), ref: sumRef([0, 2], false) },
  { name: "mean axis 1", shapes: [[2, 3]], fn: (x) => g.mean(x, 1), ref: (x) => { const s = sumRef([1], false)(x); return { data: s.data.map((v) => v / 3), shape: s.shape }; } },
  { name: "max all", shapes: [[2, 3]], fn: (x) => g.max(x), ref: extRef(Math.max, null) },
  { name: "max axis 0", shapes: [[3, 2]], fn: (x) => g.max(x, 0), ref: extRef(Math.max, 0) },
  { name: "min axis 1", shapes: [[2, 3]], fn: (x) => g.min(x, 1), ref: extRef(Math.min, 1) },
  { name: "dot vectors", shapes: [[4], [4]], fn: g.dot, ref: matRef },
  { name: "matmul matrix·vector", shapes: [[2, 3], [3]], fn: g.matmul, ref: matRef },
  { name: "matmul vector·matrix", shapes: [[3], [3, 2]], fn: g.matmul, ref: matRef },
  { name: "matmul matrices", shapes: [[2, 3], [3, 4]], fn: g.matmul, ref: matRef },
  { name: "matmul 5 rows (blocked loop tail)", shapes: [[5, 2], [2, 3]], fn: g.matmul, ref: matRef },
  { name: "matmul batch broadcast", shapes: [[2, 2, 3], [3, 2]], fn: g.matmul, ref: matRef },
  { name: "transpose", shapes: [[2, 3]], fn: (x) => x.T.mul(1), ref: transposeRef },
  { name: "transpose then exp (strided loop)", shapes: [[2, 3]], fn: (x) => g.exp(x.T), ref: (x) => ew(Math.exp)(transposeRef(x)) },
  { name: "reshape", shapes: [[2, 3]], fn: (x) => g.reshape(x, [3, -1]), ref: (x) => ({ data: x.data, shape: [3, 2] }) },
  { name: "at", shapes: [[2, 3]], fn: (x) => x.at(1, -1), ref: (x) => ({ data: [x.data[5]!], shape: [] }) },
  { name: "at row", shapes: [[2, 3]], fn: (x) => x.at(0).mul(2), ref: (x) => ({ data: x.data.slice(0, 3).map((v) => 2 * v), shape: [3] }) },
  { name: "slice step", shapes: [[5]], fn: (x) => x.slice("::2"), ref: (x) => ({ data: [x.data[0]!, x.data[2]!, x.data[4]!], shape: [3] }) },
  { name: "slice 2-d", shapes: [[3, 3]], fn: (x) => x.slice("1:", [null, null, -1]).mul(x.slice("1:", [null, null, -1])), ref: (x) => ({ data: [5, 4, 3, 8, 7, 6].map((i) => x.data[i]! ** 2), shape: [2, 3] }) },
  { name: "concat", shapes: [[2], [3]], fn: (a, b) => g.concat([a, b]), ref: (a, b) => ({ data: [...a.data, ...b.data], shape: [5] }) },
  { name: "stack axis 1", shapes: [[2], [2]], fn: (a, b) => g.stack([a, b], 1), ref: (a, b) => ({ data: [a.data[0]!, b.data[0]!, a.data[1]!, b.data[1]!], shape: [2, 2] }) },
  { name: "broadcastTo", shapes: [[3]], fn: (x) => g.broadcastTo(x, [2, 3]), ref: (x) => ({ data: [...x.data, ...x.data], shape: [2, 3] }) },
  { name: "unsqueeze/squeeze", shapes: [[3]], fn: (x) => g.squeeze(g.unsqueeze(x, 0).mul(x)), ref: ew((a) => a * a) },
  { name: "permute 3-d", shapes: [[2, 1, 3]], fn: (x) => g.permute(x, [2, 0, 1]).mul(1), ref: (x) => ({ data: [0, 3, 1, 4, 2, 5].map((i) => x.data[i]!), shape: [3, 2, 1] }) },
  { name: "norm", shapes: [[4]], fn: (x) => g.norm(x), ref: (x) => ({ data: [Math.hypot(...x.data)], shape: [] }) },
  { name: "norm of a matrix (Frobenius)", shapes: [[2, 3]], fn: (x) => x.norm(), ref: (x) => ({ data: [Math.hypot(...x.data)], shape: [] }) },
  { name: "norm axis 1", shapes: [[2, 3]], fn: (x) => g.norm(x, { axis: 1 }), ref: normRef([1], false) },
  { name: "norm axis 0 keepdims", shapes: [[3, 2]], fn: (x) => g.norm(x, { axis: 0, keepdims: true }), ref: normRef([0], true) },
  { name: "norm axes [0, 2] (method)", shapes: [[2, 3, 2]], fn: (x) => x.norm({ axis: [0, -1] }), ref: normRef([0, 2], false) },
  { name: "norm all axes keepdims", shapes: [[2, 2]], fn: (x) => g.norm(x, { keepdims: true }), ref: normRef(null, true) },
  { name: "logsumexp axis 1", shapes: [[2, 3]], fn: (x) => g.logsumexp(x, 1), ref: (x) => ({ data: [0, 1].map((i) => Math.log(x.data.slice(3 * i, 3 * i + 3).reduce((s, v) => s + Math.exp(v), 0))), shape: [2] }) },
  { name: "softmax", shapes: [[3]], fn: (x) => g.softmax(x), ref: (x) => { const s = x.data.reduce((a, v) => a + Math.exp(v), 0); return { data: x.data.map((v) => Math.exp(v) / s), shape: [3] }; } },
  { name: "det", shapes: [[3, 3]], fn: (x) => g.det(wellConditioned(x)), ref: (x) => ({ data: [det2(x.data.map((v, i) => v + (i % 4 === 0 ? 3 : 0)), 3)], shape: [] }) },
  { name: "inv (checked as inv·A = I)", shapes: [[3, 3]], fn: (x) => g.matmul(g.inv(wellConditioned(x)), wellConditioned(x)), ref: () => ({ data: [1, 0, 0, 0, 1, 0, 0, 0, 1], shape: [3, 3] }) },
  { name: "inv", shapes: [[2, 2]], fn: (x) => g.inv(wellConditioned(x)), ref: (x) => { const [a, b, c, d] = [x.data[0]! + 3, x.data[1]!, x.data[2]!, x.data[3]! + 3]; const D = a * d - b * c; return { data: [d / D, -b / D, -c / D, a / D], shape: [2, 2] }; } },
  { name: "solve", shapes: [[2, 2], [2]], fn: (A, b) => g.solve(wellConditioned(A), b), ref: (x, y) => { const [a, b, c, d] = [x.data[0]! + 3, x.data[1]!, x.data[2]!, x.data[3]! + 3]; const D = a * d - b * c; return { data: [(d * y.data[0]! - b * y.data[1]!) / D, (-c * y.data[0]! + a * y.data[1]!) / D], shape: [2] }; } },
  { name: "eigvalsh", shapes: [[2, 2]], order: 1, fn: (x) => g.eigvalsh(symmetric(x)), ref: (x) => { const a = 2 * x.data[0]!, b = x.data[1]! + x.data[2]!, d = 2 * x.data[3]!; const m = (a + d) / 2, r = Math.hypot((a - d) / 2, b); return { data: [m - r, m + r], shape: [2] }; } },
];

function domainOf(row: Row, i: number): [number, number] {
  const d = row.domain ?? [-1.5, 1.5];
  return typeof d[0] === "number" ? (d as [number, number]) : (d as [number, number][])[i]!;
}

describe("op table: forward vs plain JS, gradients vs finite differences to second order", () => {
  for (const row of rows) {
    it(row.name, () => {
      const r = rng(row.name.length * 7919 + 17);
      const xs = row.shapes.map((s, i) => randomTensor(s, ...domainOf(row, i), r));
      // forward
      const out = row.fn(...xs);
      const expected = row.name === "where" ? { data: [xs[0]!.toFloat64Array()[0]!, xs[1]!.toFloat64Array()[1]!, xs[0]!.toFloat64Array()[2]!], shape: [3] } : row.ref(...xs.map(plain));
      expect([...out.shape]).toEqual(expected.shape);
      expectClose(out.toFloat64Array(), expected.data, 1e-12, `${row.name} forward`);

      // first order: gradient of ⟨w, f(xs)⟩ vs finite differences
      const w = randomTensor([...out.shape], -1, 1, r);
      const scalar = (...ys: Tensor[]) => g.sum(g.mul(row.fn(...ys), w));
      const argnums = xs.map((_, i) => i);
      const grads = g.grad(scalar, { argnums })(...xs);
      const fd = fdGradient((...ys) => scalar(...ys).item(), xs);
      grads.forEach((gr, i) => {
        expect([...gr.shape]).toEqual([...xs[i]!.shape]);
        expectClose(gr.toFloat64Array(), fd[i]!, 1e-6, `${row.name} gradient of input ${i}`);
      });

      // second order: gradient of ⟨v, ∇⟨w, f⟩⟩ vs finite differences of that gradient
      if ((row.order ?? 2) >= 2) {
        const vs = xs.map((x) => randomTensor([...x.shape], -1, 1, r));
        const second = (...ys: Tensor[]) =>
          g.grad(scalar, { argnums })(...ys).reduce((s: Tensor, gi, i) => g.add(s, g.sum(g.mul(gi, vs[i]!))), g.tensor(0));
        const h = g.grad(second, { argnums })(...xs);
        const fd2 = fdGradient((...ys) => second(...ys).item(), xs);
        h.forEach((hi, i) => expectClose(hi.toFloat64Array(), fd2[i]!, 1e-5, `${row.name} second derivative of input ${i}`));
      }
    });
  }
});

describe("op table: the PyTorch-style backward agrees with the functional grad", () => {
  for (const row of rows.slice(0, 12)) {
    it(row.name, () => {
      const r = rng(99);
      const xs = row.shapes.map((s, i) => randomTensor(s, ...domainOf(row, i), r).requiresGrad_());
      g.sum(row.fn(...xs)).backward();
      const fgr = g.grad((...ys: Tensor[]) => g.sum(row.fn(...ys)), { argnums: xs.map((_, i) => i) })(...xs.map((x) => x.detach()));
      xs.forEach((x, i) => expectClose(x.grad!.toFloat64Array(), fgr[i]!.toFloat64Array(), 1e-14, `${row.name} input ${i}`));
    });
  }
});
