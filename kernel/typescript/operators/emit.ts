/**
 * Turns each operator site into text edits: `a + b` → `__gradlabOps.add(a , b)` by inserting a
 * call head before the left operand, replacing the operator token with `,` and closing after
 * the right operand; the operands' own text is never touched; a tensor tested for truth gets
 * `__gradlabOps.bool(` before it and `, "t")` after; `emitSites` splices a whole cell's sites
 * into one text. Knows the shapes of the emitted code, not why a site is rewritten
 * (classify.ts and native-classify.ts decide that).
 */
import type * as TS from "typescript";
import type { Syntax } from "../compiler/syntax.js";
import { splice, type Edit, type SplicedText } from "./splice.js";
import type { BinarySite, ElementSite, OperatorSite, Site, TruthSite, UnarySite } from "./sites.js";

/** The single global the runtime helpers live on (stdlib/operators.ts). */
export const OPS = "__gradlabOps";

/** How an operator site is compiled: untouched, always-tensor helper, run-time dispatch, or a reported error. */
export type OperatorMode = "native" | "tensor" | "dynamic" | "invalid";

export interface EmittedSite {
  edits: Edit[];
  /** Offset, inside the text of `edits[calleeEdit]`, where the helper call starts. */
  calleeEdit: number;
  calleeOffset: number;
}

function callee(site: OperatorSite, mode: Exclude<OperatorMode, "native">): string {
  switch (mode) {
    case "tensor":
      return `${OPS}.${site.helper}(`;
    case "dynamic":
      return `${OPS}.dynamic.${site.helper}(`;
    case "invalid":
      return `${OPS}.invalid(${JSON.stringify(site.operator)}, `;
  }
}

function isPure(ts: Syntax, node: TS.Expression): boolean {
  return ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword || node.kind === ts.SyntaxKind.SuperKeyword;
}

/**
 * A compound target that can be written twice without evaluating anything twice:
 * `x`, `this.p`, `obj.p`, `obj[i]`, `obj[0]`.
 */
function isRepeatableTarget(ts: Syntax, target: TS.Expression): boolean {
  if (ts.isIdentifier(target)) return true;
  if (ts.isPropertyAccessExpression(target)) return !target.questionDotToken && isPure(ts, target.expression);
  if (ts.isElementAccessExpression(target)) {
    const arg = target.argumentExpression;
    return !target.questionDotToken && isPure(ts, target.expression) && (ts.isIdentifier(arg) || ts.isNumericLiteral(arg) || ts.isStringLiteral(arg));
  }
  return false;
}

function emitBinary(ts: Syntax, sf: TS.SourceFile, site: BinarySite, head: string, forceRepeat: boolean): EmittedSite {
  const { node, depth } = site;
  const op = node.operatorToken;
  const opStart = op.getStart(sf);
  const close: Edit = { start: node.right.end, end: node.right.end, text: ")", role: "close", depth };
  if (!site.compound) {
    const start = node.left.getStart(sf);
    // A comparison JavaScript tests for truth: `truth(gt(a, b), "a > b")`, the text for its message.
    const truth = site.condition ? `${OPS}.truth(` : "";
    const closing: Edit = site.condition ? { ...close, text: `), ${JSON.stringify(node.getText(sf))})` } : close;
    return {
      edits: [{ start, end: start, text: truth + head, role: "open", depth }, { start: opStart, end: op.end, text: ",", role: "replace", depth }, closing],
      calleeEdit: 0,
      calleeOffset: truth.length,
    };
  }
  const target = node.left;
  // The target's new value goes through `updated(old, new)`: inside `noGrad` a leaf that requires
  // gradients stays one, as PyTorch's in-place `w -= lr * w.grad` keeps it.
  const update = (old: string) => `${OPS}.updated(${old}, ${head}${old},`;
  const closeTwice: Edit = { ...close, text: "))" };
  if (forceRepeat || isRepeatableTarget(ts, target)) {
    // x += y  →  x = updated(x, helper(x, y))
    const text = `= ${update(target.getText(sf))}`;
    return { edits: [{ start: opStart, end: op.end, text, role: "replace", depth }, closeTwice], calleeEdit: 0, calleeOffset: text.indexOf(head) };
  }
  // Evaluate the target's object (and key) once, as JavaScript does, through an arrow called on the spot.
  const start = target.getStart(sf);
  if (ts.isPropertyAccessExpression(target)) {
    const name = target.name.getText(sf);
    const text = `((__o, __v) => __o.${name} = ${update(`__o.${name}`)} __v)))(`;
    return {
      edits: [{ start, end: start, text, role: "open", depth }, { start: target.expression.end, end: op.end, text: ",", role: "replace", depth }, close],
      calleeEdit: 0,
      calleeOffset: text.indexOf(head),
    };
  }
  if (ts.isElementAccessExpression(target)) {
    const text = `((__o, __k, __v) => __o[__k] = ${update("__o[__k]")} __v)))(`;
    const arg = target.argumentExpression;
    return {
      edits: [
        { start, end: start, text, role: "open", depth },
        { start: target.expression.end, end: arg.getStart(sf), text: ",", role: "replace", depth },
        { start: arg.end, end: op.end, text: ",", role: "replace", depth },
        close,
      ],
      calleeEdit: 0,
      calleeOffset: text.indexOf(head),
    };
  }
  // Any other target (a parenthesised name, say): JavaScript evaluates it once; so does this.
  const text = `= ${update(target.getText(sf))}`;
  return { edits: [{ start: opStart, end: op.end, text, role: "replace", depth }, closeTwice], calleeEdit: 0, calleeOffset: text.indexOf(head) };
}

