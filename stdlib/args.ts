/**
 * Argument checks for callers the type checker does not see: plain JavaScript, `any` values in
 * cells, unchecked kernels. Each check is one comparison when the argument is right (the hot path)
 * and, when it is wrong, a GradlabError naming the function, what it got and what it takes.
 * Boundary: knows the Tensor class and nothing of ops; the op modules call these at their entry.
 */
import { Tensor } from "./tensor.js";
import { fail } from "./errors.js";
import { MAX_DIMS } from "./shape.js";

/** How a message shows a wrong argument: its kind, and its value when short. */
export function describeValue(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (x instanceof Tensor) return `a tensor of shape [${x.shape.join(", ")}]`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  switch (typeof x) {
    case "number": return Number.isNaN(x) ? "NaN" : `the number ${x}`;
    case "string": return `the string ${JSON.stringify(x.length > 20 ? x.slice(0, 20) + "…" : x)}`;
    case "boolean": return `the boolean ${x}`;
    case "function": return "a function";
    default: return ArrayBuffer.isView(x) ? "a typed array" : `an object`;
  }
}

/** The way out for a value that is close to a tensor: an array or a number to wrap. */
function tensorHint(x: unknown): string {
  return Array.isArray(x) || ArrayBuffer.isView(x) || typeof x === "number" ? " (wrap it: tensor(...))" : "";
}

/** Refuses anything but a Tensor for `what` (e.g. "x", "the first argument") of `op`. */
export function expectTensor(x: unknown, op: string, what = "x"): asserts x is Tensor {
  if (!(x instanceof Tensor)) fail(`${op}: ${what} must be a Tensor, got ${describeValue(x)}${tensorHint(x)}`);
}

/** Refuses anything but a non-empty array of Tensors (concat, stack, meshgrid's inputs). */
export function expectTensorList(xs: unknown, op: string): asserts xs is readonly Tensor[] {
  if (!Array.isArray(xs)) fail(`${op}: expected an array of Tensors, got ${describeValue(xs)}`);
  for (let i = 0; i < xs.length; i++) expectTensor(xs[i], op, `element ${i} of the list`);
}

/** Refuses anything but a function (the transforms' `f`, noGrad's block). */
export function expectFunction(f: unknown, op: string, what = "f"): asserts f is Function {
  if (typeof f !== "function") fail(`${op}: ${what} must be a function, got ${describeValue(f)}`);
}

/** Refuses anything but a number that is not NaN (fill values, range ends, tolerances). */
export function expectNumber(v: unknown, op: string, what: string): asserts v is number {
  if (typeof v !== "number" || Number.isNaN(v)) fail(`${op}: ${what} must be a number, got ${describeValue(v)}`);
}

/**
 * A shape argument as a list of whole sizes: a number (1-d) or an array of numbers. `allowInfer`
 * lets one entry be -1 (reshape); NaN, 1.5 and strings are refused rather than cut or coerced.
 */
export function shapeArg(shape: unknown, op: string, allowInfer = false): number[] {
  // an array passes through uncopied: reshape and broadcastTo run inside backward rules too
  const s = Array.isArray(shape) ? shape : typeof shape === "number" ? [shape] : ArrayBuffer.isView(shape) ? Array.from(shape as unknown as ArrayLike<unknown>) : null;
  if (s === null) fail(`${op}: the shape must be an array of sizes or a number, got ${describeValue(shape)}`);
  if (s.length > MAX_DIMS) fail(`${op}: the shape has ${s.length} sizes; a tensor has at most ${MAX_DIMS} dimensions`);
  for (let i = 0; i < s.length; i++) {
    const n = s[i];
    if (typeof n !== "number" || !Number.isInteger(n) || n < (allowInfer && n === -1 ? -1 : 0))
      fail(`${op}: the shape [${s.map((d) => (typeof d === "string" ? JSON.stringify(d) : String(d))).join(", ")}] has the size ${describeValue(n).replace("the number ", "")}; every size must be a whole number, 0 or more${allowInfer ? " (or one -1)" : ""}`);
  }
  return s as number[];
}

const DTYPES: readonly unknown[] = ["float64", "float32", "bool"];
/** Refuses a dtype name gradlab does not have (`"float"`, `"int32"`, a misspelling). */
export function expectDType(dtype: unknown, op: string): void {
  if (!DTYPES.includes(dtype))
    fail(`${op}: unknown dtype ${describeValue(dtype)}; gradlab has "float64" (the default), "float32" and "bool"`);
}

/**
 * Refuses an options object with a key the function does not know, naming the key it likely
 * meant: PyTorch's `requires_grad` silently did nothing, so a gradient was later missing.
 */
export function checkOptions(options: unknown, op: string, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options))
    fail(`${op}: the options must be an object such as { ${known.map((k) => `${k}: …`).join(", ")} }, got ${describeValue(options)}`);
  for (const key in options) {
    if (known.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    // the same name in snake_case or another case, or a typo or two away (axes for axis)
    const meant = known.find((k) => editDistance(k.toLowerCase(), camel.toLowerCase()) <= 2);
    fail(`${op}: unknown option "${key}"${meant ? `; did you mean "${meant}"?` : ""} (it takes ${known.map((k) => `"${k}"`).join(", ")})`);
  }
}

/** Levenshtein distance of two short words (option names), for "did you mean". */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
