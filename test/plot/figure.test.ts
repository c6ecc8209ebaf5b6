/**
 * The plot package's figure JSON: the chapter's plots, d2l semantics, format strings, log scales,
 * determinism, and the pending-figure hand-off to the kernel.
 */

import { beforeEach, describe, expect, it } from "vitest";
import { Axes3D, configurePlots, d2l, Figure, PLOTLY_MIME, plots, plt } from "../../stdlib/plot/index.js";
import { parseFormat, formatToStyle } from "../../stdlib/plot/format.js";
import { DEFAULT_EYE_DISTANCE, strideIndices } from "../../stdlib/plot/axes3d.js";
import { arange, chapterWireframeData, drainPending, TensorLikeValue } from "./chapter-data.js";

type Trace = Record<string, any>;
const display = (fig: Figure) =>
  (fig as unknown as Record<symbol, () => Record<string, any>>)[Symbol.for("Jupyter.display")]!();

beforeEach(() => {
  configurePlots({ png: false });
  drainPending(); // each test starts as a fresh cell
});

/** Splits a null-separated coordinate array into its polylines. */
function polylines(values: (number | null)[]): number[][] {
  const out: number[][] = [[]];
  for (const v of values) {
    if (v === null) out.push([]);
    else out[out.length - 1]!.push(v);
  }
  return out;
}

function lineFigure(x: unknown, f: unknown) {
  return d2l.plot(x as number[], f as number[], "x", "f(x)");
}

describe("the chapter's line plot: 3x⁴ − 4x³ − 12x² over arange(−2, 3, 0.01)", () => {
  const x = arange(-2, 3, 0.01);
  const f = x.map((v) => 3 * v ** 4 - 4 * v ** 3 - 12 * v ** 2);

  it("is one solid line of 500 points with the book's labels, at d2l's default size", () => {
    const fig = lineFigure(x, f);
    const bundle = display(fig);
    const { data, layout } = bundle[PLOTLY_MIME];
    expect(data).toHaveLength(1);
    const trace: Trace = data[0];
    expect(trace.type).toBe("scatter");
    expect(trace.mode).toBe("lines");
    expect(trace.line.dash).toBe("solid");
    expect(trace.x).toHaveLength(500);
    expect(trace.y).toHaveLength(500);
    trace.x.forEach((v: number, i: number) => expect(trace.y[i]).toBeCloseTo(3 * v ** 4 - 4 * v ** 3 - 12 * v ** 2, 9));
    // The minimum the text points at: f(2) = −32.
    expect(Math.min(...trace.y)).toBeCloseTo(-32, 6);
    expect(layout.xaxis.title.text).toBe("x");
    expect(layout.yaxis.title.text).toBe("f(x)");
    expect(layout.xaxis.type).toBe("linear");
    expect(layout.xaxis.showgrid).toBe(true);
    expect([layout.width, layout.height]).toEqual([420, 300]); // 3.5 × 2.5 in at 120 px/in
    expect(bundle["text/plain"]).toMatch(/^<Figure 420×300px 2-d axes: 1 line x="x" y="f\(x\)">$/);
  });

  it("accepts tensors (duck-typed) and gives the same JSON as plain arrays", () => {
    const plain = JSON.stringify(display(lineFigure(x, f)));
    drainPending();
    const fromTensors = JSON.stringify(display(lineFigure(TensorLikeValue.from(x), TensorLikeValue.from(f))));
    expect(fromTensors).toBe(plain);
  });

  it("registers the figure once for display at the end of the cell", () => {
    const fig = lineFigure(x, f);
    plt.xlabel("changed later in the same cell");
    const shown = drainPending();
    expect(shown).toEqual([fig]);
    expect(display(fig)[PLOTLY_MIME].layout.xaxis.title.text).toBe("changed later in the same cell");
  });
});

