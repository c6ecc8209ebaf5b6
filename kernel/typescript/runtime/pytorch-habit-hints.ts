/**
 * Hints for PyTorch habits that parse as TypeScript but do not type-check: keyword arguments
 * (`t.sum(dim=0)`), a first assignment without `let`, `np.zeros(2, 3)`, members gradlab's
 * Tensor has under other names (`numpy()`, `tolist()`, `numel()`, `cuda()`, `.data`), in-place
 * methods (`add_`, `grad.zero_()`), `t.size(0)`, `Math.exp(t)`, mask indexing, a string given
 * to `torch.tensor`.
 *
 * Role: one function per diagnostic code, each reading the compiler's message and the source line
 * at the diagnostic's column, answering only what it recognises with certainty. Boundary: pure
 * text in, text out; runs on the main thread (beginner-hints.ts calls it).
 */

const NAME = String.raw`[\p{L}_$][\p{L}\p{N}_$]*`;
/** A receiver as written before `.member`: `t`, `w.grad`, `w.grad!`, `model.w`. */
const RECEIVER_BEFORE_DOT = new RegExp(String.raw`(${NAME}(?:!?\.${NAME})*!?)\.$`, "u");

/** Tensor members PyTorch spells differently, by the name a PyTorch reader types. */
const TENSOR_MEMBERS: Readonly<Record<string, (t: string) => string>> = {
  numpy: (t) => `\`${t}.toArray()\` gives the elements as nested JavaScript arrays (plots take tensors directly).`,
  tolist: (t) => `\`${t}.toArray()\` gives the elements as nested JavaScript arrays (plots take tensors directly).`,
  length: (t) => `a tensor's first dimension is \`${t}.shape[0]\`, its number of elements \`${t}.size\`.`,
  numel: (t) => `\`${t}.size\` is the number of elements (a value, not a method).`,
  dim: (t) => `\`${t}.ndim\` is the number of dimensions (a value, not a method).`,
  ndimension: (t) => `\`${t}.ndim\` is the number of dimensions (a value, not a method).`,
  cuda: () => "gradlab computes on the CPU only, so there is nothing to move: leave out `.cuda()`.",
  cpu: () => "gradlab computes on the CPU only, so there is nothing to move: leave out `.cpu()`.",
  to: () => "gradlab computes on the CPU only, so there is nothing to move: leave out `.to(...)` (for a dtype, `.float()` or `.double()`).",
  data: (t) => `\`${t}.detach()\` is the same values cut from the graph (what PyTorch's \`.data\` gives).`,
};

/** The text between the parentheses that open at `open` (which is just past the `(`), or undefined. */
function argumentsFrom(text: string, open: number): string | undefined {
  let depth = 1;
  for (let i = open; i < text.length; i++) {
    if ("([{".includes(text[i]!)) depth++;
    else if (")]}".includes(text[i]!) && --depth === 0) return text.slice(open, i);
  }
  return undefined;
}

/** Property 'numpy' does not exist on type 'Tensor' (TS2339, and TS2551 with its "Did you mean"). */
export function tensorMemberHint(message: string, line: string, column: number): string | undefined {
  const member = /^Property '([^']+)' does not exist on type 'Tensor'/.exec(message)?.[1];
  if (member === undefined) return undefined;
  const receiver = RECEIVER_BEFORE_DOT.exec(line.slice(0, column))?.[1];
  if (receiver === undefined) return undefined;
  if (Object.hasOwn(TENSOR_MEMBERS, member)) return TENSOR_MEMBERS[member]!(receiver);
  // PyTorch's in-place methods end in `_`; where gradlab has one too (`requiresGrad_`), the
  // compiler's "Did you mean" already names it.
  if (!member.endsWith("_") || member.startsWith("_") || /Did you mean '[^']*_'\?/.test(message)) return undefined;
  const gradOf = /^(.+?)!?\.grad!?$/.exec(receiver)?.[1];
  if (member === "zero_" && gradOf !== undefined) return `reset a gradient with \`${gradOf}.zeroGrad()\` (or \`${gradOf}.grad = null\`).`;
  const afterName = column + member.length;
  const args = line[afterName] === "(" ? argumentsFrom(line, afterName + 1) : undefined;
  const call = `${receiver}.${member.slice(0, -1)}(${args ?? "..."})`;
  return `gradlab's tensors cannot change in place (every op makes a new one): write \`${receiver} = ${call}\` (with \`${receiver}\` declared by \`let\`).`;
}

