/**
 * One cell through TypeScript 7's native checker: diagnostics, the declarations carried over to
 * later cells, the tensor-operators rewrite's type questions, completion and inspection come from
 * the native process (native-checker.ts), and so does the cell's syntax tree
 * (`program.getSourceFile`: one round trip, decoded lazily in this thread), which the kernel's own
 * passes read through nativeSyntax (native-syntax.ts): the emit by erasing types as text edits
 * (strip-emit.ts) plus the kernel's transforms (imports, REPL bindings, the final result),
 * recording declarations, Node-API detection, is-complete, the operators rewrite, completion and
 * inspection.
 *
 * TypeScript 6 keeps the one job the native API (typescript@7.0.2, `unstable/sync`) cannot do yet,
 * and its module is loaded (0.1–0.2 s and ~30 MB, once) only when that job first comes up:
 * emitting cells with constructs that are not erasable (enums, namespaces, parameter properties,
 * decorators). The API has no emitter for a program's files (only a node printer), so those go
 * through TypeScript 6's single-file transpiler (`transpileModule`: the module only, no checker
 * or language service), see emitCell.
 *
 * Everything else is native: completion of bare names, which the API refuses ("completion list
 * needs auto imports"), is assembled from the checker's globals (native-completion.ts);
 * inspection from symbols, signatures and docs (native-inspection.ts); the operators rewrite
 * checks its probe text as the cell file and the final text there too
 * (operators/native-rewrite.ts). So TypeScript 6's language service (about half a second and
 * 50–80 MB to build) is never built on this path.
 *
 * Boundary: runs in the checker service (checker-service.ts, on the main thread); knows nothing of evaluation or outputs.
 */
import type * as TS from "typescript";
import { isBuiltin } from "node:module";
import { mayNeedNodeTypes } from "./ambient-declarations.js";
import { CompletionItemKind, DiagnosticCategory, SignatureKind, SymbolFlags, TypeFlags, type CompletionEntry, type Diagnostic, type Project } from "typescript7/unstable/sync";
import type { CompleteResult, InspectResult, IsCompleteResult } from "../../executor.js";
import type { CellDiagnostic, CompileResult } from "../shared/compiler-messages.js";
import { cellDiagnostic, IGNORED_CODES, MODULE_MARKER, userPositionMapper } from "./cell-compiler.js";
import { TYPE_TEXT_FLAGS, type CellDeclarations, type DeclarationTypes } from "./cell-declarations.js";
import { compareText, isInternalName, MAX_MATCHES, wordStart } from "./completion.js";
import { importTransformer, replTransformer } from "./emit-transforms.js";
import { isComplete } from "./is-complete.js";
import { protectedGlobalDiagnostics } from "./protected-globals.js";
import { floorDivisionDiagnostics } from "./floor-division.js";
import type { NativeChecker } from "./native-checker.js";
import { completeBareName } from "./native-completion.js";
import { inspectNative } from "./native-inspection.js";
import { nativeSourceFile } from "./native-syntax.js";
import { sourceUsesNodeApi } from "./node-usage.js";
import { stripEmit } from "./strip-emit.js";
import { historyChunkOf } from "./history-chunks.js";
import type { KernelFileNames } from "./language-host.js";
import type { Syntax } from "./syntax.js";
import { tensorWitnessPosition } from "./library-prelude.js";
import type { TensorWitness } from "../operators/native-classify.js";
import { rewriteTensorOperatorsNatively, type NativeCell, type NativeOperatorRewrite } from "../operators/native-rewrite.js";
import { decodeMappings } from "../shared/source-map.js";
import { trace } from "../../trace.js";

/** The virtual files the native checker reads: set here, forwarded to the native checker at once. */
export class CheckerFiles {
  private readonly texts = new Map<string, string>();
  private nodeTypesOn = false;

  constructor(
    private readonly native: NativeChecker,
    private readonly roots: (nodeTypes: boolean) => string[],
  ) {}

  /** The text last set for a file. */
  text(name: string): string | undefined {
    return this.texts.get(name);
  }

  set(name: string, text: string): void {
    this.texts.set(name, text);
    this.native.setFile(name, text);
  }

  get nodeTypes(): boolean {
    return this.nodeTypesOn;
  }

  enableNodeTypes(): void {
    if (this.nodeTypesOn) return;
    this.nodeTypesOn = true;
    this.native.setRoots(this.roots(true));
  }
}

/** TypeScript's "Cannot find module" error. */
const CANNOT_FIND_MODULE = 2307;

