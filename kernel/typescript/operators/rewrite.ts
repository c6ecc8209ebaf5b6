/**
 * Tensor operators in cells: rewrites `(w + x) ** 2`, `-t`, `t[i]`, `s += t`, ... on tensors into
 * calls the type checker understands and autodiff flows through, and leaves every other
 * operator byte for byte as written.
 *
 * The execution pipeline (kernel/typescript/) builds a cell's program, calls
 * `rewriteTensorOperators`, and when it gets a rewrite, checks and emits that text instead,
 * mapping positions back with `toOriginalPosition`. This module decides only what to rewrite,
 * with TypeScript 6's checker; native-rewrite.ts makes the same decisions with TypeScript 7's
 * native checker. The helpers it calls live in stdlib/operators.ts (`__gradlabOps`).
 *
 * Behaviour, per operator site (`+ - * / ** %`, `< > <= >=`, compound assignments, unary `-`
 * and `+`), from the operands' types:
 * - a Tensor (or a `Tensor | number` union) with a Tensor, a number or `any` → `__gradlabOps.add(a, b)`
 *   etc., always a Tensor; `x += y` → `x = __gradlabOps.add(x, y)` (a property or element
 *   target with side effects is evaluated once, through an arrow called on the spot);
 *   unary `+t` is `t` itself (PyTorch's `+t`); comparisons give bool tensors.
 * - a Tensor with anything else (string, boolean, object, unknown, `Tensor | string`) → an error
 *   diagnostic "Operator '+' cannot be applied to types 'Tensor' and 'string'." at the
 *   expression, returned in `diagnostics`; the site compiles to `__gradlabOps.invalid(...)`,
 *   which throws the same message if the cell runs anyway.
 * - no Tensor but an `any` operand → `__gradlabOps.dynamic.add(a, b)`, which checks at run time:
 *   a tensor operand gets the tensor op, otherwise JavaScript's operator runs. Correct for
 *   numbers and tensors alike; its static type is `any` (it may hold either). This costs a call
 *   per operation in loops over `any` data: annotate the data to avoid it.
 * - anything else (numbers, strings, bigints, ...) → untouched, JavaScript's own operator.
 *   `===`, `==`, `!=`, `!==`, `++`, `--`, bitwise and logical operators are never rewritten.
 *
 * A Tensor that JavaScript tests for truth (`if (t)`, `while`, `do`, `for`, `t ? a : b`, `!t`,
 * operands of `&&` / `||`), by its type alone (never a union: `if (best)` on `Tensor | undefined`
 * is an existence check; never `any`), is read as PyTorch's `bool(t)`: `__gradlabOps.bool(t, "t")`;
 * the left side of a value `t || x` / `t && x` keeps its tensor as Python's `or` / `and` do:
 * `(__gradlabOps.orOperand(t, "t") ?? x)`. Its type comes from the first look when no operator
 * of the cell involves a tensor (no probe then), else from the probe, in the same queries.
 *
 * Element reads `t[i]` with `t` a Tensor and `i` a number become `t.at(i)` (`m[i][j]` →
 * `m.at(i).at(j)`), differentiable; writes `t[i] = v` are left alone and rejected by the
 * checker (tensors are immutable). Element access on an `any` receiver stays JavaScript's.
 *
 * How types are found: the checker of the original text sees `w + x` on tensors as an error of
 * type any, and `const a = (w + x) ** 2` as a number. So after a cheap first look with the
 * original checker (a cell with no tensor or `any` operand returns undefined right there, at
 * the cost of asking the checker each operand's type), the cell is checked once more as a
 * "probe" in which every operator site is a call to the generic `__gradlabOps.dynamic.*`
 * helpers, whose declared result types say Tensor when a tensor is involved; variables,
 * destructuring, return types and closures then carry the right types, and each site is
 * classified from the probe's types. An element read found to be on a tensor only in the probe
 * (`a[0]` with `a` from the line above) costs one more probe round. When every site turned
 * out to be a helper call (no native operator, no error, no deferred generic result), the probe
 * itself is returned as `checked`: the pipeline checks and emits it (swapping helper names at
 * emit) instead of building a third program (backprop cell through the executor: ~40 → ~26 ms).
 */
