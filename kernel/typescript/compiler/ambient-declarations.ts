/**
 * Declarations the checker sees before every cell: the kernel's own globals (display API, stdin),
 * and a small stand-in for Node's globals used while @types/node is not loaded.
 *
 * Why a stand-in: @types/node costs about 375 ms on the first check, 70 MB of memory and 3–7 ms on
 * every later cell, so it is loaded only once a cell needs it (see `needsNodeTypes`).
 */

/** The display and stdin globals that kernel/display and the executor install at run time. */
export const KERNEL_GLOBALS = `
interface GradlabDisplayOptions {
  /** Names this output so a later display(..., { displayId, update: true }) can replace it. */
  displayId?: string;
  /** Replace the output shown earlier under displayId instead of adding a new one. */
  update?: boolean;
  /** Extra metadata sent with the MIME bundle. */
  metadata?: Record<string, unknown>;
}
/** Shows a value as an output of the running cell: its Jupyter.display MIME bundle, or its text.
 * Returns nothing (an asynchronous bundle is still shown before the cell ends). */
declare function display(value: unknown, options?: GradlabDisplayOptions): void;
/** Clears the cell's output; with wait, only once the next output arrives. */
declare function clearOutput(options?: { wait?: boolean }): void;
/** A value shown as HTML. */
declare function html(source: string): { readonly html: string };
/** A value shown as Markdown. */
declare function markdown(source: string): { readonly markdown: string };
/** A value shown as LaTeX math (wrapped in $$ … $$ unless already delimited). */
declare function latex(source: string): { readonly latex: string };
/** A value shown as an SVG image. */
declare function svg(source: string): { readonly svg: string };
/** A value shown as a PNG image (bytes, or base64 text). */
declare function png(data: Uint8Array | string): { readonly png: string };
/** Asks the frontend for a line of input and waits for it (needs stdin allowed). */
declare function prompt(message?: string): string;
/** Asks the frontend for a line of input; resolves with the answer. */
declare function input(message?: string, options?: { password?: boolean }): Promise<string>;
/** Asks the frontend to leave, as IPython's \`exit\` does (jupyter console quits; \`exit\` without parentheses works too). */
declare function exit(keepKernel?: boolean): void;
/** The same as \`exit\`. */
declare function quit(keepKernel?: boolean): void;
`;

/** Just enough of Node's and the web's globals for everyday cells; replaced by @types/node on demand. */
export const LITE_GLOBALS = `
interface Console {
  log(...data: any[]): void;
  info(...data: any[]): void;
  warn(...data: any[]): void;
  error(...data: any[]): void;
  debug(...data: any[]): void;
  trace(...data: any[]): void;
  dir(item?: any, options?: any): void;
  table(tabularData?: any, properties?: string[]): void;
  assert(condition?: boolean, ...data: any[]): void;
  count(label?: string): void;
  countReset(label?: string): void;
  group(...data: any[]): void;
  groupEnd(): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  timeLog(label?: string, ...data: any[]): void;
}
declare var console: Console;
interface GradlabTimer { ref(): this; unref(): this; hasRef(): boolean; [Symbol.toPrimitive](): number }
declare function setTimeout<A extends any[]>(callback: (...args: A) => void, ms?: number, ...args: A): GradlabTimer;
declare function setTimeout(callback: (_: void) => void, ms?: number): GradlabTimer;
declare function setInterval<A extends any[]>(callback: (...args: A) => void, ms?: number, ...args: A): GradlabTimer;
declare function setInterval(callback: (_: void) => void, ms?: number): GradlabTimer;
declare function clearTimeout(timer: GradlabTimer | string | number | undefined): void;
declare function clearInterval(timer: GradlabTimer | string | number | undefined): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare var performance: { now(): number; timeOrigin: number };
`;

/** Node's globals (and web globals @types/node declares) that the lite stand-ins lack. */
export const NODE_GLOBALS = new Set(
  "process Buffer require global __dirname __filename NodeJS setImmediate clearImmediate URL URLSearchParams TextEncoder TextDecoder fetch AbortController AbortSignal Blob EventTarget Event crypto WebAssembly module exports Response Request Headers FormData ReadableStream WritableStream MessageChannel BroadcastChannel".split(
    " ",
  ),
);
const NODE_GLOBAL_NAMES = new RegExp(`\\b(${[...NODE_GLOBALS].join("|")})\\b`);
const MODULE_SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"']+)["']/g;

/**
 * Might this cell need Node's declarations (a Node global's name, or an import of a built-in
 * module, anywhere in its text, comments included)? A cheap first look: node-usage.ts confirms.
 *
 * @example
 * mayNeedNodeTypes('import { join } from "node:path"', (s) => s === "node:path"); // true
 */
export function mayNeedNodeTypes(code: string, isBuiltin: (specifier: string) => boolean): boolean {
  if (NODE_GLOBAL_NAMES.test(code)) return true;
  for (const match of code.matchAll(MODULE_SPECIFIER)) {
    if (isBuiltin(match[1]!)) return true;
  }
  return false;
}
