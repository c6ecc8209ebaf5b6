/**
 * Hints for the Python lines that stop TypeScript's parser: `def f(x):`, `import numpy as np`,
 * `a @ b`, `m[:, 0]`, `with torch.no_grad():`, `for i in range(3):`, `if a > 0:`, f-strings,
 * `# comments`, `and` / `or` / `not`, `is None`, `lambda`, list comprehensions.
 *
 * Role: given the source line of a syntax error (and where on it the error starts), the sentence
 * that says how TypeScript writes the same thing, spelled with the line's own names where they
 * can be read off it with certainty; undefined otherwise. A line trips several syntax errors at
 * once; the caller shows a hint once per cell. Boundary: pure text in, text out; runs on the main
 * thread (beginner-hints.ts calls it).
 */

export const DEF_HINT = "a function is written `function f(x: Tensor) { return ...; }`.";
export const LAMBDA_HINT = "an anonymous function is written `(x: Tensor) => ...`.";
export const NO_IMPORT_NEEDED = "no import is needed: `np`, `torch`, `d2l`, `grad`, `tensor` and the rest of the library are preloaded.";
const NO_MATPLOTLIB_NEEDED = "no import is needed: `plt` (a small matplotlib drawing with plotly) and `d2l.plot(...)` are preloaded.";

/**
 * Python keywords met at the error's column, where TypeScript has an operator or a form instead;
 * each reads the line from the keyword on (`rest`) and the text before it.
 */
const KEYWORD_AT_COLUMN: Readonly<Record<string, (rest: string, before: string) => string>> = {
  and: () => "TypeScript writes `&&` for `and`.",
  or: () => "TypeScript writes `||` for `or`.",
  not: (rest) => {
    const operand = /^not\s+([\p{L}\p{N}_$.]+)/u.exec(rest)?.[1];
    return operand ? `TypeScript writes \`!${operand}\` for \`not ${operand}\`.` : "TypeScript writes `!x` for `not x`.";
  },
  lambda: () => LAMBDA_HINT,
  is: (_rest, before) => {
    const operand = /([\p{L}_$][\p{L}\p{N}_$.]*)\s*$/u.exec(before)?.[1] ?? "x";
    return `TypeScript writes \`${operand} === null\` for \`${operand} is None\` (and \`!==\` for \`is not\`).`;
  },
};

type LineRule = (line: string) => string | undefined;

/** Whole-line forms, tried in order; the first that recognises the line answers. */
const LINE_RULES: readonly LineRule[] = [
  (line) => (/^\s*def\s/.test(line) ? DEF_HINT : undefined),
  (line) => {
    const imported = /^\s*(?:import\s+([\w.]+)(?:\s+as\s+\w+)?|from\s+([\w.]+)\s+import\b.*)\s*$/.exec(line);
    if (!imported) return undefined;
    return (imported[1] ?? imported[2])!.startsWith("matplotlib") ? NO_MATPLOTLIB_NEEDED : NO_IMPORT_NEEDED;
  },
  withBlock,
  listComprehension,
  forIn,
  colonCondition,
  matmulOperator,
  sliceInBrackets,
];

function withBlock(line: string): string | undefined {
  if (!/^\s*with\s.*:\s*$/.test(line)) return undefined;
  if (/\b(torch\.)?(no_grad|noGrad)\(\)/.test(line)) {
    return "a `with` block is a function here: `torch.noGrad(() => { ... })` runs the block without recording gradients.";
  }
  if (/\bautograd\.record\(\)/.test(line)) {
    return "a `with` block is a function here: `autograd.record(() => { ... })` records the block and returns what it returns.";
  }
  return undefined;
}

/** `[x ** 2 for x in xs if x > 1]`. */
function listComprehension(line: string): string | undefined {
  const comprehension = /\[\s*(.+?)\s+for\s+([\p{L}_$][\p{L}\p{N}_$]*)\s+in\s+(.+?)(?:\s+if\s+(.+?))?\s*\]/u.exec(line);
  if (!comprehension) return undefined;
  const [, value, name, iterable, condition] = comprehension as unknown as [string, string, string, string, string | undefined];
  const count = /^range\(\s*([^,()]+?)\s*\)$/.exec(iterable)?.[1];
  let written: string;
  if (count !== undefined && condition === undefined) written = `Array.from({ length: ${count} }, (_, ${name}) => ${value})`;
  else {
    const filtered = condition === undefined ? iterable : `${iterable}.filter((${name}) => ${condition})`;
    written = value === name && condition !== undefined ? filtered : `${filtered}.map((${name}) => ${value})`;
  }
  return `a list comprehension is written \`${written}\`.`;
}

