/**
 * Runtime tracebacks as ipykernel shows them to a student: a header naming the error class, then
 * the frames outermost first ("Cell In[5], line 3, in bad" with the line under it, a caret under
 * the column), ending at the line that raised, then `ename: evalue` (added by the caller).
 *
 * Which frames are shown: the cells' own (mapped back to their TypeScript lines) and the user's
 * own files and packages. Hidden: the kernel, the preloaded library (a shape error thrown three
 * calls deep in the stdlib is the student's `.add` call, not `fail` in errors.js), Node's
 * internals and the inspector plumbing.
 *
 * Boundary: text only; positions come as source-map tables recorded per cell. No "typescript".
 */
import { readFileSync } from "node:fs";
import { sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { LineMappings } from "../shared/compiler-messages.js";
import { originalPosition } from "../shared/source-map.js";
import { shownLine } from "./source-line.js";

/** What the kernel remembers of each cell it ran, to map stack frames. */
export interface CellRecord {
  executionCount: number;
  lines: string[];
  mappings: LineMappings;
}

export const CELL_URL_PREFIX = "gradlab-cell-";

/** One V8 stack line: `at fn (location:line:column)` or `at location:line:column`. */
const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;
const CELL_LOCATION = new RegExp(`${CELL_URL_PREFIX}(\\d+)\\.js$`);
/** ipykernel's rule above a traceback. */
const RULE = "-".repeat(75);

interface Frame {
  /** The header line, e.g. "Cell In[5], line 3, in bad". */
  where: string;
  /** The source line with its marker and caret, when known. */
  source: string[];
  inCell: boolean;
}

/**
 * The traceback lines (without the final `ename: evalue`) for a V8 stack.
 *
 * @example
 * tracebackFrames(error.stack, "RangeError", cells, ["file:///opt/gradlab/dist/"]);
 * // ["-----…", "RangeError    Traceback (most recent call last)", "Cell In[3], line 2, in f\n----> 2 …\n        ^"]
 */
export function tracebackFrames(stack: string, ename: string, cells: ReadonlyMap<number, CellRecord>, hiddenRoots: readonly string[]): string[] {
  const innermostFirst: Frame[] = [];
  const files = new Map<string, string[] | undefined>();
  // Compared as paths: Node reports ES modules as file: URLs, vitest's module runner as plain paths.
  const hiddenPaths = hiddenRoots.map(toPath);
  for (const raw of stack.split("\n")) {
    const match = FRAME.exec(raw);
    if (!match) continue;
    const [, fn, location, lineText, columnText] = match as unknown as [string, string | undefined, string, string, string];
    const line = Number(lineText) - 1;
    const column = Number(columnText) - 1;
    const cellMatch = CELL_LOCATION.exec(location);
    if (cellMatch) {
      const cell = cells.get(Number(cellMatch[1]));
      const position = cell && originalPosition(cell.mappings, line, column);
      if (!cell || !position) continue;
      const name = functionName(fn);
      innermostFirst.push({
        where: `Cell In[${cell.executionCount}], line ${position.line + 1}${name ? `, in ${name}` : ""}`,
        source: sourceExcerpt(cell.lines, position.line, position.column),
        inCell: true,
      });
    } else if (!isHidden(location, hiddenPaths)) {
      const path = toPath(location);
      const name = functionName(fn);
      innermostFirst.push({
        where: `File ${path}:${line + 1}${name ? `, in ${name}` : ""}`,
        source: sourceExcerpt(fileLines(files, path), line, column),
        inCell: false,
      });
    }
  }
  const frames = innermostFirst.reverse();
  // Frames before the outermost cell frame are whoever ran the cell, never the student's code.
  const firstCell = frames.findIndex((f) => f.inCell);
  const shown = firstCell > 0 ? frames.slice(firstCell) : frames;
  if (shown.length === 0) return [];
  return [RULE, `${ename.padEnd(41)} Traceback (most recent call last)`, ...foldRepeats(shown.map((f) => [f.where, ...f.source, ""].join("\n")))];
}

/** Runs of the same frame longer than this are folded (a deep but finite recursion stays whole). */
const FOLD_RUNS_OVER = 20;
/** How many frames of a folded run are kept before the fold line (and one after it). */
const KEPT_BEFORE_FOLD = 3;

/**
 * Endless recursion fills the stack with one frame: its first few copies, one line saying how
 * many more there were, and the last copy, as IPython folds a recursion, rather than forty
 * identical frames to scroll past.
 */
function foldRepeats(frames: string[]): string[] {
  const out: string[] = [];
  for (let start = 0; start < frames.length; ) {
    let end = start + 1;
    while (end < frames.length && frames[end] === frames[start]) end++;
    const run = end - start;
    if (run > FOLD_RUNS_OVER) {
      out.push(...frames.slice(start, start + KEPT_BEFORE_FOLD), `[... the same frame ${run - KEPT_BEFORE_FOLD - 1} more times ...]`, frames[end - 1]!);
    } else out.push(...frames.slice(start, end));
    start = end;
  }
  return out;
}

/**
 * A V8 stack as a cell's own code reads it (`e.stack`, `console.log(e)` in a catch): frames in
 * cells at their TypeScript positions (`at inner (Cell In[7]:1:26)`), the frames a traceback
 * hides left out, and nothing past the outermost cell frame (the kernel that evaluated the cell).
 * A stack with no cell frame is returned as it is.
 *
 * @example
 * studentStack("Error: x\n    at f (gradlab-cell-3.js:2:9)\n    at Session.post (node:inspector:136:22)", cells, roots);
 * // "Error: x\n    at f (Cell In[5]:1:7)"
 */
export function studentStack(stack: string, cells: ReadonlyMap<number, CellRecord>, hiddenRoots: readonly string[]): string {
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((raw) => FRAME.test(raw));
  if (firstFrame < 0) return stack;
  const hiddenPaths = hiddenRoots.map(toPath);
  const frames: Array<{ text: string; inCell: boolean }> = [];
  for (const raw of lines.slice(firstFrame)) {
    const match = FRAME.exec(raw);
    if (!match) continue;
    const [, fn, location, lineText, columnText] = match as unknown as [string, string | undefined, string, string, string];
    const cellMatch = CELL_LOCATION.exec(location);
    if (cellMatch) {
      const cell = cells.get(Number(cellMatch[1]));
      const position = cell && originalPosition(cell.mappings, Number(lineText) - 1, Number(columnText) - 1);
      if (!cell || !position) continue;
      const name = functionName(fn);
      const where = `Cell In[${cell.executionCount}]:${position.line + 1}:${position.column + 1}`;
      frames.push({ text: `    at ${name ? `${name} (${where})` : where}`, inCell: true });
    } else if (!isHidden(location, hiddenPaths)) frames.push({ text: raw, inCell: false });
  }
  const lastCell = frames.map((f) => f.inCell).lastIndexOf(true);
  if (lastCell < 0) return stack;
  return [...lines.slice(0, firstFrame), ...frames.slice(0, lastCell + 1).map((f) => f.text)].join("\n");
}

/** The ids of the cells whose code is on a V8 stack (in no particular order). */
export function cellIdsOnStack(stack: string): Set<number> {
  const ids = new Set<number>();
  for (const raw of stack.split("\n")) {
    const match = FRAME.exec(raw);
    const cellMatch = match && CELL_LOCATION.exec(match[2]!);
    if (cellMatch) ids.add(Number(cellMatch[1]));
  }
  return ids;
}

/** The kernel, the preloaded library, Node's internals and the inspector's own frames. */
function isHidden(location: string, hiddenPaths: readonly string[]): boolean {
  if (location.startsWith("node:") || location === "<anonymous>" || location.endsWith("(<anonymous>)")) return true;
  const path = toPath(location);
  return hiddenPaths.some((root) => path.startsWith(root));
}

/** The name a student wrote, or undefined for top-level code and the kernel's wrappers. */
function functionName(fn: string | undefined): string | undefined {
  if (!fn || fn === "eval" || fn.startsWith("__gradlab") || /^(Timeout|Immediate)\./.test(fn) || fn === "<anonymous>") return undefined;
  // `Module.f`: V8 names a function called through a module namespace after the namespace.
  return fn.replace(/^async /, "").replace(/^Module\./, "");
}

/** IPython's `----> 3 code` line and a caret under the column. */
function sourceExcerpt(lines: readonly string[] | undefined, line: number, column: number): string[] {
  const text = lines?.[line];
  if (text === undefined) return [];
  const marker = `----> ${line + 1} `;
  const trimmed = text.trimEnd();
  const shown = shownLine(trimmed, column);
  if (column < 0 || column >= trimmed.length) return [marker + shown.text];
  return [marker + shown.text, " ".repeat(marker.length + shown.caretOffset) + "^"];
}

/** A file: URL as a path (a root's trailing slash kept); anything else unchanged. */
function toPath(location: string): string {
  if (!location.startsWith("file:")) return location;
  try {
    const path = fileURLToPath(location);
    return location.endsWith("/") && !path.endsWith(sep) ? path + sep : path;
  } catch {
    return location;
  }
}

/** A user file's lines, read once per traceback (undefined when it cannot be read). */
function fileLines(cache: Map<string, string[] | undefined>, path: string): string[] | undefined {
  if (!cache.has(path)) {
    let lines: string[] | undefined;
    try {
      lines = readFileSync(path, "utf8").split("\n");
    } catch {
      lines = undefined;
    }
    cache.set(path, lines);
  }
  return cache.get(path);
}
