/**
 * One cell through TypeScript 7's native checker: diagnostics, the declarations carried over to
 * later cells, and member completion come from the native process (native-checker.ts), and so does
 * the cell's syntax tree (`program.getSourceFile`: one round trip, decoded lazily in this thread),
 * which the kernel's own passes read through nativeSyntax (native-syntax.ts): the emit by erasing
 * types as text edits (strip-emit.ts), recording declarations, Node-API detection, is-complete and
 * the operators' first look, completion of bare names and inspection. TypeScript 6's module is
 * not loaded for any of that.
 *
 * TypeScript 6 keeps the jobs the native API (typescript@7.0.2, `unstable/sync`) cannot do yet,
 * and is loaded (about 0.1–0.2 s, once) only when one of them first comes up:
 * - emitting cells with constructs that are not erasable (enums, namespaces, parameter
 *   properties, decorators): the API has no emitter for a program's files (only a node printer),
 *   so those go through TypeScript 6's single-file transpiler (`transpileModule`: the module only,
 *   no language service), see emitCell;
 * - the tensor-operators rewrite: it re-checks a probe text and classifies operand types with
 *   TypeScript 6's checker; a cell whose operators may involve tensors (asked of the native
 *   checker first, one round trip) goes through the TypeScript 6 pipeline;
 * - (completion of bare names is answered natively, though the API refuses it: "completion list
 *   needs auto imports"; native-completion.ts assembles the list from the checker's globals);
 * (inspection is answered natively too, built from symbols, signatures and docs: native-inspection.ts).
 * The TypeScript 6 language service is built only when the operators rewrite first needs it.
 *
 * Boundary: runs inside the compiler worker; knows nothing of evaluation or outputs.
 */
import type * as TS from "typescript";
import { isBuiltin } from "node:module";
import { mayNeedNodeTypes } from "./ambient-declarations.js";
import { CompletionItemKind, DiagnosticCategory, SignatureKind, SymbolFlags, TypeFlags, type CompletionEntry, type Diagnostic, type Project, type Type } from "typescript7/unstable/sync";
import type { CompleteResult, InspectResult, IsCompleteResult } from "../../executor.js";
import type { CellDiagnostic, CompileResult } from "../shared/compiler-messages.js";
import { cellDiagnostic, IGNORED_CODES, MODULE_MARKER, userPositionMapper, type CellCompiler } from "./cell-compiler.js";
import { TYPE_TEXT_FLAGS, type CellDeclarations, type DeclarationTypes } from "./cell-declarations.js";
import { compareText, complete as completeWithTypeScript6, isInternalName, MAX_MATCHES, wordStart } from "./completion.js";
import { importTransformer, replTransformer } from "./emit-transforms.js";
import { isComplete } from "./is-complete.js";
import type { CellLanguageHost } from "./language-host.js";
import type { NativeChecker } from "./native-checker.js";
import { completeBareName } from "./native-completion.js";
import { inspectNative } from "./native-inspection.js";
import { nativeSourceFile } from "./native-syntax.js";
import { sourceUsesNodeApi } from "./node-usage.js";
import { stripEmit } from "./strip-emit.js";
import type { Syntax } from "./syntax.js";
import { OPS } from "../operators/emit.js";
import { collectSites, type Site } from "../operators/sites.js";
import { decodeMappings } from "../shared/source-map.js";

/** The TypeScript 6 side, for the jobs listed above. */
export interface TypeScript6Side {
  host: CellLanguageHost;
  compiler: CellCompiler;
}

/** A node of the native API's syntax tree, as far as this module reads it. */
interface NativeNode {
  pos: number;
  end: number;
  forEachChild<T>(visitor: (node: NativeNode) => T): T | undefined;
}

/**
 * The virtual files both checkers read: set once here, forwarded to the native checker at once
 * and to TypeScript 6's language service once it exists.
 */
export class CheckerFiles {
  private readonly texts = new Map<string, string>();
  private nodeTypesOn = false;
  private ts6: CellLanguageHost | undefined;

  constructor(
    private readonly native: NativeChecker,
    private readonly roots: (nodeTypes: boolean) => string[],
  ) {}

  set(name: string, text: string): void {
    this.texts.set(name, text);
    this.native.setFile(name, text);
    this.ts6?.setFile(name, text);
  }

  get nodeTypes(): boolean {
    return this.nodeTypesOn;
  }

  enableNodeTypes(): void {
    if (this.nodeTypesOn) return;
    this.nodeTypesOn = true;
    this.native.setRoots(this.roots(true));
    this.ts6?.enableNodeTypes();
  }

