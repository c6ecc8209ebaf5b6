/**
 * Completion of a bare name (`tor|`, `Ma|`, an empty line) with TypeScript 7's native checker.
 * typescript@7.0.2's API answers those requests with "completion list needs auto imports" (it has
 * no auto-import support yet), so the list is assembled here from what the checker does give:
 * - the names declared in the cell around the cursor (a walk up its syntax tree: blocks,
 *   functions' parameters, loop and catch variables), listed first, as TypeScript ranks them;
 * - every global: the exports of the `globalThis` symbol hold the library's names, earlier
 *   cells' declarations and the lib's globals (values and types alike), in one round trip;
 * - keywords.
 * A value position offers values, a type position (`let x: Ve|`) types. Kinds are the ones a
 * notebook user expects, as completion-kinds.ts gives them with TypeScript 6: "function" for
 * anything callable, "class" for anything constructible, "module" for a namespace or an object
 * of functions (`torch`).
 *
 * Boundary: runs in the checker service (checker-service.ts, on the main thread); reads the cell's syntax tree through the `ts` namespace it
 * is given and asks the native checker about symbols; the list's filtering and order follow
 * completion.ts.
 */
import type * as TS from "typescript";
import type { Syntax } from "./syntax.js";
import { SignatureKind, SymbolFlags, TypeFlags, type Checker, type Project, type Symbol as NativeSymbol, type Type } from "typescript7/unstable/sync";
import type { CompleteResult } from "../../executor.js";
import { compareText, isInternalName, MAX_MATCHES, wordStart } from "./completion.js";
import { deepestNodeAt } from "./node-at.js";

/** TypeScript's sortText groups: names in scope in the cell, then globals and keywords alike. */
const LOCAL_RANK = "11";
const GLOBAL_RANK = "15";

/** Keywords that start a statement or an expression. */
const VALUE_KEYWORDS = (
  "abstract as async await break case catch class const continue debugger declare default delete do else enum export extends false " +
  "finally for function if implements import in instanceof interface let namespace new null return satisfies super switch this throw " +
  "true try type typeof undefined var void while with yield"
).split(" ");

/** Keywords that name or build a type. */
const TYPE_KEYWORDS = "any asserts bigint boolean false infer keyof never null number object readonly string symbol true typeof undefined unique unknown void".split(" ");

interface Candidate {
  name: string;
  rank: string;
  /** The kind when known without asking the checker (keywords, the cell's own declarations). */
  kind?: string;
  /** A global's symbol, whose kind the checker tells. */
  symbol?: NativeSymbol;
}

/**
 * The completions for the bare name ending at `cursor` in `code`, the cell as `source` (its
 * syntax tree) and `file` (its name in the native project) hold it.
 *
 * @example
 * completeBareName(ts, project, cellFile, source, "tor", 3); // { matches: ["torch"], types: [{ text: "torch", type: "module", … }], … }
 */
export function completeBareName(ts: Syntax, project: Project, file: string, source: TS.SourceFile, code: string, cursor: number): CompleteResult {
  const start = wordStart(code, cursor);
  const typed = code.slice(start, cursor);
  const prefix = typed.toLowerCase();
  const showInternals = typed.startsWith("_");
  const at = deepestNodeAt(source, Math.max(start, 0));
  const wantTypes = at !== undefined && inTypePosition(ts, at);

  const candidates = new Map<string, Candidate>();
  const offer = (candidate: Candidate): void => {
    const name = candidate.name;
    if (candidates.has(name) || !name.toLowerCase().startsWith(prefix) || name.startsWith("__gradlab")) return;
    if (!showInternals && isInternalName(name)) return;
    candidates.set(name, candidate);
  };
  for (const local of at ? namesInScope(ts, at, wantTypes) : []) if (local.name !== typed || local.declaredAt !== start) offer({ name: local.name, rank: LOCAL_RANK, kind: local.kind });
  const checker = project.checker;
  const meaning = wantTypes ? SymbolFlags.Type | SymbolFlags.Namespace | SymbolFlags.Alias : SymbolFlags.Value | SymbolFlags.Alias;
  const globalThisSymbol = checker.resolveName("globalThis", SymbolFlags.Value, { document: file, position: 0 });
  for (const [name, symbol] of globalThisSymbol?.getExports() ?? new Map<string, NativeSymbol>()) {
    if (symbol.flags & meaning) offer({ name: String(name), rank: GLOBAL_RANK, symbol });
  }
  for (const keyword of wantTypes ? TYPE_KEYWORDS : VALUE_KEYWORDS) offer({ name: keyword, rank: GLOBAL_RANK, kind: "keyword" });

  const kept = [...candidates.values()]
    .sort((a, b) => compareText(a.rank, b.rank) || compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.name, b.name))
    .slice(0, MAX_MATCHES);
  const kinds = globalKinds(checker, kept, wantTypes);
  return {
    matches: kept.map((c) => c.name),
    cursorStart: start,
    cursorEnd: cursor,
    types: kept.map((c, i) => ({ text: c.name, type: kinds[i]!, start, end: cursor })),
  };
}

