/**
 * Python habits that JavaScript runs without complaint and with another meaning, once types show
 * what the operand is: `x in xs` on an array (Python: is x an element; JavaScript: is there an
 * index x), `for (const x in xs)` over an array or a tensor (Python: the elements;
 * JavaScript: the indices, as strings), `xs[-1]` on an array or a string (Python: the last
 * element; JavaScript: undefined), `if (xs)` / `!xs` on an array (Python: is it non-empty;
 * JavaScript: always true, an object), `a == b` on two tensors (PyTorch: elementwise; JavaScript:
 * the same object?), `xs.sort()` on numbers (Python: by value; JavaScript: as text, 10 before
 * 9); and, decided by the operators rewrite itself, a chained comparison on tensors `0 < t < 1`
 * (Python: both hold; here: `(0 < t) < 1`, a true/false tensor compared with 1). The cell is refused with an error at the habit saying what to write instead, in the cell's
 * own text: a silently wrong value costs a student more than an error.
 *
 * The sites are found by syntax (sites.ts); each checker's rewrite asks their operands' types in
 * its first look and calls `habitMessage` with what the type is. Boundary: messages and the rule
 * of which site and operand kind is a habit; no checker, no types.
 */
import type * as TS from "typescript";
import type { Syntax } from "../compiler/syntax.js";

/** The code of a habit's error: the kernel's own rules carry 0 (there is no TypeScript number for them). */
export const HABIT_ERROR_CODE = 0;

/** Where a habit's error ends: a `for … in` loop's head, not its body. */
export function habitEnd(ts: Syntax, site: HabitSite): number {
  return ts.isForInStatement(site.node) ? site.node.expression.end : site.node.end;
}

/**
 * What an operand's type is, as far as the habits care (undefined: anything else): an array or
 * tuple, an array of numbers (`number[]`), a string, a Tensor.
 */
export type OperandKind = "array" | "numbers" | "string" | "tensor" | undefined;

/** The checker's answer to "is `node` of one of `wanted` kinds, and which" (asked only for what a site needs). */
export type KindOf = (node: TS.Expression, wanted: ReadonlySet<OperandKind>) => OperandKind;

/**
 * - membership: `x in xs`, decided by `xs`;
 * - forIn: `for (const x in xs)`, decided by `xs`;
 * - negativeIndex: `xs[-1]`, decided by `xs`;
 * - equality: `a == b` / `a != b`, decided by both;
 * - sort: `xs.sort()` with no comparer, decided by `xs`;
 * - emptiness: `xs` tested for truth where only its truth counts (`if (xs)`, `!xs`), decided by `xs`.
 */
export interface HabitSite {
  kind: "membership" | "forIn" | "negativeIndex" | "equality" | "sort" | "emptiness";
  /** The expression whose type decides. */
  operand: TS.Expression;
  /** For equality: the other side, which must be a tensor too. */
  other?: TS.Expression;
  /** What the error spans. */
  node: TS.Node;
}

/** The habit sites `node` is, if any (called for every node of a cell by sites.ts). */
export function habitSiteOf(ts: Syntax, node: TS.Node): HabitSite | undefined {
  const K = ts.SyntaxKind;
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === K.InKeyword) return { kind: "membership", operand: node.right, node };
    // `===` is JavaScript's (and Python's `is`) identity, meant as written; `x == null` is never two tensors.
    if ((op === K.EqualsEqualsToken || op === K.ExclamationEqualsToken) && mayBeObject(ts, node.left) && mayBeObject(ts, node.right)) {
      return { kind: "equality", operand: node.left, other: node.right, node };
    }
    return undefined;
  }
  if (ts.isCallExpression(node) && node.arguments.length === 0 && ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.name)) {
    const name = node.expression.name.text;
    if (name === "sort" || name === "toSorted") return { kind: "sort", operand: node.expression.expression, node };
  }
  if (ts.isForInStatement(node)) return { kind: "forIn", operand: node.expression, node };
  if (ts.isElementAccessExpression(node)) {
    const index = node.argumentExpression;
    if (ts.isPrefixUnaryExpression(index) && index.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(index.operand)) {
      return { kind: "negativeIndex", operand: node.expression, node };
    }
  }
  return undefined;
}

/** An operand that may be an object (a literal, `null`, `undefined` or a `typeof` never is). */
function mayBeObject(ts: Syntax, node: TS.Expression): boolean {
  const K = ts.SyntaxKind;
  if (ts.isNumericLiteral(node) || ts.isStringLiteral(node)) return false;
  if (node.kind === K.TypeOfExpression || node.kind === K.NullKeyword || node.kind === K.TrueKeyword || node.kind === K.FalseKeyword || node.kind === K.NoSubstitutionTemplateLiteral) return false;
  return !(ts.isIdentifier(node) && node.text === "undefined");
}

/** Which operand kinds make each habit wrong: a tensor's `t[-1]` is `t.at(-1)`, as in PyTorch. */
export const WRONG_FOR: Readonly<Record<HabitSite["kind"], ReadonlySet<OperandKind>>> = {
  membership: new Set(["array", "tensor"]),
  // TypeScript itself refuses `for … in` over a string.
  forIn: new Set(["array", "tensor"]),
  negativeIndex: new Set(["array", "string"]),
  equality: new Set(["tensor"]),
  sort: new Set(["numbers"]),
  emptiness: new Set(["array"]),
};

/**
 * The error for a habit site, its operands' kinds asked of `kindOf`, or undefined when it means
 * what it says.
 *
 * @example habitMessage(ts, sf, forInSite, kindOf)
 * // "`for (const x in xs)` goes over the indices of `xs` as strings ("0", "1", …), …"
 */
