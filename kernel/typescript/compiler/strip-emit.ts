/**
 * Emits a cell without a compiler pipeline: its types are erased as text edits on the syntax tree
 * the kernel already has (a parse, no program, no checker, no printer), and the kernel's own
 * transforms are text edits too — imports become `await __gradlab.import(…)` loads, `export`
 * goes, the final expression goes to `__gradlab.setResult`, and top-level bindings become
 * re-declarable (`const`/`var` → `let`, `class C` → `let C = class C`, functions hoisted as
 * `let f = function …`; why: repl-bindings.ts). Text between edits is copied byte for byte, so
 * the source map is exact: a segment at every token of the output.
 *
 * Constructs that are not erasable (enums, namespaces with values, parameter properties,
 * decorators, `import x = …`, `export =`, `<T>x` assertions, anonymous default exports) make
 * `stripEmit` return undefined; the caller then emits through TypeScript 6's transpiler, as
 * emit-transforms.ts describes the same transforms.
 *
 * Boundary: syntax only (the caller says which imported names are values); runs in the compiler
 * worker; knows nothing of checking or running.
 */
import type * as TS from "typescript";
import type { Syntax } from "./syntax.js";
import type { CompileResult, LineMappings } from "../shared/compiler-messages.js";
import { RUNTIME_GLOBAL } from "./emit-transforms.js";
import { isPlainIdentifier } from "./identifiers.js";

interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** A construct this emitter does not erase: the caller falls back to the transpiler. */
class NotErasable extends Error {}

/**
 * @param ts the syntax of `source`'s parser: TypeScript 6's module, or nativeSyntax for a tree
 *   from the native checker
 * @param source the cell's syntax tree (parents set), whose text is the cell plus `marker`
 * @param userLength the length of the user's text (the rest is the module marker)
 * @param toUser a position in the source text → 0-based line and column of the user's text
 * @param isValue is an imported name a value at run time (type-only names are left out)?
 *
 * @example
 * stripEmit(ts, ts.createSourceFile("c.ts", "const n: number = 1\nn", 99, true), 21, toUser, () => true)?.js
 * // "let n = 1\n__gradlab.setResult((n))"
 */
export function stripEmit(
  ts: Syntax,
  source: TS.SourceFile,
  userLength: number,
  toUser: (pos: number) => { line: number; column: number },
  isValue: (name: TS.Identifier) => boolean,
): CompileResult | undefined {
  try {
    return new StripEmitter(ts, source, userLength, isValue).emit(toUser);
  } catch (error) {
    if (error instanceof NotErasable) return undefined;
    throw error;
  }
}

class StripEmitter {
  private readonly edits: TextEdit[] = [];
  private readonly text: string;
  private readonly varCounts = new Map<string, number>();
  private readonly inert: ReadonlySet<TS.SyntaxKind>;

  constructor(
    private readonly ts: Syntax,
    private readonly source: TS.SourceFile,
    private readonly userLength: number,
    private readonly isValue: (name: TS.Identifier) => boolean,
  ) {
    this.text = source.text;
    this.inert = inertKinds(ts);
  }

