/**
 * Teaching plots beyond d2l: a surface, contours with the −∇f field, scatter, and a function
 * beside its tangent line / plane or quadratic (second-order Taylor) approximation.
 *
 * Role: one call gives a finished Figure for a function of one or two variables; the returned
 * figure's axes (`fig.axes[0]`) accept more layers (a descent path, points). Boundary: functions
 * are sampled on plain numbers; exact derivatives may be passed in, otherwise finite differences.
 */

import type { Axes, Limits } from "./axes.js";
import type { Axes3D } from "./axes3d.js";
import { call1, call2, derivative, gradient2, hessian2, secondDerivative, type Fn1, type Fn2 } from "./derivatives.js";
import { Figure } from "./figure.js";
import { rank, toGrid, toScalar, toVector, type Grid, type TensorLike, type Vector } from "./values.js";

interface Common {
  xlabel?: string;
  ylabel?: string;
  title?: string;
  figsize?: readonly [number, number];
}

export interface SurfaceOptions extends Common {
  xlim?: Limits;
  ylim?: Limits;
  /** Samples per axis (default 50). */
  n?: number;
  zlabel?: string;
  zlim?: Limits;
  colorscale?: string;
  opacity?: number;
  /** Draw a see-through wireframe instead of a coloured surface. */
  wireframe?: boolean;
}

export interface ContourPlotOptions extends Common {
  xlim?: Limits;
  ylim?: Limits;
  /** Samples per axis for the contours (default 100). */
  n?: number;
  levels?: number;
  filled?: boolean;
  /** Arrows of −∇f: false for none, or how many per axis (default 15). */
  arrows?: boolean | number;
  /** The exact gradient, e.g. from autodiff; finite differences otherwise. */
  grad?: (x: number, y: number) => Vector;
  /** A path to draw over the contours, e.g. gradient-descent iterates: [[x0, y0], [x1, y1], ...]. */
  path?: ReadonlyArray<Vector> | TensorLike;
}

export interface ScatterPlotOptions extends Common {
  /** Heights: makes a 3-d scatter. */
  z?: Vector;
  zlabel?: string;
  color?: string;
  size?: number;
  label?: string;
}

export interface ApproximationOptions extends Common {
  /** Plotted range: a number for one variable, [[x0, x1], [y0, y1]] ranges for two (default ±2 around the point). */
  xlim?: Limits;
  ylim?: Limits;
  zlim?: Limits;
  /** Exact derivatives (numbers, arrays or tensors): f'(a) or ∇f(a, b). */
  grad?: (...point: number[]) => unknown;
  /** Exact second derivatives: f''(a) or the 2×2 Hessian at (a, b). */
  hessian?: (...point: number[]) => unknown;
  /** Samples per axis (default 200 for one variable, 41 for two). */
  n?: number;
  zlabel?: string;
}

const linspace = (lo: number, hi: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));

/** Samples f on a grid in matplotlib's 'xy' layout: Z[i][j] = f(xs[j], ys[i]). */
function sample2(f: Fn2, xs: number[], ys: number[]): number[][] {
  return ys.map((y) => xs.map((x) => call2(f, x, y)));
}

function figureWith(options: Common, projection?: "3d"): [Figure, Axes | Axes3D] {
  const fig = new Figure(options.figsize ? { figsize: options.figsize } : {});
  const ax = projection ? fig.addSubplot(111, { projection: "3d" }) : fig.addSubplot(111);
  if (options.title !== undefined) ax.setTitle(options.title);
  return [fig, ax];
}

/**
 * The graph of f(x, y) as a surface you can turn.
 * @example surface((x, y) => x * Math.exp(-x * x - y * y), { xlim: [-2, 2], ylim: [-2, 2] })
 */
export function surface(f: Fn2, options: SurfaceOptions = {}): Figure {
  const [x0, x1] = options.xlim ?? [-2, 2];
  const [y0, y1] = options.ylim ?? [-2, 2];
  const n = options.n ?? 50;
  const xs = linspace(x0, x1, n);
  const ys = linspace(y0, y1, n);
  const Z = sample2(f, xs, ys);
  const X = ys.map(() => xs);
  const Y = ys.map((y) => xs.map(() => y));
  const [fig, ax] = figureWith(options, "3d") as [Figure, Axes3D];
  if (options.wireframe) ax.plotWireframe(X, Y, Z, { rcount: 20, ccount: 20 });
  else ax.plotSurface(X, Y, Z, {
    ...(options.colorscale ? { colorscale: options.colorscale } : {}),
    ...(options.opacity !== undefined ? { opacity: options.opacity } : {}),
  });
  ax.setXlabel(options.xlabel ?? "x").setYlabel(options.ylabel ?? "y").setZlabel(options.zlabel ?? "f(x, y)");
  if (options.zlim) ax.setZlim(options.zlim);
  return fig;
}

