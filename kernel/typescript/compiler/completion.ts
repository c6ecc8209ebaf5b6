/**
 * complete_request: names the language service offers at the cursor (members after `.`, globals,
 * earlier cells' names, the preloaded library, keywords), filtered by the word being typed, with
 * the kinds a user expects (completion-kinds.ts). Runs in the compiler worker.
 */
import type * as TS from "typescript";
import type { CompleteResult } from "../../executor.js";
import type { CellCompiler } from "./cell-compiler.js";
import { completionKinds } from "./completion-kinds.js";
import type { CellLanguageHost } from "./language-host.js";

export const MAX_MATCHES = 400;

/** Start of the identifier that ends at `cursor`. */
export function wordStart(code: string, cursor: number): number {
  // Clamped here too, not only at the protocol edge: past the end `code[i]` is undefined, which
  // the test below reads as the word "undefined" and would walk back one step per unit of cursor.
  let start = Math.max(0, Math.min(cursor, code.length));
  while (start > 0 && /[\p{L}\p{N}_$]/u.test(code[start - 1]!)) start--;
  return start;
}

/**
 * The completions at `cursor` in `code` (a whole cell), ranked by TypeScript's sortText (locals
 * before globals, ...) then by name, with names starting `_` or `#` (a library's internals) shown
 * only once the user has typed that character.
 *
 * @example
 * complete(ts, host, compiler, "torch.ex", 8); // { matches: ["exp", "expm1", …], types: [{ text: "exp", type: "function", … }] }
 */
export function complete(ts: typeof TS, host: CellLanguageHost, compiler: CellCompiler, code: string, cursor: number): CompleteResult {
  const at = compiler.loadForQuery(code, cursor);
  const word = wordStart(code, cursor);
  // `this.#fi|`: TypeScript's names of private fields include their `#`.
  const start = code[word - 1] === "#" ? word - 1 : word;
  const typed = code.slice(start, cursor);
  const prefix = typed.toLowerCase();
  const completions = host.service.getCompletionsAtPosition(host.names.cell, at, {
    includeCompletionsForModuleExports: false,
    includeCompletionsWithInsertText: true,
  });
  const showInternals = typed.startsWith("_") || typed.startsWith("#");
  const entries = (completions?.entries ?? [])
    .filter((e) => e.name.toLowerCase().startsWith(prefix) && !e.name.startsWith("__gradlab") && (showInternals || !isInternalName(e.name)))
    .sort((a, b) => compareText(a.sortText, b.sortText) || compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name))
    .slice(0, MAX_MATCHES);
  const kindOf = completionKinds(ts, host.program(), host.names.cell, at, completions?.isMemberCompletion ?? false);
  return {
    matches: entries.map((e) => e.name),
    cursorStart: start,
    cursorEnd: cursor,
    types: entries.map((e) => ({ text: e.name, type: kindOf(e), start, end: cursor })),
  };
}

/** `_contig`, `#freed`: conventionally private, noise in a student's completion list. */
export function isInternalName(name: string): boolean {
  return name.startsWith("_") || name.startsWith("#");
}

/** Code-unit order (not the locale's, which ranks `_` and case unpredictably across systems). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
