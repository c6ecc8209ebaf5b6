/**
 * Compares an executed notebook with its committed version, cell by cell, with numeric tolerance.
 *
 * Role: the regression oracle of the chapter notebooks (nbval and pytest-notebook compare text
 * exactly, which float output and plot JSON cannot survive). Boundary: works on nbformat 4 JSON
 * objects only; it neither runs notebooks nor reads files.
 *
 * Rules, in order of application:
 * - cells must match in number, type and source; only code cells' outputs are compared;
 * - consecutive stream outputs of the same name are merged (how text is chunked is not content),
 *   but the order of different outputs is kept, so a reordered output is a difference;
 * - when a bundle holds plotly JSON, its derived renderings (text/html, image/png, image/svg+xml) are
 *   ignored and the JSON is compared structurally, numbers with tolerance (base64 `bdata` arrays are
 *   decoded first);
 * - text is compared after masking volatile pieces (times, durations, uuids, addresses), with every
 *   number inside it compared with tolerance and everything else exactly;
 * - errors compare by name and message (tracebacks carry paths and colour codes).
 *
 * Example:
 *   const diffs = compareNotebooks(committed, executed);
 *   if (diffs.length) console.log(formatDifferences(diffs));
 */

export interface Tolerance {
  /** Relative tolerance for numbers (default 1e-9). */
  rel: number;
  /** Absolute tolerance for numbers near zero (default 1e-12). */
  abs: number;
}

export interface CellDifference {
  /** Position of the cell in the notebook (0-based). */
  index: number;
  id?: string;
  /** Human-readable lines describing what differs. */
  lines: string[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  outputs?: Output[];
}
interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, Json>;
  ename?: string;
  evalue?: string;
}
export interface Notebook {
  cells: Cell[];
}

/** One output reduced to what is compared. */
type Item =
  | { kind: "stream"; name: string; text: string }
  | { kind: "display_data" | "execute_result"; data: Record<string, Json> }
  | { kind: "error"; ename: string; evalue: string };

const PLOTLY = "application/vnd.plotly.v1+json";
const DERIVED_FROM_PLOT = new Set(["text/html", "image/png", "image/svg+xml", "image/jpeg"]);
const MAX_LINES_PER_CELL = 12;

const joinText = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

/** The outputs of a cell as comparable items (streams merged, plot renderings dropped). */
export function normaliseOutputs(outputs: Output[]): Item[] {
  const items: Item[] = [];
  for (const out of outputs) {
    if (out.output_type === "stream") {
      const name = out.name ?? "stdout";
      const last = items[items.length - 1];
      if (last && last.kind === "stream" && last.name === name) last.text += joinText(out.text);
      else items.push({ kind: "stream", name, text: joinText(out.text) });
    } else if (out.output_type === "display_data" || out.output_type === "execute_result") {
      const data: Record<string, Json> = {};
      const hasPlot = out.data !== undefined && PLOTLY in out.data;
      for (const [mime, value] of Object.entries(out.data ?? {})) {
        if (hasPlot && DERIVED_FROM_PLOT.has(mime)) continue;
        data[mime] = Array.isArray(value) && mime.startsWith("text/") ? value.join("") : value;
      }
      items.push({ kind: out.output_type, data });
    } else if (out.output_type === "error") {
      items.push({ kind: "error", ename: out.ename ?? "", evalue: out.evalue ?? "" });
    }
  }
  return items;
}

// Volatile text: replaced by a placeholder before comparing, in both notebooks.
const VOLATILE: Array<[RegExp, string]> = [
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, "<timestamp>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b0x[0-9a-f]{6,}\b/gi, "<address>"],
  [/\b\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|seconds|minutes)\b/g, "<duration>"],
];

/** Masks times, durations, ids and addresses. */
export function maskVolatile(text: string): string {
  return VOLATILE.reduce((t, [pattern, placeholder]) => t.replace(pattern, placeholder), text);
}

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|-?Infinity|NaN/g;

function close(a: number, b: number, tol: Tolerance): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol.abs + tol.rel * Math.max(Math.abs(a), Math.abs(b));
}

