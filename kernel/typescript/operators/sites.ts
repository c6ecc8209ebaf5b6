/**
 * Finds, by syntax alone, every place in a cell where an operator could mean a tensor op:
 * binary `+ - * / ** % < > <= >=`, their compound assignments, unary `-`/`+`, and element
 * reads `x[i]`; and every expression JavaScript tests for truth that could hold a tensor
 * (`if (t)`, `!t`, `t || x`, ...). Which of them really involve tensors is decided later from
 * types (classify.ts); this module never looks at types.
 */
import type * as TS from "typescript";
import type { Syntax } from "../compiler/syntax.js";
import { habitSiteOf, type HabitSite } from "./habits.js";

/** The helper a binary operator maps to (names of `__gradlabOps` members). */
export type BinaryHelper = "add" | "sub" | "mul" | "div" | "pow" | "remainder" | "lt" | "gt" | "le" | "ge";

export interface BinarySite {
  kind: "binary";
  node: TS.BinaryExpression;
  helper: BinaryHelper;
  /** The operator as written: "+", "**=", ... (used in messages). */
  operator: string;
  /** `x += y` and friends: the left side is also written. */
  compound: boolean;
  /**
   * A comparison whose truth JavaScript tests (`if (loss > 1)`, `while`, `for`, `?:`, `!`, `&&`,
   * `||`): a tensor result must then be read as PyTorch's `bool(t)`, since any object is truthy.
   */
  condition: boolean;
  depth: number;
}

export interface UnarySite {
  kind: "unary";
  node: TS.PrefixUnaryExpression;
  helper: "neg" | "pos";
  operator: string;
  depth: number;
}

/** An element read `x[i]` (never a write target: tensors are immutable). */
export interface ElementSite {
  kind: "element";
  node: TS.ElementAccessExpression;
  depth: number;
}

export type OperatorSite = BinarySite | UnarySite;
export type Site = OperatorSite | ElementSite;

/**
 * How JavaScript uses an expression it tests for truth:
 * - condition: only its truth (`if (t)`, `while`, `do`, `for`, `t ? a : b`, `!t`, an operand of
 *   `&&` / `||` whose whole is itself a condition);
 * - or / and: the left side of `t || x` / `t && x` whose whole is a value (`const y = t || x`),
 *   where the left side's value may also be the result.
 */
export type TruthUse = "condition" | "or" | "and";

/**
 * An expression JavaScript tests for truth, of a form that may hold a tensor (a name, a property,
 * a call, an element read, an arithmetic operator, `t!`, `t as T`, `await p`, `c ? t : u`, an
 * assignment `x = next()`): a Tensor there is
 * read as PyTorch's `bool(t)` once types show it is one. Comparisons are not among them: their
 * own site says `condition` (BinarySite).
 */
export interface TruthSite {
  kind: "truth";
  /** The expression, parentheses around it looked through. */
  node: TS.Expression;
  use: TruthUse;
  /** For `or` / `and`: the `||` / `&&` expression whose left side `node` is. */
  whole?: TS.BinaryExpression;
  depth: number;
}

function binaryHelpers(ts: Syntax): Map<TS.SyntaxKind, [BinaryHelper, boolean]> {
  const k = ts.SyntaxKind;
  return new Map<TS.SyntaxKind, [BinaryHelper, boolean]>([
    [k.PlusToken, ["add", false]], [k.MinusToken, ["sub", false]], [k.AsteriskToken, ["mul", false]],
    [k.SlashToken, ["div", false]], [k.AsteriskAsteriskToken, ["pow", false]], [k.PercentToken, ["remainder", false]],
    [k.LessThanToken, ["lt", false]], [k.GreaterThanToken, ["gt", false]],
    [k.LessThanEqualsToken, ["le", false]], [k.GreaterThanEqualsToken, ["ge", false]],
    [k.PlusEqualsToken, ["add", true]], [k.MinusEqualsToken, ["sub", true]], [k.AsteriskEqualsToken, ["mul", true]],
    [k.SlashEqualsToken, ["div", true]], [k.AsteriskAsteriskEqualsToken, ["pow", true]], [k.PercentEqualsToken, ["remainder", true]],
  ]);
}

const COMPARISONS: ReadonlySet<BinaryHelper> = new Set(["lt", "gt", "le", "ge"]);

/**
 * How `node`'s parent (parentheses looked through) tests it: as the condition of `if`, `while`,
 * `do`, `for` or `?:`, as the operand of `!`, or as the left or right side of `&&` / `||`;
 * undefined when it does not.
 */
