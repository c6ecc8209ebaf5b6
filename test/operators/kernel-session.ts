/**
 * Operator tests through the real built executor (dist/kernel/typescript/index.js, whose compiler
 * worker loads the operators rewrite) with the real preloaded stdlib: a session factory and the
 * two ways the tests read an outcome.
 */
import { expect } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ExecuteOutcome, Executor } from "../../kernel/executor.js";
import { RecordingSink, ROOT } from "../typescript/helpers.js";

const entry = path.join(ROOT, "dist/kernel/typescript/index.js");

export interface KernelSession {
  executor: Executor;
  run(code: string): Promise<ExecuteOutcome>;
}

/** A fresh session; it reads GRADLAB_* settings from process.env when it starts (`checker` overrides GRADLAB_CHECKER, `operators` GRADLAB_OPERATORS). */
export async function startKernelSession(options: { checker?: "native" | "typescript6"; operators?: boolean } = {}): Promise<KernelSession> {
  expect(existsSync(entry), "the build emits dist/kernel/typescript/index.js").toBe(true);
  const { createTypeScriptExecutor } = (await import(pathToFileURL(entry).href)) as {
    createTypeScriptExecutor: (options: object) => Promise<Executor>;
  };
  const executor = await createTypeScriptExecutor({ cwd: ROOT, typeCheck: true, ...options });
  let count = 0;
  return {
    executor,
    run: (code) =>
      executor.execute(
        { code, silent: false, storeHistory: true, executionCount: ++count, userExpressions: {}, allowStdin: false },
        new RecordingSink(),
      ),
  };
}

/** The text/plain of an ok outcome's value ("" when it has none); a failed cell throws its error. */
export function plain(outcome: ExecuteOutcome): string {
  if (outcome.status !== "ok") throw new Error(`cell failed: ${outcome.ename}: ${outcome.evalue}\n${outcome.traceback.join("\n")}`);
  return String(outcome.result?.data["text/plain"] ?? "");
}

/** An error outcome as one text (ename, evalue, traceback); asserts the cell failed. */
export function errorText(outcome: ExecuteOutcome): string {
  expect(outcome.status).toBe("error");
  return outcome.status === "error" ? `${outcome.ename}: ${outcome.evalue}\n${outcome.traceback.join("\n")}` : "";
}
