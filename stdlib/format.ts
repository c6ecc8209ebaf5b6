/**
 * Text and HTML for tensors, reading like the framework a cell mirrors: PyTorch's `tensor(...)`
 * (4 decimals, scientific when magnitudes spread, `1.` for integer values) for the torch flavour,
 * NumPy's `array(...)` (up to 8 significant decimals, aligned) for the np flavour, and a 0-d
 * tensor in a template string like a Python float (`-4096.0`). Summarises past 1000 elements,
 * reading only the elements it shows.
 */
import type { Tensor } from "./tensor.js";
import { readContiguous } from "./ops/copy.js";
import { fail } from "./errors.js";

const THRESHOLD = 1000;
const EDGE = 3;

/** Python's repr of a float: shortest round-trip digits, `.0` on integers, `1e-05` style exponents. */
export function formatPythonFloat(v: number, dtype: string = "float64"): string {
  if (typeof v !== "number") fail(`formatPythonFloat: takes a number, got ${v === null ? "null" : typeof v}${typeof v === "object" && v !== null && "item" in v ? " (for a tensor: String(t) or t.item())" : ""}`);
  if (dtype === "bool") return v ? "True" : "False";
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const digits = dtype === "float32" ? shortestFloat32(v) : v;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return padExponent(digits.toExponential());
  if (Object.is(v, -0)) return "-0.0";
  const s = typeof digits === "string" ? digits : String(digits);
  return /[.e]/.test(s) ? s : s + ".0";
}

/** The shortest decimal that reads back as the same float32 (what NumPy prints for float32). */
function shortestFloat32(v: number): number {
  for (let p = 1; p <= 9; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return c;
  }
  return v;
}

/** JavaScript's toFixed and toExponential drop the sign of -0, which PyTorch prints (`tensor([-0.])`). */
function withZeroSign(v: number, text: string): string {
  return Object.is(v, -0) ? `-${text}` : text;
}

function padExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

// ---------- element formatters ----------

type Fmt = { width: number; format(v: number): string };

function specials(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return null;
}

function torchFormatter(values: ArrayLike<number>, dtype: string): Fmt {
  if (dtype === "bool") return finalize(values, (v) => (v ? "True" : "False"));
  let intMode = true, maxA = 0, minA = Infinity, any = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v !== Math.ceil(v)) intMode = false;
    const a = Math.abs(v);
    if (a !== 0) {
      any = true;
      if (a > maxA) maxA = a;
      if (a < minA) minA = a;
    }
  }
  let sci = false;
  if (any) sci = intMode ? maxA / minA > 1000 || maxA > 1e8 : maxA / minA > 1000 || maxA > 1e8 || minA < 1e-4;
  const f = (v: number) => specials(v) ?? withZeroSign(v, sci ? padExponent(v.toExponential(4)) : intMode ? v.toFixed(0) + "." : v.toFixed(4));
  // PyTorch sizes the columns from the finite non-zero values only: neither `nan` nor the sign of
  // a -0 widens them, and a tensor of zeros is not padded at all.
  return finalize(Array.from(values).filter((v) => Number.isFinite(v) && v !== 0), f);
}

function numpyFormatter(values: ArrayLike<number>, dtype: string): Fmt {
  if (dtype === "bool") return finalize(values, (v) => (v ? "True" : "False"));
  let maxA = 0, minA = Infinity, any = false;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (!Number.isFinite(a) || a === 0) continue;
    any = true;
    if (a > maxA) maxA = a;
    if (a < minA) minA = a;
  }
  const sci = any && (maxA >= 1e8 || minA < 1e-4 || maxA / minA > 1000);
  const f32 = dtype === "float32";
  const parts = Array.from(values, (v) => {
    const sp = specials(v);
    if (sp) return { int: sp, frac: "", exp: "" };
    const u = f32 ? shortestFloat32(v) : v;
    if (sci) {
      const [m, e] = padExponent(Number(u.toExponential(8)).toExponential()).split("e");
      const [i, fr = ""] = m!.split(".");
      return { int: i!, frac: "." + fr, exp: "e" + e };
    }
    const s = u.toFixed(8).replace(/0+$/, "");
    const [i, fr = ""] = s.split(".");
    return { int: i === "0" && Object.is(v, -0) ? "-0" : i!, frac: "." + fr, exp: "" };
  });
  const padL = Math.max(0, ...parts.map((p) => p.int.length));
  const padR = Math.max(0, ...parts.map((p) => p.frac.length));
  const map = new Map<number, string>();
  Array.from(values).forEach((v, i) => {
    const p = parts[i]!;
    map.set(v, p.int.padStart(padL) + (p.exp ? p.frac.padEnd(padR, "0") + p.exp : p.frac.padEnd(padR)));
  });
  return finalize(values, (v) => map.get(v) ?? String(v));
}

function finalize(values: ArrayLike<number>, f: (v: number) => string): Fmt {
  let width = 0;
  for (let i = 0; i < values.length; i++) width = Math.max(width, f(values[i]!).length);
  return { width, format: (v) => f(v).padStart(width) };
}

// ---------- layout ----------

/** Element `i` of `t` in row-major order. */
type Element = (i: number) => number;

/**
 * A reader of `t`'s elements by row-major position. A summarised tensor is read through its
 * strides, one shown element at a time: copying it first cost as much memory again as the tensor
 * (a 800 MB result was stopped by the kernel's memory limit just to be printed).
 */
