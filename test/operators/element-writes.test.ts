/**
 * `w[0] = 1` on a tensor, as a PyTorch user writes it. gradlab's tensors cannot change in place
 * (ops make new tensors, and the autodiff graph relies on it), so an element write is a compile
 * error on both checkers, with a hint that spells out, in the cell's own names, the out-of-place
 * `indexPut` that does the same and, when an earlier cell made the tensor, its shape; following
 * the hint works, gradients included. Through the real built executor and preloaded library.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorText, plain, startKernelSession, type KernelSession } from "./kernel-session.js";
import { ensureBuilt } from "../typescript/helpers.js";

const READ_ONLY = "Index signature in type 'Tensor' only permits reading. (TS2542)";

for (const checker of ["native", "typescript6"] as const) {
  describe(`element writes on tensors (${checker} checker)`, () => {
    let session: KernelSession;
    beforeAll(async () => {
      ensureBuilt();
      session = await startKernelSession({ checker });
      plain(await session.run("let w = tensor([1, 2, 3]);\nlet m = tensor([[1, 2], [3, 4]]);\nlet i = 1, j = 0;"));
    }, 120_000);
    afterAll(async () => {
      await session?.executor.shutdown(false);
    });

    /** The cell's error: one diagnostic, TypeScript's read-only message, then exactly `hint`. */
    async function expectRefused(code: string, hint: string): Promise<void> {
      const outcome = await session.run(code);
      const text = errorText(outcome);
      expect(outcome.status === "error" && outcome.evalue).toBe("Index signature in type 'Tensor' only permits reading.");
      const lines = text.split("\n");
      const at = lines.findIndex((l) => l.includes(READ_ONLY));
      expect(at, text).toBeGreaterThanOrEqual(0);
      expect(lines.filter((l) => l.includes("(TS"))).toHaveLength(1);
      expect(lines[at + 3]).toBe(`Hint: ${hint}`);
    }

    it("w[0] = 1 is refused, and the hint names the write and the indexPut that does it", async () => {
      await expectRefused("w[0] = 1", "`w[0] = 1` would change the tensor `w` (shape [3]) in place, and gradlab's tensors cannot change (every op makes a new one): write `w = w.indexPut([0], 1)` (with `w` declared by `let`), PyTorch's out-of-place index_put.");
    });

    it("compound writes: w[0] += 1 and m[i][j] -= w[1]", async () => {
      await expectRefused("w[0] += 1;", "`w[0] += 1` would change the tensor `w` (shape [3]) in place, and gradlab's tensors cannot change (every op makes a new one): write `w = w.indexPut([0], w[0] + 1)` (with `w` declared by `let`), PyTorch's out-of-place index_put.");
      await expectRefused("m[i][j] -= w[1]", "`m[i][j] -= w[1]` would change the tensor `m` (shape [2, 2]) in place, and gradlab's tensors cannot change (every op makes a new one): write `m = m.indexPut([i, j], m[i][j] - w[1])` (with `m` declared by `let`), PyTorch's out-of-place index_put.");
    });

    it("m[i][j] = v on a 2-d tensor is refused, and nothing ran", async () => {
      await expectRefused("const v = 7;\nm[i][j] = v", "`m[i][j] = v` would change the tensor `m` (shape [2, 2]) in place, and gradlab's tensors cannot change (every op makes a new one): write `m = m.indexPut([i, j], v)` (with `m` declared by `let`), PyTorch's out-of-place index_put.");
      expect(plain(await session.run("m"))).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    });

    it("a tensor made in the refused cell itself has no shape yet: the hint names it without one", async () => {
      await expectRefused("const fresh = tensor([1, 2]);\nfresh[1] = 0;", "`fresh[1] = 0` would change the tensor `fresh` in place, and gradlab's tensors cannot change (every op makes a new one): write `fresh = fresh.indexPut([1], 0)` (with `fresh` declared by `let`), PyTorch's out-of-place index_put.");
    });

    it("what the hints say to write works: values, and gradients through the written element", async () => {
      expect(plain(await session.run("w = w.indexPut([0], w[0] + 1);\nw"))).toBe("tensor([2., 2., 3.])");
      expect(plain(await session.run("m = m.indexPut([i, j], 7);\nm"))).toBe("tensor([[1., 2.],\n        [7., 4.]])");
      // q = [3·p1, p1]: dq.sum/dp = [0, 4]; the replaced p0 gets no gradient, as in PyTorch.
      expect(plain(await session.run("const p = tensor([1, 2], { requiresGrad: true });\nconst q = p.indexPut([0], p[1] * 3);\nq.sum().backward();\np.grad"))).toBe("tensor([0., 4.])");
    });

    it("element reads stay tensors, arrays and `any` values stay writable", async () => {
      expect(plain(await session.run("m[1][0].item() + w[2].item()"))).toBe("10");
      expect(plain(await session.run("const xs = [1, 2];\nxs[0] = 5;\nconst o: any = {};\no[0] = 1;\n[xs[0], o[0]]"))).toBe("[ 5, 1 ]");
    });
  });
}

describe("element writes with the operators rewrite off (GRADLAB_OPERATORS=0)", () => {
  it("are plain TypeScript again: `t[i]` is JavaScript's property access, which the kernel then declares nothing about", async () => {
    const session = await startKernelSession({ operators: false });
    try {
      expect(plain(await session.run("const t = tensor([1, 2]);\n(t as any)[0] = 5;\n[t.at(0).item(), (t as any)[0]]"))).toBe("[ 1, 5 ]");
      expect(plain(await session.run("t[1] = 3;\n1"))).toBe("1");
    } finally {
      await session.executor.shutdown(false);
    }
  });
});
