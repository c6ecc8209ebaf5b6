/**
 * The probe standing in for the final program (operators.ts `checkedProbe`): offered only when
 * checking the probe says exactly what checking the final text would, and, through the kernel,
 * giving the same diagnostics, positions and values as the final text; on both checkers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecuteOutcome } from "../../kernel/executor.js";
import { CHECKERS, closeNative, rewriteOf } from "./harness.js";
import { errorText, plain, startKernelSession, type KernelSession } from "./kernel-session.js";

afterAll(closeNative);

describe.each(CHECKERS)("on the %s checker", (checker) => {
  const rewrite = (code: string) => rewriteOf(code, checker);

  describe("when the probe can stand for the final program", () => {
    it("a cell whose operator sites are all tensor sites gets it, and its text differs only in helper names", () => {
      const r = rewrite("const w = tensor([1, 2]);\nconst x = tensor([3, 4]);\nconst f = (w + x) ** 2 - w * 3;");
      expect(r?.checked).toBeDefined();
      expect(r!.checked!.text.replaceAll("__gradlabOps.dynamic.", "__gradlabOps.")).toBe(r!.text);
    });

    it("a cell with a native operator site does not: `\"a\" - 1` is an error only in the final text", () => {
      const r = rewrite('const w = tensor([1, 2]);\nconst f = w * 2;\nconst bad = "a" - 1;');
      expect(r).toBeDefined();
      expect(r!.checked).toBeUndefined();
    });

    it("a cell with an invalid site does not", () => {
      const r = rewrite('const w = tensor([1, 2]);\nconst f = w + "text";');
      expect(r!.diagnostics.length).toBe(1);
      expect(r!.checked).toBeUndefined();
    });

    it("a generic operand whose helper result stays deferred does not", () => {
      const r = rewrite("function twice<T extends Tensor>(a: T) { return a * 2; }");
      expect(r).toBeDefined();
      expect(r!.checked).toBeUndefined();
    });

    it("a compound target written differently in the probe does not", () => {
      const r = rewrite("const boxes = [{ t: tensor([1]) }];\nlet i = 0;\nboxes[i++].t += 1;");
      expect(r).toBeDefined();
      expect(r!.checked).toBeUndefined();
    });
  });

  let session: KernelSession;
  const run = (code: string): Promise<ExecuteOutcome> => session.run(code);

  describe("through the kernel, with and without the probe standing in", () => {
    beforeAll(async () => {
      session = await startKernelSession({ checker });
    });
    afterAll(async () => {
      await session?.executor.shutdown(false);
    });

    it("an all-tensor cell gives its values and gradients, and later cells see its types", async () => {
      expect(plain(await run("const p = tensor([1., 2.], { requiresGrad: true });\nconst q = (p * p + 3 * p) ** 2;\nq.sum().backward();\np.grad!.toArray()"))).toBe(
        // d/dp (p² + 3p)² = 2 (p² + 3p)(2p + 3)
        `[ ${[1, 2].map((v) => 2 * (v * v + 3 * v) * (2 * v + 3)).join(", ")} ]`,
      );
      expect(plain(await run("const r: Tensor = q - 1;\nr.toArray()"))).toBe(`[ ${[1, 2].map((v) => (v * v + 3 * v) ** 2 - 1).join(", ")} ]`);
    });

    it("a type error in an all-tensor cell is reported at the user's line", async () => {
      const text = errorText(await run("const a1 = tensor([1]);\n\nconst n1: number = a1 + a1;"));
      expect(text).toMatch(/Type 'Tensor' is not assignable to type 'number'/);
      expect(text).toMatch(/line 3/);
    });

    it("a native-operator error next to tensor operators is still reported", async () => {
      const text = errorText(await run('const a2 = tensor([1]);\nconst b2 = a2 * 2;\nconst c2 = "a" - 1;'));
      expect(text).toMatch(/left-hand side of an arithmetic operation/);
      expect(text).toMatch(/line 3/);
    });

    it("a generic function's tensor arithmetic is checked against the final helpers", async () => {
      const text = errorText(await run("function twice2<T extends Tensor>(a: T): number { return a * 2; }"));
      expect(text).toMatch(/Type 'Tensor' is not assignable to type 'number'/);
      expect(plain(await run("function twice3<T extends Tensor>(a: T): Tensor { return a * 2; }\ntwice3(tensor([1, 2])).toArray()"))).toBe("[ 2, 4 ]");
    });
  });
});
