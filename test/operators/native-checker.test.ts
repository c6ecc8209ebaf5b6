/**
 * Operators with TypeScript 7's native checker (the default): the tensor-operators rewrite asks
 * its type questions of the native checker and checks its result there, and cells are parsed
 * there too, so neither number cells nor tensor cells load TypeScript 6 at all; a cell with
 * tensor, `any` or tensor-union operands gets the rewrite with the same results as on TypeScript 6.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TypeScriptExecutor } from "../../kernel/typescript/runtime/typescript-executor.js";
import { plain, startKernelSession, type KernelSession } from "./kernel-session.js";

/** Is any of TypeScript 6 loaded in the compiler worker (its language service, or its module at all)? */
async function typeScript6Loaded(session: KernelSession): Promise<boolean> {
  const status = await (session.executor as TypeScriptExecutor).compilerStatus();
  expect(status.checker).toBe("native");
  return status.typeScript6Loaded || status.typeScript6ModuleLoaded;
}

describe("operator cells on the native checker", () => {
  let session: KernelSession;
  beforeAll(async () => {
    session = await startKernelSession();
  });
  afterAll(async () => {
    await session.executor.shutdown(false);
  });

  it("keeps cells without tensor operands on the native path", async () => {
    expect(plain(await session.run("let total = 0\nfor (let i = 0; i < 4; i++) total += i * 2\ntotal"))).toBe("12");
    expect(plain(await session.run('const words = ["a", "b"]\nwords[0] + words.length + -total'))).toBe("'a2-12'");
    expect(plain(await session.run("const groups: Record<string, number[]> = { a: [1, 2] }\ngroups['a']![1]! * 3 > 5"))).toBe("true");
    expect(await typeScript6Loaded(session)).toBe(false);
  });

  it("rewrites a cell whose operands are tensors, found through names and calls alike", async () => {
    expect(plain(await session.run("const w = tensor([1, 2]);\n(w * 3).sum().item()"))).toBe("9");
    expect(plain(await session.run("const scaled = tensor([1, 2]).mul(2) + 1\nscaled.sum().item()"))).toBe("8");
    expect(plain(await session.run("w[1].item() + total"))).toBe("14");
    expect(await typeScript6Loaded(session)).toBe(false);
  });

  it("lists Tensor's members after an operator expression, without TypeScript 6", async () => {
    const code = "const c1 = tensor([1, 2]);\nconst c2 = (c1 * 2 + 1).";
    const completion = await session.executor.complete(code, code.length);
    expect(completion.matches).toEqual(expect.arrayContaining(["backward", "item", "sum"]));
    expect(completion.cursorStart).toBe(code.length);
    const typed = await session.executor.complete(code + "ba", code.length + 2);
    expect(typed.matches).toContain("backward");
    expect(typed.matches.every((name) => name.startsWith("ba"))).toBe(true);
    expect(await typeScript6Loaded(session)).toBe(false);
  });

  it("inspects names in a tensor cell with the rewritten cell's types, never a helper call the rewrite wrote", async () => {
    const code = "const i1 = tensor([1, 2]);\nconst i2 = i1 * 2;\nconst i3 = (i1 * 2).sum();\nMath.max(i1.sum().item() + 1, 2)";
    const first = async (needle: string, offset = 0) => {
      const reply = await session.executor.inspect(code, code.indexOf(needle) + offset, 0);
      return reply.found ? String(reply.data["text/plain"]).split("\n")[0] : "not found";
    };
    expect(await first("i2 =")).toBe("const i2: Tensor");
    expect(await first("sum()")).toMatch(/^\(method\) Tensor\.sum\(/);
    expect(await first("+ 1", 2)).toMatch(/Math\.max\(/);
    expect(await typeScript6Loaded(session)).toBe(false);
  });

  it("checks later number cells natively with the declarations the rewritten cells made", async () => {
    const error = await session.run("const n: number = w");
    expect(error.status === "error" && error.ename).toBe("TSError");
    expect(error.status === "error" && error.evalue).toMatch(/Tensor.*not assignable to type 'number'/);
    expect(plain(await session.run("total + scaled.shape[0]!"))).toBe("14");
  });
});
