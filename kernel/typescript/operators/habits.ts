/**
 * Python habits that JavaScript runs without complaint and with another meaning, once types show
 * what the operand is: `x in xs` on an array (Python: is x an element; JavaScript: is there an
 * index x), `for (const x in xs)` over an array or a tensor (Python: the elements;
 * JavaScript: the indices, as strings), `xs[-1]` on an array or a string (Python: the last
 * element; JavaScript: undefined). The cell is refused with an error at the habit saying what to
 * write instead, in the cell's own text: a silently wrong value costs a student more than an error.
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

/** What an operand's type is, as far as the habits care (undefined: anything else). */
export type OperandKind = "array" | "string" | "tensor" | undefined;

/**
 * - membership: `x in xs`, decided by `xs`;
 * - forIn: `for (const x in xs)`, decided by `xs`;
 * - negativeIndex: `xs[-1]`, decided by `xs`.
 */
export interface HabitSite {
  kind: "membership" | "forIn" | "negativeIndex";
  /** The expression whose type decides. */
  operand: TS.Expression;
  /** What the error spans. */
  node: TS.Node;
}

/** The habit sites `node` is, if any (called for every node of a cell by sites.ts). */
export function habitSiteOf(ts: Syntax, node: TS.Node): HabitSite | undefined {
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword) return { kind: "membership", operand: node.right, node };
  if (ts.isForInStatement(node)) return { kind: "forIn", operand: node.expression, node };
  if (ts.isElementAccessExpression(node)) {
    const index = node.argumentExpression;
    if (ts.isPrefixUnaryExpression(index) && index.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(index.operand)) {
      return { kind: "negativeIndex", operand: node.expression, node };
    }
  }
  return undefined;
}

/** Which operand kinds make each habit wrong: a tensor's `t[-1]` is `t.at(-1)`, as in PyTorch. */
const WRONG_FOR: Readonly<Record<HabitSite["kind"], ReadonlySet<OperandKind>>> = {
  membership: new Set(["array", "tensor"]),
  // TypeScript itself refuses `for … in` over a string.
  forIn: new Set(["array", "tensor"]),
  negativeIndex: new Set(["array", "string"]),
};

/** Whether `site` needs its operand's kind (cheap syntax test first: `for … in` over an object literal never does). */
export function habitMayApply(site: HabitSite, kind: OperandKind): boolean {
  return WRONG_FOR[site.kind].has(kind);
}

/**
 * The error for a habit site whose operand is of `kind`, or undefined when it means what it says.
 *
 * @example habitMessage(ts, sf, forInSite, "array")
 * // "`for (const x in xs)` goes over the indices of `xs` as strings ("0", "1", …), …"
 */
export function habitMessage(ts: Syntax, sf: TS.SourceFile, site: HabitSite, kind: OperandKind): string | undefined {
  if (!habitMayApply(site, kind)) return undefined;
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