  /** Gives a newly built TypeScript 6 host every file set so far. */
  attach(host: CellLanguageHost): void {
    for (const [name, text] of this.texts) host.setFile(name, text);
    if (this.nodeTypesOn) host.enableNodeTypes();
    this.ts6 = host;
  }
}

export class NativeCellCompiler {
  private side: TypeScript6Side | undefined;

  /**
   * @param ts the syntax of the native checker's trees (nativeSyntax)
   * @param typeScript6Module TypeScript 6's module, loaded on first call (the jobs listed above)
   */
  constructor(
    private readonly ts: Syntax,
    private readonly typeScript6Module: () => typeof TS,
    private readonly native: NativeChecker,
    private readonly files: CheckerFiles,
    readonly declarations: CellDeclarations,
    private readonly buildTypeScript6: () => TypeScript6Side,
    private readonly operators: boolean,
    private readonly nodeTypesAvailable: boolean,
  ) {}

  /** TypeScript 6's language service, built on first use (about half a second, once). */
  typeScript6(): TypeScript6Side {
    if (!this.side) {
      const side = this.buildTypeScript6();
      this.files.attach(side.host);
      this.side = side;
    }
    return this.side;
  }

  /** Is the TypeScript 6 side built (for the status report)? */
  get typeScript6Loaded(): boolean {
    return this.side !== undefined;
  }

  compile(code: string, cellId: number, check: boolean, record: boolean): CompileResult {
    const ts = this.ts;
    const { source, project } = this.load(code);
    const cell = this.native.names.cell;
    const toUser = userPositionMapper(code, undefined);
    const syntactic = project.program.getSyntacticDiagnostics(cell);
    if (syntactic.length > 0) return { kind: "rejected", ename: "SyntaxError", diagnostics: syntactic.map((d) => nativeDiagnostic(d, toUser)) };
    // TypeScript 6's job: the operators rewrite re-checks a probe text with its checker.
    if (this.operators && this.mayRewriteOperators(project, source)) return this.compileWithTypeScript6(code, cellId, check, record);

    if (check && !/^\s*\/\/\s*@ts-nocheck\b/.test(code)) {
      const semantic = project.program
        .getSemanticDiagnostics(cell)
        .filter((d) => d.category === DiagnosticCategory.Error && !IGNORED_CODES.has(d.code))
        .map((d) => nativeDiagnostic(d, toUser))
        .sort((a, b) => a.line - b.line || a.column - b.column);
      if (semantic.length > 0) return { kind: "rejected", ename: "TSError", diagnostics: semantic };
    }
    if (record) {
      this.declarations.record(ts, new NativeDeclarationTypes(ts, project, cell, source), source, cellId);
      this.updateHistory();
    }
    const isValue = (name: TS.Identifier) => nativeIsValue(project, cell, name);
    // TypeScript 6's job only for what erasure cannot emit (enums, namespaces, …): its transpiler.
    return stripEmit(ts, source, code.length, toUser, isValue) ?? emitCell(ts, this.typeScript6Module(), source, code, isValue);
  }

