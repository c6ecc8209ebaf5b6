/**
 * Entry point of the TypeScript side of the kernel (what kernel/main.ts loads).
 *
 * Cells are TypeScript checked with types flowing from earlier cells (TypeScript 7's native
 * checker, a child process driven from the main thread; TypeScript 6's language service in a
 * worker thread where asked for) and run in V8's REPL mode on the main thread. Checking is on unless the option
 * `typeCheck: false` or the environment variable GRADLAB_TYPECHECK=0 turns it off kernel-wide; a
 * cell whose first line is `// @ts-nocheck` runs without it. The tensor-operators rewrite is on
 * unless `operators: false` or GRADLAB_OPERATORS=0 turns it off (cells then have plain TypeScript
 * semantics: `tensor([1, 2]) * 3` is a type error). The checker is TypeScript 7's native compiler
 * unless `checker: "typescript6"` or GRADLAB_CHECKER=typescript6 asks for TypeScript 6's (also the
 * fallback where the native compiler has no binary for the platform).
 */
import type { Executor } from "../executor.js";
import { TypeScriptExecutor } from "./runtime/typescript-executor.js";
import { executorSettings, takePrestartedChecker, type TypeScriptExecutorOptions } from "./session-settings.js";

/**
 * Starts a session. Resolves at once: the checker starts and warms up (its native process) on the
 * next turn of the event loop, and a cell that arrives earlier waits for it.
 *
 * @example
 * const executor = await createTypeScriptExecutor({ cwd: process.cwd() });
 * const outcome = await executor.execute({ code: "1 + 1", silent: false, storeHistory: true,
 *   executionCount: 1, userExpressions: {}, allowStdin: false }, sink);
 */
export async function createTypeScriptExecutor(options: TypeScriptExecutorOptions = {}): Promise<Executor> {
  return createSession(options);
}

/** The same, typed as the concrete session (benchmarks read its compiler status). */
export function createSession(options: TypeScriptExecutorOptions = {}): TypeScriptExecutor {
  const settings = executorSettings(options);
  const startedChecker = takePrestartedChecker(settings);
  return new TypeScriptExecutor({ ...settings, ...(startedChecker ? { startedChecker } : {}) });
}

export { TypeScriptExecutor } from "./runtime/typescript-executor.js";
export { typescriptLanguageInfo } from "./language-info.js";
export { prestartChecker, type TypeScriptExecutorOptions } from "./session-settings.js";