/** Splits masked text into alternating literal and number pieces. */
function tokenise(text: string): { literals: string[]; numbers: string[] } {
  const literals: string[] = [];
  const numbers: string[] = [];
  let last = 0;
  for (const m of text.matchAll(NUMBER)) {
    literals.push(text.slice(last, m.index));
    numbers.push(m[0]);
    last = (m.index ?? 0) + m[0].length;
  }
  literals.push(text.slice(last));
  return { literals, numbers };
}

/** True when two masked texts agree: the same words, and numbers within tolerance. */
function textsMatch(e: string, a: string, tol: Tolerance): boolean {
  if (e === a) return true;
  const te = tokenise(e), ta = tokenise(a);
  return (
    te.numbers.length === ta.numbers.length &&
    te.literals.every((lit, i) => lit === ta.literals[i]) &&
    te.numbers.every((n, i) => close(Number(n), Number(ta.numbers[i]), tol))
  );
}

/**
 * Compares two texts: equal after masking, numbers within tolerance. Returns the differing lines
 * (as "- expected / + actual" pairs), empty when they match.
 */
export function compareText(expected: string, actual: string, tol: Tolerance): string[] {
  const e = maskVolatile(expected), a = maskVolatile(actual);
  if (textsMatch(e, a, tol)) return [];
  // Report line by line, so the reader sees which printed line changed.
  const el = e.split("\n"), al = a.split("\n");
  const lines: string[] = [];
  for (let i = 0; i < Math.max(el.length, al.length); i++) {
    if (el[i] !== undefined && al[i] !== undefined && textsMatch(el[i], al[i], tol)) continue;
    lines.push(`  line ${i + 1}:`);
    lines.push(`    - ${el[i] ?? "(missing)"}`);
    lines.push(`    + ${al[i] ?? "(missing)"}`);
  }
  return lines.length ? lines : ["  texts differ"];
}

const BDATA_TYPES: Record<string, [number, (v: DataView, o: number) => number]> = {
  f8: [8, (v, o) => v.getFloat64(o, true)],
  f4: [4, (v, o) => v.getFloat32(o, true)],
  i4: [4, (v, o) => v.getInt32(o, true)],
  u4: [4, (v, o) => v.getUint32(o, true)],
  i2: [2, (v, o) => v.getInt16(o, true)],
  u2: [2, (v, o) => v.getUint16(o, true)],
  i1: [1, (v, o) => v.getInt8(o)],
  u1: [1, (v, o) => v.getUint8(o)],
};

/** plotly's typed-array encoding {dtype, bdata[, shape]} → a plain array of numbers. */
function decodeTypedArray(value: Json): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const { dtype, bdata } = value;
  if (typeof dtype !== "string" || typeof bdata !== "string" || !(dtype in BDATA_TYPES)) return value;
  const [size, read] = BDATA_TYPES[dtype];
  const bytes = Buffer.from(bdata, "base64");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let o = 0; o + size <= bytes.byteLength; o += size) out.push(read(view, o));
  return out;
}