function testedBy(ts: Syntax, node: TS.Expression): { how: "condition" } | { how: "left" | "right"; binary: TS.BinaryExpression } | undefined {
  let child: TS.Node = node;
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return undefined;
  const k = ts.SyntaxKind;
  const condition = { how: "condition" } as const;
  switch (parent.kind) {
    case k.IfStatement:
    case k.WhileStatement:
    case k.DoStatement:
      return (parent as TS.IfStatement | TS.WhileStatement | TS.DoStatement).expression === child ? condition : undefined;
    case k.ForStatement:
      return (parent as TS.ForStatement).condition === child ? condition : undefined;
    case k.ConditionalExpression:
      return (parent as TS.ConditionalExpression).condition === child ? condition : undefined;
    case k.PrefixUnaryExpression:
      return (parent as TS.PrefixUnaryExpression).operator === k.ExclamationToken ? condition : undefined;
    case k.BinaryExpression: {
      const binary = parent as TS.BinaryExpression;
      const op = binary.operatorToken.kind;
      if (op !== k.AmpersandAmpersandToken && op !== k.BarBarToken) return undefined;
      return { how: binary.left === child ? "left" : "right", binary };
    }
    default:
      return undefined;
  }
}

/**
 * Whether JavaScript tests `node`'s value for truth: the condition of `if`, `while`, `do`, `for`
 * or `?:`, the operand of `!`, the left side of `&&` / `||` (and the right side too when the whole
 * is itself tested), parentheses looked through.
 */
function isTestedForTruth(ts: Syntax, node: TS.Expression): boolean {
  const by = testedBy(ts, node);
  return by !== undefined && (by.how !== "right" || isTestedForTruth(ts, by.binary));
}

/**
 * How JavaScript uses `node`'s truth (see TruthUse), parentheses looked through; undefined when
 * it does not test it. The right side of a value `||` / `&&` is the result itself, not tested.
 */
export function truthUse(ts: Syntax, node: TS.Expression): { use: TruthUse; whole?: TS.BinaryExpression } | undefined {
  const by = testedBy(ts, node);
  if (!by) return undefined;
  if (by.how === "condition" || truthUse(ts, by.binary)?.use === "condition") return { use: "condition" };
  if (by.how === "right") return undefined;
  return { use: by.binary.operatorToken.kind === ts.SyntaxKind.BarBarToken ? "or" : "and", whole: by.binary };
}

/** Whether `node` is of a form a truth site is made for (TruthSite), parentheses already looked through. */
function mayHoldTensor(ts: Syntax, node: TS.Expression, helpers: Map<TS.SyntaxKind, [BinaryHelper, boolean]>): boolean {
  const k = ts.SyntaxKind;
  switch (node.kind) {
    case k.Identifier:
    case k.ThisKeyword:
    case k.PropertyAccessExpression:
    case k.ElementAccessExpression:
    case k.CallExpression:
    case k.NonNullExpression:
    case k.AsExpression:
    case k.SatisfiesExpression:
    case k.TypeAssertionExpression:
    case k.AwaitExpression:
    case k.ConditionalExpression:
      return true;
    case k.BinaryExpression: {
      // Arithmetic, or an assignment (`while (x = next())` tests the value assigned): a
      // comparison's own site reads its truth; `,`, `??`, compound assignments are left alone.
      const op = (node as TS.BinaryExpression).operatorToken.kind;
      if (op === k.EqualsToken) return true;
      const entry = helpers.get(op);
      return entry !== undefined && !entry[1] && !COMPARISONS.has(entry[0]);
    }
    case k.PrefixUnaryExpression: {
      const unary = node as TS.PrefixUnaryExpression;
      return (unary.operator === k.MinusToken || unary.operator === k.PlusToken) && !ts.isNumericLiteral(unary.operand) && !ts.isBigIntLiteral(unary.operand);
    }
    default:
      return false;
  }
}

/** Whether `node` is written to (assignment target, `++`, `delete`, destructuring pattern). */
function isWriteTarget(ts: Syntax, node: TS.Node): boolean {
  let child = node;
  let parent = node.parent;
  while (parent && ts.isParenthesizedExpression(parent)) {
    child = parent;
    parent = parent.parent;
  }
  if (!parent) return false;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    return parent.left === child && op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment;
  }
  if (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) {
    return parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken;
  }
  if (ts.isDeleteExpression(parent)) return true;
  if ((ts.isForInStatement(parent) || ts.isForOfStatement(parent)) && parent.initializer === child) return true;
  // Elements of an array/object literal are targets when the literal is a destructuring pattern.
  if (ts.isSpreadElement(parent) || ts.isPropertyAssignment(parent) || ts.isShorthandPropertyAssignment(parent) || ts.isSpreadAssignment(parent)) {
    const literal = parent.parent;
    return literal !== undefined && (ts.isArrayLiteralExpression(literal) || ts.isObjectLiteralExpression(literal)) && isWriteTarget(ts, literal);
  }
  if (ts.isArrayLiteralExpression(parent) || ts.isObjectLiteralExpression(parent)) return isWriteTarget(ts, parent);
  return false;
}

/**
 * Every candidate site of `sourceFile`, children before parents (post-order), so a pass over
 * the list sees an operand's site before the site that uses it.
 *
 * @example
 * collectSites(ts, ts.createSourceFile("c.ts", "(w + x) ** 2", ts.ScriptTarget.ES2022, true))
 *   .map((s) => s.kind === "element" ? "[]" : s.operator); // ["+", "**"]
 */