/**
 * Keyword arguments that are only ever fields of an options object here (TensorOptions,
 * MeshgridOptions, BackwardOptions, GradOptions). `axis` and `keepdims` are not listed: `sum`
 * takes them by position, `norm` in its options.
 */
const OPTION_NAMES: Readonly<Record<string, string>> = {
  requires_grad: "requiresGrad", requiresGrad: "requiresGrad", dtype: "dtype", indexing: "indexing",
  retain_graph: "retainGraph", retainGraph: "retainGraph", create_graph: "createGraph", createGraph: "createGraph", argnums: "argnums",
};
const PYTHON_CONSTANTS: Readonly<Record<string, string>> = { True: "true", False: "false", None: "null" };

/** Cannot find name 'dim' in `t.sum(dim=0)` (a keyword argument) or 'z' in `z = 3` (no `let`). */
export function assignmentLikeHint(message: string, line: string, column: number): string | undefined {
  const name = /^Cannot find name '([^']+)'/.exec(message)?.[1];
  if (name === undefined) return undefined;
  const assigned = new RegExp(String.raw`^${name.replace(/\$/g, "\\$")}\s*=(?!=)\s*([^,)]*)`, "u").exec(line.slice(column));
  if (!assigned) return undefined;
  const before = line.slice(0, column).trimEnd();
  if (before === "") {
    return `a new name is declared: \`let ${name} = ...\` (or \`const ${name} = ...\` if it never changes); later assignments leave out the \`let\`.`;
  }
  if (!/[(,]$/.test(before)) return undefined;
  const value = assigned[1]!.trim();
  const inTypeScript = Object.hasOwn(PYTHON_CONSTANTS, value) ? PYTHON_CONSTANTS[value]! : value;
  const option = Object.hasOwn(OPTION_NAMES, name) ? OPTION_NAMES[name]! : undefined;
  if (option !== undefined) {
    const written = `{ ${option}: ${inTypeScript} }`;
    const call = /([\p{L}_$][\p{L}\p{N}_$.]*)\(([^()]*(?:\([^()]*\)[^()]*)*),$/u.exec(before);
    const example = call ? `: \`${call[1]}(${call[2]!.trim()}, ${written})\`` : "";
    return `\`${name}=${value}\` is written \`${written}\` here, as the last argument${example}.`;
  }
  return `\`${name}=${value}\` is a Python keyword argument; TypeScript passes arguments by position (Shift+Tab on the function lists them): write \`${inTypeScript}\` alone.`;
}

/** `t.size(0)` / `t.size()` on a tensor, `xs.length()` (TS2349: a number is not callable). */
export function calledValueHint(message: string, line: string, column: number): string | undefined {
  if (!/Type 'Number' has no call signatures/.test(message)) return undefined;
  const call = new RegExp(String.raw`^(?:(${NAME}(?:!?\.${NAME})*!?)\.)?(length|size)\s*\(\s*([^)]*?)\s*\)`, "u").exec(line.slice(receiverStart(line, column)));
  if (!call) return undefined;
  const [, receiver = "t", member, index] = call as unknown as [string, string | undefined, string, string];
  if (member === "length") return index === "" ? "`.length` is a value here, not a method: drop the `()`." : undefined;
  const pytorch = index === "" ? `\`${receiver}.size()\` is \`${receiver}.shape\`` : `\`${receiver}.size(${index})\` is \`${receiver}.shape[${index}]\``;
  return `\`${receiver}.size\` is the number of elements here (NumPy's meaning), a value, not a method; PyTorch's ${pytorch}.`;
}

/** Where the receiver of the member at `column` starts (the member itself when there is none). */
function receiverStart(line: string, column: number): number {
  const receiver = RECEIVER_BEFORE_DOT.exec(line.slice(0, column))?.[1];
  return receiver === undefined ? column : column - receiver.length - 1;
}

const MATH_FUNCTIONS_WITH_TENSOR_TWINS = new Set(["exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "floor", "sign"]);

/** TS2345: `Math.exp(t)` with a tensor, or `torch.tensor(s)` with a string. */
export function argumentHint(message: string, line: string, column: number): string | undefined {
  if (/^Argument of type '(string|"(?:[^"\\]|\\.)*")' is not assignable to parameter of type 'NestedData'/.test(message)) {
    const argument = /^[\p{L}_$][\p{L}\p{N}_$.]*/u.exec(line.slice(column))?.[0] ?? "text";
    return `a string is text, not numbers: \`JSON.parse(${argument})\` reads text such as "[3, 4]" as an array.`;
  }
  if (!/^Argument of type 'Tensor' is not assignable to parameter of type 'number'/.test(message)) return undefined;
  const fn = /Math\.(\w+)\(\s*$/.exec(line.slice(0, column))?.[1];
  const argument = /^[\p{L}_$][\p{L}\p{N}_$.]*(?=\s*\))/u.exec(line.slice(column))?.[0];
  if (fn === undefined || argument === undefined || !MATH_FUNCTIONS_WITH_TENSOR_TWINS.has(fn)) return undefined;
  return `\`Math.${fn}\` takes a plain number; for a tensor write \`torch.${fn}(${argument})\` or \`${argument}.${fn}()\`.`;
}

/** TS2538: `t[t > 1]`, a tensor used as an index. */
export function maskIndexHint(message: string, line: string, column: number): string | undefined {
  if (!/^Type 'Tensor' cannot be used as an index type/.test(message)) return undefined;
  const receiver = new RegExp(String.raw`(${NAME}(?:\.${NAME})*)\[\s*$`, "u").exec(line.slice(0, column))?.[1];
  const mask = argumentsFrom(line, column)?.trim();
  const where = receiver !== undefined && mask !== undefined ? `torch.where(${mask}, ${receiver}, 0)` : "torch.where(mask, t, 0)";
  return `a tensor cannot be indexed by a mask: \`${where}\` keeps the shape and puts 0 elsewhere.`;
}

/** TS2559: `np.zeros(2, 3)` (or the top-level `zeros(2, 3)`), the second size taken for the options object; `torch.zeros` takes sizes one by one, as PyTorch does. */
export function shapeArgumentsHint(message: string, line: string): string | undefined {
  if (!/^Type '\d+' has no properties in common with type 'TensorOptions'/.test(message)) return undefined;
  const call = new RegExp(String.raw`(${NAME}(?:\.${NAME})*)\(\s*(\d+(?:\s*,\s*\d+)+)\s*\)`, "u").exec(line);
  const [fn, sizes] = call ? [call[1]!, call[2]!.split(",").map((s) => s.trim()).join(", ")] : ["torch.zeros", "2, 3"];
  return `the shape goes in one array: \`${fn}([${sizes}])\` (the argument after the shape is an options object such as \`{ requiresGrad: true }\`).`;
}

/**
 * TS2695 on `np.zeros((2, 3))` or `torch.cat((a, b))`: a Python tuple, which JavaScript reads as
 * the comma operator (the innermost parentheses around the diagnostic).
 */
export function tupleHint(line: string, column: number): string | undefined {
  for (const tuple of line.matchAll(/\(([^()]*,[^()]*)\)/g)) {
    const start = tuple.index ?? 0;
    if (column < start || column >= start + tuple[0].length) continue;
    const items = tuple[1]!.split(",").map((item) => item.trim());
    const what = items.every((item) => /^-?\d+$/.test(item)) ? "the shape" : "them";
    return `TypeScript has no tuples: \`(${items.join(", ")})\` is the comma operator, whose value is ${items.at(-1)}; write ${what} as an array, \`[${items.join(", ")}]\`.`;
  }
  return undefined;
}
