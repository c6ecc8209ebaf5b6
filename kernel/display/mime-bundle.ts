/**
 * A value's MIME bundle, by the convention Deno's kernel introduced: `text/plain` is Node's
 * inspect without colours, and a value with a `[Symbol.for("Jupyter.display")]()` method adds
 * (or overrides) whatever MIME data that method returns — possibly through a Promise.
 *
 * Boundary: knows nothing of TypeScript, sinks or cells.
 */
import { inspect } from "node:util";
import type { MimeBundle } from "../executor.js";
import { MAX_VALUE_TEXT_CHARS, shownText } from "./shown-text.js";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/**
 * The text Jupyter shows for a value: util.inspect without ANSI colours. An error shown as a value
 * (not thrown) reads as its class and message, as Python's repr of an exception does: its stack
 * would be the frames of the kernel that evaluated the cell, which mean nothing to a student.
 * Text past MAX_VALUE_TEXT_CHARS is cut (shown-text.ts).
 */
export function plainText(value: unknown): string {
  return shownText(inspectedText(value), MAX_VALUE_TEXT_CHARS);
}

function inspectedText(value: unknown): string {
  if (typeof value === "string") return inspect(value, { colors: false });
  // Set for this call only, so that console.log in a cell keeps Node's own format.
  const renderers: Array<[Record<symbol, unknown>, unknown]> = [[Error.prototype as never, errorWithoutStack], [timeoutPrototype(), timerSummary]];
  const saved = renderers.map(([proto]) => Object.getOwnPropertyDescriptor(proto, inspect.custom));
  for (const [proto, render] of renderers) proto[inspect.custom] = render;
  try {
    return inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
  } finally {
    renderers.forEach(([proto], i) => {
      const own = saved[i];
      if (own) Object.defineProperty(proto, inspect.custom, own);
      else delete proto[inspect.custom];
    });
  }
}

let timeoutProto: Record<symbol, unknown> | undefined;

/** The prototype of Node's Timeout objects (what setTimeout and setInterval return). */
function timeoutPrototype(): Record<symbol, unknown> {
  if (!timeoutProto) {
    const probe = setTimeout(() => undefined, 60_000);
    clearTimeout(probe);
    timeoutProto = Object.getPrototypeOf(probe) as Record<symbol, unknown>;
  }
  return timeoutProto;
}

/**
 * A timer as what it will do: `setTimeout(f, 1000)` as a cell's last line showed a dozen of
 * Node's private fields (`_idleTimeout`, `_idlePrev`, …).
 */
function timerSummary(this: { _idleTimeout?: unknown; _repeat?: unknown; _destroyed?: unknown }): string {
  const repeat = typeof this._repeat === "number" ? this._repeat : undefined;
  const stopped = this._destroyed === true;
  if (repeat !== undefined) return `Timeout (every ${repeat} ms${stopped ? ", cleared" : ""})`;
  return `Timeout (once, after ${String(this._idleTimeout)} ms${stopped ? ", done or cleared" : ""})`;
}

/** `Error: message`, then its own properties (such as `code`) as inspect shows an object. */
function errorWithoutStack(this: Error, _depth: number, options: object): string {
  const stack = typeof this.stack === "string" ? this.stack : "";
  const firstFrame = stack.search(/\n\s+at /);
  const header = firstFrame > 0 ? stack.slice(0, firstFrame) : stack || `${this.name}: ${this.message}`;
  const extra = Object.fromEntries(Object.entries(this).filter(([key]) => key !== "stack" && key !== "message"));
  return Object.keys(extra).length > 0 ? `${header} ${inspect(extra, options)}` : header;
}

function richData(value: unknown): unknown {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return undefined;
  let method: unknown;
  try {
    method = (value as Record<symbol, unknown>)[JUPYTER_DISPLAY];
  } catch {
    return undefined;
  }
  return typeof method === "function" ? (method as () => unknown).call(value) : undefined;
}

function merge(value: unknown, rich: unknown): MimeBundle {
  const bundle: MimeBundle = { "text/plain": plainText(value) };
  if (rich && typeof rich === "object") {
    for (const [mime, data] of Object.entries(rich)) checkMimeData(mime, data);
    Object.assign(bundle, rich);
  }
  return bundle;
}

/** `application/json` and the `…+json` types (plotly's, widgets') hold any JSON. */
const JSON_MIME = /^application\/(.+\+)?json$/;

/**
 * The notebook format holds text for every other MIME type (base64 for images): a number there
 * went to the notebook as it was, which no frontend renders and nbformat's schema refuses when the
 * notebook is saved. Thrown, it fails the cell that made the bundle, as a display method's own
 * error does.
 */
function checkMimeData(mime: string, data: unknown): void {
  if (JSON_MIME.test(mime) || typeof data === "string" || data === undefined) return;
  const what = data === null ? "null" : Array.isArray(data) ? "an array" : typeof data === "object" ? "an object" : `a ${typeof data}`;
  throw new TypeError(
    `the Jupyter.display bundle's "${mime}" is ${what}, not text: every MIME type but JSON ones (application/json, …+json) ` +
      "holds a string (base64 for images)",
  );
}

/**
 * The bundle at once when the value's display method is synchronous, else a Promise of it.
 *
 * @example
 * mimeBundle({ [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>hi</b>" }) });
 * // { "text/plain": "{ … }", "text/html": "<b>hi</b>" }
 */
export function mimeBundle(value: unknown): MimeBundle | Promise<MimeBundle> {
  const rich = richData(value);
  if (rich && typeof (rich as PromiseLike<unknown>).then === "function") {
    return Promise.resolve(rich).then((resolved) => merge(value, resolved));
  }
  return merge(value, rich);
}