/**
 * Contour lines of f(x, y) with arrows of −∇f (the way gradient descent steps), optionally a path.
 * @example contour((x, y) => x * x + 2 * y * y, { path: [[1.5, 1], [0.9, 0.2], [0.5, 0.04]] })
 */
export function contour(f: Fn2, options: ContourPlotOptions = {}): Figure {
  const [x0, x1] = options.xlim ?? [-2, 2];
  const [y0, y1] = options.ylim ?? [-2, 2];
  const n = options.n ?? 100;
  const xs = linspace(x0, x1, n);
  const ys = linspace(y0, y1, n);
  const [fig, ax] = figureWith(options) as [Figure, Axes];
  ax.contour(xs, ys, sample2(f, xs, ys), {
    levels: options.levels ?? 20, filled: options.filled ?? false, showscale: true,
  });
  const arrowsPerAxis = options.arrows === false ? 0 : options.arrows === true || options.arrows === undefined ? 15 : options.arrows;
  if (arrowsPerAxis > 0) {
    // Arrow tails at cell centres so no arrow starts on the plot's edge.
    const cell = [(x1 - x0) / arrowsPerAxis, (y1 - y0) / arrowsPerAxis] as const;
    const ax_ = linspace(x0 + cell[0] / 2, x1 - cell[0] / 2, arrowsPerAxis);
    const ay_ = linspace(y0 + cell[1] / 2, y1 - cell[1] / 2, arrowsPerAxis);
    const px: number[] = [], py: number[] = [], u: number[] = [], v: number[] = [];
    for (const y of ay_) for (const x of ax_) {
      const g = options.grad ? toVector(options.grad(x, y), "grad(x, y)") : gradient2(f, x, y);
      px.push(x); py.push(y); u.push(-g[0]!); v.push(-g[1]!);
    }
    // The longest arrow spans 90% of a cell; the others keep their relative lengths.
    const longest = Math.max(...u.map((du, k) => Math.hypot(du / cell[0], v[k]! / cell[1])).filter(Number.isFinite), 0);
    ax.quiver(px, py, u, v, { color: "#444444", scale: longest > 0 ? 0.9 / longest : 1, label: "−∇f" });
  }
  if (options.path) {
    const points = rank(options.path) === 2 ? toGrid(options.path as Grid, "path") : [];
    ax.plot(points.map((p) => p[0]!), points.map((p) => p[1]!), "o-", { color: "#d62728", label: "path" });
  }
  ax.setXlabel(options.xlabel ?? "x").setYlabel(options.ylabel ?? "y").setXlim(x0, x1).setYlim(y0, y1);
  ax.setAspect("equal");
  return fig;
}

/**
 * Points in the plane, or in space when `z` is given.
 * @example scatter([1, 2, 3], [2, 4, 1], { xlabel: "x", ylabel: "y" })
 */
export function scatter(x: Vector, y: Vector, options: ScatterPlotOptions = {}): Figure {
  const style = {
    ...(options.color ? { color: options.color } : {}),
    ...(options.size ? { size: options.size } : {}),
    ...(options.label ? { label: options.label } : {}),
  };
  if (options.z !== undefined) {
    const [fig, ax] = figureWith(options, "3d") as [Figure, Axes3D];
    ax.scatter(x, y, options.z, style).setXlabel(options.xlabel ?? "x").setYlabel(options.ylabel ?? "y")
      .setZlabel(options.zlabel ?? "z");
    return fig;
  }
  const [fig, ax] = figureWith(options) as [Figure, Axes];
  ax.scatter(x, y, style).setXlabel(options.xlabel ?? "x").setYlabel(options.ylabel ?? "y");
  return fig;
}

/**
 * f beside its tangent line (one variable, `at` a number) or tangent plane (two, `at` = [a, b]).
 * @example tangent((x) => x ** 3 - x, 0.5)
 */
export function tangent(f: Fn1, at: number, options?: ApproximationOptions): Figure;
export function tangent(f: Fn2, at: Vector, options?: ApproximationOptions): Figure;
export function tangent(f: Fn1 | Fn2, at: number | Vector, options: ApproximationOptions = {}): Figure {
  return approximation(f, at, 1, options);
}

