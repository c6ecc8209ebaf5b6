/**
 * `npm run bench:stdlib`: five workloads (a)-(e) that stand for the chapter's uses (large
 * elementwise arrays, scalar graphs, matmul, a Hessian) side by side for gradlab, hand-written
 * Float64Array loops (the JS limit), TensorFlow.js (cpu backend, float32: it has no float64) and,
 * when the project's Python (or $GRADLAB_PYTHON) has them, PyTorch and NumPy (float64, 1 thread).
 * Prints medians and ratios in one table. A benchmark, not a test: nothing here asserts timing.
 * The npm script bundles this file with esbuild and runs it with plain node: under vite-node every
 * imported call goes through a module-namespace lookup, which doubles the scalar workload (c).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Tensor, add, exp, hessian, log, matmul, tensor } from "../stdlib/index.js";

const N = 1_000_000;

function medianMs(fn: () => unknown, reps: number, inner = 1): number {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < inner; i++) fn();
    ts.push((performance.now() - t) / inner);
  }
  ts.sort((a, b) => a - b);
  return ts[ts.length >> 1]!;
}

function seeded(n: number, seed: number): Float64Array {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647));
}

const xd = seeded(N, 1), yd = seeded(N, 2);
const X = new Tensor(xd, [N], "float64", "torch"), Y = new Tensor(yd, [N], "float64", "torch");
const ones = new Tensor(new Float64Array(N).fill(1), [N], "float64", "torch");
const results: Record<string, Record<string, number | string>> = { a: {}, b: {}, c: {}, d: {}, e: {} };

// ---- gradlab ----
results.a!.gradlab = medianMs(() => log(add(exp(X), exp(Y))), 15);
results.b!.gradlab = medianMs(() => {
  const x = X.detach().requiresGrad_(), y = Y.detach().requiresGrad_();
  log(add(exp(x), exp(y))).backward(ones);
  return [x.grad, y.grad];
}, 15);
const chain = () => {
  const w = tensor([-1], { requiresGrad: true }), x = tensor([0], { requiresGrad: true });
  const y = tensor([-2], { requiresGrad: true }), z = tensor([1], { requiresGrad: true });
  const a = w.add(x).add(y).add(z).pow(2), b = w.add(x).sub(y).sub(z).pow(2);
  const u = a.add(b).pow(2), v = a.sub(b).pow(2);
  u.add(v).pow(2).backward();
  return w.grad;
};
results.c!.gradlab = medianMs(chain, 15, 20000);
const A = new Tensor(seeded(512 * 512, 3), [512, 512], "float64", "torch"), B = new Tensor(seeded(512 * 512, 4), [512, 512], "float64", "torch");
results.d!.gradlab = medianMs(() => matmul(A, B), 7);
const x0 = tensor(Array.from({ length: 100 }, (_, i) => -1 + (2 * i) / 99));
const f100 = (x: Tensor) => x.pow(4).sum().div(12).add(x.slice(":-1").mul(x.slice("1:")).sum()).add(x.sum().square());
results.e!.gradlab = medianMs(() => hessian(f100)(x0), 7);
{
  const H = hessian(f100)(x0).toFloat64Array(), xs = x0.toFloat64Array();
  let err = 0;
  for (let i = 0; i < 100; i++)
    for (let j = 0; j < 100; j++) err = Math.max(err, Math.abs(H[i * 100 + j]! - (2 + (i === j ? xs[i]! ** 2 : 0) + (Math.abs(i - j) === 1 ? 1 : 0))));
  results.e!["gradlab error"] = err.toExponential(1);
}

// ---- hand-written loops ----
results.a!.hand = medianMs(() => {
  const o = new Float64Array(N);
  for (let i = 0; i < N; i++) o[i] = Math.log(Math.exp(xd[i]!) + Math.exp(yd[i]!));
  return o;
}, 15);
results.b!.hand = medianMs(() => {
  const o = new Float64Array(N), gx = new Float64Array(N), gy = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const ex = Math.exp(xd[i]!), ey = Math.exp(yd[i]!), s = ex + ey;
    o[i] = Math.log(s);
    gx[i] = ex / s;
    gy[i] = ey / s;
  }
  return [o, gx, gy];
}, 15);
results.c!.hand = medianMs(() => {
  // the chapter's hand-derived backward pass on plain numbers
  const w = -1, x = 0, y = -2, z = 1;
  const p = w + x + y + z, q = w + x - y - z, a = p * p, b = q * q;
  const u = (a + b) ** 2, v = (a - b) ** 2;
  const dfu = 2 * (u + v), dfa = dfu * 2 * (a + b) + dfu * 2 * (a - b), dfb = dfu * 2 * (a + b) - dfu * 2 * (a - b);
  return [dfa * 2 * p + dfb * 2 * q, dfa * 2 * p + dfb * 2 * q, dfa * 2 * p - dfb * 2 * q, dfa * 2 * p - dfb * 2 * q];
}, 15, 20000);
{
  const a = A.toFloat64Array(), b = B.toFloat64Array();
  results.d!.hand = medianMs(() => {
    const c = new Float64Array(512 * 512);
    for (let i = 0; i < 512; i++)
      for (let k = 0; k < 512; k++) {
        const aik = a[i * 512 + k]!;
        for (let j = 0; j < 512; j++) c[i * 512 + j] += aik * b[k * 512 + j]!;
      }
    return c;
  }, 7);
}

// ---- TensorFlow.js (cpu) ----
try {
  const tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  const tx = tf.tensor1d(Float32Array.from(xd)), ty = tf.tensor1d(Float32Array.from(yd));
  results.a!.tfjs = medianMs(() => tf.tidy(() => tf.log(tf.add(tf.exp(tx), tf.exp(ty))).dataSync()), 15);
  const g = tf.grads((a: any, b: any) => tf.log(tf.add(tf.exp(a), tf.exp(b))));
  const dy = tf.onesLike(tx);
  results.b!.tfjs = medianMs(() => tf.tidy(() => g([tx, ty], dy).map((t: any) => t.dataSync())), 15);
  const gc = tf.grads((w: any, x: any, y: any, z: any) => {
    const a = tf.square(w.add(x).add(y).add(z)), b = tf.square(w.add(x).sub(y).sub(z));
    return tf.square(tf.square(a.add(b)).add(tf.square(a.sub(b))));
  });
  const sc = [-1, 0, -2, 1].map((v) => tf.tensor1d([v]));
  results.c!.tfjs = medianMs(() => tf.tidy(() => gc(sc).map((t: any) => t.dataSync())), 15, 200);
  const ta = tf.tensor2d(Float32Array.from(A.toFloat64Array()), [512, 512]), tb = tf.tensor2d(Float32Array.from(B.toFloat64Array()), [512, 512]);
  results.d!.tfjs = medianMs(() => tf.tidy(() => tf.matMul(ta, tb).dataSync()), 7);
  results.e!.tfjs = "no hessian";
} catch (e) {
  console.error("tfjs skipped:", (e as Error).message);
}

// ---- PyTorch / NumPy ----
// run from the package root (npm does): the bundled copy of this file lives in dist/
const root = process.cwd();
const python = process.env.GRADLAB_PYTHON ?? `${root}/.venv/bin/python`;
let pyInfo = "no Python found";
if (existsSync(python)) {
  const r = spawnSync(python, [`${root}/bench/stdlib_py.py`], { encoding: "utf8", timeout: 600_000 });
  if (r.status === 0) {
    const py = JSON.parse(r.stdout) as Record<string, number | string>;
    for (const [k, v] of Object.entries(py)) {
      const [lib, w, extra] = k.split(".");
      if (w === "version") continue;
      if (extra === "err") results[w!]![`${lib} error`] = (v as number).toExponential(1);
      else results[w!]![lib!] = v;
    }
    pyInfo = `${python}: torch ${py["torch.version"] ?? "absent"}, numpy ${py["numpy.version"] ?? "absent"}`;
  } else pyInfo = `${python} failed: ${r.stderr.slice(-300)}`;
}

// ---- table ----
const names: Record<string, string> = {
  a: "(a) log(exp x + exp y), 1e6, forward",
  b: "(b) same, forward + backward",
  c: "(c) chain example fwd+bwd, scalars",
  d: "(d) matmul 512×512",
  e: "(e) Hessian, 100 variables",
};
const fmt = (v: number | string | undefined) => (v === undefined ? "—" : typeof v === "string" ? v : v < 0.1 ? `${(v * 1000).toFixed(2)} µs` : `${v.toFixed(2)} ms`);
const ratio = (p: number | string | undefined, q: number | string | undefined) => (typeof p === "number" && typeof q === "number" ? `${(p / q).toFixed(2)}×` : "—");
console.log(`Node ${process.version}; ${pyInfo}; tfjs cpu runs float32, all others float64; medians`);
console.log("| workload | gradlab | hand loop | tfjs-cpu | PyTorch | NumPy | gradlab/hand | tfjs/gradlab | torch/gradlab |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const w of ["a", "b", "c", "d", "e"]) {
  const r = results[w]!;
  console.log(`| ${names[w]} | ${fmt(r.gradlab)} | ${fmt(r.hand)} | ${fmt(r.tfjs)} | ${fmt(r.torch)} | ${fmt(r.numpy)} | ${ratio(r.gradlab, r.hand)} | ${ratio(r.tfjs, r.gradlab)} | ${ratio(r.torch, r.gradlab)} |`);
}
const gflops = (ms: number | string | undefined) => (typeof ms === "number" ? ((2 * 512 ** 3) / (ms * 1e6)).toFixed(2) : "—");
console.log(`matmul GFLOP/s: gradlab ${gflops(results.d!.gradlab)}, hand ${gflops(results.d!.hand)}, tfjs ${gflops(results.d!.tfjs)}, torch ${gflops(results.d!.torch)}, numpy ${gflops(results.d!.numpy)}`);
console.log(`Hessian max error vs closed form: gradlab ${results.e!["gradlab error"]}${results.e!["torch error"] ? `, torch ${results.e!["torch error"]}` : ""}`);
