/**
 * matplotlib format strings ('-', 'm--', 'g-.', 'r:', 'o', 'C1s-') and colours, as plotly styles.
 *
 * Role: parse `[marker][line][color]` in any order and return the plotly `mode`, `line` and
 * `marker` attributes that draw the same thing. Boundary: pure functions, no figure state.
 */

/** matplotlib's default colour cycle (tab10), which is also plotly's default colorway. */
export const COLOR_CYCLE = [
  "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
] as const;

/** matplotlib's one-letter base colours (the exact RGB values it uses). */
const BASE_COLORS: Record<string, string> = {
  b: "#0000ff", g: "#008000", r: "#ff0000", c: "#00bfbf",
  m: "#bf00bf", y: "#bfbf00", k: "#000000", w: "#ffffff",
};

const LINE_STYLES: Record<string, "solid" | "dash" | "dashdot" | "dot"> = {
  "--": "dash", "-.": "dashdot", "-": "solid", ":": "dot",
};

/** matplotlib marker → plotly symbol. Open-only plotly symbols need a marker outline to show. */
const MARKERS: Record<string, { symbol: string; size?: number; open?: boolean }> = {
  ".": { symbol: "circle", size: 5 }, ",": { symbol: "square", size: 2 }, o: { symbol: "circle" },
  v: { symbol: "triangle-down" }, "^": { symbol: "triangle-up" }, "<": { symbol: "triangle-left" },
  ">": { symbol: "triangle-right" }, "1": { symbol: "y-down", open: true },
  "2": { symbol: "y-up", open: true }, "3": { symbol: "y-left", open: true },
  "4": { symbol: "y-right", open: true }, "8": { symbol: "octagon" }, s: { symbol: "square" },
  p: { symbol: "pentagon" }, P: { symbol: "cross" }, "*": { symbol: "star", size: 10 },
  h: { symbol: "hexagon" }, H: { symbol: "hexagon2" }, "+": { symbol: "cross-thin", open: true },
  x: { symbol: "x-thin", open: true }, X: { symbol: "x" }, D: { symbol: "diamond" },
  d: { symbol: "diamond-tall" }, "|": { symbol: "line-ns", open: true },
  _: { symbol: "line-ew", open: true },
};

export interface ParsedFormat {
  color?: string;
  dash?: "solid" | "dash" | "dashdot" | "dot";
  marker?: string;
}

/**
 * Splits a matplotlib format string into colour, line style and marker.
 * @example parseFormat("m--") // { color: "#bf00bf", dash: "dash" }
 */
export function parseFormat(fmt: string): ParsedFormat {
  const out: ParsedFormat = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`plot: cannot read the format string '${fmt}': ${why}. ` +
      "Use [marker][line][color], for example 'r--', 'bo', 'g-.', 'k:' or 'C1s-'.");
  };
  while (i < fmt.length) {
    const two = fmt.slice(i, i + 2);
    const ch = fmt[i]!;
    if (/^C\d$/.test(two)) {
      if (out.color) fail("two colours");
      out.color = COLOR_CYCLE[Number(two[1])];
      i += 2;
    } else if (two === "--" || two === "-.") {
      if (out.dash) fail("two line styles");
      out.dash = LINE_STYLES[two];
      i += 2;
    } else if (ch === "-" || ch === ":") {
      if (out.dash) fail("two line styles");
      out.dash = LINE_STYLES[ch];
      i += 1;
    } else if (BASE_COLORS[ch]) {
      if (out.color) fail("two colours");
      out.color = BASE_COLORS[ch];
      i += 1;
    } else if (MARKERS[ch]) {
      if (out.marker) fail("two markers");
      out.marker = ch;
      i += 1;
    } else {
      fail(`'${ch}' is not a colour, a line style or a marker`);
    }
  }
  return out;
}

/** A CSS colour for a user colour argument: matplotlib letters and 'C0'..'C9' are translated. */
export function resolveColor(color: string): string {
  if (BASE_COLORS[color]) return BASE_COLORS[color];
  if (/^C\d$/.test(color)) return COLOR_CYCLE[Number(color[1])]!;
  return color;
}

/**
 * The plotly attributes of a 2-d scatter trace drawn with `fmt` (empty: a solid line).
 * As in matplotlib, a marker without a line style draws markers only.
 */
export function formatToStyle(fmt: string, fallbackColor: string): Record<string, unknown> {
  const parsed = parseFormat(fmt);
  const color = parsed.color ?? fallbackColor;
  const hasLine = parsed.dash !== undefined || parsed.marker === undefined;
  const style: Record<string, unknown> = {
    mode: hasLine ? (parsed.marker ? "lines+markers" : "lines") : "markers",
  };
  if (hasLine) style.line = { color, width: 1.5, dash: parsed.dash ?? "solid" };
  if (parsed.marker) {
    const m = MARKERS[parsed.marker]!;
    style.marker = {
      color,
      symbol: m.symbol,
      size: m.size ?? 7,
      ...(m.open ? { line: { color, width: 1.5 } } : {}),
    };
  }
  return style;
}