import type * as TS from "typescript";
import { classifyType, findTensorType, isTensorReceiver, isTruthTensor, operatorMode, type OperandClass, type OperandTypes } from "./classify.js";
import { operatorDiagnostic } from "./diagnostics.js";
import { emitSites, OPS, truthSpans, type EmittedText, type OperatorMode } from "./emit.js";
import { checkWithText, type Probe } from "./probe.js";
import { collectCellSites, operandsOf, type ElementSite, type OperatorSite, type Site, type TruthSite } from "./sites.js";
import { chainedComparisonMessage, HABIT_ERROR_CODE, habitEnd, habitMessage, type HabitSite, type KindOf } from "./habits.js";

export interface OperatorRewrite {
  /** The cell with its tensor operators rewritten; all other text is the original's. */
  text: string;
  /** A position in `text` → the position in the cell as written. */
  toOriginalPosition(pos: number): number;
  /** A position in the cell as written → the same place in `text` (for completion and inspection). */
  toGeneratedPosition(pos: number): number;
  /**
   * Operator type errors the rewrite found itself (e.g. a tensor plus a string), positioned in
   * the ORIGINAL text of `sourceFile`: report them with the checker's diagnostics of `text`,
   * without mapping their positions.
   */
  diagnostics: TS.Diagnostic[];
  /**
   * Set when the probe's program can stand for the final one (see `checkedProbe`): its cell file
   * differs from `text` only in helper names, which `emitBefore` swaps when emitting. Checking and
   * emitting with it saves building and checking a third program.
   */
  checked?: CheckedText;
}

/** A program whose cell file is already type-checked-ready, and how to emit it as the final code. */
export interface CheckedText {
  program: TS.Program;
  text: string;
  toOriginalPosition(pos: number): number;
  /** Transformers to run before the compiler's own at emit (here: the helper-name swap). */
  emitBefore: TS.TransformerFactory<TS.SourceFile>[];
}

export interface RewriteOptions {
  /**
   * Rewrite even when the cell has syntax errors (default false: a cell that does not parse is
   * left to the compiler as written). For completion, whose text is incomplete by nature:
   * `(w + x).` rewritten lets the language service list Tensor's members there.
   */
  allowSyntaxErrors?: boolean;
}

/** At most this many probe rounds (each round only when an element read newly turned out to be on a tensor). */
const MAX_PROBES = 4;

/**
 * Rewrites the tensor operators of `sourceFile` (one file of `program`), or returns undefined
 * when it has none, in which case the cell compiles exactly as written.
 *
 * @example
 * // cell: const f = (w + x) ** 2;   (w, x tensors)
 * const rewrite = rewriteTensorOperators(ts, program, program.getSourceFile("cell.ts")!);
 * rewrite?.text; // "const f = __gradlabOps.pow((__gradlabOps.add(w , x)) , 2);"
 *
 * // completion: rewrite the incomplete cell, then ask at the mapped cursor
 * const r = rewriteTensorOperators(ts, program, cell, { allowSyntaxErrors: true });
 * service.getCompletionsAtPosition(cellName, r ? r.toGeneratedPosition(cursor) : cursor, {});
 */
export function rewriteTensorOperators(ts: typeof TS, program: TS.Program, sourceFile: TS.SourceFile, options: RewriteOptions = {}): OperatorRewrite | undefined {
  // Creating the checker binds every file, which also gives the cell's nodes their parent links.
  const checker = program.getTypeChecker();
  const { sites, truths, habits } = collectCellSites(ts, sourceFile);
  if (sites.length === 0 && truths.length === 0 && habits.length === 0) return undefined;
  // Leave syntax errors (`-x ** 2`) to the compiler, at the positions the user wrote.
  if (!options.allowSyntaxErrors && program.getSyntacticDiagnostics(sourceFile).length > 0) return undefined;
  const errors = habitDiagnostics(ts, checker, sourceFile, habits);
  const rewrite = rewriteSites(ts, program, checker, sourceFile, sites, truths);
  if (errors.length === 0) return rewrite;
  // A Python habit's error: the cell reads as written when nothing else is rewritten, and the
  // probe no longer stands in, as with any rewrite error.
  const { checked: _checked, ...rest } = rewrite ?? { text: sourceFile.text, toOriginalPosition: (pos: number) => pos, toGeneratedPosition: (pos: number) => pos, diagnostics: [] };
  return { ...rest, diagnostics: [...rest.diagnostics, ...errors] };
}

