/**
 * The tensor-operators rewrite on TypeScript 7's native checker: the same decisions and the same
 * text as rewrite.ts (which runs on TypeScript 6's checker), with every type question asked of
 * the native project the kernel already checks cells in. No TypeScript 6 program, checker or
 * language service is involved.
 *
 * How, per cell (rewrite.ts explains why a probe is needed):
 * 1. first look: the operands' types in the cell as written, and those of the expressions it
 *    tests for truth, batched queries at nodes of the native syntax tree (names and tested calls
 *    first, then the expressions names do not settle); a cell with no tensor, tensor-union or
 *    `any` operand (and no element read on a tensor) stops here, rewriting only the tensors it
 *    tests for truth if it has any;
 * 2. probe: every operator site becomes a `__gradlabOps.dynamic.*` call; that text goes to the
 *    native project as the cell file (one snapshot update), its syntax tree comes back once, and
 *    the types of every helper call and its arguments come in one batched query; an element read
 *    found to be on a tensor only there costs another round, as in rewrite.ts;
 * 3. each site is classified (native-classify.ts) and the final text spliced; when the probe can
 *    stand for the final text (rewrite.ts `checkedProbe`) its project is returned for checking,
 *    which saves a snapshot update and a second check of the whole cell.
 * Round trips to the native process are the cost (0.1–1 ms each): they are batched, and
 * operand types are classified from their flags where these settle the class.
 *
 * Syntax work on the cell goes through the `ts` namespace passed in (nativeSyntax, over the cell's
 * tree from the native project); the probe's tree is the native API's, read only by kind, span
 * and children.
 *
 * Boundary: runs in the checker service (on the main thread); decides the rewrite, knows nothing of emitting or
 * running the cell (native-cell-compiler.ts).
 */
import type * as TS from "typescript";
import type { Syntax } from "../compiler/syntax.js";
import { TypeFlags, type Project, type Type } from "typescript7/unstable/sync";
import type { CallExpression, ElementAccessExpression, Expression, Node } from "typescript7/unstable/ast";
import { isCallExpression, isElementAccessExpression, isParenthesizedExpression } from "typescript7/unstable/ast/is";
import { skipTrivia } from "typescript7/unstable/ast/scanner";
import { OPERATOR_ERROR_CODE, operatorErrorMessage } from "./diagnostics.js";
import { emitSites, OPS, truthSpans, type EmittedText, type OperatorMode } from "./emit.js";
import { NativeOperandTypes, operatorMode, type OperandClass, type TensorWitness } from "./native-classify.js";
import { collectCellSites, operandsOf, type ElementSite, type OperatorSite, type Site, type TruthSite } from "./sites.js";
import { chainedComparisonMessage, HABIT_ERROR_CODE, habitEnd, habitMessage, type HabitSite, type KindOf } from "./habits.js";
import { trace } from "../../trace.js";

/** The native project as the rewrite uses it. */
export interface NativeCell {
  /** The cell file's name in the project. */
  readonly file: string;
  /** The project whose cell file reads the cell as written (its syntax tree: `source`). */
  readonly project: Project;
  /** Makes the cell file read `text` and returns the project that checks it. */
  check(text: string): Project;
  /** Where the library's Tensor type can be read; undefined when the library has no operator helpers. */
  readonly tensorWitness: TensorWitness | undefined;
}

/** An operator error the rewrite found itself, positioned in the cell as written. */
export interface OperatorError {
  start: number;
  length: number;
  message: string;
  code: number;
}

export interface NativeOperatorRewrite {
  /** The cell with its tensor operators rewritten; all other text is the original's. */
  text: string;
  /** A position in `text` → the position in the cell as written. */
  toOriginalPosition(pos: number): number;
  /** A position in the cell as written → the same place in `text`. */
  toGeneratedPosition(pos: number): number;
  /** Operator type errors (a tensor plus a string, ...), positioned in the cell as written. */
  diagnostics: OperatorError[];
  /** Set when the probe's project can stand for the final text's (see rewrite.ts `checkedProbe`). */
  checked?: CheckedProbe;
}