export function habitMessage(ts: Syntax, sf: TS.SourceFile, site: HabitSite, kindOf: KindOf): string | undefined {
  const wanted = WRONG_FOR[site.kind];
  const kind = kindOf(site.operand, wanted);
  if (!wanted.has(kind)) return undefined;
  if (site.other && !wanted.has(kindOf(site.other, wanted))) return undefined;
  const operand = site.operand.getText(sf);
  const receiver = isPostfixChain(ts, site.operand) ? operand : `(${operand})`;
  switch (site.kind) {
    case "membership": {
      const binary = site.node as TS.BinaryExpression;
      const element = binary.left.getText(sf);
      const written = binary.getText(sf);
      return kind === "tensor"
        ? `\`${written}\` asks whether the tensor object \`${operand}\` has a property named \`${element}\`, not whether ${element} is one of its elements as Python's \`in\` does: write \`${receiver}.eq(${element}).any()\`.`
        : `\`${written}\` asks whether \`${operand}\` has an index \`${element}\`, not whether ${element} is one of its elements as Python's \`in\` does: write \`${receiver}.includes(${element})\`.`;
    }
    case "forIn": {
      const loop = site.node as TS.ForInStatement;
      const variable = loop.initializer.getText(sf);
      const head = `for (${variable} in ${operand})`;
      if (kind === "tensor") {
        return `\`${head}\` goes over the property names of the tensor object, not its rows as Python's \`for x in t:\` does: write \`for (let i = 0; i < ${receiver}.shape[0]; i++)\` and \`${receiver}.at(i)\` for row i (or \`${receiver}.toArray()\` for the elements as numbers).`;
      }
      return `\`${head}\` goes over the indices of \`${operand}\` as strings ("0", "1", …), not over its elements as Python's \`for x in xs:\` does: write \`for (${variable} of ${operand})\` (and \`for (const [i, x] of ${receiver}.entries())\` for indices too).`;
    }
    case "equality": {
      const binary = site.node as TS.BinaryExpression;
      const other = binary.right.getText(sf);
      const negated = binary.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken;
      return `\`${binary.getText(sf)}\` asks whether \`${operand}\` and \`${other}\` are ${negated ? "different tensor objects" : "the same tensor object"}, not whether their elements are equal as PyTorch's \`${negated ? "!=" : "=="}\` does: write \`${receiver}.${negated ? "ne" : "eq"}(${other})\` for each element (\`.all()\` on it for all of them, or \`allclose(${operand}, ${other})\` for floats), or \`${negated ? "!==" : "==="}\` if the same object is what you mean.`;
    }
    case "sort": {
      const call = site.node as TS.CallExpression;
      const method = (call.expression as TS.PropertyAccessExpression).name.getText(sf);
      return `\`${call.getText(sf)}\` sorts numbers as text in JavaScript (10 before 9), not by value as Python's \`sort\` does: write \`${receiver}.${method}((a, b) => a - b)\`.`;
    }
    case "emptiness": {
      const negated = ts.isPrefixUnaryExpression(site.node.parent) || (ts.isParenthesizedExpression(site.node.parent) && ts.isPrefixUnaryExpression(site.node.parent.parent));
      return negated
        ? `\`!${operand}\` is always false: an array is an object, which JavaScript takes as true even when it is empty (Python's \`not xs\` asks whether a list is empty): write \`${receiver}.length === 0\`.`
        : `\`${operand}\` is always true here: an array is an object, which JavaScript takes as true even when it is empty (Python's \`if xs:\` asks whether a list has elements): write \`${receiver}.length > 0\`.`;
    }
    case "negativeIndex": {
      const access = site.node as TS.ElementAccessExpression;
      const index = access.argumentExpression.getText(sf);
      const what = kind === "string" ? "a string" : "an array";
      return `\`${access.getText(sf)}\` is undefined: ${what} has no negative indices in JavaScript (Python counts them from the end): write \`${receiver}.at(${index})\`.`;
    }
  }
}

/** `xs`, `o.items`, `f()`, `m[0]`: a receiver `.includes(...)` can follow without parentheses. */
function isPostfixChain(ts: Syntax, node: TS.Expression): boolean {
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword;
}

/**
 * `a < b < c` when the outer comparison is a tensor operator (numbers: TypeScript refuses
 * `boolean < number` itself): the error, or undefined when `site` is no chain.
 *
 * @example chainedComparisonMessage(ts, sf, outerSite.node) // "`0 < t < 1` compares `0 < t`, …"
 */
export function chainedComparisonMessage(ts: Syntax, sf: TS.SourceFile, node: TS.BinaryExpression): string | undefined {
  const inner = node.left;
  if (!ts.isBinaryExpression(inner) || !isOrdering(ts, inner.operatorToken.kind) || !isOrdering(ts, node.operatorToken.kind)) return undefined;
  const written = node.getText(sf);
  const first = inner.getText(sf);
  const middle = inner.right.getText(sf);
  const op = node.operatorToken.getText(sf);
  const last = node.right.getText(sf);
  const second = `${middle} ${op} ${last}`;
  return (
    `\`${written}\` compares \`${first}\`, a tensor of true and false, with \`${last}\`: TypeScript does not chain comparisons as Python does. ` +
    `Write \`${first} && ${second}\` for a one-element tensor, or \`(${first}) * (${second})\` for each element.`
  );
}

function isOrdering(ts: Syntax, kind: TS.SyntaxKind): boolean {
  const K = ts.SyntaxKind;
  return kind === K.LessThanToken || kind === K.GreaterThanToken || kind === K.LessThanEqualsToken || kind === K.GreaterThanEqualsToken;
}