/** Is `node` part of a type annotation or type expression (rather than of a value)? */
function inTypePosition(ts: Syntax, node: TS.Node): boolean {
  for (let current: TS.Node | undefined = node; current && !ts.isStatement(current) && !ts.isSourceFile(current); current = current.parent) {
    // `typeof x` names a value inside a type.
    if (ts.isTypeQueryNode(current)) return false;
    // `extends Base` names a value (a class), `implements Shape` a type.
    if (ts.isExpressionWithTypeArguments(current)) return ts.isHeritageClause(current.parent) && current.parent.token === ts.SyntaxKind.ImplementsKeyword;
    if (ts.isTypeNode(current)) return true;
  }
  return false;
}

interface LocalName {
  name: string;
  kind: string;
  /** Where its declaring identifier starts (the name being typed is not offered to itself). */
  declaredAt: number;
}

/** Names the cell declares in the scopes around `node`, innermost first. */
function namesInScope(ts: Syntax, node: TS.Node, wantTypes: boolean): LocalName[] {
  const names: LocalName[] = [];
  const add = (name: TS.Node | undefined, kind: string, isType: boolean): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) {
      if (isType === wantTypes || kind === "class" || kind === "enum") names.push({ name: name.text, kind, declaredAt: name.getStart() });
      return;
    }
    if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
      for (const element of name.elements) if (ts.isBindingElement(element)) add(element.name, "variable", false);
    }
  };
  const addStatement = (statement: TS.Statement): void => {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) add(declaration.name, variableKind(ts, declaration.initializer), false);
    } else if (ts.isFunctionDeclaration(statement)) add(statement.name, "function", false);
    else if (ts.isClassDeclaration(statement)) add(statement.name, "class", false);
    else if (ts.isEnumDeclaration(statement)) add(statement.name, "enum", false);
    else if (ts.isInterfaceDeclaration(statement)) add(statement.name, "interface", true);
    else if (ts.isTypeAliasDeclaration(statement)) add(statement.name, "type", true);
    else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) add(statement.name, "module", false);
    else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      add(clause.name, "variable", false);
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) add(bindings.name, "module", false);
      else if (bindings) for (const element of bindings.elements) add(element.name, "variable", false);
    }
  };
  for (let scope: TS.Node | undefined = node; scope; scope = scope.parent) {
    if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope) || ts.isDefaultClause(scope)) {
      for (const statement of scope.statements) addStatement(statement);
    }
    if (ts.isFunctionLike(scope)) {
      for (const parameter of scope.parameters) add(parameter.name, "variable", false);
      for (const parameter of scope.typeParameters ?? []) add(parameter.name, "type", true);
      if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) add(scope.name, ts.isClassExpression(scope) ? "class" : "function", false);
    }
    if (ts.isClassLike(scope)) for (const parameter of scope.typeParameters ?? []) add(parameter.name, "type", true);
    if ((ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) && scope.initializer && ts.isVariableDeclarationList(scope.initializer)) {
      for (const declaration of scope.initializer.declarations) add(declaration.name, "variable", false);
    }
    if (ts.isCatchClause(scope) && scope.variableDeclaration) add(scope.variableDeclaration.name, "variable", false);
  }
  return names;
}

