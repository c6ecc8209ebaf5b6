/**
 * `plt`: matplotlib.pyplot's current-figure state machine, as `d2l.plt`.
 *
 * Role: `plt.figure()`, `plt.gca()`, `plt.xlabel(...)` and friends act on "the current figure",
 * which, as with matplotlib's inline backend, lasts until the end of the cell: a figure is current
 * only while it is still waiting in the kernel's pending list. Boundary: delegates all drawing
 * to Figure and Axes.
 */

import { Axes, type ContourOptions, type Limits, type LineOptions, type QuiverOptions, type Scale, type ScatterOptions } from "./axes.js";
import type { Axes3D } from "./axes3d.js";
import { Figure, type FigureOptions } from "./figure.js";
import { isPending, unregisterPending } from "./pending.js";
import type { Grid, Vector } from "./values.js";

let current: Figure | undefined;

function gcf(): Figure {
  // A figure from an earlier cell has been shown and is finished, as matplotlib-inline closes it.
  if (!current || !isPending(current)) current = new Figure();
  return current;
}

function gca2d(what: string): Axes {
  const ax = gcf().gca();
  if (ax.is3d) {
    throw new Error(`plt.${what}: the current axes are 3-d; call it on the axes object instead (ax.${what}(...))`);
  }
  return ax as Axes;
}

/** matplotlib.pyplot, the parts a notebook uses. */
export const plt = {
  /**
   * A new figure, which becomes the current one.
   * @example const ax = plt.figure({ figsize: [6, 4] }).addSubplot(111, { projection: "3d" })
   */
  figure(options: FigureOptions = {}): Figure {
    current = new Figure(options);
    return current;
  },
  /** The current figure (a new one when this cell has made none yet). */
  gcf,
  /** The current axes of the current figure. */
  gca(): Axes | Axes3D {
    return gcf().gca();
  },
  /** Adds axes to the current figure: `plt.subplot(2, 1, 1)`. */
  subplot(nrows: number, ncols = 1, index = 1): Axes {
    return gcf().addSubplot(nrows, ncols, index);
  },
  /**
   * A new figure with a grid of 2-d axes, returned row by row.
   * @example const [fig, [ax1, ax2]] = plt.subplots(1, 2, { figsize: [8, 3] })
   */
  subplots(nrows = 1, ncols = 1, options: FigureOptions = {}): [Figure, Axes[]] {
    const fig = plt.figure(options);
    const axes = Array.from({ length: nrows * ncols }, (_, i) => fig.addSubplot(nrows, ncols, i + 1));
    fig.sca(axes[0]!);
    return [fig, axes];
  },
  plot(x: Vector, y?: Vector | string, fmt?: string | LineOptions, options?: LineOptions): Axes {
    return gca2d("plot").plot(x, y, fmt, options);
  },
  scatter(x: Vector, y: Vector, options?: ScatterOptions): Axes {
    return gca2d("scatter").scatter(x, y, options);
  },
  contour(x: Vector | Grid, y: Vector | Grid, z: Grid, options?: ContourOptions): Axes {
    return gca2d("contour").contour(x, y, z, options);
  },
  quiver(x: Vector, y: Vector, u: Vector, v: Vector, options?: QuiverOptions): Axes {
    return gca2d("quiver").quiver(x, y, u, v, options);
  },
  xlabel(text: string): void { gcf().gca().setXlabel(text); },
  ylabel(text: string): void { gcf().gca().setYlabel(text); },
  title(text: string): void { gcf().gca().setTitle(text); },
  xlim(lo: number | Limits, hi?: number): void { gcf().gca().setXlim(lo, hi); },
  ylim(lo: number | Limits, hi?: number): void { gcf().gca().setYlim(lo, hi); },
  xscale(scale: Scale): void { gca2d("xscale").setXscale(scale); },
  yscale(scale: Scale): void { gca2d("yscale").setYscale(scale); },
  legend(labels?: readonly string[]): void { gcf().gca().legend(labels); },
  grid(on = true): void { gca2d("grid").grid(on); },
  suptitle(text: string): void { gcf().setSuptitle(text); },
  /** Nothing to do: figures show at the end of the cell. */
  show(): void {},
  /** Drops a figure (the current one by default) so it is not shown. */
  close(figure: Figure | undefined = current): void {
    if (!figure) return;
    unregisterPending(figure);
    if (figure === current) current = undefined;
  },
};
