/**
 * One-line hints for the compiler errors a Python user meets first in a gradlab notebook
 * (`True`, `len(x)`, `-x**2`, `w.grad.item()` before TypeScript knows backward() ran, `w[0] = 1`
 * on a tensor, …).
 *
 * Role: a small table from a diagnostic (its code, its message and the source line it points at)
 * to a sentence that names the TypeScript way of writing the same thing. Only a handful of codes
 * have entries, and only the cases recognised with certainty get a hint: a wrong hint costs a
 * student more than none. Boundary: pure text in, text out; no "typescript", no kernel state.
 * Runs on the main thread, where error-format.ts turns rejected cells into error outputs. Python
 * lines that stop the parser are read by python-syntax-hints.ts, PyTorch calls and members that do
 * not type-check by pytorch-habit-hints.ts.
 */
import { DEF_HINT, LAMBDA_HINT, NO_IMPORT_NEEDED, pythonSyntaxHint } from "./python-syntax-hints.js";
import { argumentHint, assignmentLikeHint, calledValueHint, maskIndexHint, shapeArgumentsHint, tensorMemberHint, tupleHint } from "./pytorch-habit-hints.js";

/** What a hint rule sees of one diagnostic. */
export interface HintInput {
  code: number;
  message: string;
  /** The whole source line the diagnostic starts on. */
  sourceLine: string;
  /** Where on that line it starts (0-based; 0 when unknown). */
  column?: number;
  /** Shapes of tensors earlier cells left in variables, by name (for the element-write hint). */
  shapes?: ReadonlyMap<string, readonly number[]>;
}

/** Python builtins and constants with a different spelling in TypeScript. */
const PYTHON_NAMES: Readonly<Record<string, string>> = {
  True: "TypeScript writes `true` (lower case).",
  False: "TypeScript writes `false` (lower case).",
  None: "TypeScript writes `null` (or `undefined` for \"not set\").",
  len: "an array's length is `xs.length`, a tensor's first dimension `t.shape[0]`.",
  print: "print with `console.log(...)`, or end the cell with the expression to show its value.",
  range: "count with `for (let i = 0; i < n; i++) { ... }`, or use `arange(n)` for a tensor.",
  def: DEF_HINT,
  lambda: LAMBDA_HINT,
  self: "inside a class, TypeScript writes `this`.",
  float: "`Number(x)` makes a number (of a one-element tensor: `t.item()`).",
  int: "`Math.trunc(x)` drops the fraction (JavaScript has one number type).",
  str: "`String(x)` makes a string (or a template literal: `x = ${x}` in backquotes).",
  list: "`Array.from(xs)` makes an array; a tensor's elements as nested arrays are `t.toArray()`.",
  round: "`Math.round(x)` rounds (halves up: `Math.round(2.5)` is 3, where Python's `round` gives 2).",
  isinstance: "`x instanceof Tensor` tests a class.",
  enumerate: "`for (const [i, x] of xs.entries()) { ... }` counts while looping.",
  zip: "`xs.map((x, i) => [x, ys[i]])` pairs two arrays.",
  math: "JavaScript's math is `Math` (capital M): `Math.sqrt(2)`, `Math.PI`.",
};


type Rule = (input: HintInput) => string | undefined;

/** The rules, keyed by TypeScript diagnostic code. */
const RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  // 'w.grad' is possibly 'null': the compiler cannot know that backward() filled it in.
  [18047, ({ message }) => {
    const name = /^'(.+\.grad)' is possibly 'null'/.exec(message)?.[1];
    return name && `once backward() has run, write \`${name}!\`: the \`!\` tells TypeScript it is not null here.`;
  }],
  // Cannot assign to 'lr' because it is a constant.
  [2588, ({ message }) => {
    const name = /^Cannot assign to '(.+)' because it is a constant/.exec(message)?.[1];
    return name && `declare \`${name}\` with \`let\` instead of \`const\` if its value should change.`;
  }],
  // Cannot find name 'True' (and the like), 'dim' in `t.sum(dim=0)`, 'z' in `z = 3`.
  [2304, ({ message, sourceLine, column }) => pythonName(message) ?? assignmentLikeHint(message, sourceLine, column ?? 0)],
  // Cannot find name 'range'. Did you mean 'arange'?
  [2552, ({ message, sourceLine, column }) => pythonName(message) ?? assignmentLikeHint(message, sourceLine, column ?? 0)],
  // Property 'numpy' does not exist on type 'Tensor' (2551 when TypeScript also guesses a name).
  [2339, ({ message, sourceLine, column }) => tensorMemberHint(message, sourceLine, column ?? 0)],
  [2551, ({ message, sourceLine, column }) => tensorMemberHint(message, sourceLine, column ?? 0)],
  [2345, ({ message, sourceLine, column }) => argumentHint(message, sourceLine, column ?? 0)],
  [2538, ({ message, sourceLine, column }) => maskIndexHint(message, sourceLine, column ?? 0)],
  [2559, ({ message, sourceLine }) => shapeArgumentsHint(message, sourceLine)],
  // Left side of comma operator is unused: `np.zeros((2, 3))`, a Python tuple.
  [2695, ({ sourceLine, column }) => tupleHint(sourceLine, column ?? 0)],
  // `-x ** 2`: TypeScript refuses to guess whether the minus applies before or after the power.
  [17006, ({ message }) =>
    message.includes("'-' operator")
      ? "Python reads `-x**2` as `-(x**2)`; TypeScript wants the parentheses written: `-(x ** 2)`."
      : undefined],
  // `xs.length()`, `t.size()`, `t.size(0)`: values in TypeScript, methods in Python.
  [2349, ({ message, sourceLine, column }) => calledValueHint(message, sourceLine, column ?? 0)],
  // `w[0] = 1`, `w[0] += 1`, `m[i][j] = v` on a tensor (the kernel's prelude makes a tensor's
  // elements read-only to the checker): PyTorch writes in place, gradlab's tensors cannot change.
  [2542, ({ message, sourceLine, column, shapes }) => (isTensorElementWriteMessage(message) ? elementWriteHint(sourceLine.slice(column ?? 0), shapes) : undefined)],

  // Cannot find module 'torch' (the library, preloaded) or 'lodash' (a package not installed).
  [2307, ({ message }) => missingModule(message)],
]);