  complete(code: string, cursor: number): CompleteResult {
    const { source, project } = this.load(code);
    if (this.operators && this.mayRewriteOperators(project, source)) return this.completeWithTypeScript6(code, cursor);
    let entries: readonly CompletionEntry[];
    try {
      entries = project.checker.getCompletionsAtPosition(this.native.names.cell, cursor, { includeSymbol: true })?.entries ?? [];
    } catch (error) {
      // Outside a member access the native API needs auto-import support it does not have yet.
      if (error instanceof Error && /auto imports/.test(error.message)) return completeBareName(this.ts, project, this.native.names.cell, source, code, cursor);
      throw error;
    }
    const word = wordStart(code, cursor);
    const start = code[word - 1] === "#" ? word - 1 : word;
    const typed = code.slice(start, cursor);
    const prefix = typed.toLowerCase();
    const showInternals = typed.startsWith("_") || typed.startsWith("#");
    const kept = entries
      .filter((e) => e.name.toLowerCase().startsWith(prefix) && !e.name.startsWith("__gradlab") && (showInternals || !isInternalName(e.name)))
      .sort((a, b) => compareText(a.sortText ?? "", b.sortText ?? "") || compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name))
      .slice(0, MAX_MATCHES);
    const kinds = memberKinds(project, kept);
    return {
      matches: kept.map((e) => e.name),
      cursorStart: start,
      cursorEnd: cursor,
      types: kept.map((e, i) => ({ text: e.name, type: kinds[i]!, start, end: cursor })),
    };
  }

  inspect(code: string, cursor: number): InspectResult {
    const { source, project } = this.load(code);
    return inspectNative(this.ts, project, this.native.names.cell, source, cursor);
  }

  isComplete(code: string): IsCompleteResult {
    return isComplete(this.ts, code, (text) => {
      this.files.set(this.native.names.cell, text + MODULE_MARKER);
      return this.native.project().program.getSyntacticDiagnostics(this.native.names.cell).length;
    });
  }

  /**
   * Hands the cell's text to the native checker and fetches its syntax tree from there. A cell
   * that uses Node's API first adds @types/node to the program (a new project, once a session).
   */
  private load(code: string): { source: TS.SourceFile; project: Project } {
    const cell = this.native.names.cell;
    this.files.set(cell, code + MODULE_MARKER);
    const project = this.native.project();
    const source = nativeSourceFile(project, cell);
    if (this.nodeTypesAvailable && !this.files.nodeTypes && mayNeedNodeTypes(code, isBuiltin) && sourceUsesNodeApi(this.ts, source, isBuiltin)) {
      this.files.enableNodeTypes();
      const withNodeTypes = this.native.project();
      return { source: nativeSourceFile(withNodeTypes, cell), project: withNodeTypes };
    }
    return { source, project };
  }

  private compileWithTypeScript6(code: string, cellId: number, check: boolean, record: boolean): CompileResult {
    const result = this.typeScript6().compiler.compile(code, cellId, check, record);
    if (record && result.kind === "compiled") this.updateHistory();
    return result;
  }

  private completeWithTypeScript6(code: string, cursor: number): CompleteResult {
    const side = this.typeScript6();
    return completeWithTypeScript6(this.typeScript6Module(), side.host, side.compiler, code, cursor);
  }

  private updateHistory(): void {
    const names = this.native.names;
    this.files.set(names.history, this.declarations.scriptText());
    this.files.set(names.historyImports, this.declarations.importsText());
  }

  /**
   * May the operators rewrite change this cell? The rewrite's own first look, asked of the native
   * checker in a few batched round trips: some operator operand is `any`, a tensor or a union with
   * a tensor, or some element read is on a tensor (a cell whose operands are all primitives, arrays
   * or other objects compiles exactly as written).
   */
  private mayRewriteOperators(project: Project, source: TS.SourceFile): boolean {
    const sites = collectSites(this.ts, source);
    if (sites.length === 0) return false;
    const ts = this.ts;
    const checker = project.checker;
    // Literals are primitives without asking.
    const operands = sites
      .flatMap((site) => operandsOf(site).map((node) => ({ node, element: site.kind === "element" })))
      .filter(({ node }) => !ts.isLiteralExpression(node) && node.kind !== ts.SyntaxKind.TrueKeyword && node.kind !== ts.SyntaxKind.FalseKeyword);
    if (operands.length === 0) return false;
    // A name's type is the type at its position (`x`, or `score` in `a.score`), one batched round
    // trip; other operands are looked up as nodes of the native syntax tree (fetched only then).
    const namePosition = (node: TS.Expression): number | undefined =>
      ts.isIdentifier(node) ? node.getStart() : ts.isPropertyAccessExpression(node) && !node.questionDotToken && ts.isIdentifier(node.name) ? node.name.getStart() : undefined;
    const positions = operands.map(({ node }) => namePosition(node));
    let types: Array<Type | undefined>;
    if (positions.every((p) => p !== undefined)) {
      types = checker.getTypeAtPosition(this.native.names.cell, positions as number[]);
    } else {
      const nodes = nodesBySpan(project.program.getSourceFile(this.native.names.cell) as unknown as NativeNode | undefined);
      const found = operands.map(({ node }) => nodes.get(spanKey(node.pos, node.end)));
      if (found.some((node) => node === undefined)) return true;
      types = checker.getTypeAtLocation(found as never[]);
    }
    const candidates = operands
      .map((operand, i) => ({ ...operand, type: types[i] }))
      .filter(({ type }) => !type || (!isPrimitive(type) && !checker.isArrayType(type) && !checker.isTupleType(type)));
    if (candidates.length === 0) return false;
    const tensor = tensorType(project, this.native.names.cell);
    if (!tensor) return false;
    const isTensor = (type: Type): boolean => (type.flags & (TypeFlags.Any | TypeFlags.Never)) === 0 && checker.isTypeAssignableTo(type, tensor);
    return candidates.some(({ type, element }) => {
      if (!type) return true;
      if (element) return isTensor(type);
      if (type.flags & (TypeFlags.Any | TypeFlags.Conditional)) return true;
      return isTensor(type) || (type.isUnionType() && type.getTypes().some(isTensor));
    });
  }
}