/** Structural comparison of JSON values, numbers with tolerance; pushes "path: ..." lines. */
export function compareJson(expected: Json, actual: Json, tol: Tolerance, path = "", out: string[] = []): string[] {
  if (out.length >= MAX_LINES_PER_CELL) return out;
  const e = decodeTypedArray(expected), a = decodeTypedArray(actual);
  const where = path || "(root)";
  if (typeof e === "number" && typeof a === "number") {
    if (!close(e, a, tol)) out.push(`  ${where}: expected ${e}, got ${a}`);
  } else if (typeof e === "string" && typeof a === "string") {
    const d = compareText(e, a, tol);
    if (d.length) out.push(`  ${where}: text differs`, ...d.map((l) => "  " + l));
  } else if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) out.push(`  ${where}: expected ${e.length} elements, got ${a.length}`);
    for (let i = 0; i < Math.min(e.length, a.length); i++) compareJson(e[i], a[i], tol, `${path}[${i}]`, out);
  } else if (e && a && typeof e === "object" && typeof a === "object" && !Array.isArray(e) && !Array.isArray(a)) {
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    for (const k of [...keys].sort()) {
      const sub = path ? `${path}.${k}` : k;
      if (!(k in a)) out.push(`  ${sub}: missing in the executed notebook`);
      else if (!(k in e)) out.push(`  ${sub}: not in the committed notebook`);
      else compareJson(e[k], a[k], tol, sub, out);
    }
  } else if (e !== a) {
    out.push(`  ${where}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
  }
  return out;
}

const describe = (item: Item): string =>
  item.kind === "stream" ? `stream ${item.name}` : item.kind === "error" ? `error ${item.ename}` : `${item.kind} [${Object.keys(item.data).sort().join(", ")}]`;

function compareItems(expected: Item, actual: Item, tol: Tolerance): string[] {
  if (expected.kind !== actual.kind || (expected.kind === "stream" && actual.kind === "stream" && expected.name !== actual.name)) {
    return [`  expected ${describe(expected)}, got ${describe(actual)}`];
  }
  if (expected.kind === "stream" && actual.kind === "stream") return compareText(expected.text, actual.text, tol);
  if (expected.kind === "error" && actual.kind === "error") {
    return expected.ename === actual.ename ? compareText(expected.evalue, actual.evalue, tol) : [`  expected error ${expected.ename}, got ${actual.ename}`];
  }
  if ("data" in expected && "data" in actual) {
    const lines: string[] = [];
    const mimes = new Set([...Object.keys(expected.data), ...Object.keys(actual.data)]);
    for (const mime of [...mimes].sort()) {
      if (!(mime in actual.data)) lines.push(`  ${mime}: missing in the executed notebook`);
      else if (!(mime in expected.data)) lines.push(`  ${mime}: not in the committed notebook`);
      else {
        const e = expected.data[mime], a = actual.data[mime];
        const d = typeof e === "string" && typeof a === "string" ? compareText(e, a, tol) : compareJson(e, a, tol);
        if (d.length) lines.push(`  ${mime}:`, ...d.map((l) => "  " + l));
      }
    }
    return lines;
  }
  return [];
}

/**
 * Compares two notebooks cell by cell; returns one entry per differing cell (empty when they match).
 */
export function compareNotebooks(expected: Notebook, actual: Notebook, tolerance: Partial<Tolerance> = {}): CellDifference[] {
  const tol: Tolerance = { rel: 1e-9, abs: 1e-12, ...tolerance };
  const diffs: CellDifference[] = [];
  if (expected.cells.length !== actual.cells.length) {
    diffs.push({ index: -1, lines: [`  expected ${expected.cells.length} cells, got ${actual.cells.length}`] });
  }
  for (let i = 0; i < Math.min(expected.cells.length, actual.cells.length); i++) {
    const ec = expected.cells[i], ac = actual.cells[i];
    const lines: string[] = [];
    if (ec.cell_type !== ac.cell_type) lines.push(`  expected a ${ec.cell_type} cell, got a ${ac.cell_type} cell`);
    else if (joinText(ec.source) !== joinText(ac.source)) lines.push("  the cell's source differs");
    else if (ec.cell_type === "code") {
      const eo = normaliseOutputs(ec.outputs ?? []), ao = normaliseOutputs(ac.outputs ?? []);
      if (eo.length !== ao.length) {
        lines.push(`  expected ${eo.length} outputs (${eo.map(describe).join("; ") || "none"}), got ${ao.length} (${ao.map(describe).join("; ") || "none"})`);
      }
      for (let k = 0; k < Math.min(eo.length, ao.length); k++) {
        const d = compareItems(eo[k], ao[k], tol);
        if (d.length) lines.push(`  output ${k} (${describe(eo[k])}):`, ...d.map((l) => "  " + l));
      }
    }
    if (lines.length) {
      const shown = lines.length > MAX_LINES_PER_CELL ? [...lines.slice(0, MAX_LINES_PER_CELL), `  … ${lines.length - MAX_LINES_PER_CELL} more lines`] : lines;
      diffs.push({ index: i, id: ec.id, lines: shown });
    }
  }
  return diffs;
}

/** A readable report: one block per differing cell, with the first line of its source. */
export function formatDifferences(diffs: CellDifference[], expected?: Notebook): string {
  return diffs
    .map((d) => {
      const cell = d.index >= 0 ? expected?.cells[d.index] : undefined;
      const firstLine = cell ? joinText(cell.source).split("\n")[0].slice(0, 70) : "";
      const head = d.index < 0 ? "notebook:" : `cell ${d.index}${d.id ? ` (id ${d.id})` : ""}${firstLine ? `: ${firstLine}` : ""}`;
      return [head, ...d.lines].join("\n");
    })
    .join("\n\n");
}
