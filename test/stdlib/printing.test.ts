/**
 * Printing rules (PyTorch's `tensor(...)`, NumPy's `array(...)`, Python floats for 0-d tensors in
 * template strings, Jupyter and Node inspect hooks) and the wording of errors students see.
 */
import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { GradlabError, Tensor, arange, grad, jacobian, np, tensor, torch } from "../../stdlib/index.js";
import * as g from "../../stdlib/index.js";

describe("torch flavour text", () => {
  const cases: [string, () => Tensor, string][] = [
    ["4 decimals", () => torch.tensor([1.0819456, 3]), "tensor([1.0819, 3.0000])"],
    ["integers print with a dot", () => torch.tensor([1, -2, 30]), "tensor([ 1., -2., 30.])"],
    ["0-d", () => torch.tensor(1024), "tensor(1024.)"],
    ["scientific when values spread", () => torch.tensor([1e-5, 1]), "tensor([1.0000e-05, 1.0000e+00])"],
    ["matrix rows align", () => torch.tensor([[1.5, 2], [3, 4]]), "tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])"],
    ["requires_grad", () => torch.tensor([-1], { requiresGrad: true }), "tensor([-1.], requires_grad=True)"],
    ["grad_fn", () => torch.tensor([2], { requiresGrad: true }).pow(2), "tensor([4.], grad_fn=<PowBackward0>)"],
    ["float32 shows its dtype", () => torch.tensor([0.5], { dtype: "float32" }), "tensor([0.5000], dtype=torch.float32)"],
    ["bool", () => g.lt(torch.tensor([1, 3]), 2), "tensor([ True, False])"],
    ["nan and inf", () => torch.tensor([NaN, Infinity, 1]), "tensor([nan, inf, 1.])"],
    ["summarised past 1000 elements", () => arange(100, 1300), "tensor([ 100.,  101.,  102.,  ..., 1297., 1298., 1299.])"],
    ["scientific integers when they spread", () => torch.tensor([1, 1998]), "tensor([1.0000e+00, 1.9980e+03])"],
    // As PyTorch 2.13 prints them.
    ["negative zero keeps its sign", () => torch.tensor([-0]), "tensor([-0.])"],
    ["negative zero beside decimals", () => torch.tensor([-0, 1.5]), "tensor([-0.0000, 1.5000])"],
    ["negative zero, 0-d", () => torch.tensor(-0), "tensor(-0.)"],
    ["negative zero in scientific form", () => torch.tensor([-0, 1e-5]), "tensor([-0.0000e+00, 1.0000e-05])"],
    ["zero beside a negative number is padded", () => torch.tensor([0, -1.5]), "tensor([ 0.0000, -1.5000])"],
    ["zeros only are not padded", () => torch.tensor([-0, 0]), "tensor([-0., 0.])"],
  ];
  for (const [name, make, text] of cases) it(name, () => expect(String(inspect(make()))).toBe(text));
});

describe("a summarised tensor is read through its strides, not copied", () => {
  // Views of a 40×50×30 arange: the printed corners must be the view's own elements.
  const base = arange(60000).reshape([40, 50, 30]);
  const views: [string, () => Tensor][] = [
    ["a transpose", () => base.permute([2, 0, 1])],
    ["a slice with a step and an offset", () => g.slice(base, [1, 39, 2], null, [3, 30])],
    ["a broadcast view", () => g.broadcastTo(torch.tensor([1, 2, 3]), [500, 3])],
  ];
  for (const [name, view] of views) it(`${name} prints as its contiguous copy does`, () => {
    const t = view();
    expect(t.size).toBeGreaterThan(1000);
    expect(inspect(t)).toBe(inspect(tensor(t.toArray())));
  });
});

describe("np flavour text", () => {
  const cases: [string, () => Tensor, string][] = [
    ["aligned signs", () => np.array([0.01, -0.03]), "array([ 0.01, -0.03])"],
    ["integers", () => np.array([1, 2]), "array([1., 2.])"],
    ["0-d", () => np.array(1024), "array(1024.)"],
    ["summarised with NumPy's ellipsis", () => np.arange(100, 1300), "array([ 100.,  101.,  102., ..., 1297., 1298., 1299.])"],
    ["padding to the longest fraction", () => np.array([0.5, 0.25]), "array([0.5 , 0.25])"],
    ["matrix", () => np.array([[1, 2], [3, 4]]), "array([[1., 2.],\n       [3., 4.]])"],
    ["scientific", () => np.array([1e-5, 1]), "array([1.e-05, 1.e+00])"],
    ["float32", () => np.array([0.1], { dtype: "float32" }), "array([0.1], dtype=float32)"],
  ];
  for (const [name, make, text] of cases) it(name, () => expect(inspect(make())).toBe(text));
});

