/**
 * The PyTorch and MXNet autodiff flavours, and the chapter's reference values (the numbers its
 * cells print in the original PyTorch and MXNet editions, written out below) computed through both.
 */
import { describe, expect, it } from "vitest";
import { Tensor, autograd, grad, hessian, np, torch, tensor, noGrad } from "../../stdlib/index.js";
import * as g from "../../stdlib/index.js";
import { expectClose } from "./helpers.js";

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * (1 + Math.abs(b)));

function chainTorch(p: number[]) {
  const [w, x, y, z] = p.map((v) => torch.tensor([v], { requiresGrad: true })) as [Tensor, Tensor, Tensor, Tensor];
  const a = w.add(x).add(y).add(z).pow(2), b = w.add(x).sub(y).sub(z).pow(2);
  const u = a.add(b).pow(2), v = a.sub(b).pow(2);
  const f = u.add(v).pow(2);
  f.backward();
  return { vals: [a, b, u, v, f].map((t) => t.item()), grads: [w, x, y, z].map((t) => t.grad!.item()), w, x, y, z };
}
function chainMx(p: number[]) {
  const [w, x, y, z] = p.map((v) => np.array(v)) as [Tensor, Tensor, Tensor, Tensor];
  for (const t of [w, x, y, z]) t.attachGrad();
  const f = autograd.record(() => {
    const a = w.add(x).add(y).add(z).pow(2), b = w.add(x).sub(y).sub(z).pow(2);
    const u = a.add(b).pow(2), v = a.sub(b).pow(2);
    return u.add(v).pow(2);
  });
  f.backward();
  return { f, w, x, y, z };
}

