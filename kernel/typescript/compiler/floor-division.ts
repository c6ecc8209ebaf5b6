/**
 * Refuses Python's floor division in a cell, with an error at the `//` saying what to write.
 *
 * Why: `mid = (lo + hi) // 2` is valid TypeScript with another meaning: `//` starts a comment, so
 * the line computes `(lo + hi)` and the `2` is never read; `n //= 2` is `n;` and changes nothing.
 * Nothing fails; the value is silently wrong, the costliest kind of mistake for a student.
 *
 * Which comments: a `//` on the line of an expression that ends right before it, where the
 * expression is a value the line uses (a declaration's initializer, an assignment's right side,
 * a `return`, an arrow's body, a statement of its own) and the comment holds nothing but one
 * operand: a number, a parenthesised group, or a name the cell's code uses before it; or, after a
 * statement that is only a name, `//= operand`. A comment in words (`// max`, `// seconds`) is
 * never one.
 *
 * Boundary: syntax only (either checker's tree, through Syntax). Runs on: the thread that compiles
 * cells.
 */
import type * as TS from "typescript";
import type { CellDiagnostic } from "../shared/compiler-messages.js";
import { cellDiagnostic } from "./cell-compiler.js";
import { KERNEL_RULE_CODE } from "./protected-globals.js";
import type { Syntax } from "./syntax.js";

/** One operand alone, then an optional `;`: a number, `(…)` without nested parentheses, or a dotted name. */
const OPERAND = /^[ \t]*(\d[\d_]*(?:\.\d+)?(?:e-?\d+)?|\([^()\n]*\)|[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)[ \t]*;?[ \t]*$/;

/**
 * The floor divisions written Python's way in `source`, as errors positioned by `toUser`.
 *
 * @example
 * // source of `const mid = (lo + hi) // 2`
 * floorDivisionDiagnostics(ts, source, toUser); // [{ line: 0, column: 22, message: "`(lo + hi) // 2` is not …", … }]
 */
export function floorDivisionDiagnostics(ts: Syntax, source: TS.SourceFile, toUser: (pos: number) => { line: number; column: number }): CellDiagnostic[] {
  const text = source.text;
  // Cheap test first: most cells have no `//` after code at all.
  if (!/\S[ \t]*\/\//.test(text)) return [];
  const found = new Map<number, CellDiagnostic>();
  const look = (expression: TS.Expression, statementOfItsOwn: boolean): void => {
    const end = expression.end;
    const lineEnd = text.indexOf("\n", end);
    const rest = text.slice(end, lineEnd < 0 ? text.length : lineEnd);
    const comment = /^[ \t]*\/\//.exec(rest);
    if (!comment) return;
    const at = end + comment[0].length - 2;
    if (found.has(at)) return;
    const after = rest.slice(comment[0].length);
    const compound = after.startsWith("=");
    if (compound && !(statementOfItsOwn && isName(ts, expression))) return;
    const operand = OPERAND.exec(compound ? after.slice(1) : after)?.[1];
    if (!operand || !usedBefore(operand, text, at)) return;
    const message = compound ? compoundMessage(expression.getText(source), operand) : floorMessage(ts, source, expression, operand);
    found.set(at, cellDiagnostic(toUser(at), toUser(at + 2), message, KERNEL_RULE_CODE, false));
  };
  const visit = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && node.initializer) look(node.initializer, false);
    else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) look(node.right, false);
    else if (ts.isExpressionStatement(node)) look(node.expression, true);
    else if (node.kind === ts.SyntaxKind.ReturnStatement && (node as TS.ReturnStatement).expression) look((node as TS.ReturnStatement).expression!, false);
    else if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) look(node.body, false);
    node.forEachChild(visit);
  };
  source.forEachChild(visit);
  return [...found.values()];
}

function isName(ts: Syntax, node: TS.Expression): boolean {
  return ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node);
}

/** A number or a group always reads as code; a name only when the code before the comment uses it too. */
function usedBefore(operand: string, text: string, before: number): boolean {
  if (!/^[A-Za-z_$]/.test(operand)) return true;
  const name = operand.split(".")[0]!.replace(/\$/g, "\\$");
  return new RegExp(`(^|[^\\w$])${name}([^\\w$]|$)`).test(text.slice(0, before));
}

/**
 * `a + b // 2` is `a + (b // 2)` in Python: the left operand of `//` is the last operand of an
 * additive, comparison or logical expression before it (multiplicative ones and `**` bind as
 * tightly or more, so they are the operand whole), of an assignment, of an arrow's body and of
 * `c ? a : b`.
 */
function leftOperand(ts: Syntax, node: TS.Expression): TS.Expression {
  const K = ts.SyntaxKind;
  const looser = new Set<TS.SyntaxKind>([
    K.PlusToken, K.MinusToken, K.LessThanToken, K.GreaterThanToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken,
    K.EqualsEqualsToken, K.ExclamationEqualsToken, K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken,
    K.AmpersandAmpersandToken, K.BarBarToken, K.QuestionQuestionToken, K.AmpersandToken, K.BarToken, K.CaretToken,
    K.LessThanLessThanToken, K.GreaterThanGreaterThanToken, K.GreaterThanGreaterThanGreaterThanToken, K.CommaToken,
  ]);
  for (;;) {
    if (ts.isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (!looser.has(op) && !(op >= K.FirstAssignment && op <= K.LastAssignment)) return node;
      node = node.right;
    } else if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) node = node.body;
    else if (ts.isConditionalExpression(node)) node = node.whenFalse;
    else return node;
  }
}

function floorMessage(ts: Syntax, source: TS.SourceFile, expression: TS.Expression, divisor: string): string {
  const left = leftOperand(ts, expression).getText(source);
  return (
    `\`${left} // ${divisor}\` is not floor division in TypeScript: \`//\` starts a comment, so the line ends at \`${left}\` and \`${divisor}\` is never read. ` +
    `Write \`Math.floor(${left} / ${divisor})\` (for a tensor: \`floor(${left} / ${divisor})\`).`
  );
}

function compoundMessage(target: string, divisor: string): string {
  return (
    `\`${target} //= ${divisor}\` is not floor division in TypeScript: \`//\` starts a comment, so the line is \`${target}\` alone and changes nothing. ` +
    `Write \`${target} = Math.floor(${target} / ${divisor})\`.`
  );
}