/** `const f = () => …` is a function to its user, `const C = class {…}` a class. */
function variableKind(ts: Syntax, initializer: TS.Expression | undefined): string {
  if (!initializer) return "variable";
  if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) return "function";
  if (ts.isClassExpression(initializer)) return "class";
  return "variable";
}

/**
 * The kinds of the kept candidates; globals' from their symbols (aliases followed), variables'
 * from their types' signatures (types fetched in one round trip).
 */
function globalKinds(checker: Checker, candidates: Candidate[], wantTypes: boolean): string[] {
  const kinds = candidates.map((c) => c.kind ?? "variable");
  const targets = candidates.map((c) => (c.symbol ? aliasTarget(checker, c.symbol) : undefined));
  const variables: number[] = [];
  targets.forEach((target, i) => {
    if (!target) return;
    const kind = symbolKind(target.flags, wantTypes);
    if (kind) kinds[i] = kind;
    else variables.push(i);
  });
  if (variables.length === 0) return kinds;
  const types = checker.getTypeOfSymbol(variables.map((i) => targets[i]!));
  variables.forEach((i, k) => {
    const type = types[k];
    kinds[i] = type ? valueKind(checker, type) : "variable";
  });
  return kinds;
}

/** The symbol an alias stands for (the library's names reach cells as aliases); undefined when it cannot be resolved. */
export function aliasTarget(checker: Checker, symbol: NativeSymbol): NativeSymbol | undefined {
  if (!(symbol.flags & SymbolFlags.Alias)) return symbol;
  try {
    return checker.getAliasedSymbol(symbol);
  } catch {
    return undefined;
  }
}

/** The kind a symbol's flags settle; undefined for a variable (its type decides). */
function symbolKind(flags: SymbolFlags, wantTypes: boolean): string | undefined {
  // Value meanings first: `Array` is an interface and a variable, and a user calls the variable.
  if (flags & SymbolFlags.Class) return "class";
  if (!wantTypes) {
    if (flags & (SymbolFlags.Function | SymbolFlags.Method)) return "function";
    if (flags & SymbolFlags.Enum) return "enum";
    if (flags & SymbolFlags.ValueModule) return "module";
    if (flags & (SymbolFlags.Variable | SymbolFlags.Property | SymbolFlags.Accessor)) return undefined;
  }
  if (flags & SymbolFlags.Enum) return "enum";
  if (flags & (SymbolFlags.NamespaceModule | SymbolFlags.ValueModule)) return "module";
  if (flags & SymbolFlags.Interface) return "interface";
  if (flags & (SymbolFlags.TypeAlias | SymbolFlags.TypeParameter)) return "type";
  return "variable";
}

/** A variable's kind from its type: constructible → class, callable → function, an object of functions → module. */
function valueKind(checker: Checker, type: Type): string {
  if (!(type.flags & TypeFlags.Object)) return "variable";
  if (checker.getSignaturesOfType(type, SignatureKind.Construct).length > 0) return "class";
  if (checker.getSignaturesOfType(type, SignatureKind.Call).length > 0) return "function";
  return isObjectOfFunctions(checker, type) ? "module" : "variable";
}

/**
 * An anonymous object type (not an instance of a class or interface) more than half of whose
 * members are callable: `torch`, `np.linalg`.
 */
function isObjectOfFunctions(checker: Checker, type: Type): boolean {
  const symbol = type.getSymbol();
  if (!symbol || (symbol.flags & (SymbolFlags.TypeLiteral | SymbolFlags.ObjectLiteral)) === 0) return false;
  const members = checker.getPropertiesOfType(type);
  if (members.length === 0) return false;
  const memberTypes = checker.getTypeOfSymbol(members);
  const callable = memberTypes.filter(
    (memberType) =>
      memberType !== undefined &&
      (memberType.flags & TypeFlags.Object) !== 0 &&
      (checker.getSignaturesOfType(memberType, SignatureKind.Call).length > 0 || isNamespaceLike(memberType)),
  ).length;
  return callable * 2 > members.length;
}

/** A member that is itself an object literal type (`torch.linalg`): counted as a module without looking inside. */
function isNamespaceLike(type: Type): boolean {
  const symbol = type.getSymbol();
  return symbol !== undefined && (symbol.flags & (SymbolFlags.TypeLiteral | SymbolFlags.ObjectLiteral)) !== 0;
}