/** A project whose cell file reads `text`, which type-checks exactly as the final text would. */
export interface CheckedProbe {
  project: Project;
  text: string;
  /** A position in `text` → the position in the cell as written. */
  toOriginalPosition(pos: number): number;
  /** A position in the cell as written → the same place in `text`. */
  toCheckedPosition(pos: number): number;
}

/** At most this many probe rounds (as rewrite.ts). */
const MAX_PROBES = 4;

/**
 * Rewrites the tensor operators of `source` (the cell as written: the tree of the native
 * project's cell file, nativeSourceFile(cell.project, cell.file), read through `ts` =
 * nativeSyntax), or returns undefined when the cell compiles exactly as written. The project's
 * cell file may read another text afterwards.
 *
 * @example
 * const rewrite = rewriteTensorOperatorsNatively(ts, source, cell);
 * rewrite?.text; // "const f = __gradlabOps.pow((__gradlabOps.add(w , x)) , 2);"
 */
export function rewriteTensorOperatorsNatively(
  ts: Syntax,
  source: TS.SourceFile,
  cell: NativeCell,
  /**
   * `allowSyntaxErrors`: rewrite a cell with syntax errors too (completion in a cell being typed);
   * `syntaxChecked`: the caller already found none (a compile), so no round trip asks again.
   */
  options: { allowSyntaxErrors?: boolean; syntaxChecked?: boolean } = {},
): NativeOperatorRewrite | undefined {
  const { sites, truths, habits } = collectCellSites(ts, source);
  if (sites.length === 0 && truths.length === 0 && habits.length === 0) return undefined;
  if (!options.allowSyntaxErrors && !options.syntaxChecked && cell.project.program.getSyntacticDiagnostics(cell.file).length > 0) return undefined;
  const look = firstLook(ts, source, sites, truths, habits, cell);
  trace("compiler operators first look");
  if (!look) return undefined;
  // No operator involves a tensor: the cell's own types are final, and only its tests change.
  if (!look.operators) return withHabits(truthsOnly(ts, source, sites, look.truths), look.habits);
  const elements = look.elements;

  for (let round = 1; ; round++) {
    const emitted = emitSites(ts, source, sites, () => "dynamic", elements, true);
    const probe = new NativeProbe(cell, emitted, sites, elements, truths);
    trace(`compiler operators probe ${round}`);
    if (!probe.types) return undefined;
    const found = sites.filter((s): s is ElementSite => s.kind === "element" && !elements.has(s) && probe.isTensorElementRead(s));
    if (found.length === 0 || round === MAX_PROBES) return withHabits(finish(ts, source, sites, elements, truths, probe), look.habits, source);
    for (const site of found) elements.add(site);
  }
}

/**
 * `rewrite` with the Python habits' errors added (a cell with nothing else to rewrite reads as
 * written); the probe no longer stands in, as with any rewrite error.
 */
function withHabits(rewrite: NativeOperatorRewrite | undefined, errors: readonly OperatorError[], source?: TS.SourceFile): NativeOperatorRewrite | undefined {
  if (errors.length === 0) return rewrite;
  const { checked: _checked, ...rest } = rewrite ?? { text: source!.text, toOriginalPosition: (pos: number) => pos, toGeneratedPosition: (pos: number) => pos, diagnostics: [] };
  return { ...rest, diagnostics: [...rest.diagnostics, ...errors] };
}

/** The cell with only its tensors tested for truth rewritten (no operator involves a tensor). */
function truthsOnly(ts: Syntax, source: TS.SourceFile, sites: readonly Site[], truths: readonly TruthSite[]): NativeOperatorRewrite {
  const { spliced } = emitSites(ts, source, sites, () => "native", new Set(), false, truths);
  return { text: spliced.text, toOriginalPosition: spliced.toOriginalPosition, toGeneratedPosition: spliced.toGeneratedPosition, diagnostics: [] };
}

/** What the first look found: whether an operator may involve a tensor (then a probe decides), or else the tensors tested for truth. */
interface FirstLook {
  operators: boolean;
  /** The element reads already known to be on tensors. */
  elements: Set<ElementSite>;
  /** When no operator is involved: the truth sites that are Tensors. */
  truths: TruthSite[];
  /** Python habits that mean something else here, positioned in the cell as written. */
  habits: OperatorError[];
}

