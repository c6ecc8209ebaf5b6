/**
 * The display API that cells see as globals: display(), clearOutput(), and the html / markdown /
 * latex / svg / png helpers; plus the end-of-cell showing of pending figures (the convention with
 * the plots library: a figure made in a cell pushes itself onto
 * `globalThis[Symbol.for("gradlab.pendingFigures")]` — which the executor creates at startup, and
 * without which figures do not register — and shows when the cell ends, like matplotlib inline).
 *
 * Boundary: knows nothing of TypeScript or of the protocol; outputs go to a DisplayChannel.
 */
import type { JsonObject, MimeBundle } from "../executor.js";
import { JUPYTER_DISPLAY, mimeBundle } from "./mime-bundle.js";

/** Where display outputs go (the executor's output router implements it). */
export interface DisplayChannel {
  displayData(data: MimeBundle, metadata: JsonObject, displayId?: string): void;
  updateDisplayData(data: MimeBundle, metadata: JsonObject, displayId: string): void;
  clearOutput(wait: boolean): void;
}

export interface DisplayOptions {
  displayId?: string;
  update?: boolean;
  metadata?: JsonObject;
}

export const PENDING_FIGURES = Symbol.for("gradlab.pendingFigures");

/** A value that shows as one MIME type (what html(), markdown(), … return). */
class RichOutput {
  constructor(
    private readonly mime: string,
    private readonly content: string,
    private readonly plain: string,
  ) {}
  [JUPYTER_DISPLAY](): MimeBundle {
    return { [this.mime]: this.content, "text/plain": this.plain };
  }
}

function rich<K extends string>(key: K, mime: string, content: string, plain: string): { readonly [P in K]: string } {
  const output = new RichOutput(mime, content, plain);
  Object.defineProperty(output, key, { value: content, enumerable: true });
  return output as unknown as { readonly [P in K]: string };
}

/**
 * Makes the display globals for one session. `inflight` collects the promises of displays whose
 * bundle is asynchronous, so the executor can wait for them before the cell ends; `failed` gets
 * the error of such a display (a bundle that rejects, or that cannot be sent), since no caller
 * holds a promise to see it.
 *
 * display() returns nothing, as IPython's does: a cell ending in `display(x)` then shows x once,
 * and no `Out[n]` for the call's value.
 *
 * @example
 * const api = createDisplayApi(channel, new Set(), (error) => console.error(error));
 * api.display(api.html("<b>bold</b>"));
 */
export function createDisplayApi(channel: DisplayChannel, inflight: Set<Promise<unknown>>, failed: (error: unknown) => void) {
  const show = (bundle: MimeBundle, options: DisplayOptions) => {
    const metadata = options.metadata ?? {};
    if (options.update) {
      if (!options.displayId) throw new Error("display(value, { update: true }) needs the displayId of the output to update");
      channel.updateDisplayData(bundle, metadata, options.displayId);
    } else channel.displayData(bundle, metadata, options.displayId);
  };
  /** Shows `value`; the promise settles (never rejects: failures go to `failed`) once it is sent. */
  const displayed = (value: unknown, options: DisplayOptions = {}): Promise<void> => {
    const bundle = mimeBundle(value);
    if (!(bundle instanceof Promise)) {
      show(bundle, options);
      return Promise.resolve();
    }
    const shown = bundle.then((b) => show(b, options));
    inflight.add(shown);
    return shown.then(
      () => void inflight.delete(shown),
      (error: unknown) => {
        inflight.delete(shown);
        failed(error);
      },
    );
  };
  const display = (value: unknown, options: DisplayOptions = {}): void => void displayed(value, options);
  return {
    /** For the executor (not a global): display() that can be awaited, to keep figures in order. */
    displayed,
    display,
    clearOutput: (options: { wait?: boolean } = {}) => channel.clearOutput(options.wait ?? false),
    html: (source: string) => rich("html", "text/html", source, "[HTML]"),
    markdown: (source: string) => rich("markdown", "text/markdown", source, source),
    latex: (source: string) => {
      const delimited = /^\s*(\$|\\\[|\\begin)/.test(source) ? source : `$$${source}$$`;
      return rich("latex", "text/latex", delimited, source);
    },
    svg: (source: string) => rich("svg", "image/svg+xml", source, "[SVG image]"),
    png: (data: Uint8Array | string) => {
      const base64 = typeof data === "string" ? data : Buffer.from(data).toString("base64");
      return rich("png", "image/png", base64, "[PNG image]");
    },
  };
}

/**
 * The pending-figures array, created if absent. Creating it is how a kernel declares that it
 * drains figures at every cell's end: the plots library registers figures only when the array
 * exists (in plain Node they would pile up forever), so the executor calls this at startup.
 */
export function pendingFigures(): unknown[] {
  const slot = globalThis as unknown as Record<symbol, unknown[] | undefined>;
  let figures = slot[PENDING_FIGURES];
  if (!Array.isArray(figures)) {
    figures = [];
    slot[PENDING_FIGURES] = figures;
  }
  return figures;
}

/**
 * Shows every pending figure except `shownAsResult` (already the cell's execute_result) and
 * empties the array.
 */
export async function showPendingFigures(display: (value: unknown) => Promise<void>, shownAsResult: unknown): Promise<void> {
  const figures = pendingFigures();
  if (figures.length === 0) return;
  const taken = figures.splice(0, figures.length);
  for (const figure of taken) {
    if (figure !== shownAsResult) await display(figure);
  }
}