describe("the chapter's 3-d cell: two 101×101 wireframes with stride 10", () => {
  function chapterCell(): [Figure, Axes3D] {
    const { x, y, z, w } = chapterWireframeData();
    const ax = d2l.plt.figure().addSubplot(111, { projection: "3d" });
    ax.plotWireframe(x, y, z, { rstride: 10, cstride: 10 });
    ax.plotWireframe(x, y, w, { rstride: 10, cstride: 10, color: "purple" });
    d2l.plt.xlabel("x");
    d2l.plt.ylabel("y");
    d2l.setFigsize();
    ax.setXlim(-2, 2);
    ax.setYlim(-2, 2);
    ax.setZlim(-1, 1);
    ax.dist = 12;
    return [ax.figure, ax];
  }

  it("draws a legend inside the scene's top-left corner, so the scene keeps the figure's width", () => {
    const [fig, ax] = chapterCell();
    ax.legend(["f(x, y)", "quadratic approximation"]);
    const { data, layout } = fig.toPlotly() as { data: Array<{ name?: string; showlegend?: boolean }>; layout: { showlegend?: boolean; legend?: object } };
    expect(data.map((t) => [t.name, t.showlegend])).toEqual([["f(x, y)", true], ["quadratic approximation", true]]);
    expect(layout.showlegend).toBe(true);
    expect(layout.legend).toMatchObject({ x: 0.01, y: 0.99, xanchor: "left", yanchor: "top" });
    const [withoutLegend] = chapterCell();
    expect((withoutLegend.toPlotly().layout as Record<string, unknown>).legend).toBeUndefined();
  });

  it("keeps rows and columns 0, 10, ..., 100 (the last one always)", () => {
    expect(strideIndices(101, 10)).toEqual(Array.from({ length: 11 }, (_, i) => 10 * i));
    expect(strideIndices(7, 3)).toEqual([0, 3, 6]);
    expect(strideIndices(8, 3)).toEqual([0, 3, 6, 7]);
  });

  it("draws each wireframe as 22 full-resolution polylines separated by nulls", () => {
    const [fig] = chapterCell();
    const { data } = fig.toPlotly();
    const { x, y, z, w } = chapterWireframeData();
    expect(data.map((t) => [t.type, t.mode])).toEqual([["scatter3d", "lines"], ["scatter3d", "lines"]]);
    for (const [k, trace] of data.entries()) {
      const t = trace as Trace;
      expect(t.x).toHaveLength(22 * 101 + 21);
      const [px, py, pz] = [polylines(t.x), polylines(t.y), polylines(t.z)];
      expect(px).toHaveLength(22);
      px.forEach((line) => expect(line).toHaveLength(101));
      const height = k === 0 ? z : w;
      // Polyline r (< 11) is grid row 10r; polyline 11 + c is grid column 10c.
      for (let r = 0; r < 11; r++) {
        expect(px[r]).toEqual(x[10 * r]);
        expect(py[r]).toEqual(y[10 * r]);
        expect(pz[r]).toEqual(height[10 * r]);
      }
      for (let c = 0; c < 11; c++) {
        expect(px[11 + c]).toEqual(x.map((row) => row[10 * c]));
        expect(pz[11 + c]).toEqual(height.map((row) => row[10 * c]));
      }
    }
    expect((data[0] as Trace).line.color).toBe("#1f77b4");
    expect((data[1] as Trace).line.color).toBe("purple");
  });

  it("sets the scene's labels, limits, cube aspect and a camera 1.2× further than default", () => {
    const [fig] = chapterCell();
    const { layout, data } = fig.toPlotly();
    const scene = layout.scene as Trace;
    expect(scene.xaxis.title.text).toBe("x");
    expect(scene.yaxis.title.text).toBe("y");
    expect([scene.xaxis.range, scene.yaxis.range, scene.zaxis.range]).toEqual([[-2, 2], [-2, 2], [-1, 1]]);
    expect(scene.aspectmode).toBe("cube");
    const eye = scene.camera.eye;
    expect(Math.hypot(eye.x, eye.y, eye.z)).toBeCloseTo(1.2 * DEFAULT_EYE_DISTANCE, 5);
    // matplotlib's default view: 30° up, azimuth −60°.
    expect(eye.z / Math.hypot(eye.x, eye.y, eye.z)).toBeCloseTo(0.5, 5);
    expect(Math.atan2(eye.y, eye.x)).toBeCloseTo(-Math.PI / 3, 5);
    expect(data.every((t) => t.scene === "scene")).toBe(true);
    expect(drainPending()).toEqual([fig]);
  });

  it("accepts 2-d tensors for the grids", () => {
    const { x, y, z } = chapterWireframeData();
    const a = plt.figure().addSubplot(111, { projection: "3d" }).plotWireframe(x, y, z, { rstride: 10, cstride: 10 });
    const b = plt.figure().addSubplot(111, { projection: "3d" })
      .plotWireframe(TensorLikeValue.from(x), TensorLikeValue.from(y), TensorLikeValue.from(z), { rstride: 10, cstride: 10 });
    expect(JSON.stringify(b.figure.toPlotly())).toBe(JSON.stringify(a.figure.toPlotly()));
  });

  it("is deterministic: the same cell gives the same bytes, with no uids", () => {
    const first = JSON.stringify(display(chapterCell()[0]));
    const second = JSON.stringify(display(chapterCell()[0]));
    expect(second).toBe(first);
    expect(first).not.toMatch(/"uid"/);
  });
});

