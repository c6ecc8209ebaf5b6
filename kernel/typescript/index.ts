/**
 * Entry point of the TypeScript side of the kernel (what kernel/main.ts loads).
 *
 * Cells are TypeScript checked with types flowing from earlier cells (a language service in a
 * worker thread) and run in V8's REPL mode on the main thread. Checking is on unless the option
 * `typeCheck: false` or the environment variable GRADLAB_TYPECHECK=0 turns it off kernel-wide; a
 * cell whose first line is `// @ts-nocheck` runs without it. The tensor-operators rewrite is on
 * unless `operators: false` or GRADLAB_OPERATORS=0 turns it off (cells then have plain TypeScript
 * semantics: `tensor([1, 2]) * 3` is a type error). The checker is TypeScript 7's native compiler
 * unless `checker: "typescript6"` or GRADLAB_CHECKER=typescript6 asks for TypeScript 6's (also the
 * fallback where the native compiler has no binary for the platform).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Executor } from "../executor.js";
import { packageRoot } from "./language-info.js";
import type { CheckerKind } from "./shared/compiler-messages.js";
import { TypeScriptExecutor } from "./runtime/typescript-executor.js";

export interface TypeScriptExecutorOptions {
  /** Report type errors before running a cell (default: on unless GRADLAB_TYPECHECK=0). */
  typeCheck?: boolean;
  /** Rewrite operators on tensors (`a + b` → `__gradlabOps.add(a, b)`, type-directed; default: on unless GRADLAB_OPERATORS=0). */
  operators?: boolean;
  /** The notebook's directory: relative imports and node_modules resolve from here (default: process.cwd()). */
  cwd?: string;
  /** The preloaded library; default the package's built stdlib (dist/stdlib/index.js + .d.ts); null for none. */
  library?: { module: string; types: string } | null;
  /** The type checker worker's heap limit in MB (default GRADLAB_CHECKER_HEAP_MB or 160). */
  checkerHeapMb?: number;
  /** Which type checker (default: "native" unless GRADLAB_CHECKER=typescript6). */
  checker?: CheckerKind;
}

/**
 * Starts a session. Resolves at once: TypeScript loads and the checker warms up in a worker
 * thread, and a cell that arrives earlier waits for it.
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
  const root = packageRoot();
  const cwd = options.cwd ?? process.cwd();
  const typeCheck = options.typeCheck ?? process.env["GRADLAB_TYPECHECK"] !== "0";
  const operators = options.operators ?? process.env["GRADLAB_OPERATORS"] !== "0";
  const checker: CheckerKind = options.checker ?? (process.env["GRADLAB_CHECKER"] === "typescript6" ? "typescript6" : "native");
  let library: { module: string; types: string } | undefined;
  if (options.library !== undefined) library = options.library ?? undefined;
  else if (root) {
    const module = join(root, "dist", "stdlib", "index.js");
    const types = join(root, "dist", "stdlib", "index.d.ts");
    if (existsSync(module) && existsSync(types)) library = { module, types };
  }
  return new TypeScriptExecutor({
    cwd,
    typeCheck,
    operators,
    checker,
    library,
    fallbackModuleDirs: root ? [root] : [],
    kernelRoot: new URL("../", import.meta.url).href,
    ...(options.checkerHeapMb === undefined ? {} : { checkerHeapMb: options.checkerHeapMb }),
  });
}

export { TypeScriptExecutor } from "./runtime/typescript-executor.js";
export { typescriptLanguageInfo } from "./language-info.js";