/** Earlier cells' declarations into the native checker's files: the chunked scripts and the imports module. */
export function setHistoryFiles(files: CheckerFiles, names: KernelFileNames, declarations: CellDeclarations): void {
  const texts = declarations.scriptTexts(names.historyChunks.length, historyChunkOf);
  names.historyChunks.forEach((chunk, i) => files.set(chunk, texts[i]!));
  files.set(names.historyImports, declarations.importsText());
}

export class NativeCellCompiler {
  /** Where the prelude declares the library's Tensor type (null: the library has no operator helpers). */
  private witness: TensorWitness | null | undefined;

  /**
   * @param ts the syntax of the native checker's trees (nativeSyntax)
   * @param typeScript6Module TypeScript 6's module, loaded on first call (the transpiler, above)
   */
  constructor(
    private readonly ts: Syntax,
    private readonly typeScript6Module: () => typeof TS,
    private readonly native: NativeChecker,
    private readonly files: CheckerFiles,
    readonly declarations: CellDeclarations,
    private readonly operators: boolean,
    private readonly nodeTypesAvailable: boolean,
  ) {}

  compile(code: string, cellId: number, check: boolean, record: boolean): CompileResult {
    const ts = this.ts;
    const { source, project } = this.load(code);
    trace("compiler cell loaded");
    const cell = this.native.names.cell;
    const toUser = userPositionMapper(code, undefined);
    const syntactic = project.program.getSyntacticDiagnostics(cell);
    if (syntactic.length > 0) return { kind: "rejected", ename: "SyntaxError", diagnostics: syntactic.map((d) => nativeDiagnostic(d, toUser)) };
    const kernelRules = [...protectedGlobalDiagnostics(ts, source, toUser), ...floorDivisionDiagnostics(ts, source, toUser)];
    if (kernelRules.length > 0) return { kind: "rejected", ename: "TSError", diagnostics: kernelRules };
    // The operators' first look comes before checking the cell as written, whose diagnostics a
    // rewritten cell discards: the native process answers type questions with a checker of its
    // own (typescript@7.0.2 keeps one for the API and another for diagnostics, and neither sees
    // the other's caches), so checking first made the first look no cheaper, and a cell with
    // tensor operators was checked as written for nothing.
    if (this.operators) {
      const rewrite = rewriteTensorOperatorsNatively(ts, source, this.nativeCell(project), { syntaxChecked: true });
      trace(`compiler operators ${rewrite ? "rewritten" : "left as written"}`);
      if (rewrite) return this.compileRewritten(code, rewrite, cellId, check, record);
    }
    // `project` still checks the cell as written even when a probe that found nothing to
    // rewrite has set the cell file to another text since (its snapshot is released only once
    // the answer has gone).
    const semantic =
      check && !/^\s*\/\/\s*@ts-nocheck\b/.test(code)
        ? project.program.getSemanticDiagnostics(cell).filter((d) => d.category === DiagnosticCategory.Error && !IGNORED_CODES.has(d.code))
        : [];
    this.noteMissingModules(semantic);
    trace("compiler checked as written");
    if (semantic.length > 0) {
      const diagnostics = semantic.map((d) => nativeDiagnostic(d, toUser)).sort((a, b) => a.line - b.line || a.column - b.column);
      return { kind: "rejected", ename: "TSError", diagnostics };
    }
    if (record) {
      this.declarations.record(ts, new NativeDeclarationTypes(ts, project, cell, source), source, cellId);
      this.updateHistory();
    }
    const isValue = (name: TS.Identifier) => nativeIsValue(project, cell, name.getStart());
    // TypeScript 6's job only for what erasure cannot emit (enums, namespaces, …): its transpiler.
    return stripEmit(ts, source, code.length, toUser, isValue) ?? emitCell(ts, this.typeScript6Module(), source, code, isValue);
  }