describe("format strings", () => {
  it("reads matplotlib's [marker][line][color] in any order", () => {
    expect(parseFormat("-")).toEqual({ dash: "solid" });
    expect(parseFormat("m--")).toEqual({ color: "#bf00bf", dash: "dash" });
    expect(parseFormat("g-.")).toEqual({ color: "#008000", dash: "dashdot" });
    expect(parseFormat("r:")).toEqual({ color: "#ff0000", dash: "dot" });
    expect(parseFormat("--r")).toEqual({ color: "#ff0000", dash: "dash" });
    expect(parseFormat("C1s-")).toEqual({ color: "#ff7f0e", marker: "s", dash: "solid" });
    expect(parseFormat("ko")).toEqual({ color: "#000000", marker: "o" });
  });

  it("draws markers only when a marker comes without a line style", () => {
    expect(formatToStyle("ro", "#000").mode).toBe("markers");
    expect(formatToStyle("ro-", "#000").mode).toBe("lines+markers");
    expect(formatToStyle("", "#123456")).toEqual({ mode: "lines", line: { color: "#123456", width: 1.5, dash: "solid" } });
  });

  it("explains a bad format string", () => {
    expect(() => parseFormat("rq")).toThrow(/'q' is not a colour, a line style or a marker/);
    expect(() => parseFormat("rg")).toThrow(/two colours/);
  });

  it("uses d2l's default formats in turn for several series, cycling past the fourth", () => {
    const x = [1, 2, 3];
    const fig = d2l.plot(x, [x, x, x, x, x], { legend: ["a", "b", "c", "d", "e"] });
    const data = fig.toPlotly().data as Trace[];
    expect(data.map((t) => t.line.dash)).toEqual(["solid", "dash", "dashdot", "dot", "solid"]);
    expect(data.map((t) => t.line.color)).toEqual(["#1f77b4", "#bf00bf", "#008000", "#ff0000", "#ff7f0e"]);
    expect(data.map((t) => t.name)).toEqual(["a", "b", "c", "d", "e"]);
    expect(data.every((t) => t.showlegend)).toBe(true);
  });
});

