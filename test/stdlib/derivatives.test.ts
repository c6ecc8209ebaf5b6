/**
 * Higher-order derivatives against closed forms: second derivatives of the elementary ops to
 * 1e-12, third derivatives, Jacobians and Hessians (including a 100-variable function), jvp/vjp/
 * hvp, nesting without perturbation confusion, and checkGrads.
 */
import { describe, expect, it } from "vitest";
import * as g from "../../stdlib/index.js";
import { Tensor, grad, hessian, jacobian, tensor } from "../../stdlib/index.js";
import { expectClose, rng } from "./helpers.js";

const d1 = (f: (x: Tensor) => Tensor) => grad(f);
const d2 = (f: (x: Tensor) => Tensor) => grad(grad(f));
const d3 = (f: (x: Tensor) => Tensor) => grad(grad(grad(f)));
const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)));

describe("closed-form second derivatives (1e-12)", () => {
  const x = 0.7;
  const s = 1 / (1 + Math.exp(-x));
  const cases: [string, (t: Tensor) => Tensor, number][] = [
    ["exp", (t) => t.exp(), Math.exp(x)],
    ["log", (t) => t.log(), -1 / x ** 2],
    ["tanh", (t) => t.tanh(), -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ["sigmoid", (t) => t.sigmoid(), s * (1 - s) * (1 - 2 * s)],
    ["sqrt", (t) => t.sqrt(), -0.25 * x ** -1.5],
    ["pow x^3.5", (t) => t.pow(3.5), 3.5 * 2.5 * x ** 1.5],
    ["pow 2^x", (t) => g.pow(2, t), Math.LN2 ** 2 * 2 ** x],
    ["div 1/x", (t) => g.div(1, t), 2 / x ** 3],
    ["sin", (t) => t.sin(), -Math.sin(x)],
    ["x·e^(−x²)", (t) => t.mul(t.square().neg().exp()), (4 * x ** 3 - 6 * x) * Math.exp(-x * x)],
  ];
  for (const [name, f, expected] of cases) it(name, () => close(d2(f)(x).item(), expected));

  it("pow: mixed partial ∂²(x^y)/∂x∂y = x^(y−1)(1 + y ln x)", () => {
    const [X, Y] = [1.3, 2.2];
    const dx = (a: Tensor, b: Tensor) => grad((u: Tensor) => u.pow(b))(a);
    close(grad((b: Tensor) => dx(tensor(X), b))(Y).item(), X ** (Y - 1) * (1 + Y * Math.log(X)));
  });
  it("div: mixed partial ∂²(x/y)/∂x∂y = −1/y²", () => {
    const y = 1.7;
    close(grad((b: Tensor) => grad((a: Tensor) => a.div(b))(tensor(0.4)))(y).item(), -1 / y ** 2);
  });
  it("matmul: the Hessian of xᵀAx is A + Aᵀ exactly", () => {
    const A = tensor([[1, 2, 0], [-1, 3, 0.5], [4, 0, -2]]);
    const H = hessian((x: Tensor) => g.dot(x, g.matmul(A, x)))(tensor([0.3, -0.2, 0.9]));
    expectClose(H.toFloat64Array(), A.add(A.T).toFloat64Array(), 1e-15, "hessian");
  });
});

describe("third and fourth derivatives", () => {
  it("x·e^(−x²): f''' = (−8x⁴ + 24x² − 6)e^(−x²)", () => {
    for (const x of [-1.1, 0, 0.7, 2]) close(d3((t) => t.mul(t.square().neg().exp()))(x).item(), (-8 * x ** 4 + 24 * x ** 2 - 6) * Math.exp(-x * x));
  });
  it("sin''' = −cos, tanh''' = −2(1 − t²)(1 − 3t²)", () => {
    close(d3((t) => t.sin())(0.4).item(), -Math.cos(0.4));
    const th = Math.tanh(0.3);
    close(d3((t) => t.tanh())(0.3).item(), -2 * (1 - th * th) * (1 - 3 * th * th));
  });
  it("exp'''' = exp through four nested grads", () => {
    close(grad(grad(grad(grad((t: Tensor) => t.exp()))))(0.5).item(), Math.exp(0.5));
  });
  it("the PyTorch flavour gives the same second derivative with createGraph", () => {
    const x = tensor(0.7, { requiresGrad: true });
    const y = x.mul(x.square().neg().exp());
    const [dy] = g.gradients(y, [x], undefined, true);
    dy!.backward();
    close(x.grad!.item(), (4 * 0.7 ** 3 - 6 * 0.7) * Math.exp(-0.49));
    close(d1((t) => t.mul(t.square().neg().exp()))(0.7).item(), (1 - 2 * 0.49) * Math.exp(-0.49));
  });
});

describe("jacobian, hessian, jvp, vjp, hvp", () => {
  it("jacobian of an elementwise map is diagonal; of a matrix map is the matrix", () => {
    const J = jacobian((x: Tensor) => x.sin())(tensor([0.1, 0.2]));
    expectClose(J.toFloat64Array(), [Math.cos(0.1), 0, 0, Math.cos(0.2)], 1e-15, "diag");
    const M = tensor([[1, 2], [3, 4], [5, 6]]);
    const J2 = jacobian((x: Tensor) => g.matmul(M, x))(tensor([1, -1]));
    expect([...J2.shape]).toEqual([3, 2]);
    expectClose(J2.toFloat64Array(), M.toFloat64Array(), 0, "matrix");
  });

  it("the Hessian of a 100-variable function matches its closed form to 1e-12", () => {
    // f(x) = Σ xᵢ⁴/12 + Σ xᵢxᵢ₊₁ + (Σ xᵢ)²   ⇒   H = diag(xᵢ²) + (1 on the off-diagonals) + 2
    const n = 100, r = rng(5);
    const x0 = tensor(Array.from({ length: n }, () => 2 * r() - 1));
    const f = (x: Tensor) => x.pow(4).sum().div(12).add(x.slice(":-1").mul(x.slice("1:")).sum()).add(x.sum().square());
    const H = hessian(f)(x0);
    expect([...H.shape]).toEqual([n, n]);
    const xs = x0.toFloat64Array(), h = H.toFloat64Array();
    let worst = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const expected = 2 + (i === j ? xs[i]! ** 2 : 0) + (Math.abs(i - j) === 1 ? 1 : 0);
        worst = Math.max(worst, Math.abs(h[i * n + j]! - expected));
      }
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it("jvp is J·t and vjp is vᵀJ", () => {
    const f = (x: Tensor) => tensor([1, 2]).mul(x.at(0)).add(x.at(1).exp());
    const [, jt] = g.jvp(f, [tensor([0.5, 0.2])], [tensor([1, 10])]);
    expectClose(jt.toFloat64Array(), [1 + 10 * Math.exp(0.2), 2 + 10 * Math.exp(0.2)], 1e-14, "jvp");
    const [y, back] = g.vjp(f, tensor([0.5, 0.2]));
    expect([...y.shape]).toEqual([2]);
    expectClose(back(tensor([1, 1]))[0]!.toFloat64Array(), [3, 2 * Math.exp(0.2)], 1e-14, "vjp");
  });

  it("hvp equals H·v", () => {
    const f = (x: Tensor) => x.pow(3).sum().add(x.at(0).mul(x.at(1)));
    const x = tensor([1, 2]), v = tensor([1, -1]);
    const Hv = g.hvp(f)(x, v);
    expectClose(Hv.toFloat64Array(), [6 * 1 - 1, 1 - 12], 1e-14, "hvp");
  });

  it("valueAndGrad and argnums", () => {
    const [v, [gx, gy]] = g.valueAndGrad((x: Tensor, y: Tensor) => x.mul(y.square()), { argnums: [0, 1] })(3, 2);
    expect(v.item()).toBe(12);
    expect([gx!.item(), gy!.item()]).toEqual([4, 12]);
  });

  it("nested transforms do not confuse levels: d/dx [x · d/dy (x + y)] = 1", () => {
    const inner = (x: Tensor) => grad((y: Tensor) => x.add(y))(tensor(1));
    expect(grad((x: Tensor) => x.mul(inner(x)))(2).item()).toBe(1);
  });

  it("grad leaves the inputs' .grad alone", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    grad((t: Tensor) => t.square().sum())(x);
    expect(x.grad).toBeNull();
  });

  it("checkGrads passes on correct derivatives to order 3", () => {
    expect(g.checkGrads((x: Tensor, y: Tensor) => x.mul(y.exp()).sin().sum(), [tensor([0.3, -0.2]), tensor([0.1, 0.5])], { order: 3 })).toBe(true);
  });

  it("norm has gradient 0 at the origin; eigvalsh classifies a critical point", () => {
    expect(grad(g.norm)(tensor([0, 0])).toArray()).toEqual([0, 0]);
    const H = hessian((p: Tensor) => p.at(0).mul(p.square().sum().neg().exp()))(tensor([-1, 0]));
    const ev = g.eigvalsh(H).toArray() as number[];
    expect(ev.every((e) => e > 0)).toBe(true);
  });
});

describe("piecewise-constant ops (sign, floor) have zero gradients, as in PyTorch", () => {
  for (const [name, op] of [["sign", (t: Tensor) => t.sign()], ["floor", (t: Tensor) => t.floor()]] as const) {
    it(`${name}(x).sum().backward() writes zeros into x.grad, and the result has a grad_fn`, () => {
      const x = tensor([-1.5, 0, 2.5], { requiresGrad: true });
      const y = op(x);
      expect(y.gradFn).toBe(name);
      y.sum().backward();
      expect(Array.from(x.grad!.toFloat64Array())).toEqual([0, 0, 0]);
    });
    it(`${name} adds nothing to another path's gradient, to second order`, () => {
      const f = (t: Tensor) => op(t).mul(t).add(t.pow(3)).sum();
      // d/dt [c·t + t³] with c = op(t) held constant: c + 3t², then 6t; sign(1.5) = floor(1.5) = 1.
      const t = tensor([1.5]);
      close(grad(f)(t).item(), 1 + 3 * 1.5 ** 2);
      close(grad((u: Tensor) => grad(f)(u).sum())(t).item(), 6 * 1.5);
    });
  }
  it("isfinite stays unrecorded (a bool result), like PyTorch's", () => {
    const x = tensor([1, Infinity], { requiresGrad: true });
    const finite = x.isfinite();
    expect(finite.dtype).toBe("bool");
    expect(finite.requiresGrad).toBe(false);
  });
});