/**
 * The first look, in the cell as written: undefined when neither an operand nor an expression
 * tested for truth may be a tensor. The expressions tested for truth are asked in the same
 * batched queries as the operands.
 */
function firstLook(ts: Syntax, source: TS.SourceFile, sites: readonly Site[], truths: readonly TruthSite[], habits: readonly HabitSite[], cell: NativeCell): FirstLook | undefined {
  // Literals are primitives without asking (`n + 1` with a literal `n` asks nothing at all).
  const asked: TS.Expression[] = [];
  for (const site of sites) {
    for (const node of operandsOf(site)) if (literalClass(ts, node) === undefined) asked.push(node);
    if (site.kind === "element" && literalClass(ts, site.node.argumentExpression) === undefined) asked.push(site.node.argumentExpression);
  }
  // A tested call, element read, `await`, ... is asked with the names: nothing settles it
  // without asking, and a cell whose other operands are all names then asks once, not twice.
  const eager: TS.Expression[] = [];
  for (const site of truths) ((ts.isBinaryExpression(site.node) && !isLogical(ts, site.node)) || ts.isPrefixUnaryExpression(site.node) ? asked : eager).push(site.node);
  for (const site of habits) eager.push(site.operand, ...(site.other ? [site.other] : []));
  const { typeOf, primitive } = operandTypes(ts, cell, [...asked, ...eager], new Set(eager));
  // Number-only cells stop here without asking for the Tensor type (flags settle their operands).
  const settled = (node: TS.Expression): boolean => {
    if (literalClass(ts, node) !== undefined || primitive.has(node)) return true;
    const type = typeOf.get(node);
    return type !== undefined && (type.flags & NOT_TENSOR) !== 0;
  };
  // A test's expression is settled by flags too: a primitive, `any` (no type to go by) or a
  // union (`Tensor | undefined` is an existence check) is never read as `bool(t)`.
  const truthSettled = (node: TS.Expression): boolean => {
    if (primitive.has(node)) return true;
    const type = typeOf.get(node);
    return type === undefined || (type.flags & (NOT_TENSOR | TypeFlags.Any | TypeFlags.Union)) !== 0;
  };
  const operatorsSettled = sites.every((site) => operandsOf(site).every(settled));
  const open = truths.filter((site) => !truthSettled(site.node));
  // The Tensor type, asked for once and only when needed.
  let opened: NativeOperandTypes | undefined | null = null;
  const tensorTypes = Object.assign((): NativeOperandTypes | undefined => (opened === null ? (opened = NativeOperandTypes.open(cell.project, cell.tensorWitness)) : opened), {
    known: (): NativeOperandTypes | undefined => opened ?? undefined,
  });
  const withErrors = (errors: OperatorError[]): FirstLook | undefined => (errors.length > 0 ? { operators: false, elements: new Set(), truths: [], habits: errors } : undefined);
  if (operatorsSettled && open.length === 0) return withErrors(habitErrors(source, habits, typeOf, cell.project, tensorTypes, ts));
  const classes = tensorTypes();
  // After the Tensor type is known: a tensor tested for truth is then no question for the habits.
  const errors = habitErrors(source, habits, typeOf, cell.project, tensorTypes, ts);
  const none = withErrors(errors);
  if (!classes) return none;
  const classOf = (node: TS.Expression): OperandClass => {
    const literal = literalClass(ts, node) ?? primitive.get(node);
    if (literal) return literal;
    const type = typeOf.get(node);
    return type ? classes.classify(type) : "any";
  };
  const isTensorElementRead = (site: ElementSite): boolean => {
    const receiver = typeOf.get(site.node.expression);
    return receiver !== undefined && classes.isTensorReceiver(receiver) && classOf(site.node.argumentExpression) === "number";
  };
  const involved = (node: TS.Expression): boolean => {
    const c = classOf(node);
    return c === "tensor" || c === "mixed" || c === "any";
  };
  const may = !operatorsSettled && sites.some((site) =>
    site.kind === "binary" ? involved(site.node.left) || involved(site.node.right) : site.kind === "unary" ? involved(site.node.operand) : isTensorElementRead(site),
  );
  if (may) return { operators: true, elements: new Set(sites.filter((s): s is ElementSite => s.kind === "element" && isTensorElementRead(s))), truths: [], habits: errors };
  const tensors = open.filter((site) => classes.isTruthTensor(typeOf.get(site.node)!));
  return tensors.length > 0 ? { operators: false, elements: new Set(), truths: tensors, habits: errors } : none;
}

