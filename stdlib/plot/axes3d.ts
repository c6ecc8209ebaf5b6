/**
 * 3-d axes, matplotlib's `Axes3D`: wireframes, surfaces, 3-d lines and points in one plotly scene.
 *
 * Role: `plotWireframe` as plotly `scatter3d` lines (one polyline per kept row and column,
 * separated by nulls: see-through and stride-able like matplotlib's), `plotSurface` as a plotly
 * `surface`, and the scene's axes, limits and camera. Boundary: no figure size, no display.
 */

import type { AxesBase, Limits } from "./axes.js";
import { AxesCommon, limits } from "./axes.js";
import { formatToStyle, parseFormat, resolveColor } from "./format.js";
import { finiteOrNull, toGrid, toVector, type Grid, type Vector } from "./values.js";

export interface WireframeOptions {
  /** Keep every rstride-th row (and always the last one), as matplotlib. */
  rstride?: number;
  cstride?: number;
  /** Alternatively, at most this many rows / columns (matplotlib's default is 50 each). */
  rcount?: number;
  ccount?: number;
  color?: string;
  label?: string;
  linewidth?: number;
}

export interface SurfaceOptions {
  /** A single colour for the whole surface (otherwise coloured by height with `colorscale`). */
  color?: string;
  colorscale?: string;
  /** 0 (invisible) to 1 (opaque). */
  opacity?: number;
  showscale?: boolean;
  label?: string;
}

export interface Scatter3dOptions {
  color?: string;
  size?: number;
  label?: string;
}

/**
 * The rows (or columns) a stride keeps: 0, s, 2s, ... and the last index, as matplotlib's
 * `plot_wireframe` does so the grid's far edge is always drawn.
 * @example strideIndices(101, 10) // [0, 10, 20, ..., 100]
 */
export function strideIndices(n: number, stride: number): number[] {
  if (!(stride >= 1) || !Number.isInteger(stride)) {
    throw new RangeError(`plotWireframe: a stride must be a positive integer, got ${stride}`);
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i += stride) kept.push(i);
  if (n > 0 && kept[kept.length - 1] !== n - 1) kept.push(n - 1);
  return kept;
}

/**
 * The polylines of a wireframe: each kept row, then each kept column, at full resolution along the
 * line, joined into three coordinate arrays with a null between consecutive polylines.
 */
export function wireframeLines(
  X: number[][], Y: number[][], Z: number[][], rows: number[], cols: number[],
): { x: (number | null)[]; y: (number | null)[]; z: (number | null)[]; polylines: number } {
  const x: (number | null)[] = [];
  const y: (number | null)[] = [];
  const z: (number | null)[] = [];
  let polylines = 0;
  const add = (points: Array<[number, number]>) => {
    if (polylines++ > 0) { x.push(null); y.push(null); z.push(null); }
    for (const [i, j] of points) {
      x.push(finiteOrNull(X[i]![j]!));
      y.push(finiteOrNull(Y[i]![j]!));
      z.push(finiteOrNull(Z[i]![j]!));
    }
  };
  const m = X.length;
  const n = X[0]?.length ?? 0;
  for (const i of rows) add(Array.from({ length: n }, (_, j) => [i, j] as [number, number]));
  for (const j of cols) add(Array.from({ length: m }, (_, i) => [i, j] as [number, number]));
  return { x, y, z, polylines };
}

/** The camera's distance from the scene's centre at matplotlib's default `dist` of 10. */
export const DEFAULT_EYE_DISTANCE = 2.4;

/** Converts matplotlib's (elev, azim, dist) view to a plotly camera eye. */
export function cameraEye(elev: number, azim: number, dist: number): { x: number; y: number; z: number } {
  // dist 10 (matplotlib's default) maps to a little more than plotly's default eye distance
  // |(1.25, 1.25, 1.25)| ≈ 2.17, which at matplotlib's view angle cuts off tick labels.
  const r = (DEFAULT_EYE_DISTANCE * dist) / 10;
  const [e, a] = [(elev * Math.PI) / 180, (azim * Math.PI) / 180];
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return { x: round(r * Math.cos(e) * Math.cos(a)), y: round(r * Math.cos(e) * Math.sin(a)), z: round(r * Math.sin(e)) };
}

/**
 * A 3-d plot area (matplotlib's `projection="3d"` axes): `plotSurface`, `plotWireframe`, `plot`,
 * `scatter`, `viewInit` (matplotlib's snake_case names in camelCase), shown as a plotly scene.
 * @example const ax = d2l.plt.figure().addSubplot(111, { projection: "3d" });
 */
export class Axes3D extends AxesCommon implements AxesBase {
  readonly is3d = true;
  zlabel?: string;
  zlim?: Limits;
  /** matplotlib's view: elevation and azimuth in degrees, camera distance (10 by default). */
  elev = 30;
  azim = -60;
  dist = 10;

  /**
   * A see-through wireframe of the surface Z over the grid (X, Y), all three the same shape
   * (as `meshgrid` returns them).
   * @example ax.plotWireframe(x, y, z, { rstride: 10, cstride: 10, color: "purple" })
   */
  plotWireframe(X: Grid, Y: Grid, Z: Grid, options: WireframeOptions = {}): this {
    const [xs, ys, zs] = sameShape(X, Y, Z, "plotWireframe");
    const m = xs.length;
    const n = xs[0]?.length ?? 0;
    const rstride = options.rstride ?? Math.max(Math.ceil(m / (options.rcount ?? 50)), 1);
    const cstride = options.cstride ?? Math.max(Math.ceil(n / (options.ccount ?? 50)), 1);
    const lines = wireframeLines(xs, ys, zs, strideIndices(m, rstride), strideIndices(n, cstride));
    const color = options.color ? resolveColor(options.color) : this.nextColor();
    this.layers.push({
      trace: {
        type: "scatter3d", mode: "lines", x: lines.x, y: lines.y, z: lines.z,
        line: { color, width: options.linewidth ?? 2 },
        connectgaps: false,
        ...(options.label !== undefined ? { name: options.label } : {}),
      },
      kind: "wireframe",
      points: lines.polylines,
    });
    return this;
  }