describe("0-d tensors in template strings read like Python floats", () => {
  const cases: [number, string][] = [[-4096, "-4096.0"], [1024, "1024.0"], [0.1, "0.1"], [1e-5, "1e-05"], [1.5e16, "1.5e+16"], [NaN, "nan"], [-Infinity, "-inf"]];
  for (const [v, s] of cases) it(s, () => expect(`${np.array(v)}`).toBe(s));
  it("float32 prints its shortest float32 digits", () => expect(`${torch.tensor(1.0819, { dtype: "float32" })}`).toBe("1.0819"));
  it("non-0-d tensors interpolate as their text form", () => expect(`${torch.tensor([1])}`).toBe("tensor([1.])"));
  it("numeric coercion gives the value", () => expect(+torch.tensor([2.5])).toBe(2.5));
});

describe("display hooks", () => {
  it("Jupyter bundle: text/plain always, text/html for matrices", () => {
    const m = tensor([[1, 2], [3, 4]]);
    const bundle = (m as any)[Symbol.for("Jupyter.display")]();
    expect(bundle["text/plain"]).toBe(inspect(m));
    expect(bundle["text/html"]).toMatch(/<table[^>]*>.*<td[^>]*>4\.<\/td>/s);
    expect((tensor([1]) as any)[Symbol.for("Jupyter.display")]()["text/html"]).toBeUndefined();
  });

  it("the matrix table's caption says what the text form says after the numbers (JupyterLab shows only the table)", () => {
    const html = (t: unknown) => (t as any)[Symbol.for("Jupyter.display")]()["text/html"] as string;
    const w = torch.tensor([[1, 2], [3, 4]], { requiresGrad: true });
    expect(html(w)).toContain("<caption style=\"caption-side:bottom;font-size:smaller\">tensor 2×2 float64, requires_grad=True</caption>");
    expect(html(w.mul(2))).toContain(">tensor 2×2 float64, grad_fn=&lt;MulBackward0&gt;</caption>");
    expect(html(tensor([[1, 2]], { dtype: "float32" }))).toContain(">tensor 1×2 float32</caption>");
    expect(html(np.array([[1, 2]]))).toContain(">array 1×2 float64</caption>");
  });
});

describe("errors a student understands", () => {
  it("shape mismatch names the op and both shapes", () => {
    expect(() => g.add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] cannot be broadcast/);
    expect(() => g.matmul(tensor([[1, 2, 3]]), tensor([[1, 2, 3]]))).toThrow(/matmul: shapes \[1, 3\] and \[1, 3\]/);
    expect(() => g.add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(GradlabError);
  });
  it("grad of a non-scalar function points to jacobian or a reduction", () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(/shape \[2\].*jacobian.*sum/s);
    expect(jacobian((x: Tensor) => x.mul(2))(tensor([1, 2])).toArray()).toEqual([[2, 0], [0, 2]]);
  });
  it("index out of range and bad reshape", () => {
    expect(() => tensor([1, 2]).at(2)).toThrow(/index 2 is out of range for axis 0 with size 2/);
    expect(() => tensor([1, 2, 3]).reshape(2, 2)).toThrow(/reshape.*\[3\].*\[2, 2\]/);
  });
  it("non-tensor operands are named", () => {
    expect(() => g.mul(tensor([1]), [1, 2] as any)).toThrow(/mul: expected a Tensor or a number, got an array/);
  });
  it("NaN and Infinity flow through as IEEE", () => {
    expect(g.log(tensor([0, -1])).toArray()).toEqual([-Infinity, NaN]);
    expect(g.div(tensor([1, 0]), 0).toArray()).toEqual([Infinity, NaN]);
    expect(grad((x: Tensor) => x.sqrt())(0).item()).toBe(Infinity);
    expect(g.max(tensor([1, NaN, 3])).item()).toBeNaN();
  });
});
