/**
 * Error outcomes as a student should read them: type errors with the cell line, column, the
 * offending source line, a caret and, for the mistakes Python habits cause, a one-line hint
 * (beginner-hints.ts); runtime errors with the error's class, message and an
 * ipykernel-style traceback (traceback.ts).
 *
 * Boundary: no "typescript" here; positions come as source-map tables from the type checker.
 */
import { inspect } from "node:util";
import type { ErrorOutcome } from "../../executor.js";
import { MAX_ERROR_TEXT_CHARS, shownText } from "../../display/shown-text.js";
import type { CellDiagnostic, LineMappings } from "../shared/compiler-messages.js";
import { beginnerHint, elementWriteReceiver, isTensorElementWriteMessage } from "./beginner-hints.js";
import { type ShownLine, shownLine } from "./source-line.js";
import { CELL_URL_PREFIX, type CellRecord, tracebackFrames } from "./traceback.js";
import { v8Stack } from "./error-stacks.js";

export type { CellRecord } from "./traceback.js";

export function cellUrl(cellId: number): string {
  return `${CELL_URL_PREFIX}${cellId}.js`;
}

function cellLabel(executionCount: number): string {
  return `Cell In[${executionCount}]`;
}

/** Source excerpt with the line number and a caret under the column (a window of a very long line). */
function excerpt(shown: ShownLine, line: number): string[] {
  const number = String(line + 1);
  const gutter = " ".repeat(number.length);
  return [`${number} | ${shown.text}`, `${gutter} | ${" ".repeat(shown.caretOffset)}${"^".repeat(shown.caretLength)}`];
}

/**
 * @example
 * diagnosticsOutcome("TSError", [{ line: 0, column: 6, length: 1, message: "…", code: 2322, category: "error" }], "const x: number = 'a'", 3);
 */
export function diagnosticsOutcome(ename: string, diagnostics: CellDiagnostic[], code: string, executionCount: number, shapes?: ReadonlyMap<string, readonly number[]>): ErrorOutcome {
  const lines = code.split("\n");
  const traceback: string[] = [];
  diagnostics = withoutEchoesOfElementWrites(diagnostics);
  // A Python line like `import numpy as np` trips several diagnostics; its hint is said once.
  const hintsShown = new Set<string>();
  for (const d of diagnostics) {
    let hint = beginnerHint({ code: d.code, message: d.message, sourceLine: lines[d.line] ?? "", column: d.column, shapes });
    if (hint !== undefined && hintsShown.has(hint)) hint = undefined;
    if (hint !== undefined) hintsShown.add(hint);
    const shown = shownLine(lines[d.line] ?? "", d.column, d.length);
    // Code 0: a rule of the kernel's own, which has no TypeScript number.
    traceback.push(
      [
        `${cellLabel(executionCount)}, line ${d.line + 1}, column ${shown.column + 1}: ${d.message}${d.code === 0 ? "" : ` (TS${d.code})`}`,
        ...excerpt(shown, d.line),
        ...(hint ? [hint] : []),
      ].join("\n"),
    );
  }
  const first = diagnostics[0]!;
  const evalue = diagnostics.length === 1 ? first.message : `${first.message} (and ${diagnostics.length - 1} more)`;
  traceback.push(`${ename}: ${evalue}`);
  return { status: "error", ename, evalue, traceback };
}

/**
 * The variables a rejected cell tries to write an element of (`w` in `w[0] = 1`), so the hint can
 * name their shapes when an earlier cell made them.
 */
export function elementWriteReceivers(diagnostics: readonly CellDiagnostic[], code: string): string[] {
  const lines = code.split("\n");
  const names = diagnostics.filter((d) => isTensorElementWriteMessage(d.message)).map((d) => elementWriteReceiver(lines[d.line] ?? "", d.column));
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/**
 * `w[0] = 1` on a tensor is one mistake, but TypeScript reports it twice at the same place (the
 * element is read-only, and the number is not a Tensor): only the first, whose hint says what to
 * write, is shown.
 */
function withoutEchoesOfElementWrites(diagnostics: CellDiagnostic[]): CellDiagnostic[] {
  const writes = diagnostics.filter((d) => isTensorElementWriteMessage(d.message));
  if (writes.length === 0) return diagnostics;
  return diagnostics.filter((d) => writes.includes(d) || !writes.some((w) => w.line === d.line && w.column === d.column));
}

/**
 * ename/evalue/traceback for a value thrown by a cell (or by its timers and promises). A message
 * past MAX_ERROR_TEXT_CHARS is cut (shown-text.ts).
 *
 * @param hiddenRoots URL prefixes whose frames are never shown (the kernel, the preloaded library).
 * @example
 * runtimeErrorOutcome(new RangeError("bad"), cells, ["file:///opt/gradlab/dist/kernel/"]);
 */
export function runtimeErrorOutcome(thrown: unknown, cells: ReadonlyMap<number, CellRecord>, hiddenRoots: readonly string[] = []): ErrorOutcome {
  if (!(thrown instanceof Error) && !(typeof thrown === "object" && thrown !== null && "stack" in thrown)) {
    const evalue = shownText(typeof thrown === "string" ? thrown : inspect(thrown, { colors: false }), MAX_ERROR_TEXT_CHARS);
    return { status: "error", ename: "Error", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const error = thrown as Error;
  const ename = errorClassName(error);
  const evalue = shownText(String(error.message ?? ""), MAX_ERROR_TEXT_CHARS);
  const v8 = v8Stack(error);
  const stack = typeof v8 === "string" ? v8 : "";
  const traceback = [...tracebackFrames(stack, ename, cells, hiddenRoots), `${ename}: ${evalue}`];
  return { status: "error", ename, evalue, traceback };
}

/** The error's class (TypeError, RangeError, a user's class…), falling back to its name. */
function errorClassName(error: Error): string {
  const ctor = (error as { constructor?: { name?: unknown } }).constructor;
  const className = typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : undefined;
  if (error.name && error.name !== "Error") return error.name;
  return className ?? error.name ?? "Error";
}

/** The text printed on stderr for an error that escaped a timer or a promise. */
export function uncaughtText(outcome: ErrorOutcome, kind: string): string {
  return `${kind}:\n${outcome.traceback.join("\n")}\n`;
}