/** The Python habits of the cell that mean something else here (habits.ts), from their operands' types. */
function habitDiagnostics(ts: typeof TS, checker: TS.TypeChecker, sourceFile: TS.SourceFile, habits: readonly HabitSite[]): TS.Diagnostic[] {
  const diagnostics: TS.Diagnostic[] = [];
  let tensor: TS.Type | undefined | null = null;
  const kindOf: KindOf = (node, wanted) => {
    const type = checker.getTypeAtLocation(node);
    if (type.flags & ts.TypeFlags.StringLike) return "string";
    if (!(type.flags & ts.TypeFlags.Object)) return undefined;
    if (wanted.has("array") && (checker.isArrayType(type) || checker.isTupleType(type))) return "array";
    if (wanted.has("tensor")) {
      tensor = tensor === null ? findTensorType(ts, checker, sourceFile) : tensor;
      if (tensor && isTruthTensor({ ts, checker, tensor, number: checker.getNumberType() }, type)) return "tensor";
    }
    if (wanted.has("numbers") && checker.isArrayType(type) && /^(readonly )?number\[\]$/.test(checker.typeToString(type))) return "numbers";
    return undefined;
  };
  for (const site of habits) {
    const message = habitMessage(ts, sourceFile, site, kindOf);
    if (!message) continue;
    const start = site.node.getStart(sourceFile);
    diagnostics.push({ file: sourceFile, start, length: habitEnd(ts, site) - start, messageText: message, category: ts.DiagnosticCategory.Error, code: HABIT_ERROR_CODE, source: "gradlab" });
  }
  return diagnostics;
}

/** The rewrite of the cell's operator and truth sites (see rewriteTensorOperators). */
function rewriteSites(
  ts: typeof TS,
  program: TS.Program,
  checker: TS.TypeChecker,
  sourceFile: TS.SourceFile,
  sites: readonly Site[],
  truths: readonly TruthSite[],
): OperatorRewrite | undefined {
  // Number-only cells stop here: every operand is of a primitive type (element reads: an array
  // or tuple), and the stdlib's Tensor type, costly to resolve in a fresh checker, is never
  // looked at.
  const mayBeTensor = (node: TS.Expression): boolean => {
    const type = checker.getTypeAtLocation(node);
    return !isPrimitive(ts, type) && !checker.isArrayType(type) && !checker.isTupleType(type);
  };
  // A test's expression: never `any` (no type to go by) nor a union (`Tensor | undefined` is an existence check).
  const testMayBeTensor = (node: TS.Expression): boolean => {
    const type = checker.getTypeAtLocation(node);
    return !type.isUnion() && (type.flags & ts.TypeFlags.Any) === 0 && mayBeTensor(node);
  };
  const operators = sites.some((site) => operandsOf(site).some(mayBeTensor));
  const open = truths.filter((site) => testMayBeTensor(site.node));
  if (!operators && open.length === 0) return undefined;
  const tensor = findTensorType(ts, checker, sourceFile);
  if (!tensor) return undefined;
  const original: OperandTypes = { ts, checker, tensor, number: checker.getNumberType() };
  if (!operators || !mayInvolveTensors(original, sites)) {
    // No operator involves a tensor: the cell's own types are final, and only its tests change.
    const tested = open.filter((site) => isTruthTensor(original, checker.getTypeAtLocation(site.node)));
    if (tested.length === 0) return undefined;
    const { spliced } = emitSites(ts, sourceFile, sites, () => "native", new Set(), false, tested);
    return { text: spliced.text, toOriginalPosition: spliced.toOriginalPosition, toGeneratedPosition: spliced.toGeneratedPosition, diagnostics: [] };
  }

  const elements = new Set<ElementSite>(sites.filter((s): s is ElementSite => s.kind === "element" && isTensorElementRead(original, s.node)));
  for (let round = 1; ; round++) {
    const probeText = emitSites(ts, sourceFile, sites, () => "dynamic", elements, true);
    const probe = checkWithText(ts, program, sourceFile, probeText.spliced.text);
    const lookup = new ProbeLookup(ts, probe, probeText, sites, truths);
    const found = sites.filter((s): s is ElementSite => {
      if (s.kind !== "element" || elements.has(s)) return false;
      const node = lookup.element(s);
      return node !== undefined && isTensorElementRead(lookup.types(), node);
    });
    if (found.length === 0 || round === MAX_PROBES) return finish(ts, sourceFile, sites, elements, truths, lookup);
    for (const site of found) elements.add(site);
  }
}