/**
 * The Python habits of the cell that mean something else here (habits.ts), from their operands'
 * types: flags settle strings and rule out primitives; an object costs a question or two
 * (`isArrayType`, whether it is a Tensor, or its name for `number[]`), asked only for what the
 * site needs and only for the few sites there are.
 */
function habitErrors(
  source: TS.SourceFile,
  habits: readonly HabitSite[],
  typeOf: ReadonlyMap<TS.Expression, Type | undefined>,
  project: Project,
  tensorTypes: { (): NativeOperandTypes | undefined; known(): NativeOperandTypes | undefined },
  ts: Syntax,
): OperatorError[] {
  const errors: OperatorError[] = [];
  if (habits.length === 0) return errors;
  const checker = project.checker;
  const arrays = new Map<number, boolean>();
  const isArray = (type: Type): boolean => {
    let answer = arrays.get(type.id);
    if (answer === undefined) arrays.set(type.id, (answer = checker.isArrayType(type) || checker.isTupleType(type)));
    return answer;
  };
  const kindOf: KindOf = (node, wanted) => {
    const type = typeOf.get(node);
    if (!type) return undefined;
    if (type.flags & TypeFlags.StringLike) return "string";
    if (!(type.flags & TypeFlags.Object)) return undefined;
    // The Tensor type itself, once known, is settled without asking (most objects tested are tensors).
    const known = tensorTypes.known();
    if (known && type.id === known.tensor.id) return "tensor";
    if (wanted.has("array") && isArray(type)) return "array";
    if (wanted.has("tensor") && tensorTypes()?.isTruthTensor(type)) return "tensor";
    if (wanted.has("numbers") && isArray(type) && NUMBERS.test(checker.typeToString(type))) return "numbers";
    return undefined;
  };
  for (const site of habits) {
    const message = habitMessage(ts, source, site, kindOf);
    if (!message) continue;
    const start = site.node.getStart();
    errors.push({ start, length: habitEnd(ts, site) - start, message, code: HABIT_ERROR_CODE });
  }
  return errors;
}

/** A literal operand's class, known without the checker (undefined: not a literal). */
function literalClass(ts: Syntax, node: TS.Expression): OperandClass | undefined {
  const K = ts.SyntaxKind;
  if (ts.isNumericLiteral(node)) return "number";
  const kind = node.kind;
  return ts.isStringLiteral(node) || kind === K.NoSubstitutionTemplateLiteral || kind === K.BigIntLiteral || kind === K.TrueKeyword || kind === K.FalseKeyword
    ? "other"
    : undefined;
}

/** How both checkers write an array of numbers' type. */
const NUMBERS = /^(readonly )?number\[\]$/;

/** Flags of types that are never a tensor (primitives; `any` is not among them). */
const NOT_TENSOR =
  TypeFlags.NumberLike | TypeFlags.StringLike | TypeFlags.BigIntLike | TypeFlags.BooleanLike | TypeFlags.EnumLike |
  TypeFlags.Never | TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Void | TypeFlags.ESSymbolLike;

/**
 * The types of the operands of the cell as written, in at most two round trips, asked at nodes of
 * the native project's own tree (the cell's tree came from it): names first (`x`, or `score` in
 * `a.score`), then the other expressions. An arithmetic or comparison of operands already known
 * to be primitives (`(k % 3)`, `-n`, `i + 1 < n`) is a primitive itself and is not asked: the
 * type of an expression costs the checker more than a name's.
 */