describe("chapter reference values", () => {
  it("gradient approximation (torch cell): log 3, (1/3, 2/3), 1.0819…, 1.0821…", () => {
    const f = (x: Tensor, y: Tensor) => torch.log(torch.exp(x).add(torch.exp(y)));
    const gradF = (x: Tensor, y: Tensor) =>
      torch.tensor([torch.exp(x).div(torch.exp(x).add(torch.exp(y))), torch.exp(y).div(torch.exp(x).add(torch.exp(y)))]);
    const epsilon = torch.tensor([0.01, -0.03]);
    const approx = f(torch.tensor([0]), torch.log(torch.tensor([2]))).add(epsilon.dot(gradF(torch.tensor([0]), torch.log(torch.tensor(2)))));
    const truth = f(torch.tensor([0]).add(epsilon.at(0)), torch.log(torch.tensor([2])).add(epsilon.at(1)));
    close(f(torch.tensor(0), torch.log(torch.tensor(2))).item(), 1.0986122886681096);
    expectClose(gradF(torch.tensor(0), torch.log(torch.tensor(2))).toFloat64Array(), [1 / 3, 2 / 3], 1e-15, "grad_f");
    close(approx.item(), 1.081945622001443);
    close(truth.item(), 1.082124181896434);
    expect(`Approximation: ${approx}, True Value: ${truth}`).toBe("Approximation: tensor([1.0819]), True Value: tensor([1.0821])");
  });

  it("gradient approximation (np cell) with autodiff's gradient", () => {
    const f = (x: g.TensorLike, y: g.TensorLike) => np.log(np.exp(x).add(np.exp(y)));
    const gradF = (x: number, y: Tensor) => np.array(grad(f, { argnums: [0, 1] })(x, y));
    const epsilon = np.array([0.01, -0.03]);
    const approx = f(0, np.log(2)).add(epsilon.dot(gradF(0, np.log(2))));
    close(approx.item(), 1.081945622001443);
    close(f(epsilon.at(0), np.log(2).add(epsilon.at(1))).item(), 1.082124181896434);
  });

  it("critical points of 3x⁴ − 4x³ − 12x²", () => {
    const x = np.arange(-2, 3, 0.01);
    const f = (t: g.TensorLike) => g.sub(g.sub(g.mul(3, g.pow(t, 4)), g.mul(4, g.pow(t, 3))), g.mul(12, g.pow(t, 2)));
    const fx = f(x) as Tensor;
    expect(x.shape).toEqual([500]);
    expect(fx.argmin().item()).toBe(400);
    close(x.at(400).item(), 2, 1e-12);
    expect([-1, 0, 2].map((v) => (f(np.array(v)) as Tensor).item())).toEqual([-5, 0, -32]);
    const f2 = grad(grad((t: Tensor) => f(t) as Tensor));
    expect([-1, 0, 2].map((v) => f2(v).item())).toEqual([36, -24, 72]);
  });

  it("chain rule, PyTorch flavour, at (−1, 0, −2, 1) and (1, 0, 0, 0)", () => {
    const r = chainTorch([-1, 0, -2, 1]);
    expect(r.vals).toEqual([4, 0, 16, 16, 1024]);
    expect(r.grads).toEqual([-4096, -4096, -4096, -4096]);
    expect(`df/dw at ${r.w.item()}, ${r.x.item()}, ${r.y.item()}, ${r.z.item()} is ${r.w.grad!.item()}`).toBe("df/dw at -1, 0, -2, 1 is -4096");
    const s = chainTorch([1, 0, 0, 0]);
    expect(s.vals[4]).toBe(16);
    expect(s.grads).toEqual([128, 128, 0, 0]);
  });

  it("chain rule, MXNet flavour, prints 0-d arrays as Python floats", () => {
    const { w, x, y, z } = chainMx([-1, 0, -2, 1]);
    expect(`df/dw at ${w}, ${x}, ${y}, ${z} is ${w.grad}`).toBe("df/dw at -1.0, 0.0, -2.0, 1.0 is -4096.0");
    expect([x, y, z].map((t) => t.grad!.item())).toEqual([-4096, -4096, -4096]);
    const r = chainMx([1, 0, 0, 0]);
    expect(`${r.f}`).toBe("16.0");
    expect([r.w, r.x, r.y, r.z].map((t) => t.grad!.item())).toEqual([128, 128, 0, 0]);
  });

  it("Hessian of x·e^(−x²−y²) at (−1, 0), both flavours", () => {
    const f = (p: Tensor) => p.at(0).mul(torch.exp(p.at(0).square().neg().sub(p.at(1).square())));
    const e1 = Math.exp(-1);
    close(f(torch.tensor([-1, 0])).item(), -0.36787944117144233);
    expectClose(grad(f)(torch.tensor([-1, 0])).toFloat64Array(), [-e1, 0], 1e-15, "grad");
    for (const p of [torch.tensor([-1, 0]), np.array([-1, 0])]) {
      const H = hessian(f)(p);
      expectClose(H.toFloat64Array(), [2 * e1, 0, 0, 2 * e1], 1e-15, "hessian");
      close(H.at(0, 0).item(), 0.7357588823428847);
    }
    // the quadratic approximation e⁻¹(−1 − (x+1) + (x+1)² + y²) agrees to second order
    const q = (x: number, y: number) => e1 * (-1 - (x + 1) + (x + 1) ** 2 + y ** 2);
    const h = 1e-3;
    expect(Math.abs(f(torch.tensor([-1 + h, h])).item() - q(-1 + h, h))).toBeLessThan(1e-8);
  });

  it("matrix calculus identities", () => {
    const beta = tensor([1, -2, 3]), A = tensor([[1, 2, 0], [0, 1, -1], [2, 0, 3]]), x = tensor([0.5, -1, 2]);
    expectClose(grad((v: Tensor) => g.dot(beta, v))(x).toFloat64Array(), beta.toFloat64Array(), 0, "βx");
    expectClose(grad((v: Tensor) => g.dot(v, g.matmul(A, v)))(x).toFloat64Array(), g.matmul(A.add(A.T), x).toFloat64Array(), 1e-15, "xᵀAx");
    const X = tensor([[1, 2], [3, 4]]), U = tensor([[1, 0.5], [-1, 2]]), V = tensor([[0.1, 0.2], [0.3, -0.4]]);
    const dV = grad((v: Tensor) => X.sub(g.matmul(U, v)).square().sum())(V);
    expectClose(dV.toFloat64Array(), g.matmul(U.T, X.sub(g.matmul(U, V))).mul(-2).toFloat64Array(), 1e-14, "‖X − UV‖²");
  });
});