/**
 * f beside its quadratic (second-order Taylor) approximation at a point.
 * @example quadraticApprox((x, y) => x * Math.exp(-x * x - y * y), [-1, 0])
 */
export function quadraticApprox(f: Fn1, at: number, options?: ApproximationOptions): Figure;
export function quadraticApprox(f: Fn2, at: Vector, options?: ApproximationOptions): Figure;
export function quadraticApprox(f: Fn1 | Fn2, at: number | Vector, options: ApproximationOptions = {}): Figure {
  return approximation(f, at, 2, options);
}

function approximation(f: Fn1 | Fn2, at: number | Vector, order: 1 | 2, options: ApproximationOptions): Figure {
  const point = typeof at === "number" ? [at] : toVector(at, "the point");
  const name = order === 1 ? (point.length === 1 ? "tangent line" : "tangent plane") : "quadratic approximation";
  if (point.length === 1) {
    const a = point[0]!;
    const f1 = f as Fn1;
    const fa = call1(f1, a);
    const d1 = options.grad ? toScalar((options.grad as Fn1)(a), "grad(a)") : derivative(f1, a);
    const d2 = order === 2 ? (options.hessian ? toScalar((options.hessian as Fn1)(a), "hessian(a)") : secondDerivative(f1, a)) : 0;
    const [x0, x1] = options.xlim ?? [a - 2, a + 2];
    const xs = linspace(x0, x1, options.n ?? 200);
    const [fig, ax] = figureWith(options) as [Figure, Axes];
    ax.plot(xs, xs.map((x) => call1(f1, x)), "-", { label: "f" });
    ax.plot(xs, xs.map((x) => fa + d1 * (x - a) + 0.5 * d2 * (x - a) ** 2), "r--", { label: name });
    ax.scatter([a], [fa], { color: "k", size: 8, label: `x = ${round(a)}` });
    ax.setXlabel(options.xlabel ?? "x").setYlabel(options.ylabel ?? "f(x)").setXlim(x0, x1).legend().grid();
    if (options.ylim) ax.setYlim(options.ylim);
    return fig;
  }
  if (point.length !== 2) throw new RangeError(`${name}: the point must have 1 or 2 coordinates, got ${point.length}`);
  const [a, b] = point as [number, number];
  const f2 = f as Fn2;
  const fab = call2(f2, a, b);
  const g = options.grad ? toVector((options.grad as Fn2)(a, b), "grad(a, b)") : gradient2(f2, a, b);
  const H = order === 2 ? (options.hessian ? toGrid((options.hessian as Fn2)(a, b) as Grid, "hessian(a, b)") : hessian2(f2, a, b)) : [[0, 0], [0, 0]];
  const model = (x: number, y: number) => {
    const [dx, dy] = [x - a, y - b];
    return fab + g[0]! * dx + g[1]! * dy + 0.5 * (H[0]![0]! * dx * dx + 2 * H[0]![1]! * dx * dy + H[1]![1]! * dy * dy);
  };
  const [x0, x1] = options.xlim ?? [a - 2, a + 2];
  const [y0, y1] = options.ylim ?? [b - 2, b + 2];
  const n = options.n ?? 41;
  const xs = linspace(x0, x1, n);
  const ys = linspace(y0, y1, n);
  const X = ys.map(() => xs);
  const Y = ys.map((y) => xs.map(() => y));
  const Z = sample2(f2, xs, ys);
  const stride = Math.max(1, Math.round((n - 1) / 10));
  const [fig, ax] = figureWith(options, "3d") as [Figure, Axes3D];
  ax.plotWireframe(X, Y, Z, { rstride: stride, cstride: stride, label: "f" });
  ax.plotWireframe(X, Y, sample2(model, xs, ys), { rstride: stride, cstride: stride, color: "purple", label: name });
  ax.scatter([a], [b], [fab], { color: "k", size: 5, label: `(${round(a)}, ${round(b)})` });
  // Keep the view on f: a quadratic far from the point can dwarf it.
  const flat = Z.flat().filter(Number.isFinite);
  const [lo, hi] = [Math.min(...flat), Math.max(...flat)];
  const pad = 0.25 * (hi - lo || 1);
  ax.setZlim(options.zlim ?? [lo - pad, hi + pad]).setXlim(x0, x1).setYlim(y0, y1);
  ax.setXlabel(options.xlabel ?? "x").setYlabel(options.ylabel ?? "y").setZlabel(options.zlabel ?? "f(x, y)").legend();
  return fig;
}

const round = (v: number) => Math.round(v * 1000) / 1000;