/** The library's Tensor type: what `__gradlabOps.neg` returns (as the rewrite finds it). */
function tensorType(project: Project, file: string): Type | undefined {
  const checker = project.checker;
  let ops = checker.resolveName(OPS, SymbolFlags.Value, { document: file, position: 0 });
  if (!ops) return undefined;
  if (ops.flags & SymbolFlags.Alias) ops = checker.getAliasedSymbol(ops);
  const opsType = checker.getTypeOfSymbol(ops);
  const neg = opsType && checker.getPropertyOfType(opsType, "neg");
  const negType = neg && checker.getTypeOfSymbol(neg);
  const signature = negType && checker.getSignaturesOfType(negType, SignatureKind.Call)[0];
  return signature ? checker.getReturnTypeOfSignature(signature) : undefined;
}

function operandsOf(site: Site): TS.Expression[] {
  return site.kind === "binary" ? [site.node.left, site.node.right] : site.kind === "unary" ? [site.node.operand] : [site.node.expression];
}

const PRIMITIVE =
  TypeFlags.NumberLike | TypeFlags.StringLike | TypeFlags.BigIntLike | TypeFlags.BooleanLike | TypeFlags.EnumLike |
  TypeFlags.Never | TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Void | TypeFlags.ESSymbolLike;

function isPrimitive(type: Type): boolean {
  if ((type.flags & PRIMITIVE) !== 0) return true;
  return type.isUnionType() && type.getTypes().every((t) => (t.flags & PRIMITIVE) !== 0);
}

function spanKey(pos: number, end: number): string {
  return `${pos}:${end}`;
}

/** Every node of the native syntax tree by its span; the innermost wins (an expression, not its statement). */
function nodesBySpan(root: NativeNode | undefined): Map<string, NativeNode> {
  const nodes = new Map<string, NativeNode>();
  const visit = (node: NativeNode): undefined => {
    nodes.set(spanKey(node.pos, node.end), node);
    node.forEachChild(visit);
    return undefined;
  };
  root?.forEachChild(visit);
  return nodes;
}

/** A native diagnostic at the user's line and column, its message chain flattened as TypeScript 6 does. */
function nativeDiagnostic(d: Diagnostic, toUser: (pos: number) => { line: number; column: number }): CellDiagnostic {
  return cellDiagnostic(toUser(d.pos), toUser(Math.max(d.end, d.pos + 1)), flatten(d, 0), d.code, d.category === DiagnosticCategory.Warning);
}

function flatten(d: Diagnostic, depth: number): string {
  let text = d.text;
  for (const next of d.messageChain ?? []) text += `\n${"  ".repeat(depth + 1)}${flatten(next, depth + 1)}`;
  return text;
}

/**
 * Emits a checked cell that stripEmit cannot: TypeScript 6's single-file transpiler strips the
 * types (no program, no checker); the kernel's transforms turn imports into loads and the cell
 * into a REPL script. `source` is read through `syntax` (the native checker's tree, or TypeScript
 * 6's); the transpiler parses the text again with `ts`.
 */
export function emitCell(syntax: Syntax, ts: typeof TS, source: TS.SourceFile, code: string, isValue: (name: TS.Identifier) => boolean): CompileResult {
  const userStatements = source.statements.filter((s) => s.pos < source.text.length - MODULE_MARKER.length);
  const last = userStatements[userStatements.length - 1];
  const hasResult = last !== undefined && syntax.isExpressionStatement(last);
  const values = new Map<string, boolean>();
  // The transpiler parses the text again: decide for the names of this parse, by position.
  for (const statement of source.statements) {
    if (!syntax.isImportDeclaration(statement) || !statement.importClause) continue;
    for (const name of importedNames(syntax, statement.importClause)) values.set(spanKey(name.pos, name.end), isValue(name));
  }
  const output = ts.transpileModule(source.text, {
    fileName: source.fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      sourceMap: true,
      removeComments: false,
      newLine: ts.NewLineKind.LineFeed,
      esModuleInterop: true,
    },
    transformers: {
      before: [importTransformer(ts, (name) => values.get(spanKey(name.pos, name.end)) ?? true)],
      after: [replTransformer(ts, hasResult)],
    },
  });
  const js = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  const toUser = userPositionMapper(code, undefined);
  const mappings = decodeMappings((JSON.parse(output.sourceMapText ?? '{"mappings":""}') as { mappings: string }).mappings, (line, column) => {
    const user = toUser(source.getPositionOfLineAndCharacter(line, column));
    return [user.line, user.column];
  });
  return { kind: "compiled", js, mappings, hasResult };
}

