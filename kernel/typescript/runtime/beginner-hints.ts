/**
 * One-line hints for the compiler errors a Python user meets first in a gradlab notebook
 * (`True`, `len(x)`, `-x**2`, `w.grad.item()` before TypeScript knows backward() ran, …).
 *
 * Role: a small table from a diagnostic (its code, its message and the source line it points at)
 * to a sentence that names the TypeScript way of writing the same thing. Only a handful of codes
 * have entries, and only the cases recognised with certainty get a hint: a wrong hint costs a
 * student more than none. Boundary: pure text in, text out; no "typescript", no kernel state.
 * Runs on the main thread, where error-format.ts turns rejected cells into error outputs.
 */

/** What a hint rule sees of one diagnostic. */
export interface HintInput {
  code: number;
  message: string;
  /** The whole source line the diagnostic starts on. */
  sourceLine: string;
}

/** Python builtins and constants with a different spelling in TypeScript. */
const PYTHON_NAMES: Readonly<Record<string, string>> = {
  True: "TypeScript writes `true` (lower case).",
  False: "TypeScript writes `false` (lower case).",
  None: "TypeScript writes `null` (or `undefined` for \"not set\").",
  len: "an array's length is `xs.length`, a tensor's first dimension `t.shape[0]`.",
  print: "print with `console.log(...)`, or end the cell with the expression to show its value.",
  range: "count with `for (let i = 0; i < n; i++) { ... }`, or use `arange(n)` for a tensor.",
  def: "a function is written `function f(x: Tensor) { return ...; }`.",
  lambda: "an anonymous function is written `(x: Tensor) => ...`.",
  self: "inside a class, TypeScript writes `this`.",
};

const NO_IMPORT_NEEDED = "no import is needed: `np`, `torch`, `d2l`, `grad`, `tensor` and the rest of the library are preloaded.";

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
  // Cannot find name 'True' (and the like).
  [2304, ({ message }) => pythonName(message)],
  // Cannot find name 'range'. Did you mean 'arange'?
  [2552, ({ message }) => pythonName(message)],
  // `-x ** 2`: TypeScript refuses to guess whether the minus applies before or after the power.
  [17006, ({ message }) =>
    message.includes("'-' operator")
      ? "Python reads `-x**2` as `-(x**2)`; TypeScript wants the parentheses written: `-(x ** 2)`."
      : undefined],
  // `xs.length()` or `t.size()`: properties in TypeScript, methods in Python.
  [2349, ({ message, sourceLine }) =>
    /Type 'Number' has no call signatures/.test(message) && /\.(length|size)\s*\(\s*\)/.test(sourceLine)
      ? "`.length` and `.size` are values here, not methods: drop the `()`."
      : undefined],
  // `def f(x):` and `import numpy as np` stop the parser.
  [1434, ({ sourceLine }) => (/^\s*def\s/.test(sourceLine) ? PYTHON_NAMES.def : undefined)],
  [1005, ({ sourceLine }) =>
    /^\s*(import\s+[\w.]+(\s+as\s+\w+)?|from\s+[\w.]+\s+import\b.*)\s*$/.test(sourceLine)
      ? NO_IMPORT_NEEDED
      : undefined],
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
  // The kernel resolves packages it was started with; one installed later is seen after a restart.
  return `\`${name}\` is not installed where this notebook looks: run \`npm install ${name}\` in the notebook's folder, then restart the kernel.`;
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
  const hint = RULES.get(input.code)?.(input);
  return hint ? `Hint: ${hint}` : undefined;
}
