/**
 * The kernel-wide switch GRADLAB_OPERATORS, through the real built executor: `=0` in the kernel's
 * environment leaves cells with plain TypeScript semantics (an operator on a tensor is a type
 * error); unset, the rewrite is on. The variable is read when a session starts, so each case
 * starts its own session with the environment it needs and restores the variable afterwards.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startKernelSession, type KernelSession } from "./kernel-session.js";

const VARIABLE = "GRADLAB_OPERATORS";
const saved = process.env[VARIABLE];
let current: KernelSession | undefined;

/** A fresh session started while GRADLAB_OPERATORS has `value` (undefined = unset). */
async function sessionWith(value: string | undefined): Promise<KernelSession> {
  if (value === undefined) delete process.env[VARIABLE];
  else process.env[VARIABLE] = value;
  current = await startKernelSession();
  return current;
}

afterEach(async () => {
  await current?.executor.shutdown(false);
  current = undefined;
  if (saved === undefined) delete process.env[VARIABLE];
  else process.env[VARIABLE] = saved;
});

describe("GRADLAB_OPERATORS", () => {
  it("=0 turns the rewrite off: an operator on a tensor is a TSError (TS2362) on that expression", async () => {
    const session = await sessionWith("0");
    const outcome = await session.run("tensor([1, 2]) * 3");
    expect(outcome.status).toBe("error");
    if (outcome.status !== "error") return;
    expect(outcome.ename).toBe("TSError");
    // TypeScript's own diagnostic for `*` on a non-number (TS2362: its text says "arithmetic
    // operation", not the symbol), shown with the cell's line containing the operator.
    expect(outcome.evalue).toMatch(/left-hand side of an arithmetic operation/);
    const traceback = outcome.traceback.join("\n");
    expect(traceback).toMatch(/Cell In\[1\], line 1, column 1: .*\(TS2362\)/);
    expect(traceback).toContain("1 | tensor([1, 2]) * 3");
    // Number-only code and method calls on tensors still run.
    const methods = await session.run("tensor([1, 2]).mul(3).toArray()");
    expect(methods.status).toBe("ok");
    if (methods.status === "ok") expect(methods.result?.data["text/plain"]).toBe("[ 3, 6 ]");
  });

  it("unset (the default) keeps the rewrite on: the same cell evaluates", async () => {
    const session = await sessionWith(undefined);
    const outcome = await session.run("(tensor([1, 2]) * 3).toArray()");
    expect(outcome.status, outcome.status === "error" ? outcome.evalue : "").toBe("ok");
    if (outcome.status === "ok") expect(outcome.result?.data["text/plain"]).toBe("[ 3, 6 ]");
  });
});