function isPrimitive(ts: typeof TS, type: TS.Type): boolean {
  const F = ts.TypeFlags;
  const primitive = F.NumberLike | F.StringLike | F.BigIntLike | F.BooleanLike | F.EnumLike | F.Never | F.Undefined | F.Null | F.Void | F.ESSymbolLike;
  return type.isUnion() ? type.types.every((t) => (t.flags & primitive) !== 0) : (type.flags & primitive) !== 0;
}

/** The first look, with the original checker: is any operand a tensor or `any`? */
function mayInvolveTensors(types: OperandTypes, sites: readonly Site[]): boolean {
  const involved = (node: TS.Expression): boolean => {
    const c = classifyType(types, types.checker.getTypeAtLocation(node));
    return c === "tensor" || c === "mixed" || c === "any";
  };
  for (const site of sites) {
    if (site.kind === "binary" ? involved(site.node.left) || involved(site.node.right)
      : site.kind === "unary" ? involved(site.node.operand)
      : isTensorElementRead(types, site.node)) return true;
  }
  return false;
}

function isTensorElementRead(types: OperandTypes, node: TS.ElementAccessExpression): boolean {
  const receiver = types.checker.getTypeAtLocation(node.expression);
  if (!isTensorReceiver(types, receiver)) return false;
  return classifyType(types, types.checker.getTypeAtLocation(node.argumentExpression)) === "number";
}

/** Finds, in the probe's syntax tree, the nodes that stand for the original sites. */
class ProbeLookup {
  private readonly calls = new Map<number, TS.CallExpression>();
  private readonly elementReads = new Map<number, TS.ElementAccessExpression>();
  /** The probe's node standing for each truth site that is not an operator site, found by its span. */
  private readonly tested = new Map<TruthSite, TS.Node>();
  readonly operandTypes: OperandTypes;

  constructor(private readonly ts: typeof TS, readonly probe: Probe, private readonly emitted: EmittedText, sites: readonly Site[], truths: readonly TruthSite[]) {
    const tensor = findTensorType(ts, probe.checker, probe.sourceFile)!;
    this.operandTypes = { ts, checker: probe.checker, tensor, number: probe.checker.getNumberType() };
    const sf = probe.sourceFile;
    const operatorNodes = new Set<TS.Node>(sites.filter((site) => site.kind !== "element").map((site) => site.node));
    const spans = truthSpans(truths.filter((site) => !operatorNodes.has(site.node)), emitted);
    const visit = (node: TS.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText(sf).startsWith(OPS)) this.calls.set(node.getStart(sf), node);
      else if (ts.isElementAccessExpression(node)) this.elementReads.set(node.argumentExpression.getStart(sf), node);
      // Outermost first, as native-rewrite.ts.
      const waiting = spans.byEnd.get(node.end);
      if (waiting) {
        const site = waiting.get(node.getStart(sf));
        if (site && !this.tested.has(site)) this.tested.set(site, node);
      }
      node.forEachChild(visit);
    };
    sf.forEachChild(visit);
  }

  types(): OperandTypes {
    return this.operandTypes;
  }

  call(site: OperatorSite): TS.CallExpression | undefined {
    const start = this.emitted.callStarts.get(site);
    return start === undefined ? undefined : this.calls.get(start);
  }

  /** The probe's node for a truth site that is not itself an operator site. */
  testedNode(site: TruthSite): TS.Node | undefined {
    return this.tested.get(site);
  }

  element(site: ElementSite): TS.ElementAccessExpression | undefined {
    const argStart = site.node.argumentExpression.getStart(site.node.getSourceFile());
    return this.elementReads.get(this.emitted.spliced.toGeneratedPosition(argStart));
  }

  /** A position in the probe's text → the position in the cell as written. */
  originalPosition(pos: number): number {
    return this.emitted.spliced.toOriginalPosition(pos);
  }

  skipParens(node: TS.Expression): TS.Expression {
    while (this.ts.isParenthesizedExpression(node)) node = node.expression;
    return node;
  }
}

