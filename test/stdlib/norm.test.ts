/**
 * `norm(x, { axis?, keepdims? })` where the op table cannot look: at all-zero slices, where the
 * 2-norm has no derivative and the library, like PyTorch, gives 0 at every order instead of NaN.
 * Checked against closed forms: ∇‖x‖ = x/‖x‖ and ∇²‖x‖ = (I − x xᵀ/‖x‖²)/‖x‖ per slice.
 */
import { describe, expect, it } from "vitest";
import { grad, hessian, norm, np, tensor, torch, zeros, type Tensor } from "../../stdlib/index.js";
import { expectClose } from "./helpers.js";

/** ∇²‖x‖ of one slice, flattened row-major. */
function normHessian(x: number[]): number[] {
  const r = Math.hypot(...x);
  return x.flatMap((a, i) => x.map((b, j) => ((i === j ? 1 : 0) - (a * b) / (r * r)) / r));
}

describe("norm over an axis, with all-zero slices", () => {
  const rows = [[3, 4, 12], [0, 0, 0], [1, -2, 2]];
  const flat = rows.flat();
  const f = (v: Tensor) => norm(v.reshape(3, 3), { axis: 1 }).sum();

  it("values per row, keepdims keeps the reduced axis as 1", () => {
    expect(norm(tensor(rows), { axis: 1 }).toArray()).toEqual([13, 0, 3]);
    expect(norm(tensor(rows), { axis: -1, keepdims: true }).shape).toEqual([3, 1]);
    const columns = rows[0]!.map((_, j) => Math.hypot(...rows.map((r) => r[j]!)));
    expectClose(norm(tensor(rows), { axis: 0 }).toFloat64Array(), columns, 1e-15, "column norms");
    expect(tensor(rows).norm().item()).toBeCloseTo(Math.hypot(...flat), 14);
  });

  it("gradient: x/‖x‖ per row, exactly 0 on the zero row (no NaN)", () => {
    const gv = grad(f)(tensor(flat)).toFloat64Array();
    const expected = rows.flatMap((r) => {
      const n = Math.hypot(...r);
      return r.map((v) => (n === 0 ? 0 : v / n));
    });
    expectClose(gv, expected, 1e-15, "gradient");
    expect(Array.from(gv.slice(3, 6))).toEqual([0, 0, 0]);
  });

  it("Hessian: the closed form per row, a zero block for the zero row, nothing across rows", () => {
    const H = hessian(f)(tensor(flat)).toFloat64Array();
    const expected = new Array(81).fill(0);
    for (const row of [0, 2]) {
      const block = normHessian(rows[row]!);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expected[(3 * row + i) * 9 + 3 * row + j] = block[3 * i + j]!;
    }
    expectClose(H, expected, 1e-12, "Hessian");
  });

  it("third derivative along a direction stays finite, and 0 at the origin", () => {
    const third = (x: Tensor) => grad((y: Tensor) => grad((z: Tensor) => grad((w: Tensor) => norm(w))(z).sum())(y).sum())(x);
    expect(Array.from(third(zeros([3])).toFloat64Array())).toEqual([0, 0, 0]);
    expect(third(tensor([1, 2, 2])).toFloat64Array().every(Number.isFinite)).toBe(true);
  });

  it("the PyTorch flavour's backward and the np namespace agree", () => {
    const x = torch.tensor(rows, { requiresGrad: true });
    torch.linalg.norm(x, { axis: 0 }).sum().backward();
    expect(x.grad!.toFloat64Array().every(Number.isFinite)).toBe(true);
    expectClose(x.grad!.toFloat64Array(), flat.map((v, k) => v / Math.hypot(...rows.map((r) => r[k % 3]!))), 1e-15, "torch grad");
    expect(np.linalg.norm(np.array(rows), { axis: 1 }).toArray()).toEqual([13, 0, 3]);
  });

  it("explains a positional second argument and a bad axis", () => {
    expect(() => norm(tensor(rows), 1 as never)).toThrow(/^norm: the second argument is an options object such as \{ axis: 1, keepdims: true \}; got 1$/);
    expect(() => norm(tensor(rows), { axis: 2 })).toThrow(/^norm: axis 2 is out of range for a tensor with 2 dimension/);
  });
});
