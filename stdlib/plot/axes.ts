/**
 * A 2-d set of axes, matplotlib's `Axes`: lines, scatter, contour and arrow (quiver) layers.
 *
 * Role: collect traces and axis settings and turn them into plotly traces plus one
 * `xaxisN`/`yaxisN` pair. Boundary: knows nothing of figures' sizes, display or the kernel.
 */

import type { Figure } from "./figure.js";
import { COLOR_CYCLE, formatToStyle, parseFormat, resolveColor } from "./format.js";
import { finiteOrNull, rank, toGrid, toVector, type Grid, type Vector } from "./values.js";

export type Scale = "linear" | "log";
export type Limits = readonly [number, number];

/** One drawn layer: the plotly trace (axis references added later) and a word for summaries. */
export interface Layer {
  trace: Record<string, unknown>;
  kind: string;
  points: number;
}

export interface LineOptions {
  /** Legend entry. */
  label?: string;
  /** Any CSS colour, a matplotlib letter ('r') or a cycle entry ('C2'). */
  color?: string;
  linewidth?: number;
}

export interface ScatterOptions {
  label?: string;
  color?: string;
  /** Marker diameter in pixels. */
  size?: number;
  /** A matplotlib marker character, e.g. 'o', 's', '^', 'x'. */
  marker?: string;
}

export interface ContourOptions {
  /** Number of contour levels (plotly picks round values near it). */
  levels?: number;
  /** Filled bands (matplotlib's contourf) instead of lines. */
  filled?: boolean;
  colorscale?: string;
  showscale?: boolean;
  /** Print the value on each contour line. */
  labels?: boolean;
}

export interface QuiverOptions {
  color?: string;
  label?: string;
  /** Multiplies every arrow's length (1: drawn at the vectors' own length). */
  scale?: number;
  linewidth?: number;
}

/** Common to 2-d and 3-d axes: the figure needs these to lay the axes out. */
export interface AxesBase {
  readonly is3d: boolean;
  readonly layers: Layer[];
  /** Plotly layout entries for this axes at position `ordinal` (1-based among its kind). */
  layout(ordinal: number, domain: { x: [number, number]; y: [number, number] }): Record<string, unknown>;
  /** The axis references traces need, e.g. { xaxis: "x2", yaxis: "y2" } or { scene: "scene" }. */
  refs(ordinal: number): Record<string, string>;
  hasLegend(): boolean;
}

/** What 2-D and 3-D axes share: the drawn layers, the title, the x and y labels and limits, the
 * colour cycle and the legend. */
export abstract class AxesCommon {
  readonly layers: Layer[] = [];
  /** The figure these axes belong to (set by `Figure.addSubplot`). */
  figure!: Figure;
  title?: string;
  xlabel?: string;
  ylabel?: string;
  xlim?: Limits;
  ylim?: Limits;
  private legendOn = false;
  private cycle = 0;

  /** The next colour of matplotlib's cycle, per axes as in matplotlib. */
  nextColor(): string {
    return COLOR_CYCLE[this.cycle++ % COLOR_CYCLE.length]!;
  }

  setTitle(text: string): this { this.title = text; return this; }
  setXlabel(text: string): this { this.xlabel = text; return this; }
  setYlabel(text: string): this { this.ylabel = text; return this; }
  /** `ax.setXlim(-2, 2)` or `ax.setXlim([-2, 2])`. */
  setXlim(lo: number | Limits, hi?: number): this { this.xlim = limits(lo, hi, "xlim"); return this; }
  setYlim(lo: number | Limits, hi?: number): this { this.ylim = limits(lo, hi, "ylim"); return this; }

  /** Shows a legend; given labels name the drawn layers in order (as matplotlib's `legend`). */
  legend(labels?: readonly string[]): this {
    if (labels) labels.forEach((label, i) => { if (this.layers[i]) this.layers[i]!.trace.name = label; });
    this.legendOn = true;
    return this;
  }

  hasLegend(): boolean {
    return this.legendOn;
  }

  /** The shared part of matplotlib's `cla`: forgets layers, title, x/y labels and limits, legend, colours. */
  protected clearCommon(): void {
    this.layers.length = 0;
    this.title = this.xlabel = this.ylabel = undefined;
    this.xlim = this.ylim = undefined;
    this.legendOn = false;
    this.cycle = 0;
  }
}

/**
 * One 2-d plot area of a figure, with matplotlib's methods (`plot`, `scatter`, `contour`, `quiver`,
 * `legend`; `set_xlabel` is `setXlabel`). Made by `d2l.plt.gca()` or `fig.addSubplot(…)`.
 * @example const ax = d2l.plt.figure().addSubplot(111); ax.plot([0, 1], [0, 1]);
 */