interface Verdict {
  mode: OperatorMode;
  types: TS.Type[];
}

/** Classifies every operator site from the probe's types and emits the final text. */
function finish(
  ts: typeof TS,
  sf: TS.SourceFile,
  sites: readonly Site[],
  elements: ReadonlySet<ElementSite>,
  truths: readonly TruthSite[],
  lookup: ProbeLookup,
): OperatorRewrite | undefined {
  const types = lookup.types();
  const verdicts = new Map<OperatorSite, Verdict>();
  const callClass = new Map<TS.CallExpression, OperatorMode>();
  const classOf = (node: TS.Expression, type: TS.Type): OperandClass => {
    // A nested rewritten site is a tensor even where the checker could not say so (a generic
    // type parameter bounded by Tensor leaves the helper's conditional result type unresolved).
    const inner = lookup.skipParens(node);
    if (ts.isCallExpression(inner) && callClass.get(inner) === "tensor") return "tensor";
    return classifyType(types, type);
  };
  // Sites come children first, so an operand's own site is classified before its user.
  for (const site of sites) {
    if (site.kind === "element") continue;
    const call = lookup.call(site);
    if (!call) continue;
    const operands = call.arguments.slice(0, site.kind === "binary" ? 2 : 1);
    const operandTypes = operands.map((a) => types.checker.getTypeAtLocation(a));
    const classes = operands.map((a, i) => classOf(a, operandTypes[i]!));
    const mode = operatorMode(classes[0]!, classes[1]);
    verdicts.set(site, { mode, types: operandTypes });
    callClass.set(call, mode);
  }
  const modeOf = (site: OperatorSite): OperatorMode => verdicts.get(site)?.mode ?? "native";
  // A truth site that is an operator site (`if (t * 2)`) is a Tensor when its helper always gives one.
  const siteOf = new Map<TS.Node, OperatorSite>(sites.filter((s): s is OperatorSite => s.kind !== "element").map((s) => [s.node, s]));
  const tested = truths.filter((site) => {
    const operator = siteOf.get(site.node);
    if (operator) return modeOf(operator) === "tensor";
    const node = lookup.testedNode(site);
    return node !== undefined && isTruthTensor(types, types.checker.getTypeAtLocation(node));
  });
  if (elements.size === 0 && tested.length === 0 && ![...verdicts.values()].some((v) => v.mode !== "native")) return undefined;

  const diagnostics: TS.Diagnostic[] = [];
  for (const [site, verdict] of verdicts) {
    const chained = verdict.mode === "tensor" && site.kind === "binary" ? chainedComparisonMessage(ts, sf, site.node) : undefined;
    if (chained) {
      const start = site.node.getStart(sf);
      diagnostics.push({ file: sf, start, length: site.node.end - start, messageText: chained, category: ts.DiagnosticCategory.Error, code: HABIT_ERROR_CODE, source: "gradlab" });
    }
    if (verdict.mode !== "invalid") continue;
    const names = verdict.types.map((t) => types.checker.typeToString(types.checker.getBaseTypeOfLiteralType(t)));
    diagnostics.push(operatorDiagnostic(ts, sf, site.node, site.operator, names[0]!, names[1]));
  }
  const { spliced } = emitSites(ts, sf, sites, modeOf, elements, false, tested);
  const checked = diagnostics.length === 0 ? checkedProbe(ts, sf, sites, elements, tested, lookup, verdicts) : undefined;
  return {
    text: spliced.text,
    toOriginalPosition: spliced.toOriginalPosition,
    toGeneratedPosition: spliced.toGeneratedPosition,
    diagnostics,
    ...(checked ? { checked } : {}),
  };
}