describe("d2l.plot semantics", () => {
  it("puts log axes' limits in powers of ten, as plotly wants", () => {
    const x = [1, 10, 100];
    const fig = d2l.plot(x, [x, x.map((v) => v * v)], "n", "cost", ["n", "n²"], [1, 100], [1, 1e4], "log", "log");
    const { layout } = fig.toPlotly() as { layout: Trace };
    expect(layout.xaxis.type).toBe("log");
    expect(layout.yaxis.type).toBe("log");
    expect(layout.xaxis.range).toEqual([0, 2]);
    expect(layout.yaxis.range).toEqual([0, 4]);
    expect(layout.showlegend).toBe(true);
  });

  it("plots Y against 0..n-1 when only one argument is given", () => {
    const trace = d2l.plot([5, 6, 7]).toPlotly().data[0] as Trace;
    expect(trace.x).toEqual([0, 1, 2]);
    expect(trace.y).toEqual([5, 6, 7]);
  });

  it("treats a 2-d tensor's rows as series sharing one x", () => {
    const x = TensorLikeValue.from([0, 1, 2]);
    const Y = TensorLikeValue.from([[0, 1, 2], [0, 1, 4]]);
    const data = d2l.plot(x, Y).toPlotly().data as Trace[];
    expect(data.map((t) => t.y)).toEqual([[0, 1, 2], [0, 1, 4]]);
    expect(data.map((t) => t.x)).toEqual([[0, 1, 2], [0, 1, 2]]);
  });

  it("redraws the same figure within a cell and starts a new one in the next cell, as inline matplotlib", () => {
    const first = d2l.plot([1, 2], [1, 2]);
    const again = d2l.plot([1, 2], [2, 1]);
    expect(again).toBe(first);
    expect(again.toPlotly().data).toHaveLength(1);
    drainPending(); // the cell ends
    const next = d2l.plot([1, 2], [1, 2]);
    expect(next).not.toBe(first);
  });

  it("honours figsize and writes NaN as a gap", () => {
    const fig = d2l.plot([0, 1, 2], [1, NaN, Infinity], { figsize: [5, 3] });
    expect([fig.toPlotly().layout.width, fig.toPlotly().layout.height]).toEqual([600, 360]);
    expect((fig.toPlotly().data[0] as Trace).y).toEqual([1, null, null]);
  });

  it("names the mismatch when x and y differ in length", () => {
    expect(() => d2l.plot([1, 2, 3], [1, 2])).toThrow(/same length, got 3 and 2/);
  });

  it("returns a plain bundle (no Promise, no PNG) when the PNG fallback is off", () => {
    const bundle = display(d2l.plot([1, 2], [3, 4]));
    expect(bundle).not.toBeInstanceOf(Promise);
    expect(Object.keys(bundle).sort()).toEqual([PLOTLY_MIME, "text/plain"]);
  });
});

describe("subplots", () => {
  it("lays a 1×2 grid side by side with their own axes", () => {
    const [fig, [a, b]] = plt.subplots(1, 2);
    a!.plot([0, 1], [0, 1]);
    b!.plot([0, 1], [1, 0]);
    a!.setTitle("left");
    const { data, layout } = fig.toPlotly() as { data: Trace[]; layout: Trace };
    expect(data.map((t) => [t.xaxis, t.yaxis])).toEqual([["x", "y"], ["x2", "y2"]]);
    expect(layout.xaxis.domain[1]).toBeLessThan(layout.xaxis2.domain[0]);
    expect(layout.yaxis2.anchor).toBe("x2");
    expect(layout.annotations[0].text).toBe("left");
  });
});