function emitUnary(sf: TS.SourceFile, site: UnarySite, head: string): EmittedSite {
  const { node, depth } = site;
  const start = node.getStart(sf);
  return {
    edits: [{ start, end: start + 1, text: head, role: "replace", depth }, { start: node.operand.end, end: node.operand.end, text: ")", role: "close", depth }],
    calleeEdit: 0,
    calleeOffset: 0,
  };
}

/**
 * The edits compiling one operator site in `mode` (not "native", which has none).
 * `forceRepeat` writes compound targets as `t = helper(t, v)` even when `t` has side effects:
 * only for the type probe, which is checked, never run.
 */
export function emitOperator(ts: Syntax, sf: TS.SourceFile, site: OperatorSite, mode: Exclude<OperatorMode, "native">, forceRepeat = false): EmittedSite {
  const head = callee(site, mode);
  return site.kind === "binary" ? emitBinary(ts, sf, site, head, forceRepeat) : emitUnary(sf, site, head);
}

/** Where the first token after `from` starts when it is `kind` (a `?.` before it is skipped). */
function tokenAfter(ts: Syntax, text: string, from: number, kind: TS.SyntaxKind): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text, undefined, from);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === kind) return scanner.getTokenStart();
    if (token !== ts.SyntaxKind.QuestionDotToken) break;
  }
  throw new Error(`no '${ts.tokenToString(kind)}' after position ${from}`);
}

/** `t[i]` → `t.at(i)`, `t?.[i]` → `t?.at(i)`. */
export function emitElement(ts: Syntax, sf: TS.SourceFile, site: ElementSite): Edit[] {
  const { node, depth } = site;
  // The brackets are found by scanning the text after the operands (TypeScript 7's nodes have no
  // getChildren()): `[` after the receiver (and its `?.`), `]` after the index.
  const bracket = tokenAfter(ts, sf.text, node.expression.end, ts.SyntaxKind.OpenBracketToken);
  const closeStart = tokenAfter(ts, sf.text, node.argumentExpression.end, ts.SyntaxKind.CloseBracketToken);
  const open = node.questionDotToken ? "at(" : ".at(";
  return [
    { start: bracket, end: bracket + 1, text: open, role: "replace", depth },
    { start: closeStart, end: closeStart + 1, text: ")", role: "replace", depth },
  ];
}

/**
 * A tensor tested for truth: `t` → `__gradlabOps.bool(t, "t")` where only its truth counts; the
 * left side of a value `t || x` → `(__gradlabOps.orOperand(t, "t") ?? x)` (`&&`: `andOperand`),
 * whose value is `t` or `x` as Python's `t or x` is. The text of `t` is passed for the message.
 */