  emit(toUser: (pos: number) => { line: number; column: number }): CompileResult {
    const ts = this.ts;
    const statements = this.source.statements;
    this.countVarNames(statements);
    const lastFunction = new Map<string, TS.FunctionDeclaration>();
    for (const s of statements) if (ts.isFunctionDeclaration(s) && s.name && s.body) lastFunction.set(s.name.text, s);
    const userStatements = statements.filter((s) => s.pos < this.userLength);
    const last = userStatements[userStatements.length - 1];
    const hasResult = last !== undefined && ts.isExpressionStatement(last);

    const hoisted: Array<{ start: number; end: number }> = [];
    for (const statement of statements) {
      if (ts.isImportDeclaration(statement)) this.importStatement(statement);
      else if (ts.isExportDeclaration(statement)) this.replace(statement.getStart(), statement.end, ";");
      else if (ts.isExportAssignment(statement)) {
        if (statement.isExportEquals) throw new NotErasable();
        this.replace(statement.getStart(), statement.expression.getStart(), "");
        this.erase(statement.expression);
      } else if (ts.isFunctionDeclaration(statement) && statement.body && !this.isDeclared(statement)) {
        if (!statement.name) throw new NotErasable();
        this.topLevelModifiers(statement);
        if (lastFunction.get(statement.name.text) === statement) {
          // `function f(…) {…}` → `let f = function (…) {…};`, moved to the top (hoisting).
          const keyword = this.keywordStart(statement, ts.SyntaxKind.FunctionKeyword);
          this.replace(keyword, keyword, `let ${statement.name.text} = `);
          this.replace(statement.name.getStart(), statement.name.end, "");
          this.replace(statement.end, statement.end, ";");
          this.erase(statement);
          hoisted.push({ start: keyword, end: statement.end });
        } else {
          this.replace(statement.getStart(), statement.end, ";");
        }
      } else if (ts.isClassDeclaration(statement) && !this.isDeclared(statement)) {
        if (!statement.name) throw new NotErasable();
        this.topLevelModifiers(statement);
        const keyword = this.keywordStart(statement, ts.SyntaxKind.ClassKeyword);
        this.replace(keyword, keyword, `let ${statement.name.text} = `);
        this.replace(statement.end, statement.end, ";");
        this.erase(statement);
      } else if (ts.isVariableStatement(statement) && !this.isDeclared(statement)) {
        this.topLevelModifiers(statement);
        this.variableAsLet(statement);
        this.erase(statement);
      } else {
        if (this.hasExport(statement) && !this.isDeclared(statement) && !isTypeOnly(ts, statement)) this.topLevelModifiers(statement);
        this.erase(statement);
      }
    }
    // As in the transpiled cell: the value is captured only when the expression statement is the
    // script's last statement; a cell ending in `x;` ends, with the module marker, in an empty
    // statement, so `;` after the last expression shows no Out[n] (as in IPython).
    const scriptStatements = statements.filter((s) => !ts.isExportDeclaration(s));
    if (hasResult && scriptStatements[scriptStatements.length - 1] === last) {
      const expression = (last as TS.ExpressionStatement).expression;
      this.replace(expression.getStart(), expression.getStart(), `${RUNTIME_GLOBAL}.setResult((`);
      this.replace(expression.end, expression.end, "))");
    }
    return this.render(hoisted, hasResult, toUser);
  }

  /** Erases the types inside `node` (and `node` itself when it is type-only). */
  private erase(node: TS.Node): void {
    const ts = this.ts;
    if (this.eraseNode(node)) return;
    ts.forEachChild(node, (child) => {
      this.erase(child);
    });
  }

