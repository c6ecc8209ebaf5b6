/**
 * A figure: a grid of 2-d and 3-d axes that displays itself in Jupyter as a plotly figure.
 *
 * Role: lay out subplots, assemble `{data, layout, config}` deterministically (no uids, keys
 * always in the same order), write the short `text/plain` summary, and answer
 * `[Symbol.for("Jupyter.display")]()`: display by convention, so the library never imports
 * the kernel and a figure displays the same way in any host that knows the convention. New figures register themselves for display at the end of the cell (pending.ts).
 */

import { Axes, type AxesBase } from "./axes.js";
import { Axes3D } from "./axes3d.js";
import { registerPending } from "./pending.js";
import { checkFigsize, PX_PER_INCH, settings } from "./settings.js";

/** The MIME type a figure displays as (plotly's JSON), which JupyterLab's plotly renderer draws. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
}

export interface FigureOptions {
  /** [width, height] in inches (default: the current `d2l.setFigsize` / `configurePlots` size). */
  figsize?: readonly [number, number];
  /** Register for display at the end of the cell (default true). */
  show?: boolean;
}

export interface SubplotOptions {
  projection?: "3d" | "rectilinear";
}

type AnyAxes = Axes | Axes3D;

/** 3-d scenes need room to be turned; a figure with one gets at least this many pixels. */
const MIN_3D_PX: [number, number] = [480, 400];

/**
 * A figure (matplotlib's `Figure`): its axes, size and title; shown when the cell that made it
 * ends, or with `display(fig)`. Made by `d2l.plt.figure()` or `new Figure()`.
 * @example const fig = d2l.plt.figure({ figsize: [4, 3] }); fig.addSubplot(111).plot([0, 1], [1, 0]);
 */
export class Figure {
  /** The axes in the order they were added. */
  readonly axes: AnyAxes[] = [];
  figsize: [number, number];
  suptitle?: string;
  private readonly grid = new Map<AnyAxes, { nrows: number; ncols: number; index: number }>();
  private current?: AnyAxes;

  constructor(options: FigureOptions = {}) {
    this.figsize = checkFigsize(options.figsize ?? settings.figsize);
    if (options.show !== false) registerPending(this);
  }

  /**
   * Adds axes at `nrows, ncols, index` (or the three digits `111`), 2-d or `projection: "3d"`.
   * @example const ax = d2l.plt.figure().addSubplot(111, { projection: "3d" })
   */
  addSubplot(spec: number, options: SubplotOptions & { projection: "3d" }): Axes3D;
  addSubplot(spec: number, options?: SubplotOptions): Axes;
  addSubplot(nrows: number, ncols: number, index: number, options: SubplotOptions & { projection: "3d" }): Axes3D;
  addSubplot(nrows: number, ncols: number, index: number, options?: SubplotOptions): Axes;
  addSubplot(a: number, b?: number | SubplotOptions, c?: number, d?: SubplotOptions): AnyAxes {
    let nrows: number, ncols: number, index: number, options: SubplotOptions;
    if (typeof b === "number") {
      [nrows, ncols, index, options] = [a, b, c ?? 1, d ?? {}];
    } else {
      if (!Number.isInteger(a) || a < 111 || a > 999) {
        throw new RangeError(`addSubplot: give three digits like 111 or (nrows, ncols, index), got ${a}`);
      }
      [nrows, ncols, index, options] = [Math.floor(a / 100), Math.floor(a / 10) % 10, a % 10, b ?? {}];
    }
    if (!(index >= 1 && index <= nrows * ncols)) {
      throw new RangeError(`addSubplot: index ${index} is outside a ${nrows}×${ncols} grid (1..${nrows * ncols})`);
    }
    const ax = options.projection === "3d" ? new Axes3D() : new Axes();
    ax.figure = this;
    this.axes.push(ax);
    this.grid.set(ax, { nrows, ncols, index });
    this.current = ax;
    return ax;
  }

  /** The current axes, making a 2-d one filling the figure if there is none (matplotlib's `gca`). */
  gca(): AnyAxes {
    return this.current ?? this.addSubplot(111);
  }

  /** Makes `ax` the current axes (what `plt.xlabel` and friends act on). */
  sca(ax: AnyAxes): this {
    if (!this.axes.includes(ax)) throw new Error("sca: these axes belong to another figure");
    this.current = ax;
    return this;
  }

  setSuptitle(text: string): this {
    this.suptitle = text;
    return this;
  }

  /** Size in CSS pixels. */
  sizePx(): [number, number] {
    let [w, h] = this.figsize.map((v) => Math.round(v * PX_PER_INCH)) as [number, number];
    if (this.axes.some((ax) => ax.is3d)) [w, h] = [Math.max(w, MIN_3D_PX[0]), Math.max(h, MIN_3D_PX[1])];
    return [w, h];
  }

