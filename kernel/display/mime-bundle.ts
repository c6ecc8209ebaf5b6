/**
 * A value's MIME bundle, by the convention Deno's kernel introduced: `text/plain` is Node's
 * inspect without colours, and a value with a `[Symbol.for("Jupyter.display")]()` method adds
 * (or overrides) whatever MIME data that method returns — possibly through a Promise.
 *
 * Boundary: knows nothing of TypeScript, sinks or cells.
 */
import { inspect } from "node:util";
import type { MimeBundle } from "../executor.js";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/** The text Jupyter shows for a value: util.inspect without ANSI colours. */
export function plainText(value: unknown): string {
  if (typeof value === "string") return inspect(value, { colors: false });
  return inspect(value, { colors: false, depth: 4, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
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
  if (rich && typeof rich === "object") Object.assign(bundle, rich);
  return bundle;
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
