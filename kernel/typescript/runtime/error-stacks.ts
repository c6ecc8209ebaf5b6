/**
 * The `stack` of errors whose frames pass through cells, as a student reads it. V8 writes an
 * error's stack once, when it is first read; this module's `Error.prepareStackTrace` writes it
 * with the cells' TypeScript positions and without the kernel's frames (traceback.ts'
 * `studentStack`), so `console.log(e)` in a catch shows `at inner (Cell In[7]:1:26)` instead of the
 * emitted JavaScript's `gradlab-cell-7.js:1:33` followed by the kernel's inspector plumbing.
 *
 * The kernel itself needs V8's own frames (a traceback maps them, and the cells on a stack decide
 * which cell an error belongs to): `v8Stack(error)` gives them back. A stack without cell frames
 * (the kernel's own errors) is V8's own text, or the text of the `Error.prepareStackTrace` that
 * was there before.
 *
 * Runs on: the main thread. Boundary: stack text only; the cells' records come from the executor.
 */
import { CELL_URL_PREFIX, type CellRecord, studentStack } from "./traceback.js";

/** V8's own stack text of each error whose shown stack was rewritten. */
const v8Stacks = new WeakMap<object, string>();

/** V8's default stack text: `Name: message`, then one `    at …` line per call site. */
function defaultStack(error: unknown, callSites: readonly NodeJS.CallSite[]): string {
  let header: string;
  try {
    header = Error.prototype.toString.call(error);
  } catch {
    header = "Error";
  }
  return header + callSites.map((site) => `\n    at ${String(site)}`).join("");
}

/**
 * Installs the rewrite for every error made from now on in this thread.
 *
 * @example
 * installStudentStacks(cells, hiddenRoots);
 * try { cellCode(); } catch (e) { e.stack; v8Stack(e); } // student's text; V8's text
 */
export function installStudentStacks(cells: ReadonlyMap<number, CellRecord>, hiddenRoots: readonly string[]): void {
  // One installed before (Node's --enable-source-maps, a test runner's) still writes the frames.
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error, callSites: NodeJS.CallSite[]): unknown => {
    const v8: unknown = previous ? previous(error, callSites) : defaultStack(error, callSites);
    if (typeof v8 !== "string" || !v8.includes(CELL_URL_PREFIX) || typeof error !== "object" || error === null) return v8;
    try {
      const shown = studentStack(v8, cells, hiddenRoots);
      if (shown !== v8) v8Stacks.set(error, v8);
      return shown;
    } catch {
      return v8;
    }
  };
}

/** The stack of `thrown` as V8 wrote it (with the kernel's frames and the emitted positions). */
export function v8Stack(thrown: unknown): unknown {
  if (typeof thrown !== "object" || thrown === null) return undefined;
  let shown: unknown;
  try {
    // Reading it first makes V8 write it, and so fills v8Stacks.
    shown = (thrown as { stack?: unknown }).stack;
  } catch {
    return undefined;
  }
  return v8Stacks.get(thrown) ?? shown;
}
