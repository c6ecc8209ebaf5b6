/**
 * The d2l book's plotting helpers: `plot`, `setFigsize`, `setAxes`, and `d2l.plt`.
 *
 * Role: reproduce d2l's semantics (several series, cycling format strings, labels, limits, log
 * scales, legend, grid) on top of Axes. Boundary: argument handling only; drawing is Axes'.
 */

import { Axes, type Limits, type Scale } from "./axes.js";
import type { Figure } from "./figure.js";
import { plt } from "./pyplot.js";
import { checkFigsize, settings } from "./settings.js";
import { isTensorLike, rank, type Vector } from "./values.js";

/** One series, several series (an array of them, or a 2-d tensor whose rows are series). */
export type Series = Vector | readonly Vector[];

export interface PlotOptions {
  xlabel?: string;
  ylabel?: string;
  legend?: readonly string[];
  xlim?: Limits;
  ylim?: Limits;
  xscale?: Scale;
  yscale?: Scale;
  /** matplotlib format strings, used in turn for the series (cycled when there are more series). */
  fmts?: readonly string[];
  /** [width, height] in inches. */
  figsize?: readonly [number, number];
  /** Draw into these axes instead of the current ones. */
  axes?: Axes;
}

// Typed against PlotPositionals so that the run-time order and the declared one cannot drift in length.
type OptionNames<T extends unknown[]> = { [K in keyof T]: keyof PlotOptions };
const POSITIONAL: OptionNames<PlotPositionals> = ["xlabel", "ylabel", "legend", "xlim", "ylim", "xscale", "yscale", "fmts", "figsize", "axes"];
const DEFAULT_FMTS = ["-", "m--", "g-.", "r:"];

/**
 * Sets the default size of new figures, in inches (d2l's default: 3.5 × 2.5).
 * @example d2l.setFigsize([6, 4])
 */
export function setFigsize(figsize: readonly [number, number] = [3.5, 2.5]): void {
  settings.figsize = checkFigsize(figsize);
}

/** d2l's `set_axes`: labels, scales, limits, legend, and a grid. */
export function setAxes(
  axes: Axes, xlabel?: string, ylabel?: string, xlim?: Limits, ylim?: Limits,
  xscale: Scale = "linear", yscale: Scale = "linear", legend?: readonly string[],
): void {
  if (xlabel !== undefined) axes.setXlabel(xlabel);
  if (ylabel !== undefined) axes.setYlabel(ylabel);
  axes.setXscale(xscale);
  axes.setYscale(yscale);
  if (xlim) axes.setXlim(xlim);
  if (ylim) axes.setYlim(ylim);
  if (legend && legend.length) axes.legend(legend);
  axes.grid();
}

function isOptions(value: unknown): value is PlotOptions {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) &&
    !isTensorLike(value) && !(value instanceof Axes) && !(Symbol.iterator in value) && !("length" in value)
  );
}

/** d2l's `has_one_axis`: a 1-d tensor or array of numbers, as opposed to a list of series. */
function hasOneAxis(value: unknown): boolean {
  return rank(value) <= 1;
}

function seriesList(value: unknown): Vector[] {
  if (hasOneAxis(value)) return [value as Vector];
  if (isTensorLike(value)) {
    // A 2-d tensor: each row is one series (as iterating a tensor in Python gives its rows).
    const rows = value.toArray();
    return (Array.isArray(rows) ? rows : [rows]) as Vector[];
  }
  return Array.from(value as ArrayLike<Vector>);
}

/** A positional argument d2l leaves out with `None`: here `undefined` or `null`. */
type Omittable<T> = T | null | undefined;

/** d2l's positional parameters after `Y`, in order (the same order as `POSITIONAL`). */
export type PlotPositionals = [
  xlabel: Omittable<string>, ylabel: Omittable<string>, legend: Omittable<readonly string[]>, xlim: Omittable<Limits>,
  ylim: Omittable<Limits>, xscale: Omittable<Scale>, yscale: Omittable<Scale>, fmts: Omittable<readonly string[]>,
  figsize: Omittable<readonly [number, number]>, axes: Omittable<Axes>,
];

/** `T` and each shorter tuple made by dropping elements from its end (labels are kept). */
type Prefixes<T extends unknown[]> = T | (T extends [...infer Init extends unknown[], unknown] ? Prefixes<Init> : never);
type OptionsLast = [options: PlotOptions];
type EndingWithOptions<P> = P extends unknown[] ? [...P, ...OptionsLast] : never;

/**
 * What may follow `Y` when an options object ends the call: any leading run of d2l's positional
 * parameters, then the options (as the run-time loop in `plot` reads them; the options win).
 */
export type PositionalsThenOptions = EndingWithOptions<Prefixes<PlotPositionals>>;

/**
 * Plots data points (d2l's `plot`). Positional as in the book, with an options object, or both:
 * an options object may follow any leading run of the positional parameters.
 * @example d2l.plot(x, f, "x", "f(x)")
 * @example d2l.plot(x, [f, g], { xlabel: "x", legend: ["f", "g"], yscale: "log" })
 * @example d2l.plot(x, [f, g], "x", "f(x)", { legend: ["f", "g"] })
 */
export function plot(X: Series, options?: PlotOptions): Figure;
export function plot(
  X: Series, Y?: Series | null, xlabel?: string | null, ylabel?: string | null, legend?: readonly string[] | null,
  xlim?: Limits | null, ylim?: Limits | null, xscale?: Scale | null, yscale?: Scale | null, fmts?: readonly string[] | null,
  figsize?: readonly [number, number] | null, axes?: Axes | null,
): Figure;
export function plot(X: Series, Y: Series | null | undefined, ...rest: PositionalsThenOptions): Figure;
export function plot(X: Series, Y?: Series | PlotOptions | null, ...rest: unknown[]): Figure {
  let options: PlotOptions = {};
  if (isOptions(Y)) {
    options = Y;
    Y = undefined;
  } else {
    for (let i = 0; i < rest.length; i++) {
      const arg = rest[i];
      if (isOptions(arg)) {
        options = { ...options, ...arg };
        break;
      }
      if (arg !== undefined && arg !== null) (options as Record<string, unknown>)[POSITIONAL[i]!] = arg;
    }
  }
  setFigsize(options.figsize ?? [3.5, 2.5]);
  const axes = options.axes ?? currentAxes2d();
  let xs: Vector[] = seriesList(X);
  let ys: Vector[];
  if (Y === undefined || Y === null) {
    ys = xs;
    xs = [];
  } else {
    ys = seriesList(Y);
  }
  axes.cla();
  const fmts = options.fmts ?? DEFAULT_FMTS;
  ys.forEach((y, i) => {
    const fmt = fmts[i % fmts.length] ?? "-";
    const x = xs.length ? xs[i % xs.length] : undefined;
    if (x !== undefined) axes.plot(x, y, fmt);
    else axes.plot(y, fmt);
  });
  setAxes(axes, options.xlabel, options.ylabel, options.xlim, options.ylim, options.xscale, options.yscale, options.legend);
  return axes.figure;
}

function currentAxes2d(): Axes {
  const ax = plt.gca();
  // d2l would draw a flat line into 3-d axes; a fresh 2-d figure is what a reader expects.
  return ax instanceof Axes ? ax : plt.figure().addSubplot(111);
}

/** The `d2l` namespace as the book's cells use it. */
export const d2l = { plot, setFigsize, setAxes, plt };