describe("PyTorch semantics", () => {
  it(".grad accumulates; zeroGrad and `grad = null` reset", () => {
    const x = torch.tensor([2], { requiresGrad: true });
    x.square().sum().backward();
    x.square().sum().backward();
    expect(x.grad!.item()).toBe(8);
    x.zeroGrad();
    x.mul(3).sum().backward();
    expect(x.grad!.item()).toBe(3);
    x.grad = null;
    x.mul(5).sum().backward();
    expect(x.grad!.item()).toBe(5);
  });
  it("a second backward through a freed graph fails clearly; retainGraph allows it", () => {
    const x = torch.tensor([2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/second time.*retainGraph/s);
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    close(x.grad!.item(), 3 * Math.exp(2));
  });
  it("backward from a non-scalar needs a gradient", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/shape \[2\].*sum\(\)\.backward\(\)/s);
    x.mul(2).backward(torch.tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 20]);
  });
  it("detach and noGrad cut the graph", () => {
    const x = torch.tensor([3], { requiresGrad: true });
    expect(x.detach().mul(2).requiresGrad).toBe(false);
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    const y = x.mul(x.detach());
    y.sum().backward();
    expect(x.grad!.item()).toBe(3);
  });
  it("gradient descent in place of the leaf works across steps", () => {
    let w = torch.tensor([5.0], { requiresGrad: true });
    for (let i = 0; i < 50; i++) {
      const loss = w.sub(1).square().sum();
      loss.backward();
      w = noGrad(() => w.sub(w.grad!.mul(0.1))).requiresGrad_();
    }
    close(w.item(), 1, 1e-4);
  });
  it("float32 tensors keep float32 through ops with numbers and in gradients", () => {
    const x = torch.tensor([1.5], { dtype: "float32", requiresGrad: true });
    const y = x.mul(2).add(1).exp().sum();
    expect(y.dtype).toBe("float32");
    y.backward();
    expect(x.grad!.dtype).toBe("float32");
    close(x.grad!.item(), 2 * Math.exp(4), 1e-6);
  });
  it("transpose(0, 1) swaps a matrix's two axes, as torch.transpose does (NumPy's reading, the identity permutation, would silently change nothing)", () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    expect(x.transpose(0, 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(torch.transpose(x, 0, 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(x.transpose(-1, -2).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(torch.zeros([2, 3, 4]).transpose(0, 2).shape).toEqual([4, 3, 2]);
  });
});

describe("PyTorch's makers of a shape", () => {
  it("take the shape as one array or number, or the sizes one by one with the options last, as torch.zeros(2, 3) does", () => {
    expect(torch.zeros(2, 3).shape).toEqual([2, 3]);
    expect(torch.zeros([2, 3]).shape).toEqual([2, 3]);
    expect(torch.ones(4).toArray()).toEqual([1, 1, 1, 1]);
    expect(torch.ones(2, 1, 3).shape).toEqual([2, 1, 3]);
    expect(torch.rand(2, 2, { dtype: "float32" }).dtype).toBe("float32");
    const w = torch.randn(3, 2, { requiresGrad: true });
    expect([w.shape, w.requiresGrad]).toEqual([[3, 2], true]);
    expect(torch.zeros(3, { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe("MXNet semantics", () => {
  it("attachGrad allocates zeros; backward overwrites .grad", () => {
    const x = np.array([1, 2]);
    x.attachGrad();
    expect(x.grad!.toArray()).toEqual([0, 0]);
    for (let i = 0; i < 2; i++) autograd.record(() => x.mul(x).sum()).backward();
    expect(x.grad!.toArray()).toEqual([2, 4]);
  });
  it("ops outside autograd.record are not recorded", () => {
    const x = np.array(3);
    x.attachGrad();
    expect(x.mul(2).requiresGrad).toBe(false);
    expect(() => x.mul(2).backward()).toThrow(/attachGrad.*autograd\.record/s);
    expect(autograd.record(() => autograd.isRecording())).toBe(true);
  });
  it("np.transpose(a, axes) with a full list permutes, as NumPy does", () => {
    const a = np.array([[1, 2], [3, 4]]);
    expect(np.transpose(a, 0, 1).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(a.transpose(1, 0).toArray()).toEqual([[1, 3], [2, 4]]);
  });

  it("np.meshgrid defaults to 'xy', torch.meshgrid to 'ij'", () => {
    const a = np.linspace(0, 1, 3), b = np.linspace(0, 1, 2);
    expect(np.meshgrid(a, b)[0]!.shape).toEqual([2, 3]);
    expect(torch.meshgrid(a, b)[0]!.shape).toEqual([3, 2]);
    expect(np.meshgrid(a, b, { indexing: "ij" })[1]!.toArray()).toEqual([[0, 1], [0, 1], [0, 1]]);
  });
});