export function emitTruth(ts: Syntax, sf: TS.SourceFile, site: TruthSite): Edit[] {
  const { node, depth } = site;
  const start = node.getStart(sf);
  const written = JSON.stringify(node.getText(sf));
  // Just outside `node`'s own sites (an arithmetic `t * 2` here is one), just inside its parent's.
  const edits: Edit[] = [
    { start, end: start, text: `${OPS}.${site.use === "condition" ? "bool" : `${site.use}Operand`}(`, role: "open", depth: depth - 0.5 },
    { start: node.end, end: node.end, text: `, ${written})`, role: "close", depth: depth - 0.5 },
  ];
  const whole = site.whole;
  if (site.use === "condition" || !whole) return edits;
  let wholeDepth = depth - 1;
  for (let p = node.parent; p !== whole; p = p.parent) wholeDepth--;
  const wholeStart = whole.getStart(sf);
  const op = whole.operatorToken;
  edits.push(
    { start: wholeStart, end: wholeStart, text: "(", role: "open", depth: wholeDepth - 0.25 },
    { start: op.getStart(sf), end: op.end, text: "??", role: "replace", depth: wholeDepth },
    { start: whole.end, end: whole.end, text: ")", role: "close", depth: wholeDepth - 0.25 },
  );
  // `??` cannot be mixed with `&&` / `||` without parentheses: `t || a && b` → `... ?? (a && b)`.
  const right = whole.right;
  const K = ts.SyntaxKind;
  if (ts.isBinaryExpression(right) && [K.AmpersandAmpersandToken, K.BarBarToken, K.QuestionQuestionToken].includes(right.operatorToken.kind)) {
    const rightStart = right.getStart(sf);
    edits.push(
      { start: rightStart, end: rightStart, text: "(", role: "open", depth: wholeDepth + 0.75 },
      { start: right.end, end: right.end, text: ")", role: "close", depth: wholeDepth + 0.75 },
    );
  }
  return edits;
}

export interface EmittedText {
  spliced: SplicedText;
  /** For each operator site that became a call: where its helper call starts in the text. */
  callStarts: Map<OperatorSite, number>;
}

/**
 * The cell's text with every operator site in `modeOf`'s mode, the element reads in `elements`
 * and the tensors tested for truth in `truths` rewritten (`probe`: compound targets written
 * twice, for checking only).
 */
export function emitSites(
  ts: Syntax,
  sf: TS.SourceFile,
  sites: readonly Site[],
  modeOf: (site: OperatorSite) => OperatorMode,
  elements: ReadonlySet<ElementSite>,
  probe: boolean,
  truths: readonly TruthSite[] = [],
): EmittedText {
  const edits: Edit[] = [];
  for (const site of truths) edits.push(...emitTruth(ts, sf, site));
  const callees = new Map<OperatorSite, { edit: Edit; offset: number }>();
  for (const site of sites) {
    if (site.kind === "element") {
      if (elements.has(site)) edits.push(...emitElement(ts, sf, site));
      continue;
    }
    const mode = modeOf(site);
    if (mode === "native") continue;
    const emitted = emitOperator(ts, sf, site, mode, probe);
    edits.push(...emitted.edits);
    callees.set(site, { edit: emitted.edits[emitted.calleeEdit]!, offset: emitted.calleeOffset });
  }
  const spliced = splice(sf.text, edits);
  const callStarts = new Map<OperatorSite, number>();
  for (const [site, { edit, offset }] of callees) callStarts.set(site, spliced.editStarts.get(edit)! + offset);
  return { spliced, callStarts };
}

/**
 * Where each truth site's expression stands in the probe's text, by end then start (both checkers' probes
 * look their nodes up this way).
 */
export function truthSpans(truths: readonly TruthSite[], emitted: EmittedText): { byEnd: Map<number, Map<number, TruthSite>> } {
  const byEnd = new Map<number, Map<number, TruthSite>>();
  const { toGeneratedPosition } = emitted.spliced;
  for (const site of truths) {
    const end = toGeneratedPosition(site.node.end);
    let starts = byEnd.get(end);
    if (!starts) byEnd.set(end, (starts = new Map()));
    starts.set(toGeneratedPosition(site.node.getStart()), site);
  }
  return { byEnd };
}