  /**
   * An opaque (or translucent) surface, coloured by height unless given one colour.
   * @example ax.plotSurface(x, y, z, { colorscale: "Viridis", opacity: 0.9 })
   */
  plotSurface(X: Grid, Y: Grid, Z: Grid, options: SurfaceOptions = {}): this {
    const [xs, ys, zs] = sameShape(X, Y, Z, "plotSurface");
    const color = options.color ? resolveColor(options.color) : undefined;
    this.layers.push({
      trace: {
        type: "surface",
        x: xs.map((r) => r.map(finiteOrNull)),
        y: ys.map((r) => r.map(finiteOrNull)),
        z: zs.map((r) => r.map(finiteOrNull)),
        ...(color
          ? { colorscale: [[0, color], [1, color]], showscale: false }
          : { colorscale: options.colorscale ?? "Viridis", showscale: options.showscale ?? false }),
        opacity: options.opacity ?? 1,
        ...(options.label !== undefined ? { name: options.label, showlegend: true } : {}),
      },
      kind: "surface",
      points: xs.length * (xs[0]?.length ?? 0),
    });
    return this;
  }

  /**
   * A 3-d line (format strings as in 2-d plots: 'r-', 'ko', ...).
   * @example ax.plot([0, 1], [0, 1], [0, 1], "r-")
   */
  plot(x: Vector, y: Vector, z: Vector, fmt = "", options: { label?: string; color?: string } = {}): this {
    const [xs, ys, zs] = [toVector(x, "x"), toVector(y, "y"), toVector(z, "z")];
    const color = options.color ? resolveColor(options.color) : parseFormat(fmt).color ?? this.nextColor();
    const style = formatToStyle(fmt, color);
    if (style.line) (style.line as Record<string, unknown>).width = 3;
    if (style.marker) (style.marker as Record<string, unknown>).size = 4;
    this.layers.push({
      trace: {
        type: "scatter3d", x: xs.map(finiteOrNull), y: ys.map(finiteOrNull), z: zs.map(finiteOrNull),
        ...style, ...(options.label !== undefined ? { name: options.label } : {}),
      },
      kind: "3-d line",
      points: xs.length,
    });
    return this;
  }

  /** Points in space. */
  scatter(x: Vector, y: Vector, z: Vector, options: Scatter3dOptions = {}): this {
    const [xs, ys, zs] = [toVector(x, "x"), toVector(y, "y"), toVector(z, "z")];
    const color = options.color ? resolveColor(options.color) : this.nextColor();
    this.layers.push({
      trace: {
        type: "scatter3d", mode: "markers", x: xs.map(finiteOrNull), y: ys.map(finiteOrNull), z: zs.map(finiteOrNull),
        marker: { color, size: options.size ?? 4 },
        ...(options.label !== undefined ? { name: options.label } : {}),
      },
      kind: "3-d scatter",
      points: xs.length,
    });
    return this;
  }

  cla(): this {
    this.clearCommon();
    this.zlabel = undefined;
    this.zlim = undefined;
    return this;
  }

  setZlabel(text: string): this { this.zlabel = text; return this; }
  setZlim(lo: number | Limits, hi?: number): this { this.zlim = limits(lo, hi, "zlim"); return this; }
  /** matplotlib's `view_init(elev, azim)`, in degrees. */
  viewInit(elev = 30, azim = -60): this { this.elev = elev; this.azim = azim; return this; }
  refs(ordinal: number): Record<string, string> {
    return { scene: ordinal === 1 ? "scene" : `scene${ordinal}` };
  }

  layout(ordinal: number, domain: { x: [number, number]; y: [number, number] }): Record<string, unknown> {
    const axis = (label: string | undefined, lim: Limits | undefined) => ({
      ...(label !== undefined ? { title: { text: label } } : {}),
      ...(lim ? { range: [...lim], autorange: false } : {}),
    });
    const scene: Record<string, unknown> = {
      domain: { x: domain.x, y: domain.y },
      xaxis: axis(this.xlabel, this.xlim),
      yaxis: axis(this.ylabel, this.ylim),
      zaxis: axis(this.zlabel, this.zlim),
      // matplotlib draws its 3-d box as a cube whatever the data ranges.
      aspectmode: "cube",
      camera: { eye: cameraEye(this.elev, this.azim, this.dist), up: { x: 0, y: 0, z: 1 } },
    };
    return { [ordinal === 1 ? "scene" : `scene${ordinal}`]: scene };
  }
}

function sameShape(X: Grid, Y: Grid, Z: Grid, op: string): [number[][], number[][], number[][]] {
  const [xs, ys, zs] = [toGrid(X, "X"), toGrid(Y, "Y"), toGrid(Z, "Z")];
  const shape = (g: number[][]) => `${g.length}×${g[0]?.length ?? 0}`;
  if (shape(xs) !== shape(ys) || shape(xs) !== shape(zs)) {
    throw new RangeError(`${op}: X, Y and Z must have the same shape (as meshgrid makes them), got ${shape(xs)}, ${shape(ys)} and ${shape(zs)}`);
  }
  return [xs, ys, zs];
}
