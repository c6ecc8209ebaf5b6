/**
 * What a TypeScript session needs of its type checker, whichever thread runs it: TypeScript 7's
 * native checker driven from the main thread (main-thread-checker.ts), or TypeScript 6's in the
 * compiler worker (compiler-client.ts).
 *
 * Runs on: the main thread.
 */
import { logKernel } from "../../protocol/log.js";
import type { DeclarationsSnapshot } from "../compiler/cell-declarations.js";
import type { CompilerRequestName, CompilerRequests } from "../shared/compiler-messages.js";

/** The type checker could not handle a cell, which did not run (shown to the user as a CheckerError). */
export class CheckerError extends Error {
  override name = "CheckerError";
}

/**
 * The CheckerError a student sees when the checker threw on a request (`detail`: what it threw,
 * stack included). The stack names the kernel's and TypeScript's own files, which a student can
 * do nothing with: it goes to the kernel's log, and the cell's error says what happened and, for
 * a cell nested too deeply to walk (`[[[…]]]` thousands deep), what to do.
 *
 * @example
 * throw checkerFailure(response.error);
 */
export function checkerFailure(detail: string): CheckerError {
  logKernel(`the type checker failed on a request: ${detail}`);
  const summary = detail.split("\n", 1)[0]!.slice(0, 200);
  if (/Maximum call stack size exceeded/.test(summary)) {
    return new CheckerError("this cell is nested too deeply for the type checker (Maximum call stack size exceeded), so it did not run: split the deepest expression into smaller parts held in variables");
  }
  return new CheckerError(`the type checker failed on this cell (${summary}), so it did not run; the variables of earlier cells are kept`);
}

/** An interrupt stopped the type checker while it worked on the cell, which did not run. */
export class CheckInterrupted extends Error {
  override name = "KeyboardInterrupt";
}

/** The bit of a declaration entry's `meanings` that says it declares a value (CellDeclarations). */
const VALUE_MEANING = 1;

export interface SessionChecker {
  /**
   * Answers one request (every request the same way; the names and types come from
   * CompilerRequests). Requests are answered in the order they are made.
   *
   * @example
   * const completion = await checker.call("complete", "torch.ex", 8);
   */
  call<K extends CompilerRequestName>(method: K, ...args: CompilerRequests[K]["args"]): Promise<CompilerRequests[K]["result"]>;
  /** The value names (variables, functions, classes; not imports) that cell `cellId` declared at its top level. */
  valueNamesOf(cellId: number): string[];
  /** How many times the checker stopped and was replaced. */
  readonly restartCount: number;
  /** Stops the checker (and its native process); later requests fail. */
  terminate(): Promise<void>;
  /** Something the notebook's user should read once (e.g. that cells are checked by the slower fallback), then undefined. */
  takeNotice?(): string | undefined;
}

/** The value names a recorded cell declared, from a snapshot of the declarations. */
export function valueNamesOf(declarations: DeclarationsSnapshot, cellId: number): string[] {
  return declarations.entries.filter((entry) => entry.cellId === cellId && (entry.meanings & VALUE_MEANING) !== 0 && entry.importLine === undefined).map((entry) => entry.name);
}