function operandTypes(
  ts: Syntax,
  cell: NativeCell,
  nodes: readonly TS.Expression[],
  /** Expressions (of `nodes`) to ask in the first round with the names. */
  eager: ReadonlySet<TS.Expression> = new Set(),
): { typeOf: Map<TS.Expression, Type | undefined>; primitive: Map<TS.Expression, OperandClass> } {
  const typeOf = new Map<TS.Expression, Type | undefined>();
  const primitive = new Map<TS.Expression, OperandClass>();
  if (nodes.length === 0) return { typeOf, primitive };
  const checker = cell.project.checker;
  const inner = (node: TS.Expression): TS.Expression => (ts.isParenthesizedExpression(node) ? inner(node.expression) : node);
  // The identifier whose type is asked: `x` itself, or `score` in `a.score`.
  const nameOf = (node: TS.Expression): TS.Identifier | undefined =>
    ts.isIdentifier(node) ? node : ts.isPropertyAccessExpression(node) && !node.questionDotToken && ts.isIdentifier(node.name) ? node.name : undefined;
  const names = [...new Set(nodes.map(inner).filter((node) => nameOf(node) !== undefined || eager.has(node)))];
  // Asked at the identifiers themselves, the nodes the native side would find at their
  // positions: it then skips finding them (a position lookup walks the file's tree from the
  // top; a 45-line function with ~400 operand names took 12–14 ms that way, 3–4 ms at nodes).
  const nameTypes = names.length > 0 ? checker.getTypeAtLocation(names.map((node) => nameOf(node) ?? node) as unknown as readonly Node[]) : [];
  const known = new Map<TS.Expression, Type | undefined>(names.map((node, i) => [node, nameTypes[i]]));
  // undefined: not known to be a primitive without asking.
  const primitiveClass = (node: TS.Expression): OperandClass | undefined => {
    const expression = inner(node);
    const literal = literalClass(ts, expression);
    if (literal) return literal;
    if (known.has(expression)) {
      const type = known.get(expression);
      return type !== undefined && (type.flags & NOT_TENSOR) !== 0 ? ((type.flags & TypeFlags.NumberLike) !== 0 ? "number" : "other") : undefined;
    }
    if (ts.isBinaryExpression(expression) && primitiveResultOperator(ts, expression.operatorToken.kind)) {
      const left = primitiveClass(expression.left);
      const right = left && primitiveClass(expression.right);
      if (!left || !right) return undefined;
      // Numbers give a number (bigints a bigint, a string concatenates); a comparison a boolean.
      return isComparison(ts, expression.operatorToken.kind) || left !== "number" || right !== "number" ? "other" : "number";
    }
    if (ts.isPrefixUnaryExpression(expression) && (expression.operator === ts.SyntaxKind.MinusToken || expression.operator === ts.SyntaxKind.PlusToken)) {
      return primitiveClass(expression.operand) === "number" ? "number" : undefined;
    }
    return undefined;
  };
  const rest: TS.Expression[] = [];
  for (const node of nodes) {
    const expression = inner(node);
    if (known.has(expression)) typeOf.set(node, known.get(expression));
    else {
      const settled = primitiveClass(node);
      if (settled) primitive.set(node, settled);
      else rest.push(node);
    }
  }
  if (rest.length > 0) {
    const restTypes = checker.getTypeAtLocation(rest as unknown as readonly Node[]);
    rest.forEach((node, i) => typeOf.set(node, restTypes[i]));
  }
  return { typeOf, primitive };
}

function isLogical(ts: Syntax, node: TS.BinaryExpression): boolean {
  const kind = node.operatorToken.kind;
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken;
}

/** Operators whose result is a primitive when both operands are primitives (numbers, strings, …). */
function primitiveResultOperator(ts: Syntax, kind: number): boolean {
  const K = ts.SyntaxKind;
  return (
    kind === K.PlusToken || kind === K.MinusToken || kind === K.AsteriskToken || kind === K.SlashToken || kind === K.PercentToken ||
    kind === K.AsteriskAsteriskToken || isComparison(ts, kind)
  );
}

function isComparison(ts: Syntax, kind: number): boolean {
  const K = ts.SyntaxKind;
  return kind === K.LessThanToken || kind === K.GreaterThanToken || kind === K.LessThanEqualsToken || kind === K.GreaterThanEqualsToken;
}

/**
 * One probe round: the probe text checked by the native project, its helper calls and element
 * reads found in the native syntax tree, and the types of all of them and their operands fetched
 * in one batched query.
 */
