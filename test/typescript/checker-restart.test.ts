/**
 * The checker stopping (TypeScript 6's worker out of memory, the native checker's process killed):
 * the cell it was checking fails with a clear CheckerError, a new checker takes over with the
 * earlier cells' declarations, and checking keeps working; a checker that keeps stopping is given
 * up with a message saying what to do. A cell too large to check on the main thread is refused
 * with what to do instead, and the session goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TypeScriptExecutor } from "../../kernel/typescript/runtime/typescript-executor.js";
import { resultText, startSession, type Session } from "./helpers.js";

/** The native checker's process id (private; reached for the test only). */
function nativePid(executor: TypeScriptExecutor): number {
  const pid = (executor as unknown as { compiler: { nativePid?: number } }).compiler.nativePid;
  if (pid === undefined) throw new Error("no native checker process");
  return pid;
}

describe("TypeScript 6's checker running out of memory in its worker", () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ checkerHeapMb: 64, checker: "typescript6" });
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  it("fails the cell with a clear message, then checks later cells with the earlier declarations", async () => {
    resultText(await s.run("const kept: string = 'yes'\nfunction twice(x: number) { return 2 * x }\ntype Kind = 'a' | 'b'"));
    // About a million array elements: far more syntax tree than 64 MB holds.
    const huge = await s.run(`const big = [${"1,".repeat(1_000_000)}]\nbig.length`);
    expect(huge.status === "error" && huge.ename).toBe("CheckerError");
    expect(huge.status === "error" && huge.evalue).toMatch(/ran out of memory.*64 MB.*restarted with the declarations of earlier cells.*run the cell again/s);
    expect(s.executor.checkerRestarts).toBe(1);
    expect(resultText(await s.run("const k: Kind = 'b'\nkept.length + twice(2) + k"))).toBe("'7b'");
    const typeError = await s.run("const n: number = kept");
    expect(typeError.status === "error" && [typeError.ename, typeError.evalue]).toEqual(["TSError", "Type 'string' is not assignable to type 'number'."]);
    // Completion comes from the new worker too.
    const completion = await s.executor.complete("kep", 3);
    expect(completion.matches).toContain("kept");
  });
});

describe("a cell too large for the native checker on the main thread", () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  it("is refused with what to do instead, and the session keeps its state and its checker", async () => {
    resultText(await s.run("const small = [1, 2, 3]"));
    const huge = await s.run(`const big = [${"1,".repeat(400_000)}]\nbig.length`);
    expect(huge.status === "error" && huge.ename).toBe("CheckerError");
    expect(huge.status === "error" && huge.evalue).toMatch(/too large to type-check \(781 KB of text; the limit is 512 KB\), so it did not run.*read it from a file/s);
    expect((await s.executor.complete(`${"1,".repeat(400_000)}sma`, 800_003)).matches).toEqual([]);
    expect(s.executor.checkerRestarts).toBe(0);
    // Just under the limit: checked and run.
    expect(resultText(await s.run(`const fits = [${"1,".repeat(200_000)}]\nfits.length + small.length`))).toBe("200003");
    const typeError = await s.run("const n: number = 'x'");
    expect(typeError.status === "error" && typeError.ename).toBe("TSError");
  });
});

describe("a checker that keeps stopping", () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  it("keeps Node's types and imports after a restart", async () => {
    resultText(await s.run('import { join } from "node:path"\nconst home: string = join("a", "b")'));
    process.kill(nativePid(s.executor), "SIGKILL");
    // The request that finds the process gone fails; the next one has a new checker.
    const failed = await s.run("home.length");
    expect(failed.status === "error" && failed.ename).toBe("CheckerError");
    expect(resultText(await s.run("join(home, 'c').length"))).toBe("5");
    expect((await s.executor.compilerStatus()).nodeTypes).toBe(true);
  });

  it("is given up after four stops within a minute, with a message saying what to do", async () => {
    for (let i = s.executor.checkerRestarts; i < 4; i++) {
      await s.executor.compilerStatus();
      process.kill(nativePid(s.executor), "SIGKILL");
      await s.run("1 + 1");
    }
    const outcome = await s.run("1 + 1");
    expect(outcome.status === "error" && outcome.ename).toBe("CheckerError");
    expect(outcome.status === "error" && outcome.evalue).toMatch(/not restarted again: restart the kernel, or turn checking off/);
  });
});
