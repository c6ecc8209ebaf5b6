/**
 * gradlab's plotting: d2l's `plot`/`setFigsize`/`plt`, matplotlib-like figures and axes (2-d and
 * 3-d) shown as plotly figures, and teaching plots (`plots.surface`, `plots.contour`, ...).
 *
 * Boundary: this is the plot package's whole public surface; the prelude re-exports it.
 * Figures display through `[Symbol.for("Jupyter.display")]()` and register themselves in
 * `globalThis[Symbol.for("gradlab.pendingFigures")]`; nothing here imports the kernel.
 */

import { contour, quadraticApprox, scatter, surface, tangent } from "./teaching.js";
import { configurePlots } from "./settings.js";

export { d2l, plot, setFigsize, setAxes, type PlotOptions, type Series } from "./d2l.js";
export { plt } from "./pyplot.js";
export { Figure, PLOTLY_MIME, type FigureOptions, type PlotlyFigure, type SubplotOptions } from "./figure.js";
export { Axes, type ContourOptions, type LineOptions, type QuiverOptions, type ScatterOptions, type Scale } from "./axes.js";
export { Axes3D, type WireframeOptions, type SurfaceOptions as PlotSurfaceOptions } from "./axes3d.js";
export { configurePlots, type PlotSettings } from "./settings.js";
export type { ApproximationOptions, ContourPlotOptions, ScatterPlotOptions, SurfaceOptions } from "./teaching.js";

/**
 * Teaching plots, each returning a finished figure.
 * @example plots.contour((x, y) => x ** 2 + 3 * y ** 2, { path: [[1.8, 1], [1.1, -0.2]] })
 */
export const plots = { surface, contour, scatter, tangent, quadraticApprox, configure: configurePlots };