export function collectSites(ts: Syntax, sourceFile: TS.SourceFile): Site[] {
  return collectCellSites(ts, sourceFile).sites;
}

/** Where a truth site may stand: the children of these nodes are looked at (truthUse decides). */
function testsTruth(ts: Syntax, node: TS.Node): boolean {
  const k = ts.SyntaxKind;
  switch (node.kind) {
    case k.IfStatement:
    case k.WhileStatement:
    case k.DoStatement:
    case k.ForStatement:
    case k.ConditionalExpression:
      return true;
    case k.PrefixUnaryExpression:
      return (node as TS.PrefixUnaryExpression).operator === k.ExclamationToken;
    case k.BinaryExpression: {
      const op = (node as TS.BinaryExpression).operatorToken.kind;
      return op === k.AmpersandAmpersandToken || op === k.BarBarToken;
    }
    default:
      return false;
  }
}

/**
 * The operator sites of `sourceFile` (collectSites), its truth sites (TruthSite) and its Python
 * habits (habits.ts), in one walk; truth sites in source order of their tests, inner tests first.
 */
export function collectCellSites(ts: Syntax, sourceFile: TS.SourceFile): { sites: Site[]; truths: TruthSite[]; habits: HabitSite[] } {
  const helpers = binaryHelpers(ts);
  const sites: Site[] = [];
  const truths: TruthSite[] = [];
  const habits: HabitSite[] = [];
  const tested = (expression: TS.Expression | undefined, depth: number): void => {
    if (!expression) return;
    let node = expression;
    while (ts.isParenthesizedExpression(node)) {
      node = node.expression;
      depth++;
    }
    const found = truthUse(ts, node);
    if (!found) return;
    // A value `(t && u) || v` tests the value of `t && u` (a tensor) as well: there the inner
    // `&&` is one; in a condition its operands are tested one by one instead.
    const logical = ts.isBinaryExpression(node) && (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || node.operatorToken.kind === ts.SyntaxKind.BarBarToken);
    if (logical ? found.use === "condition" : !mayHoldTensor(ts, node, helpers)) return;
    truths.push({ kind: "truth", node, use: found.use, ...(found.whole ? { whole: found.whole } : {}), depth });
    // Python's `if xs:` / `if not xs:` on a list asks whether it is empty; an array never is false.
    if (found.use === "condition" && !logical) habits.push({ kind: "emptiness", operand: node, node });
  };
  const visit = (node: TS.Node, depth: number): void => {
    // Type annotations hold no operators to rewrite.
    if (ts.isTypeNode(node)) return;
    node.forEachChild((child) => visit(child, depth + 1));
    const habit = habitSiteOf(ts, node);
    if (habit) habits.push(habit);
    if (testsTruth(ts, node)) {
      // The tested children, at the depth their own visit gave them.
      const k = ts.SyntaxKind;
      if (node.kind === k.IfStatement || node.kind === k.WhileStatement || node.kind === k.DoStatement) tested((node as TS.IfStatement).expression, depth + 1);
      else if (node.kind === k.ForStatement) tested((node as TS.ForStatement).condition, depth + 1);
      else if (node.kind === k.ConditionalExpression) tested((node as TS.ConditionalExpression).condition, depth + 1);
      else if (node.kind === k.PrefixUnaryExpression) tested((node as TS.PrefixUnaryExpression).operand, depth + 1);
      else {
        tested((node as TS.BinaryExpression).left, depth + 1);
        tested((node as TS.BinaryExpression).right, depth + 1);
      }
    }
    if (ts.isBinaryExpression(node)) {
      const entry = helpers.get(node.operatorToken.kind);
      if (entry) {
        const operator = ts.tokenToString(node.operatorToken.kind)!;
        const condition = COMPARISONS.has(entry[0]) && !entry[1] && isTestedForTruth(ts, node);
        sites.push({ kind: "binary", node, helper: entry[0], operator, compound: entry[1], condition, depth });
      }
    } else if (ts.isPrefixUnaryExpression(node)) {
      // `-1` is a number whatever the types around it: not worth asking the checker about.
      if (ts.isNumericLiteral(node.operand) || ts.isBigIntLiteral(node.operand)) return;
      if (node.operator === ts.SyntaxKind.MinusToken) sites.push({ kind: "unary", node, helper: "neg", operator: "-", depth });
      else if (node.operator === ts.SyntaxKind.PlusToken) sites.push({ kind: "unary", node, helper: "pos", operator: "+", depth });
    } else if (ts.isElementAccessExpression(node)) {
      if (!isWriteTarget(ts, node)) sites.push({ kind: "element", node, depth });
    }
  };
  // The walk needs parent links (isWriteTarget); a bound or parsed-with-parents file has them.
  sourceFile.forEachChild((child) => visit(child, 1));
  return { sites, truths, habits };
}

/** The expressions whose types decide a site: both operands, the one operand, or the receiver of an element read. */
export function operandsOf(site: Site): TS.Expression[] {
  return site.kind === "binary" ? [site.node.left, site.node.right] : site.kind === "unary" ? [site.node.operand] : [site.node.expression];
}