class NativeProbe {
  readonly project: Project;
  readonly text: string;
  /** Undefined when the Tensor type is not in scope of the probe (then nothing is rewritten). */
  readonly types: NativeOperandTypes | undefined;
  private readonly calls = new Map<number, CallExpression>();
  private readonly elementReads = new Map<number, ElementAccessExpression>();
  private readonly typeOf = new Map<Node, Type | undefined>();
  /** The probe's node standing for each truth site that is not an operator site, found by its span. */
  private readonly tested = new Map<TruthSite, Node>();

  constructor(
    cell: NativeCell,
    readonly emitted: EmittedText,
    sites: readonly Site[],
    elements: ReadonlySet<ElementSite>,
    truths: readonly TruthSite[],
  ) {
    this.text = emitted.spliced.text;
    this.project = cell.check(this.text);
    this.types = NativeOperandTypes.open(this.project, cell.tensorWitness);
    const text = this.text;
    const operatorNodes = new Set<TS.Node>(sites.filter((site) => site.kind !== "element").map((site) => site.node));
    const spans = truthSpans(truths.filter((site) => !operatorNodes.has(site.node)), emitted);
    const visit = (node: Node): undefined => {
      if (isCallExpression(node) && text.startsWith(OPS, start(text, node.expression))) this.calls.set(start(text, node), node);
      else if (isElementAccessExpression(node)) this.elementReads.set(start(text, node.argumentExpression), node);
      // Outermost first: of nodes with one span (`t!` and `t`? never; a call and its callee? never) the first wins.
      const waiting = spans.byEnd.get(node.end);
      if (waiting) {
        const site = waiting.get(start(text, node));
        if (site && !this.tested.has(site)) this.tested.set(site, node);
      }
      node.forEachChild(visit);
      return undefined;
    };
    this.project.program.getSourceFile(cell.file)?.forEachChild(visit);
    // Everything the classification may ask, in one round trip.
    const asked: Node[] = [];
    for (const site of sites) {
      if (site.kind === "element") {
        const read = elements.has(site) ? undefined : this.element(site);
        if (read) asked.push(read.expression, read.argumentExpression);
        continue;
      }
      const call = this.call(site);
      if (call) asked.push(call, ...call.arguments.slice(0, site.kind === "binary" ? 2 : 1));
    }
    asked.push(...this.tested.values());
    if (!this.types || asked.length === 0) return;
    const types = this.project.checker.getTypeAtLocation(asked);
    asked.forEach((node, i) => this.typeOf.set(node, types[i]));
  }

  type(node: Node): Type | undefined {
    return this.typeOf.get(node);
  }

  call(site: OperatorSite): CallExpression | undefined {
    const at = this.emitted.callStarts.get(site);
    return at === undefined ? undefined : this.calls.get(at);
  }

  /** The probe's node for a truth site that is not itself an operator site. */
  testedNode(site: TruthSite): Node | undefined {
    return this.tested.get(site);
  }

  element(site: ElementSite): ElementAccessExpression | undefined {
    return this.elementReads.get(this.emitted.spliced.toGeneratedPosition(site.node.argumentExpression.getStart()));
  }

  /** rewrite.ts `isTensorElementRead`, on the probe's types (the read as it stands in the probe). */
  isTensorElementRead(site: ElementSite): boolean {
    const read = this.element(site);
    if (!read || !this.types) return false;
    const receiver = this.type(read.expression);
    const index = this.type(read.argumentExpression);
    return receiver !== undefined && this.types.isTensorReceiver(receiver) && (index === undefined ? "any" : this.types.classify(index)) === "number";
  }
}

/** Where a native node's own text starts (its `pos` includes the trivia before it). */
function start(text: string, node: Node): number {
  return skipTrivia(text, node.pos);
}

function skipParens(node: Expression): Expression {
  while (isParenthesizedExpression(node)) node = node.expression;
  return node;
}

interface Verdict {
  mode: OperatorMode;
  types: Array<Type | undefined>;
}

