/**
 * clamp/clip, variance and standard deviation, allclose, any and all: PyTorch's defaults on a
 * PyTorch tensor and NumPy's on a NumPy array, and gradients where PyTorch gives them.
 */
import { describe, expect, it } from "vitest";
import { all, allclose, any, clamp, grad, np, std, tensor, torch, variance, type Tensor } from "../../stdlib/index.js";
import { expectClose } from "./helpers.js";

describe("clamp", () => {
  it("limits to [min, max], either bound alone, as torch.clamp and np.clip", () => {
    expect(clamp(tensor([-2, 0.5, 3]), 0, 1).toArray()).toEqual([0, 0.5, 1]);
    expect(torch.clamp(tensor([-2, 0.5, 3]), undefined, 1).toArray()).toEqual([-2, 0.5, 1]);
    expect(tensor([-2, 0.5, 3]).clamp(0).toArray()).toEqual([0, 0.5, 3]);
    expect(np.clip(np.array([[-1, 2], [0.5, 9]]), 0, 1).toArray()).toEqual([[0, 1], [0.5, 1]]);
  });

  it("passes the gradient where x is within the bounds, the bounds included, and 0 where it was cut", () => {
    const g = grad((x: Tensor) => x.clamp(0, 1).mul(x).sum())(tensor([-1, 0, 0.5, 1, 2]));
    // d/dx (clamp(x)·x) = clamp'(x)·x + clamp(x)
    expectClose(g.toFloat64Array(), [0, 0, 1, 2, 1], 1e-12, "clamp gradient");
  });

  it("says what is wrong with its bounds", () => {
    expect(() => clamp(tensor([1]))).toThrow("clamp: give a lower bound, an upper bound or both");
    expect(() => clamp(tensor([1]), 2, 1)).toThrow("clamp: the lower bound 2 is above the upper bound 1");
  });
});

describe("variance and standard deviation", () => {
  it("divide by n − 1 on a PyTorch tensor and by n on a NumPy array, each library's default", () => {
    expectClose([torch.tensor([1, 2, 3, 4]).var().item()], [5 / 3], 1e-12, "torch var");
    expectClose([torch.std(torch.tensor([1, 2, 3, 4])).item()], [Math.sqrt(5 / 3)], 1e-12, "torch std");
    expectClose([np.array([1, 2, 3, 4]).var().item()], [1.25], 1e-12, "np var");
    expectClose([np.std(np.array([1, 2, 3, 4])).item()], [Math.sqrt(1.25)], 1e-12, "np std");
    expectClose([variance(tensor([1, 2, 3, 4]), undefined, false, 0).item()], [1.25], 1e-12, "correction 0 asked for");
  });

  it("reduce over an axis, keeping it when asked", () => {
    const m = np.array([[1, 2], [3, 5]]);
    expect(m.var(0).toArray()).toEqual([1, 2.25]);
    expect(std(torch.tensor([[1, 3], [2, 2]]), 1, true).shape).toEqual([2, 1]);
  });

  it("has PyTorch's gradient (x − mean) / ((n − 1)·std)", () => {
    const x = [1, 2, 3, 4];
    const s = Math.sqrt(5 / 3);
    const g = grad((t: Tensor) => t.std())(tensor(x));
    expectClose(g.toFloat64Array(), x.map((v) => (v - 2.5) / (3 * s)), 1e-12, "std gradient");
  });

  it("refuses a correction that leaves no degrees of freedom", () => {
    expect(() => torch.tensor([5]).var()).toThrow("var: 1 element over the reduced axes leave no degrees of freedom with correction 1");
  });
});

describe("allclose, any and all", () => {
  it("allclose uses PyTorch's and NumPy's default tolerances, broadcasts, and never calls NaN close", () => {
    expect(allclose(tensor([1, 2]), tensor([1, 2 + 1e-9]))).toBe(true);
    expect(torch.allclose(tensor([1, 2]), tensor([1, 2.001]))).toBe(false);
    expect(np.allclose(tensor([[1, 1], [1, 1]]), 1)).toBe(true);
    expect(allclose(tensor([NaN]), tensor([NaN]))).toBe(false);
  });

  it("any and all give bool tensors, over everything or an axis", () => {
    expect(any(tensor([0, 0, 3])).item()).toBe(1);
    expect(all(tensor([1, 2, 0])).item()).toBe(0);
    expect(any(tensor([0, 0])).dtype).toBe("bool");
    const m = tensor([[1, 0], [1, 1]]);
    expect(m.all(1).toArray()).toEqual([false, true]);
    expect(torch.any(m, 0, true).shape).toEqual([1, 2]);
    expect(np.all(tensor([]))).toBeDefined();
    expect(np.all(tensor([])).item()).toBe(1);
    expect(np.any(tensor([])).item()).toBe(0);
  });
});