export class Axes extends AxesCommon implements AxesBase {
  readonly is3d = false;
  xscale: Scale = "linear";
  yscale: Scale = "linear";
  showGrid = true;
  /** Equal data units on x and y (matplotlib's `set_aspect('equal')`). */
  equalAspect = false;
  /**
   * Draws y against x (or y against 0..n-1) with a matplotlib format string.
   * @example ax.plot([0, 1, 2], [0, 1, 4], "r--", { label: "x²" })
   */
  plot(x: Vector, y?: Vector | string, fmt?: string | LineOptions, options: LineOptions = {}): this {
    if (typeof y === "string" || y === undefined) {
      if (typeof fmt === "object") options = fmt;
      fmt = typeof y === "string" ? y : "";
      y = x;
      x = toVector(y).map((_, i) => i);
    }
    if (typeof fmt === "object") {
      options = fmt;
      fmt = "";
    }
    const xs = toVector(x, "x");
    const ys = toVector(y, "y");
    if (xs.length !== ys.length) {
      throw new RangeError(`plot: x and y must have the same length, got ${xs.length} and ${ys.length}`);
    }
    // As matplotlib, the colour cycle advances only for lines that get no colour of their own.
    const fmtColor = parseFormat(fmt ?? "").color;
    const fallback = options.color ? resolveColor(options.color) : fmtColor ?? this.nextColor();
    const style = formatToStyle(fmt ?? "", fallback);
    if (options.color) overrideColor(style, fallback);
    if (options.linewidth !== undefined && style.line) (style.line as Record<string, unknown>).width = options.linewidth;
    this.layers.push({
      trace: {
        type: "scatter",
        x: xs.map(finiteOrNull),
        y: ys.map(finiteOrNull),
        ...style,
        ...(options.label !== undefined ? { name: options.label } : {}),
      },
      kind: "line",
      points: xs.length,
    });
    return this;
  }

  /**
   * Points as markers.
   * @example ax.scatter([1, 2, 3], [3, 1, 2], { color: "red", size: 8 })
   */
  scatter(x: Vector, y: Vector, options: ScatterOptions = {}): this {
    const xs = toVector(x, "x");
    const ys = toVector(y, "y");
    if (xs.length !== ys.length) {
      throw new RangeError(`scatter: x and y must have the same length, got ${xs.length} and ${ys.length}`);
    }
    const color = options.color ? resolveColor(options.color) : this.nextColor();
    const style = formatToStyle(options.marker ?? "o", color);
    (style.marker as Record<string, unknown>).size = options.size ?? 7;
    this.layers.push({
      trace: {
        type: "scatter", x: xs.map(finiteOrNull), y: ys.map(finiteOrNull), ...style,
        ...(options.label !== undefined ? { name: options.label } : {}),
      },
      kind: "scatter",
      points: xs.length,
    });
    return this;
  }

  /**
   * Contour lines of z over a grid: x and y are the grid's coordinate vectors (or meshgrid
   * matrices in matplotlib's 'xy' layout: z[i][j] belongs to (x[j], y[i])).
   * @example ax.contour([0, 1, 2], [0, 1], [[0, 1, 4], [1, 2, 5]], { levels: 5 })
   */
  contour(x: Vector | Grid, y: Vector | Grid, z: Grid, options: ContourOptions = {}): this {
    const zs = toGrid(z, "z");
    const xs = rank(x) === 2 ? toGrid(x as Grid, "x")[0]! : toVector(x, "x");
    const ys = rank(y) === 2 ? toGrid(y as Grid, "y").map((row) => row[0]!) : toVector(y, "y");
    if (zs.length !== ys.length || zs[0]!.length !== xs.length) {
      throw new RangeError(
        `contour: z must have len(y) = ${ys.length} rows of len(x) = ${xs.length} values, got ` +
          `${zs.length}×${zs[0]?.length ?? 0} (matplotlib's 'xy' layout: z[i][j] is at (x[j], y[i]))`,
      );
    }
    const levels = options.levels ?? 15;
    this.layers.push({
      trace: {
        type: "contour",
        x: xs,
        y: ys,
        z: zs.map((row) => row.map(finiteOrNull)),
        ncontours: levels,
        autocontour: true,
        colorscale: options.colorscale ?? "Viridis",
        showscale: options.showscale ?? true,
        contours: {
          coloring: options.filled ? "fill" : "lines",
          showlabels: options.labels ?? false,
        },
        line: { width: options.filled ? 0.5 : 1.5 },
        showlegend: false,
      },
      kind: options.filled ? "filled contour" : "contour",
      points: xs.length * ys.length,
    });
    return this;
  }