/** Classifies every operator site from the probe's types and splices the final text (rewrite.ts `finish`). */
function finish(
  ts: Syntax,
  source: TS.SourceFile,
  sites: readonly Site[],
  elements: ReadonlySet<ElementSite>,
  truths: readonly TruthSite[],
  probe: NativeProbe,
): NativeOperatorRewrite | undefined {
  const types = probe.types!;
  const verdicts = new Map<OperatorSite, Verdict>();
  const callClass = new Map<Node, OperatorMode>();
  const classOf = (node: Expression, type: Type | undefined): OperandClass => {
    // A nested rewritten site is a tensor even where the checker could not say so (see rewrite.ts).
    const inner = skipParens(node);
    if (isCallExpression(inner) && callClass.get(inner) === "tensor") return "tensor";
    return type ? types.classify(type) : "any";
  };
  // Sites come children first, so an operand's own site is classified before its user.
  for (const site of sites) {
    if (site.kind === "element") continue;
    const call = probe.call(site);
    if (!call) continue;
    const operands = call.arguments.slice(0, site.kind === "binary" ? 2 : 1);
    const operandTypes = operands.map((a) => probe.type(a));
    const classes = operands.map((a, i) => classOf(a, operandTypes[i]));
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
    const node = probe.testedNode(site);
    const type = node && probe.type(node);
    return type !== undefined && types.isTruthTensor(type);
  });
  if (elements.size === 0 && tested.length === 0 && ![...verdicts.values()].some((v) => v.mode !== "native")) return undefined;

  const checker = probe.project.checker;
  const diagnostics: OperatorError[] = [];
  for (const [site, verdict] of verdicts) {
    const chained = verdict.mode === "tensor" && site.kind === "binary" ? chainedComparisonMessage(ts, source, site.node) : undefined;
    if (chained) {
      const at = site.node.getStart();
      diagnostics.push({ start: at, length: site.node.end - at, message: chained, code: HABIT_ERROR_CODE });
    }
    if (verdict.mode !== "invalid") continue;
    const names = verdict.types.map((t) => {
      const base = t && checker.getBaseTypeOfLiteralType(t);
      return base ? checker.typeToString(base) : "any";
    });
    const at = site.node.getStart();
    diagnostics.push({ start: at, length: site.node.end - at, message: operatorErrorMessage(site.operator, names[0]!, names[1]), code: OPERATOR_ERROR_CODE });
  }
  const { spliced } = emitSites(ts, source, sites, modeOf, elements, false, tested);
  const checked = diagnostics.length === 0 ? checkedProbe(ts, source, sites, elements, tested, probe, verdicts) : undefined;
  return {
    text: spliced.text,
    toOriginalPosition: spliced.toOriginalPosition,
    toGeneratedPosition: spliced.toGeneratedPosition,
    diagnostics,
    ...(checked ? { checked } : {}),
  };
}

/**
 * The probe as the project to check, under rewrite.ts `checkedProbe`'s conditions: every site a
 * helper call in both texts, no invalid site, compound targets written the same way, and each
 * always-tensor site's generic helper resolved to Tensor itself.
 */
function checkedProbe(
  ts: Syntax,
  source: TS.SourceFile,
  sites: readonly Site[],
  elements: ReadonlySet<ElementSite>,
  tested: readonly TruthSite[],
  probe: NativeProbe,
  verdicts: ReadonlyMap<OperatorSite, Verdict>,
): CheckedProbe | undefined {
  // `bool(t)` in a condition changes no type, so the probe checks as the final text does; a value
  // `t && x` becomes `Tensor | X` and must be checked as written.
  if (tested.some((site) => site.use !== "condition")) return undefined;
  const tensor = probe.types!.tensor;
  for (const site of sites) {
    if (site.kind === "element") continue;
    const verdict = verdicts.get(site);
    if (!verdict || (verdict.mode !== "tensor" && verdict.mode !== "dynamic")) return undefined;
    if (verdict.mode === "dynamic") continue;
    if (probe.type(probe.call(site)!)?.id !== tensor.id) return undefined;
  }
  if (emitSites(ts, source, sites, () => "dynamic", elements, false).spliced.text !== probe.text) return undefined;
  const spliced = probe.emitted.spliced;
  return { project: probe.project, text: probe.text, toOriginalPosition: spliced.toOriginalPosition, toCheckedPosition: spliced.toGeneratedPosition };
}