  /** Erases what `node` adds for types alone; returns true when `node` is gone entirely. */
  private eraseNode(node: TS.Node): boolean {
    const ts = this.ts;
    const K = ts.SyntaxKind;
    if (this.inert.has(node.kind)) return false;
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) return true; // erased with its owner
    if (ts.isDecorator(node) || ts.isEnumDeclaration(node) && !this.isDeclared(node) || ts.isImportEqualsDeclaration(node)) throw new NotErasable();
    if (ts.isModuleDeclaration(node) && !this.isDeclared(node)) throw new NotErasable();
    if (ts.isTypeAssertionExpression(node)) throw new NotErasable();
    // `import(x)` → `__gradlab.import(x)`: code evaluated through the inspector has no dynamic
    // import callback, and the kernel resolves from the notebook's directory.
    if (ts.isCallExpression(node) && node.expression.kind === K.ImportKeyword) this.replace(node.getStart(), node.getStart(), `${RUNTIME_GLOBAL}.`);
    if (isTypeOnly(ts, node) || this.isDeclared(node)) {
      this.replace(node.getStart(), node.end, ";");
      return true;
    }
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) && !node.body) {
      this.replace(node.getStart(), node.end, ts.isFunctionDeclaration(node) ? ";" : "");
      return true;
    }
    if ((ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) && hasModifier(ts, node, K.AbstractKeyword)) {
      this.replace(node.getStart(), node.end, "");
      return true;
    }
    if (ts.isIndexSignatureDeclaration(node)) {
      this.replace(node.getStart(), node.end, "");
      return true;
    }
    if (ts.isParameter(node)) {
      if (ts.isIdentifier(node.name) && node.name.text === "this") {
        const list = (node.parent as TS.SignatureDeclaration).parameters;
        const next = list[list.indexOf(node) + 1];
        this.replace(node.getStart(), next ? next.getStart() : node.end, "");
        return true;
      }
      if (ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).length > 0) throw new NotErasable(); // parameter property
    }
    if (ts.canHaveModifiers(node)) {
      for (const modifier of ts.getModifiers(node) ?? []) {
        switch (modifier.kind) {
          case K.PublicKeyword:
          case K.PrivateKeyword:
          case K.ProtectedKeyword:
          case K.ReadonlyKeyword:
          case K.OverrideKeyword:
          case K.AbstractKeyword:
            this.replace(modifier.getStart(), modifier.end, "");
            break;
          case K.AccessorKeyword:
            throw new NotErasable();
        }
      }
    }
    const withTypes = node as { type?: TS.TypeNode; questionToken?: TS.Node; exclamationToken?: TS.Node; postfixToken?: TS.Node; typeParameters?: TS.NodeArray<TS.Node>; typeArguments?: TS.NodeArray<TS.Node> };
    // TypeScript 7's trees hold a member's `?` or `!` as its postfixToken.
    const postfix = withTypes.postfixToken;
    const questionToken = withTypes.questionToken ?? (postfix?.kind === K.QuestionToken ? postfix : undefined);
    const exclamationToken = withTypes.exclamationToken ?? (postfix?.kind === K.ExclamationToken ? postfix : undefined);
    if (withTypes.typeParameters && withTypes.typeParameters.length > 0) this.eraseAngles(withTypes.typeParameters);
    if (withTypes.typeArguments && withTypes.typeArguments.length > 0 && !ts.isTypeNode(node)) this.eraseAngles(withTypes.typeArguments);
    if (ts.isExpressionWithTypeArguments(node) && node.typeArguments && node.typeArguments.length > 0) this.eraseAngles(node.typeArguments);
    if (questionToken && !ts.isConditionalExpression(node) && !ts.isPropertyAssignment(node) && !ts.isShorthandPropertyAssignment(node)) {
      this.replace(questionToken.getStart(), questionToken.end, "");
    }
    if (exclamationToken && (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node))) {
      this.replace(exclamationToken.getStart(), exclamationToken.end, "");
    }
    if (withTypes.type && hasTypeAnnotation(ts, node)) {
      const colon = this.text.lastIndexOf(":", withTypes.type.pos - 1);
      this.replace(colon, withTypes.type.end, "");
    }
    if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node)) {
      this.replace(node.expression.end, node.end, "");
    }
    if (ts.isHeritageClause(node) && node.token === K.ImplementsKeyword) {
      this.replace(node.getStart(), node.end, "");
      return true;
    }
    return false;
  }

  private eraseAngles(list: TS.NodeArray<TS.Node>): void {
    const open = this.text.lastIndexOf("<", list.pos);
    const close = this.text.indexOf(">", list.end);
    if (open < 0 || close < 0) throw new NotErasable();
    this.replace(open, close + 1, "");
  }

  /** `import … from "m"` → `let { … } = await __gradlab.import("m");` (type-only names left out). */
  private importStatement(statement: TS.ImportDeclaration): void {
    const ts = this.ts;
    const clause = statement.importClause;
    const start = statement.getStart();
    const specifier = (statement.moduleSpecifier as TS.StringLiteral).text;
    const load = `await ${RUNTIME_GLOBAL}.import(${JSON.stringify(specifier)})`;
    if (!clause) return this.replace(start, statement.end, `${load};`);
    if (clause.isTypeOnly) return this.replace(start, statement.end, ";");
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      if (!this.isValue(bindings.name)) return this.replace(start, statement.end, ";");
      let text = `let ${bindings.name.text} = ${load};`;
      if (clause.name) text += ` let ${clause.name.text} = ${bindings.name.text}.default;`;
      return this.replace(start, statement.end, text);
    }
    const elements: string[] = [];
    if (clause.name && this.isValue(clause.name)) elements.push(`default: ${clause.name.text}`);
    for (const element of bindings?.elements ?? []) {
      if (element.isTypeOnly || !this.isValue(element.name)) continue;
      const imported = element.propertyName ? element.propertyName.text : undefined;
      const key = imported === undefined ? "" : isPlainIdentifier(imported) ? `${imported}: ` : `${JSON.stringify(imported)}: `;
      elements.push(`${key}${element.name.text}`);
    }
    this.replace(start, statement.end, elements.length === 0 ? ";" : `let { ${elements.join(", ")} } = ${load};`);
  }

  private variableAsLet(statement: TS.VariableStatement): void {
    const ts = this.ts;
    const list = statement.declarationList;
    const kind = list.flags & ts.NodeFlags.BlockScoped;
    const declaredOnce = () => list.declarations.every((d) => boundNames(ts, d.name).every((name) => this.varCounts.get(name) === 1));
    if (kind !== ts.NodeFlags.Const && !(kind === 0 && declaredOnce())) return;
    const keyword = list.getStart();
    const word = kind === ts.NodeFlags.Const ? "const" : "var";
    if (this.text.startsWith(word, keyword)) this.replace(keyword, keyword + word.length, "let");
  }

  /** Drops `export` and `default` (every top-level name is global to the session anyway). */
  private topLevelModifiers(statement: TS.Statement): void {
    const ts = this.ts;
    if (!ts.canHaveModifiers(statement)) return;
    for (const modifier of ts.getModifiers(statement) ?? []) {
      if (modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DefaultKeyword) this.replace(modifier.getStart(), modifier.end, "");
    }
  }

  private hasExport(statement: TS.Statement): boolean {
    return hasModifier(this.ts, statement, this.ts.SyntaxKind.ExportKeyword);
  }

  private isDeclared(node: TS.Node): boolean {
    return hasModifier(this.ts, node, this.ts.SyntaxKind.DeclareKeyword);
  }

  /** Where the `function` / `class` keyword of a declaration starts (after its modifiers). */
  private keywordStart(node: TS.Node, kind: TS.SyntaxKind): number {
    const ts = this.ts;
    const modifiers = ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : [];
    const async = modifiers.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    if (async && kind === ts.SyntaxKind.FunctionKeyword) return async.getStart();
    const after = modifiers.length > 0 ? modifiers[modifiers.length - 1]!.end : node.getStart();
    const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, this.text, undefined, after);
    for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
      if (token === kind) return scanner.getTokenStart();
    }
    throw new NotErasable();
  }

  private countVarNames(statements: readonly TS.Statement[]): void {
    const ts = this.ts;
    const count = (name: string) => this.varCounts.set(name, (this.varCounts.get(name) ?? 0) + 1);
    for (const statement of statements) {
      if (ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0) {
        for (const declaration of statement.declarationList.declarations) boundNames(ts, declaration.name).forEach(count);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        count(statement.name.text);
      }
    }
  }

  private replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  /**
   * Builds the script: hoisted functions first, then the rest, each range copied with its edits
   * applied; and the map from every output token back to the user's text.
   */
  private render(hoisted: Array<{ start: number; end: number }>, hasResult: boolean, toUser: (pos: number) => { line: number; column: number }): CompileResult {
    // By position; at one position insertions before replacements, otherwise in the order made.
    const edits = this.edits
      .map((edit, order) => ({ ...edit, order, done: false }))
      .sort((a, b) => a.start - b.start || Number(a.end > a.start) - Number(b.end > b.start) || a.order - b.order);
    let out = "";
    /** Runs of output: [output offset, original offset, copied (else inserted at that offset)]. */
    const runs: Array<[number, number, boolean]> = [];
    const emitText = (text: string, original: number, copied: boolean) => {
      if (text.length === 0) return;
      runs.push([out.length, original, copied]);
      out += text;
    };
    /** The index of the first edit starting at or after `pos` (edits are sorted by start). */
    const firstEditFrom = (pos: number): number => {
      let low = 0;
      let high = edits.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (edits[mid]!.start < pos) low = mid + 1;
        else high = mid;
      }
      return low;
    };
    /** Copies [from, to) with its edits (and insertions at `to` when `closing`). */
    const copy = (from: number, to: number, closing: boolean) => {
      let at = from;
      for (let i = firstEditFrom(from); i < edits.length; i++) {
        const edit = edits[i]!;
        if (edit.done) continue;
        if (edit.start > to || (edit.start === to && !(closing && edit.end === edit.start))) break;
        edit.done = true;
        if (edit.start < at) continue; // inside a range already replaced
        emitText(this.text.slice(at, edit.start), at, true);
        emitText(edit.text, edit.start, false);
        at = Math.max(at, edit.end);
      }
      if (to > at) emitText(this.text.slice(at, to), at, true);
    };
    for (const range of hoisted) {
      copy(range.start, range.end, true);
      emitText("\n", range.start, false);
    }
    let at = 0;
    for (const range of hoisted) {
      copy(at, range.start, false);
      emitText(";", range.start, false);
      at = range.end;
    }
    copy(at, this.text.length, true);
    if (!out.endsWith("\n")) out += "\n";
    return { kind: "compiled", js: out, mappings: tokenMappings(out, runs, toUser), hasResult };
  }
}