  /**
   * A cell whose tensor operators were rewritten: the final text is checked in the native project
   * (or the probe's project stands for it), errors are mapped back to the user's text with the
   * rewrite's own operator errors, and the final text is recorded and emitted.
   */
  private compileRewritten(code: string, rewrite: NativeOperatorRewrite, cellId: number, check: boolean, record: boolean): CompileResult {
    const ts = this.ts;
    const cell = this.native.names.cell;
    const checked = rewrite.checked;
    const project = checked ? checked.project : this.checkText(rewrite.text);
    const checkedToUser = userPositionMapper(code, checked ?? rewrite);
    const syntactic = project.program.getSyntacticDiagnostics(cell);
    if (syntactic.length > 0) return { kind: "rejected", ename: "SyntaxError", diagnostics: syntactic.map((d) => nativeDiagnostic(d, checkedToUser)) };
    if (check && !/^\s*\/\/\s*@ts-nocheck\b/.test(code)) {
      const fromCode = userPositionMapper(code, undefined);
      const own = rewrite.diagnostics.map((d) => cellDiagnostic(fromCode(d.start), fromCode(d.start + Math.max(1, d.length)), d.message, d.code, false));
      const semantic = project.program
        .getSemanticDiagnostics(cell)
        .filter((d) => d.category === DiagnosticCategory.Error && !IGNORED_CODES.has(d.code))
        .map((d) => nativeDiagnostic(d, checkedToUser));
      this.noteMissingModules(semantic);
      const all = [...own, ...semantic].sort((a, b) => a.line - b.line || a.column - b.column);
      if (all.length > 0) return { kind: "rejected", ename: "TSError", diagnostics: all };
    }
    trace("compiler checked");
    // The final text's own tree; its names are found in the checked text through the user's
    // positions. When the probe stood in for the final text, the cell file reads the probe: it is
    // set to the final text for its tree (a parse on the native side, no check; `project` stays
    // the one queried).
    const source = nativeSourceFile(checked ? this.checkText(rewrite.text) : project, cell);
    trace("compiler final text parsed");
    const toChecked = checked ? (pos: number) => checked.toCheckedPosition(rewrite.toOriginalPosition(pos)) : (pos: number) => pos;
    if (record) {
      this.declarations.record(ts, new NativeDeclarationTypes(ts, project, cell, source, toChecked), source, cellId);
      this.updateHistory();
      trace("compiler recorded");
    }
    const isValue = (name: TS.Identifier) => nativeIsValue(project, cell, toChecked(name.getStart()));
    const toUser = userPositionMapper(code, rewrite);
    return stripEmit(ts, source, rewrite.text.length - MODULE_MARKER.length, toUser, isValue) ?? emitCell(ts, this.typeScript6Module(), source, code, isValue, rewrite);
  }

  /** A module the cell imports is missing: the next check reads the disk again, where it may have been installed meanwhile. */
  private noteMissingModules(diagnostics: readonly { code: number }[]): void {
    if (diagnostics.some((d) => d.code === CANNOT_FIND_MODULE)) this.native.rereadDisk();
  }