function forIn(line: string): string | undefined {
  const loop = /^\s*for\s+([\p{L}_$][\p{L}\p{N}_$]*)\s+in\s+(.+?)\s*:/u.exec(line);
  if (!loop) return undefined;
  const [, name, iterable] = loop as unknown as [string, string, string];
  const range = /^range\(\s*([^,()]+?)\s*(?:,\s*([^,()]+?)\s*)?\)$/.exec(iterable);
  if (range) {
    const [start, stop] = range[2] === undefined ? ["0", range[1]!] : [range[1]!, range[2]];
    return `a loop is written \`for (let ${name} = ${start}; ${name} < ${stop}; ${name}++) { ... }\`.`;
  }
  return `a loop is written \`for (const ${name} of ${iterable}) { ... }\`.`;
}

function colonCondition(line: string): string | undefined {
  const block = /^\s*(if|elif|while)\s+(.+?)\s*:\s*(#.*)?$/.exec(line);
  if (!block) return undefined;
  const keyword = block[1] === "elif" ? "else if" : block[1];
  return `the condition goes in parentheses and the block in braces: \`${keyword} (${block[2]}) { ... }\`.`;
}

/** `a @ b` (not a decorator, which starts its line with `@`). */
function matmulOperator(line: string): string | undefined {
  if (!/[\p{L}\p{N}_$)\]]\s*@\s*[\p{L}\p{N}_$(]/u.test(line) || /^\s*@/.test(line)) return undefined;
  const simple = /(?:^|[^\p{L}\p{N}_$.)\]])([\p{L}_$][\p{L}\p{N}_$.]*)\s*@\s*([\p{L}_$][\p{L}\p{N}_$.]*)(?![\p{L}\p{N}_$.(])/u.exec(line);
  const [a, b] = simple ? [simple[1], simple[2]] : ["a", "b"];
  return `TypeScript has no \`@\` operator: write \`${a}.matmul(${b})\` (or \`torch.matmul(${a}, ${b})\`).`;
}

/** `m[:, 0]`, `xs[1:]`, `v[::2]`: Python's slices (a `?` would make the colon a conditional's). */
function sliceInBrackets(line: string): string | undefined {
  const slice = /([\p{L}_$][\p{L}\p{N}_$.]*)\[([^[\]?]*:[^[\]?]*)\]/u.exec(line);
  if (!slice) return undefined;
  const [, receiver, inside] = slice as unknown as [string, string, string];
  const specs = inside.split(",").map((part) => part.trim());
  const tensorSpecs = specs.map((spec) => (spec.includes(":") ? JSON.stringify(spec) : spec)).join(", ");
  const forTensor = `TypeScript has no \`a:b\` slices inside \`[]\`: for a tensor write \`${receiver}.slice(${tensorSpecs})\` (one spec per axis: an index, ":" for all of it, or "1:3")`;
  const arrayRange = specs.length === 1 ? /^(-?\d*)\s*:\s*(-?\d*)$/.exec(specs[0]!) : null;
  if (!arrayRange) return `${forTensor}.`;
  const args = [arrayRange[1] || "0", ...(arrayRange[2] ? [arrayRange[2]] : [])].join(", ");
  return `${forTensor}; for an array, \`${receiver}.slice(${args})\`.`;
}

/** The hint for a syntax error at `column` of `line`, or undefined. */
export function pythonSyntaxHint(line: string, column: number): string | undefined {
  const rest = line.slice(column);
  // The parser stops at the `f` of `f"..."` or, inside a call's arguments, at its quote.
  const fStart = /^["']/.test(rest) && /(^|[^\p{L}\p{N}_$])[fF]$/u.test(line.slice(0, column)) ? column - 1 : column;
  const fString = /^[fF](["'])(.*?)\1/.exec(line.slice(fStart));
  if (fString) {
    // `{x:.3f}` is `x.toFixed(3)`; other format specs have no one-line twin and are left out.
    const body = fString[2]!.replace(/\{([^{}:!]*)(?:![rsa])?(?::([^{}]*))?\}/g, (_whole, expression: string, spec?: string) => {
      const digits = spec === undefined ? undefined : /^\.(\d+)f$/.exec(spec)?.[1];
      return digits === undefined ? `\${${expression.trim()}}` : `\${${expression.trim()}.toFixed(${digits})}`;
    });
    return `TypeScript writes ${fString[0]} as a template literal, in backquotes: \`${body}\`.`;
  }
  if (/^#(\s|$)/.test(rest)) return "comments start with `//` in TypeScript.";
  const keyword = /^([a-z]+)\b/.exec(rest)?.[1];
  if (keyword !== undefined && Object.hasOwn(KEYWORD_AT_COLUMN, keyword)) return KEYWORD_AT_COLUMN[keyword]!(rest, line.slice(0, column));
  for (const rule of LINE_RULES) {
    const hint = rule(line);
    if (hint !== undefined) return hint;
  }
  return undefined;
}