/** Python packages whose gradlab counterparts are preloaded globals. */
const PRELOADED_PACKAGES = new Set(["torch", "numpy", "mxnet", "d2l", "autograd", "jax"]);

function missingModule(message: string): string | undefined {
  const specifier = /^Cannot find module '([^']+)'/.exec(message)?.[1];
  // Relative and absolute paths name the user's own files; `node:` names Node's, always there.
  if (specifier === undefined || /^(\.|\/|node:)/.test(specifier)) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  if (PRELOADED_PACKAGES.has(name)) return NO_IMPORT_NEEDED;
  // Both the checker and the import look at the disk again after such an error: no restart needed.
  return `\`${name}\` is not installed where this notebook looks: run \`npm install ${name}\` in the notebook's folder, then run this cell again.`;
}

/** TypeScript's message for a write to a tensor's element (TS2542 on the Tensor type). */
export function isTensorElementWriteMessage(message: string): boolean {
  return /^Index signature in type 'Tensor' only permits reading/.test(message);
}

const ELEMENT_WRITE = /^([\p{L}\p{N}_$.]+)((?:\[[^[\]]+\])+)\s*(\*\*|[-+*/%])?=(?!=)\s*(.+?)\s*;?\s*$/u;

/**
 * The tensor an element write writes to (`w` in `w[0] = 1`), read from the line at the
 * diagnostic's column; undefined when the line is not such a write.
 * @example elementWriteReceiver("m[i][j] = v", 0) // "m"
 */
export function elementWriteReceiver(sourceLine: string, column: number): string | undefined {
  return ELEMENT_WRITE.exec(sourceLine.slice(column))?.[1];
}

/** `w[0] = 1` → what to write instead, spelled with the cell's own names, indices and value. */
function elementWriteHint(fromTarget: string, shapes: ReadonlyMap<string, readonly number[]> | undefined): string {
  const write = ELEMENT_WRITE.exec(fromTarget);
  const general = "gradlab's tensors cannot change in place (every op makes a new one); make the changed tensor with `t = t.indexPut([i, j], value)`, PyTorch's out-of-place index_put.";
  if (!write) return general;
  const [, tensor, brackets, operator, value] = write as unknown as [string, string, string, string | undefined, string];
  const indices = [...brackets.matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1]!.trim());
  const newValue = operator ? `${tensor}${brackets} ${operator} ${value}` : value;
  const written = `${tensor}${brackets} ${operator ?? ""}= ${value}`;
  const shape = shapes?.get(tensor);
  const named = shape ? `\`${tensor}\` (shape [${shape.join(", ")}])` : `\`${tensor}\``;
  return `\`${written}\` would change the tensor ${named} in place, and gradlab's tensors cannot change (every op makes a new one): write \`${tensor} = ${tensor}.indexPut([${indices.join(", ")}], ${newValue})\` (with \`${tensor}\` declared by \`let\`), PyTorch's out-of-place index_put.`;
}

function isSyntaxError(code: number): boolean {
  return code >= 1000 && code < 2000;
}

function pythonName(message: string): string | undefined {
  const name = /^Cannot find name '(\w+)'/.exec(message)?.[1];
  return name !== undefined && Object.hasOwn(PYTHON_NAMES, name) ? PYTHON_NAMES[name] : undefined;
}

/**
 * The hint line for one diagnostic, or undefined when the table has nothing certain to say.
 * @example
 * beginnerHint({ code: 2304, message: "Cannot find name 'True'.", sourceLine: "let ok = True;" })
 * // "Hint: TypeScript writes `true` (lower case)."
 */
export function beginnerHint(input: HintInput): string | undefined {
  // TypeScript numbers its syntax errors 1000–1999: `def f(x):`, `a @ b`, `m[:, 0]`, ... stop the parser.
  const hint = isSyntaxError(input.code) ? pythonSyntaxHint(input.sourceLine, input.column ?? 0) : RULES.get(input.code)?.(input);
  return hint ? `Hint: ${hint}` : undefined;
}