function importedNames(ts: Syntax, clause: TS.ImportClause): TS.Identifier[] {
  const names: TS.Identifier[] = clause.name ? [clause.name] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name);
  else if (bindings) names.push(...bindings.elements.map((e) => e.name));
  return names;
}

/** An imported name with a value at run time; an unresolved one counts as a value (as isValueName does). */
function nativeIsValue(project: Project, file: string, name: TS.Identifier): boolean {
  let symbol = project.checker.getSymbolAtPosition(file, name.getStart());
  if (!symbol) return true;
  if (symbol.flags & SymbolFlags.Alias) symbol = project.checker.getAliasedSymbol(symbol);
  if (project.checker.isUnknownSymbol(symbol)) return true;
  if (symbol.flags & SymbolFlags.Value) return true;
  return (symbol.flags & (SymbolFlags.Type | SymbolFlags.Namespace)) === 0;
}

/** The recorder's questions answered by the native checker, variable types fetched in two batched round trips. */
class NativeDeclarationTypes implements DeclarationTypes {
  private readonly printed = new Map<number, string | undefined>();

  constructor(
    ts: Syntax,
    private readonly project: Project,
    private readonly file: string,
    source: TS.SourceFile,
  ) {
    const names: TS.Identifier[] = [];
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (declaration.type && ts.isIdentifier(declaration.name)) continue; // written as annotated
        names.push(...bindingIdentifiers(ts, declaration.name));
      }
    }
    if (names.length === 0) return;
    const positions = names.map((n) => n.getStart());
    const symbols = project.checker.getSymbolAtPosition(file, positions);
    const present = symbols.filter((s): s is NonNullable<typeof s> => s !== undefined);
    const types = present.length > 0 ? project.checker.getTypeOfSymbol(present) : [];
    let next = 0;
    symbols.forEach((symbol, i) => {
      if (!symbol) return this.printed.set(positions[i]!, undefined);
      const type = types[next++];
      this.printed.set(positions[i]!, type ? project.checker.typeToString(type, undefined, TYPE_TEXT_FLAGS) : undefined);
    });
  }

  typeText(name: TS.Identifier): string | undefined {
    return this.printed.get(name.getStart());
  }

  isPropertyImport(name: TS.Identifier): boolean {
    const symbol = this.project.checker.getSymbolAtPosition(this.file, name.getStart());
    if (!symbol || !(symbol.flags & SymbolFlags.Alias)) return false;
    const target = this.project.checker.getAliasedSymbol(symbol);
    return (target.flags & (SymbolFlags.Property | SymbolFlags.Method | SymbolFlags.Accessor)) !== 0;
  }
}

function bindingIdentifiers(ts: Syntax, name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? bindingIdentifiers(ts, element.name) : []));
}

/**
 * The kind a notebook user expects for each member completion (as completion-kinds.ts says for
 * TypeScript 6): a property holding a function is a "function", one holding a class a "class".
 * Properties' types are fetched in one round trip, their call signatures one each.
 */
function memberKinds(project: Project, entries: readonly CompletionEntry[]): string[] {
  const kinds = entries.map((e) => itemKind(e.kind));
  const properties = entries.map((e, i) => ({ e, i })).filter(({ e, i }) => e.symbol && kinds[i] === "variable");
  if (properties.length === 0) return kinds;
  const types = project.checker.getTypeOfSymbol(properties.map(({ e }) => e.symbol!));
  properties.forEach(({ i }, k) => {
    const type = types[k];
    if (!type || !(type.flags & TypeFlags.Object)) return;
    if (project.checker.getSignaturesOfType(type, SignatureKind.Construct).length > 0) kinds[i] = "class";
    else if (project.checker.getSignaturesOfType(type, SignatureKind.Call).length > 0) kinds[i] = "function";
  });
  return kinds;
}

function itemKind(kind: CompletionItemKind | undefined): string {
  switch (kind) {
    case CompletionItemKind.Keyword:
      return "keyword";
    case CompletionItemKind.Method:
    case CompletionItemKind.Function:
      return "function";
    case CompletionItemKind.Class:
    case CompletionItemKind.Constructor:
      return "class";
    case CompletionItemKind.Interface:
      return "interface";
    case CompletionItemKind.TypeParameter:
      return "type";
    case CompletionItemKind.Enum:
      return "enum";
    case CompletionItemKind.EnumMember:
      return "enum member";
    case CompletionItemKind.Module:
      return "module";
    default:
      return "variable";
  }
}
