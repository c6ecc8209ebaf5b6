/**
 * The checker worker stopping (out of memory, or killed): the cell it was checking fails with a
 * clear CheckerError, a new worker takes over with the earlier cells' declarations, and checking
 * keeps working; a worker that keeps stopping is given up with a message saying what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Worker } from "node:worker_threads";
import type { TypeScriptExecutor } from "../../kernel/typescript/runtime/typescript-executor.js";
import { resultText, startSession, type Session } from "./helpers.js";

/** The executor's current compiler worker (private; reached for the test only). */
function checkerWorker(executor: TypeScriptExecutor): Worker {
  return (executor as unknown as { compiler: { worker: Worker } }).compiler.worker;
}

describe("a checker that runs out of memory", () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ checkerHeapMb: 64 });
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
    await checkerWorker(s.executor).terminate();
    expect(resultText(await s.run("join(home, 'c').length"))).toBe("5");
    expect((await s.executor.compilerStatus()).nodeTypes).toBe(true);
  });

  it("is given up after four stops within a minute, with a message saying what to do", async () => {
    for (let i = s.executor.checkerRestarts; i < 4; i++) {
      await s.executor.compilerStatus();
      await checkerWorker(s.executor).terminate();
    }
    const outcome = await s.run("1 + 1");
    expect(outcome.status === "error" && outcome.ename).toBe("CheckerError");
    expect(outcome.status === "error" && outcome.evalue).toMatch(/not restarted again: restart the kernel, or turn checking off/);
  });
});