/** A segment at every token start of the output: words, and each other non-space character. */
function tokenMappings(out: string, runs: Array<[number, number, boolean]>, toUser: (pos: number) => { line: number; column: number }): LineMappings {
  const lines: LineMappings = [[]];
  let run = 0;
  let column = 0;
  let previousWord = false;
  for (let i = 0; i < out.length; i++) {
    const c = out.charCodeAt(i);
    if (c === 10) {
      lines.push([]);
      column = 0;
      previousWord = false;
      continue;
    }
    const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
    const space = c === 32 || c === 9 || c === 13;
    if (!space && !(word && previousWord)) {
      while (run + 1 < runs.length && runs[run + 1]![0] <= i) run++;
      const [outStart, originalStart, copied] = runs[run] ?? [0, 0, false];
      const user = toUser(copied ? originalStart + (i - outStart) : originalStart);
      lines[lines.length - 1]!.push(column, user.line, user.column);
    }
    previousWord = word;
    column++;
  }
  return lines;
}

/**
 * Kinds that never hold TypeScript-only syntax of their own (their children may): names,
 * literals, and the commonest expressions and statements, about half of a cell's nodes. eraseNode
 * answers them without its forty-odd guards, which cost ~1 ms on a 100-line cell.
 */
const INERT_KIND_NAMES = [
  "Identifier", "PrivateIdentifier", "NumericLiteral", "BigIntLiteral", "StringLiteral", "RegularExpressionLiteral",
  "NoSubstitutionTemplateLiteral", "TemplateHead", "TemplateMiddle", "TemplateTail", "TemplateExpression", "TemplateSpan",
  "PropertyAssignment", "ShorthandPropertyAssignment", "SpreadAssignment", "SpreadElement", "ObjectLiteralExpression",
  "ArrayLiteralExpression", "BinaryExpression", "PrefixUnaryExpression", "PostfixUnaryExpression", "ParenthesizedExpression",
  "PropertyAccessExpression", "ElementAccessExpression", "ConditionalExpression", "ExpressionStatement", "ReturnStatement",
  "Block", "IfStatement", "VariableDeclarationList",
] as const;

const inertKindsBySyntax = new WeakMap<Syntax, ReadonlySet<TS.SyntaxKind>>();

/** INERT_KIND_NAMES as the kind numbers of `ts` (TypeScript 6 and 7 number kinds differently). */
function inertKinds(ts: Syntax): ReadonlySet<TS.SyntaxKind> {
  let kinds = inertKindsBySyntax.get(ts);
  if (!kinds) {
    kinds = new Set(INERT_KIND_NAMES.map((name) => ts.SyntaxKind[name]));
    inertKindsBySyntax.set(ts, kinds);
  }
  return kinds;
}

function hasModifier(ts: Syntax, node: TS.Node, kind: TS.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

function isTypeOnly(ts: Syntax, node: TS.Node): boolean {
  return ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || (ts.isExportDeclaration(node) && node.isTypeOnly);
}

/** Nodes whose `type` is a `: T` annotation (not a type node's own child). */
function hasTypeAnnotation(ts: Syntax, node: TS.Node): boolean {
  return (
    ts.isVariableDeclaration(node) ||
    ts.isParameter(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessor(node) ||
    ts.isSetAccessor(node)
  );
}

function boundNames(ts: Syntax, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? boundNames(ts, element.name) : []));
}