describe("teaching plots", () => {
  const f = (x: number, y: number) => x * Math.exp(-x * x - y * y);

  it("contour: arrows of −∇f point downhill (towards the minimum of a bowl)", () => {
    const fig = plots.contour((x, y) => x * x + y * y, { arrows: 4 });
    const [contour, arrows] = fig.toPlotly().data as Trace[];
    expect(contour!.type).toBe("contour");
    expect(contour!.z).toHaveLength(100);
    const shafts = polylines(arrows!.x).map((xs, k) => [xs, polylines(arrows!.y)[k]!]);
    // Every arrow is [tail, tip, head stroke] then [tip, head stroke]; tails come first.
    const tails = shafts.filter((_, k) => k % 2 === 0);
    expect(tails).toHaveLength(16);
    for (const [xs, ys] of tails) {
      const [x0, x1, y0, y1] = [xs![0]!, xs![1]!, ys![0]!, ys![1]!];
      expect(Math.hypot(x1, y1)).toBeLessThan(Math.hypot(x0, y0));
      // Along −∇f = −(2x, 2y): parallel to −(x0, y0).
      expect(x0 * (y1 - y0) - y0 * (x1 - x0)).toBeCloseTo(0, 6);
    }
  });

  it("contour: draws a descent path over the field", () => {
    const path = [[1.5, 1], [0.9, 0.5], [0.4, 0.2]];
    const data = plots.contour((x, y) => x * x + y * y, { path }).toPlotly().data as Trace[];
    const drawn = data[data.length - 1]!;
    expect(drawn.x).toEqual([1.5, 0.9, 0.4]);
    expect(drawn.y).toEqual([1, 0.5, 0.2]);
    expect(drawn.mode).toBe("lines+markers");
  });

  it("quadraticApprox: matches the (corrected, errata #8) approximation of x·e^(−x²−y²) at (−1, 0)", () => {
    const fig = plots.quadraticApprox(f, [-1, 0], { n: 21 });
    const [surfaceTrace, approx] = fig.toPlotly().data as Trace[];
    expect(surfaceTrace!.type).toBe("scatter3d");
    approx!.x.forEach((x: number | null, k: number) => {
      if (x === null) return;
      const y = approx!.y[k] as number;
      const book = Math.exp(-1) * (-1 - (x + 1) + (x + 1) ** 2 + y ** 2);
      expect(approx!.z[k]).toBeCloseTo(book, 5);
    });
  });

  it("tangent: the line f(a) + f'(a)(x − a) beside f, with exact derivatives when given", () => {
    const g = (x: number) => x ** 3 - x;
    const [curve, line, point] = plots.tangent(g, 0.5, { grad: (x) => 3 * x * x - 1 }).toPlotly().data as Trace[];
    expect(curve!.y[0]).toBeCloseTo(g(curve!.x[0]), 12);
    line!.x.forEach((x: number, k: number) => expect(line!.y[k]).toBeCloseTo(g(0.5) + -0.25 * (x - 0.5), 12));
    expect([point!.x, point!.y]).toEqual([[0.5], [g(0.5)]]);
  });

  it("tangent of a two-variable function is a plane through the point", () => {
    const data = plots.tangent(f, [0.5, 0.5]).toPlotly().data as Trace[];
    const plane = data[1]!;
    const [gx, gy] = [Math.exp(-0.5) * (1 - 2 * 0.25), Math.exp(-0.5) * (-2 * 0.25)];
    plane.x.forEach((x: number | null, k: number) => {
      if (x === null) return;
      expect(plane.z[k]).toBeCloseTo(f(0.5, 0.5) + gx * (x - 0.5) + gy * (plane.y[k] - 0.5), 6);
    });
  });

  it("surface and scatter make 3-d and 2-d figures", () => {
    const s = plots.surface(f, { n: 30 }).toPlotly().data[0] as Trace;
    expect(s.type).toBe("surface");
    expect([s.z.length, s.z[0].length]).toEqual([30, 30]);
    const p = plots.scatter([1, 2], [3, 4], { z: [5, 6] }).toPlotly().data[0] as Trace;
    expect([p.type, p.mode, p.z]).toEqual(["scatter3d", "markers", [5, 6]]);
    const q = plots.scatter(TensorLikeValue.from([1, 2]), [3, 4]).toPlotly().data[0] as Trace;
    expect([q.type, q.mode, q.x]).toEqual(["scatter", "markers", [1, 2]]);
  });
});