/**
 * The probe as the final program, when checking it tells exactly what checking the final text
 * would: every site became a helper call in both (no site stays a native operator: `"a" - 1`
 * is a call in the probe and an error only in the final text; no invalid site), compound
 * targets are written the same way, and each always-tensor site's generic helper resolved to
 * Tensor itself (a deferred result type inside a generic function could type-check differently
 * than the final helper's Tensor). The final code then differs only in the callee at tensor
 * sites, `__gradlabOps.dynamic.add(` → `__gradlabOps.add(`, swapped at emit.
 */
function checkedProbe(
  ts: typeof TS,
  sf: TS.SourceFile,
  sites: readonly Site[],
  elements: ReadonlySet<ElementSite>,
  tested: readonly TruthSite[],
  lookup: ProbeLookup,
  verdicts: ReadonlyMap<OperatorSite, Verdict>,
): CheckedText | undefined {
  // `bool(t)` in a condition changes no type, so the probe checks as the final text does (the
  // call is added at emit); a value `t && x` becomes `Tensor | X` and must be checked as written.
  if (tested.some((site) => site.use !== "condition")) return undefined;
  const { checker, tensor } = lookup.types();
  const tensorCalls = new Set<number>();
  for (const site of sites) {
    if (site.kind === "element") continue;
    const verdict = verdicts.get(site);
    if (!verdict || (verdict.mode !== "tensor" && verdict.mode !== "dynamic")) return undefined;
    if (verdict.mode === "dynamic") continue;
    const call = lookup.call(site)!;
    if (checker.getTypeAtLocation(call) !== tensor) return undefined;
    tensorCalls.add(call.getStart(lookup.probe.sourceFile));
  }
  const probeText = lookup.probe.sourceFile.text;
  if (emitSites(ts, sf, sites, () => "dynamic", elements, false).spliced.text !== probeText) return undefined;
  const siteOf = new Map<TS.Node, OperatorSite>(sites.filter((s): s is OperatorSite => s.kind !== "element").map((s) => [s.node, s]));
  const wrapped = new Map<string, string>();
  for (const site of tested) {
    const operator = siteOf.get(site.node);
    const node = operator ? lookup.call(operator) : lookup.testedNode(site);
    if (!node) return undefined;
    wrapped.set(`${node.getStart(lookup.probe.sourceFile)}:${node.end}`, site.node.getText(sf));
  }
  return {
    program: lookup.probe.program,
    text: probeText,
    toOriginalPosition: (pos) => lookup.originalPosition(pos),
    emitBefore: [renameTensorCalls(ts, tensorCalls, wrapped)],
  };
}

/**
 * At emit: `__gradlabOps.dynamic.op(...)` starting at one of `starts` → `__gradlabOps.op(...)`,
 * and each expression whose span (`start:end`) is in `wrapped` → `__gradlabOps.bool(expr, "written")`,
 * positions kept.
 */
function renameTensorCalls(ts: typeof TS, starts: ReadonlySet<number>, wrapped: ReadonlyMap<string, string>): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (file) => {
    const f = context.factory;
    const rename = (node: TS.Node, visited: TS.Node): TS.Node => {
      if (!ts.isCallExpression(visited) || !starts.has(node.getStart(file))) return visited;
      const callee = visited.expression;
      if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return visited;
      const direct = ts.setTextRange(f.createPropertyAccessExpression(f.createIdentifier(OPS), callee.name.text), callee);
      return f.updateCallExpression(visited, direct, visited.typeArguments, visited.arguments);
    };
    const visit = (node: TS.Node): TS.Node => {
      const renamed = rename(node, ts.visitEachChild(node, visit, context));
      const written = wrapped.size > 0 && ts.isExpression(node) ? wrapped.get(`${node.getStart(file)}:${node.end}`) : undefined;
      if (written === undefined) return renamed;
      const bool = ts.setTextRange(f.createPropertyAccessExpression(f.createIdentifier(OPS), "bool"), node);
      return ts.setTextRange(f.createCallExpression(bool, undefined, [renamed as TS.Expression, f.createStringLiteral(written)]), node);
    };
    return ts.visitNode(file, visit, ts.isSourceFile);
  };
}