  /**
   * Arrows from (x[k], y[k]) along (u[k], v[k]), drawn as one line trace (shaft plus a two-stroke
   * head per arrow), which stays fast for hundreds of arrows where plotly annotations do not.
   * @example ax.quiver([0, 1], [0, 0], [1, 0], [0, 1])
   */
  quiver(x: Vector, y: Vector, u: Vector, v: Vector, options: QuiverOptions = {}): this {
    const [xs, ys, us, vs] = [toVector(x, "x"), toVector(y, "y"), toVector(u, "u"), toVector(v, "v")];
    if (new Set([xs.length, ys.length, us.length, vs.length]).size !== 1) {
      throw new RangeError(`quiver: x, y, u, v must have the same length, got ${xs.length}, ${ys.length}, ${us.length}, ${vs.length}`);
    }
    const scale = options.scale ?? 1;
    const px: (number | null)[] = [];
    const py: (number | null)[] = [];
    for (let k = 0; k < xs.length; k++) {
      const [x0, y0, du, dv] = [xs[k]!, ys[k]!, us[k]! * scale, vs[k]! * scale];
      const length = Math.hypot(du, dv);
      if (!Number.isFinite(length) || length === 0) continue;
      const [x1, y1] = [x0 + du, y0 + dv];
      // Head: two strokes, 25% of the arrow long, 25° either side of the shaft.
      const head = 0.25 * length;
      const angle = Math.atan2(dv, du);
      const left = angle + Math.PI - (25 * Math.PI) / 180;
      const right = angle + Math.PI + (25 * Math.PI) / 180;
      if (px.length) { px.push(null); py.push(null); }
      px.push(x0, x1, x1 + head * Math.cos(left), null, x1, x1 + head * Math.cos(right));
      py.push(y0, y1, y1 + head * Math.sin(left), null, y1, y1 + head * Math.sin(right));
    }
    const color = options.color ? resolveColor(options.color) : this.nextColor();
    this.layers.push({
      trace: {
        type: "scatter", mode: "lines", x: px, y: py,
        line: { color, width: options.linewidth ?? 1.2 },
        hoverinfo: "skip",
        ...(options.label !== undefined ? { name: options.label } : {}),
      },
      kind: "arrow field",
      points: xs.length,
    });
    return this;
  }

  /** Removes everything drawn and resets the axis settings (matplotlib's `cla`). */
  cla(): this {
    this.clearCommon();
    this.xscale = this.yscale = "linear";
    return this;
  }

  setXscale(scale: Scale): this { this.xscale = checkScale(scale); return this; }
  setYscale(scale: Scale): this { this.yscale = checkScale(scale); return this; }
  grid(on = true): this { this.showGrid = on; return this; }
  setAspect(aspect: "equal" | "auto"): this { this.equalAspect = aspect === "equal"; return this; }

  refs(ordinal: number): Record<string, string> {
    const n = ordinal === 1 ? "" : String(ordinal);
    return { xaxis: `x${n}`, yaxis: `y${n}` };
  }

  layout(ordinal: number, domain: { x: [number, number]; y: [number, number] }): Record<string, unknown> {
    const n = ordinal === 1 ? "" : String(ordinal);
    const axis = (label: string | undefined, lim: Limits | undefined, scale: Scale, dom: [number, number], anchor: string) => ({
      type: scale,
      domain: dom,
      anchor,
      showgrid: this.showGrid,
      zeroline: false,
      showline: true,
      mirror: true,
      ticks: "outside",
      ...(label !== undefined ? { title: { text: label } } : {}),
      // Plotly gives a log axis its range in powers of ten.
      ...(lim ? { range: scale === "log" ? lim.map(Math.log10) : [...lim], autorange: false } : {}),
    });
    const out: Record<string, unknown> = {
      [`xaxis${n}`]: axis(this.xlabel, this.xlim, this.xscale, domain.x, `y${n}`),
      [`yaxis${n}`]: {
        ...axis(this.ylabel, this.ylim, this.yscale, domain.y, `x${n}`),
        ...(this.equalAspect ? { scaleanchor: `x${n}`, scaleratio: 1 } : {}),
      },
    };
    return out;
  }
}

function overrideColor(style: Record<string, unknown>, color: string): void {
  for (const key of ["line", "marker"]) {
    const part = style[key] as Record<string, unknown> | undefined;
    if (part) {
      part.color = color;
      if (part.line) (part.line as Record<string, unknown>).color = color;
    }
  }
}

export function limits(lo: number | Limits, hi: number | undefined, what: string): Limits {
  const pair = typeof lo === "number" ? [lo, hi] : lo;
  const [a, b] = pair as [number | undefined, number | undefined];
  if (typeof a !== "number" || typeof b !== "number" || !Number.isFinite(a) || !Number.isFinite(b)) {
    throw new RangeError(`plot: ${what} needs two finite numbers, e.g. (-2, 2) or ([-2, 2])`);
  }
  return [a, b];
}

function checkScale(scale: string): Scale {
  if (scale !== "linear" && scale !== "log") {
    throw new RangeError(`plot: scale must be 'linear' or 'log', got '${scale}'`);
  }
  return scale;
}