  /**
   * The plotly figure. The same figure always gives the same JSON.
   * @example JSON.stringify(fig.toPlotly())
   */
  toPlotly(): PlotlyFigure {
    const [width, height] = this.sizePx();
    const data: Record<string, unknown>[] = [];
    const layout: Record<string, unknown> = {
      width,
      height,
      autosize: false,
      margin: { l: 0, r: 0, t: 0, b: 0 },
      showlegend: false,
      paper_bgcolor: "white",
      font: { family: "Arial, Helvetica, sans-serif", size: 12 },
    };
    // Only cartesian axes have a plot background; plotly rejects the key without them.
    if (this.axes.some((ax) => !ax.is3d)) layout.plot_bgcolor = "white";
    const annotations: Record<string, unknown>[] = [];
    const ordinals = { flat: 0, scene: 0 };
    const only2d = this.axes.every((ax) => !ax.is3d);
    for (const ax of this.axes) {
      const ordinal = ax.is3d ? ++ordinals.scene : ++ordinals.flat;
      const domain = this.domainOf(ax);
      Object.assign(layout, ax.layout(ordinal, domain));
      const refs = ax.refs(ordinal);
      const legend = ax.hasLegend();
      for (const layer of ax.layers) {
        const named = typeof layer.trace.name === "string";
        data.push({ ...layer.trace, ...refs, showlegend: legend && named });
      }
      if (ax.title !== undefined) {
        if (this.axes.length === 1 && this.suptitle === undefined) {
          layout.title = { text: ax.title, x: 0.5, xanchor: "center" };
        } else {
          annotations.push({
            text: ax.title, showarrow: false, xref: "paper", yref: "paper",
            x: (domain.x[0] + domain.x[1]) / 2, y: domain.y[1], xanchor: "center", yanchor: "bottom",
          });
        }
      }
    }
    if (this.suptitle !== undefined) layout.title = { text: this.suptitle, x: 0.5, xanchor: "center" };
    if (annotations.length) layout.annotations = annotations;
    layout.showlegend = this.axes.some((ax) => ax.hasLegend());
    // plotly puts a legend to the right of the plot, where in a 3-d figure it takes the width the
    // scene needs (the scene shrinks to half); matplotlib draws it inside the axes, so here it goes
    // in the top-left corner of the scene, which the default view leaves empty.
    if (layout.showlegend && !only2d) {
      layout.legend = { x: 0.01, y: 0.99, xanchor: "left", yanchor: "top", bgcolor: "rgba(255,255,255,0.8)" };
    }
    const top = layout.title || annotations.length ? 40 : 20;
    layout.margin = only2d ? { l: 65, r: 20, t: top, b: 50 } : { l: 10, r: 10, t: top, b: 10 };
    return { data, layout, config: { displaylogo: false, responsive: false } };
  }

  /** A one-line description, the `text/plain` of the display bundle. */
  summary(): string {
    const [w, h] = this.sizePx();
    const parts = this.axes.map((ax) => {
      const counts = new Map<string, number>();
      for (const layer of ax.layers) counts.set(layer.kind, (counts.get(layer.kind) ?? 0) + 1);
      const drawn = [...counts].map(([kind, n]) => `${n} ${kind}${n > 1 ? "s" : ""}`).join(", ") || "empty";
      const labels = [ax.xlabel, ax.ylabel, ax.is3d ? (ax as Axes3D).zlabel : undefined]
        .map((l, i) => (l === undefined ? "" : ` ${"xyz"[i]}="${l}"`)).join("");
      return `${ax.is3d ? "3-d" : "2-d"} axes: ${drawn}${labels}`;
    });
    return `<Figure ${w}×${h}px ${parts.length ? parts.join("; ") : "with no axes"}>`;
  }

  /** The MIME bundle Jupyter shows; a Promise of it when the PNG fallback is on. */
  [Symbol.for("Jupyter.display")](): Record<string, unknown> | Promise<Record<string, unknown>> {
    const spec = this.toPlotly();
    const bundle: Record<string, unknown> = { [PLOTLY_MIME]: spec, "text/plain": this.summary() };
    if (!settings.png) return bundle;
    // Loaded only when switched on, so plain plotting never pays for the browser machinery.
    return import("./png.js").then(
      (png) => png.renderPng(spec).then((base64) => ({ ...bundle, "image/png": base64 })),
    ).catch((error: unknown) => ({
      ...bundle,
      "text/plain": `${bundle["text/plain"]}\n(static PNG not rendered: ${error instanceof Error ? error.message : String(error)})`,
    }));
  }

  /** Does nothing: figures show when the cell ends. Kept so `fig.show()` from matplotlib habits works. */
  show(): this {
    return this;
  }

  toJSON(): PlotlyFigure {
    return this.toPlotly();
  }

  toString(): string {
    return this.summary();
  }

  private domainOf(ax: AnyAxes): { x: [number, number]; y: [number, number] } {
    const { nrows, ncols, index } = this.grid.get(ax)!;
    const col = (index - 1) % ncols;
    const row = Math.floor((index - 1) / ncols);
    // Room between neighbours for tick labels and titles; none at the figure's edges.
    const gapX = ncols > 1 ? 0.06 : 0;
    const gapY = nrows > 1 ? 0.08 : 0;
    const round = (v: number) => Math.round(v * 1e6) / 1e6;
    const x0 = col / ncols + (col > 0 ? gapX : 0);
    const x1 = (col + 1) / ncols - (col < ncols - 1 ? gapX : 0);
    const y1 = 1 - row / nrows - (row > 0 ? gapY : 0);
    const y0 = 1 - (row + 1) / nrows + (row < nrows - 1 ? gapY : 0);
    return { x: [round(x0), round(x1)], y: [round(y0), round(y1)] };
  }
}