function elementReader(t: Tensor): Element {
  if (t.size <= THRESHOLD) {
    const flat = readContiguous(t);
    return (i) => flat[i]!;
  }
  const data = t["_data"], strides = t["_strides"], offset = t["_offset"], shape = t.shape;
  return (i) => {
    let at = offset;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const n = shape[axis]!;
      at += (i % n) * strides[axis]!;
      i = Math.floor(i / n);
    }
    return data[at]!;
  };
}

function body(t: Tensor, element: Element, fmt: Fmt, indent: number, linewidth: number): string {
  const shape = t.shape;
  const summarize = t.size > THRESHOLD;
  const strides: number[] = [];
  for (let i = shape.length - 1, s = 1; i >= 0; i--) (strides[i] = s), (s *= shape[i]!);
  const rec = (axis: number, base: number, ind: number): string => {
    const n = shape[axis]!;
    const idx = summarize && n > 2 * EDGE ? [...range(0, EDGE), -1, ...range(n - EDGE, n)] : range(0, n);
    if (axis === shape.length - 1) {
      // PyTorch writes " ..." (one space more than NumPy) between the edges
      const items = idx.map((i) => (i < 0 ? (t.flavour === "torch" ? " ..." : "...") : fmt.format(element(base + i))));
      const perLine = Math.max(1, Math.floor((linewidth - ind) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let k = 0; k < items.length; k += perLine) lines.push(items.slice(k, k + perLine).join(", "));
      return "[" + lines.join(",\n" + " ".repeat(ind + 1)) + "]";
    }
    const sep = "," + "\n".repeat(shape.length - axis - 1) + " ".repeat(ind + 1);
    return "[" + idx.map((i) => (i < 0 ? "..." : rec(axis + 1, base + i * strides[axis]!, ind + 1))).join(sep) + "]";
  };
  return rec(0, 0, indent);
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function shownValues(t: Tensor, element: Element): ArrayLike<number> {
  if (t.size <= THRESHOLD) return Array.from({ length: t.size }, (_, i) => element(i));
  // only the printed edges decide the format, as in PyTorch/NumPy
  const keep: number[] = [];
  const shape = t.shape;
  const strides: number[] = [];
  for (let i = shape.length - 1, s = 1; i >= 0; i--) (strides[i] = s), (s *= shape[i]!);
  const rec = (axis: number, base: number) => {
    const n = shape[axis]!;
    const idx = n > 2 * EDGE ? [...range(0, EDGE), ...range(n - EDGE, n)] : range(0, n);
    for (const i of idx) axis === shape.length - 1 ? keep.push(element(base + i)) : rec(axis + 1, base + i * strides[axis]!);
  };
  rec(0, 0);
  return keep;
}

function torchGradFnName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1) + "Backward0";
}

/** The text/plain form: `tensor([1.0819])` in the torch flavour, `array([1.0819])` in np. */
export function formatTensor(t: Tensor): string {
  const element = elementReader(t);
  const torch = t.flavour === "torch";
  const prefix = torch ? "tensor(" : "array(";
  const values = shownValues(t, element);
  const fmt = torch ? torchFormatter(values, t.dtype) : numpyFormatter(values, t.dtype);
  let text: string;
  if (t.shape.length === 0) text = fmt.format(element(0)).trim();
  else if (t.size === 0) text = "[]";
  else text = body(t, element, fmt, prefix.length, torch ? 80 : 75);
  const suffix: string[] = [];
  if (t.shape.length > 0 && t.size === 0) suffix.push(torch ? `size=(${t.shape.join(", ")}${t.shape.length === 1 ? "," : ""})` : `shape=(${t.shape.join(", ")}${t.shape.length === 1 ? "," : ""})`);
  if (t.dtype === "float32") suffix.push(torch ? "dtype=torch.float32" : "dtype=float32");
  const autograd = autogradNote(t);
  if (autograd !== undefined) suffix.push(autograd);
  return prefix + text + suffix.map((s) => ", " + s).join("") + ")";
}

/** PyTorch's note on a tensor in the graph: `grad_fn=<MulBackward0>` or `requires_grad=True`. */
function autogradNote(t: Tensor): string | undefined {
  if (t.flavour !== "torch" || !t.requiresGrad) return undefined;
  return t["_op"] !== null ? `grad_fn=<${torchGradFnName(t["_op"].name)}>` : "requires_grad=True";
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A compact HTML table of a matrix's elements, formatted as in the text form. */
export function htmlTable(t: Tensor): string {
  const flat = readContiguous(t);
  const fmt = t.flavour === "torch" ? torchFormatter(flat, t.dtype) : numpyFormatter(flat, t.dtype);
  const [n, m] = t.shape as [number, number];
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let j = 0; j < m; j++) cells.push(`<td style="text-align:right;font-family:monospace">${fmt.format(flat[i * m + j]!).trim()}</td>`);
    rows.push(`<tr>${cells.join("")}</tr>`);
  }
  // JupyterLab shows the table instead of the text form, so the caption carries its autograd note.
  const note = autogradNote(t);
  const caption = `${t.flavour === "torch" ? "tensor" : "array"} ${n}×${m} ${t.dtype}${note === undefined ? "" : `, ${escapeHtml(note)}`}`;
  return `<table class="gradlab-tensor"><caption style="caption-side:bottom;font-size:smaller">${caption}</caption>${rows.join("")}</table>`;
}