  complete(code: string, cursor: number): CompleteResult {
    const loaded = this.load(code);
    // `(w + x).` lists Tensor's members once the incomplete cell is rewritten.
    const rewritten = this.rewrittenForQuery(loaded, cursor);
    const project = rewritten?.project ?? loaded.project;
    const at = rewritten?.cursor ?? cursor;
    let entries: readonly CompletionEntry[];
    try {
      entries = project.checker.getCompletionsAtPosition(this.native.names.cell, at, { includeSymbol: true })?.entries ?? [];
    } catch (error) {
      // Outside a member access the native API needs auto-import support it does not have yet.
      // Names in scope are the same in a rewritten cell: the list comes from the cell as written.
      if (error instanceof Error && /auto imports/.test(error.message)) return completeBareName(this.ts, loaded.project, this.native.names.cell, loaded.source, code, cursor);
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
    const loaded = this.load(code);
    // `const a = w * 2; a` is a Tensor, and `(w * 2).sum` Tensor's method, only once rewritten.
    const rewritten = this.rewrittenForQuery(loaded, cursor);
    // The rewritten project's cell file reads the rewritten text: its tree is that text's.
    if (rewritten) return inspectNative(this.ts, rewritten.project, this.native.names.cell, nativeSourceFile(rewritten.project, this.native.names.cell), rewritten.cursor);
    return inspectNative(this.ts, loaded.project, this.native.names.cell, loaded.source, cursor);
  }

  /**
   * For completion and inspection: the project checking the cell with its tensor operators
   * rewritten (the cell may be incomplete), its text, and where the cursor is in it; undefined
   * when the cell has nothing to rewrite.
   */
  private rewrittenForQuery(loaded: { source: TS.SourceFile; project: Project }, cursor: number): { project: Project; text: string; cursor: number } | undefined {
    if (!this.operators) return undefined;
    const rewrite = rewriteTensorOperatorsNatively(this.ts, loaded.source, this.nativeCell(loaded.project), { allowSyntaxErrors: true });
    if (!rewrite) return undefined;
    const checked = rewrite.checked;
    if (checked) return { project: checked.project, text: checked.text, cursor: checked.toCheckedPosition(cursor) };
    return { project: this.checkText(rewrite.text), text: rewrite.text, cursor: rewrite.toGeneratedPosition(cursor) };
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

  /** The native project with the cell file reading `text` (a rewritten cell). */
  private checkText(text: string): Project {
    this.files.set(this.native.names.cell, text);
    return this.native.project();
  }

  /** The native project as the operators rewrite uses it, starting from `project` (the cell as written). */
  private nativeCell(project: Project): NativeCell {
    if (this.witness === undefined) {
      const position = tensorWitnessPosition(this.files.text(this.native.names.prelude) ?? "");
      this.witness = position === undefined ? null : { file: this.native.names.prelude, position };
    }
    return { file: this.native.names.cell, project, check: (text) => this.checkText(text), tensorWitness: this.witness ?? undefined };
  }

  private updateHistory(): void {
    setHistoryFiles(this.files, this.native.names, this.declarations);
  }

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
export function emitCell(
  syntax: Syntax,
  ts: typeof TS,
  source: TS.SourceFile,
  code: string,
  isValue: (name: TS.Identifier) => boolean,
  rewrite?: { toOriginalPosition(pos: number): number },
): CompileResult {
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
  const toUser = userPositionMapper(code, rewrite);
  const mappings = decodeMappings((JSON.parse(output.sourceMapText ?? '{"mappings":""}') as { mappings: string }).mappings, (line, column) => {
    const user = toUser(source.getPositionOfLineAndCharacter(line, column));
    return [user.line, user.column];
  });
  return { kind: "compiled", js, mappings, hasResult };
}

function spanKey(pos: number, end: number): string {
  return `${pos}:${end}`;
}

function importedNames(ts: Syntax, clause: TS.ImportClause): TS.Identifier[] {
  const names: TS.Identifier[] = clause.name ? [clause.name] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name);
  else if (bindings) names.push(...bindings.elements.map((e) => e.name));
  return names;
}

/** An imported name with a value at run time; an unresolved one counts as a value (as isValueName does). */
function nativeIsValue(project: Project, file: string, position: number): boolean {
  let symbol = project.checker.getSymbolAtPosition(file, position);
  if (!symbol) return true;
  if (symbol.flags & SymbolFlags.Alias) symbol = project.checker.getAliasedSymbol(symbol);
  if (project.checker.isUnknownSymbol(symbol)) return true;
  if (symbol.flags & SymbolFlags.Value) return true;
  return (symbol.flags & (SymbolFlags.Type | SymbolFlags.Namespace)) === 0;
}

/**
 * The recorder's questions answered by the native checker, variable types fetched in two batched
 * round trips. `toChecked` maps a position of `source` to the same place in the text the
 * project's file reads (they differ when a rewritten cell was checked as its probe).
 */
class NativeDeclarationTypes implements DeclarationTypes {
  private readonly printed = new Map<number, string | undefined>();

  constructor(
    ts: Syntax,
    private readonly project: Project,
    private readonly file: string,
    source: TS.SourceFile,
    private readonly toChecked: (pos: number) => number = (pos) => pos,
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
    const symbols = project.checker.getSymbolAtPosition(file, positions.map(toChecked));
    const present = symbols.filter((s): s is NonNullable<typeof s> => s !== undefined);
    const types = present.length > 0 ? project.checker.getTypeOfSymbol(present) : [];
    let next = 0;
    // One round trip per distinct type: a cell's tensors (or numbers) share one.
    const texts = new Map<number, string>();
    const print = (type: NonNullable<(typeof types)[number]>): string => {
      let text = texts.get(type.id);
      if (text === undefined) texts.set(type.id, (text = project.checker.typeToString(type, undefined, TYPE_TEXT_FLAGS)));
      return text;
    };
    symbols.forEach((symbol, i) => {
      if (!symbol) return this.printed.set(positions[i]!, undefined);
      const type = types[next++];
      this.printed.set(positions[i]!, type ? print(type) : undefined);
    });
  }

  typeText(name: TS.Identifier): string | undefined {
    return this.printed.get(name.getStart());
  }

  isPropertyImport(name: TS.Identifier): boolean {
    const symbol = this.project.checker.getSymbolAtPosition(this.file, this.toChecked(name.getStart()));
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
