/**
 * What earlier cells declared, as text the checker reads before each new cell: a script of global
 * declarations (variables as `declare let/const name: Type`, functions, classes, interfaces,
 * types, enums and namespaces as their own source text) and a module of imports re-exported to the
 * global scope. A name declared again replaces its older declaration (latest wins), as at run time.
 *
 * Boundary: reads a checked cell's syntax tree and types; knows nothing of emitting or running.
 */
import type * as TS from "typescript";
import { isPlainIdentifier } from "./identifiers.js";
import type { Syntax } from "./syntax.js";

const VALUE = 1;
const TYPE = 2;
const NAMESPACE = 4;

/** Everything a CellDeclarations holds, as plain data (to rebuild it in a replacement checker). */
export interface DeclarationsSnapshot {
  entries: Entry[];
  importCounter: number;
}

export type DeclarationEntry = Entry;

interface Entry {
  name: string;
  meanings: number;
  cellId: number;
  /** Text for the history script, or for the history imports module's `declare global` block. */
  text: string;
  /** For imports: the module-level import line this entry needs. */
  importLine?: string;
}

/**
 * The two questions recording asks a checker, so that TypeScript 6's checker (in process) and
 * TypeScript 7's (native, see native-declaration-types.ts) can both answer them.
 */
export interface DeclarationTypes {
  /** The type of a declared variable as the checker prints it, or undefined when it has none. */
  typeText(name: TS.Identifier): string | undefined;
  /** Is this imported name a property of an `export =` object (no namespace member)? */
  isPropertyImport(name: TS.Identifier): boolean;
}

/** DeclarationTypes from TypeScript 6's checker. */
export function checkerDeclarationTypes(ts: typeof TS, checker: TS.TypeChecker): DeclarationTypes {
  return {
    typeText(name) {
      const symbol = checker.getSymbolAtLocation(name);
      if (!symbol) return undefined;
      return checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, name), undefined, TYPE_TEXT_FLAGS);
    },
    isPropertyImport(name) {
      const symbol = checker.getSymbolAtLocation(name);
      if (!symbol || !(symbol.flags & ts.SymbolFlags.Alias)) return false;
      const target = checker.getAliasedSymbol(symbol);
      return (target.flags & (ts.SymbolFlags.Property | ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) !== 0;
    },
  };
}

/**
 * How a carried-over variable's type is printed: in full, with qualified names, arrow-style
 * signatures (the same numbers in TypeScript 6 and 7: NoTruncation | UseStructuralFallback |
 * UseFullyQualifiedType | WriteArrowStyleSignature).
 */
export const TYPE_TEXT_FLAGS = 1 | 8 | 64 | 262144;

export class CellDeclarations {
  private entries: Entry[] = [];
  private importCounter = 0;

  /** Records the top-level declarations of a cell that passed checking. */
  record(ts: Syntax, types: DeclarationTypes, source: TS.SourceFile, cellId: number): void {
    const fresh: Entry[] = [];
    const text = source.text;
    const add = (name: string, meanings: number, entryText: string, importLine?: string) =>
      fresh.push({ name, meanings, cellId, text: entryText, ...(importLine ? { importLine } : {}) });
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) this.recordImport(ts, types, statement, add);
      else if (ts.isVariableStatement(statement)) {
        const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
        for (const declaration of statement.declarationList.declarations) {
          for (const name of bindingNames(ts, declaration.name)) {
            const type = declaredTypeText(types, declaration, name, text);
            add(name.text, VALUE, `declare ${isConst ? "const" : "let"} ${name.text}: ${type};`);
          }
        }
      } else {
        const named = declarationName(ts, statement);
        if (!named) continue;
        add(named.name, named.meanings, withoutExportModifiers(ts, statement, text));
      }
    }
    this.replaceWith(fresh);
    this.lastRecorded = fresh;
  }

  /** The entries of the latest record() (what a copy elsewhere passes to apply()). */
  lastRecorded: readonly DeclarationEntry[] = [];

  get importCount(): number {
    return this.importCounter;
  }

  /**
   * Applies entries recorded by another instance, as its record() did: keeps a copy in step
   * (the main thread's, for a replacement checker) without sending everything every cell.
   *
   * @example
   * copy.apply(worker.lastRecorded, worker.importCount);
   */
  apply(fresh: readonly DeclarationEntry[], importCount: number): void {
    this.replaceWith(fresh.map((e) => ({ ...e })));
    this.importCounter = importCount;
  }

  /** A name declared again replaces its older declarations of the same meaning (latest wins). */
  private replaceWith(fresh: Entry[]): void {
    const freshNames = new Map<string, number>();
    for (const entry of fresh) freshNames.set(entry.name, (freshNames.get(entry.name) ?? 0) | entry.meanings);
    this.entries = this.entries.filter((old) => {
      const meanings = freshNames.get(old.name);
      return meanings === undefined || (meanings & old.meanings) === 0;
    });
    this.entries.push(...fresh);
  }

  /** The global script with every carried-over declaration except imports. */
  scriptText(): string {
    return this.entries.filter((e) => !e.importLine).map((e) => e.text).join("\n") + "\n";
  }

  /** The same script split in `count` scripts, each entry in the one `chunkOf` its cell names. */
  scriptTexts(count: number, chunkOf: (cellId: number) => number): string[] {
    const texts: string[][] = Array.from({ length: count }, () => []);
    for (const entry of this.entries) if (!entry.importLine) texts[chunkOf(entry.cellId)]!.push(entry.text);
    return texts.map((lines) => lines.join("\n") + "\n");
  }

  /** The module that turns earlier cells' imports into global aliases. */
  importsText(): string {
    const imports = this.entries.filter((e) => e.importLine);
    if (imports.length === 0) return "export {};\n";
    return [
      ...imports.map((e) => e.importLine),
      "declare global {",
      ...imports.map((e) => `  ${e.text}`),
      "}",
      "export {};",
      "",
    ].join("\n");
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * The declarations as plain data; `restore` on a fresh instance gives the same texts.
   *
   * @example
   * const copy = new CellDeclarations();
   * copy.restore(declarations.snapshot());
   * copy.scriptText() === declarations.scriptText(); // true
   */
  snapshot(): DeclarationsSnapshot {
    return { entries: this.entries.map((e) => ({ ...e })), importCounter: this.importCounter };
  }

  restore(snapshot: DeclarationsSnapshot): void {
    this.entries = snapshot.entries.map((e) => ({ ...e }));
    this.importCounter = snapshot.importCounter;
  }

  private recordImport(
    ts: Syntax,
    types: DeclarationTypes,
    statement: TS.ImportDeclaration,
    add: (name: string, meanings: number, text: string, importLine: string) => void,
  ): void {
    const clause = statement.importClause;
    if (!clause || !ts.isStringLiteral(statement.moduleSpecifier)) return;
    const specifier = JSON.stringify(statement.moduleSpecifier.text);
    const all = VALUE | TYPE | NAMESPACE;
    if (clause.name) {
      // A default import cannot be the target of an alias (`x.default` is not an entity name),
      // so it carries over as a value only.
      const local = `__gradlab_import_${this.importCounter++}`;
      add(clause.name.text, VALUE, `const ${clause.name.text}: typeof ${local};`, `import ${local} from ${specifier};`);
    }
    const bindings = clause.namedBindings;
    if (!bindings) return;
    const local = `__gradlab_import_${this.importCounter++}`;
    const importLine = `import * as ${local} from ${specifier};`;
    if (ts.isNamespaceImport(bindings)) {
      add(bindings.name.text, all, `export import ${bindings.name.text} = ${local};`, importLine);
    } else {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (!isPlainIdentifier(imported) || imported === "default") continue;
        const local_ = element.name.text;
        // A name that is a property of an `export =` object (e.g. join of "node:path") is no
        // namespace member, so an alias cannot reach it: carry it over as a value.
        if (types.isPropertyImport(element.name)) add(local_, VALUE, `const ${local_}: typeof ${local}.${imported};`, importLine);
        else add(local_, all, `export import ${local_} = ${local}.${imported};`, importLine);
      }
    }
  }
}

/** The identifiers a declaration binds (`a`, or `x` and `y` in `{ x, y: [y] }`). */
export function bindingNames(ts: Syntax, name: TS.BindingName): TS.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const names: TS.Identifier[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) names.push(...bindingNames(ts, element.name));
  }
  return names;
}

/** The annotation as written when there is one (keeps aliases readable), else the checker's type. */
function declaredTypeText(types: DeclarationTypes, declaration: TS.VariableDeclaration, name: TS.Identifier, text: string): string {
  if (declaration.type && declaration.name === name) return text.slice(declaration.type.pos, declaration.type.end).trim();
  const printed = types.typeText(name);
  if (printed === undefined) return "any";
  // Types the checker cannot name outside the cell (anonymous class instances, `...` elisions).
  if (printed.includes("...") && !printed.includes("...args") || printed.includes("__gradlab")) return "any";
  return printed;
}

function declarationName(ts: Syntax, statement: TS.Statement): { name: string; meanings: number } | undefined {
  const named = (node: { name?: TS.Node }, meanings: number) =>
    node.name && ts.isIdentifier(node.name) ? { name: node.name.text, meanings } : undefined;
  if (ts.isFunctionDeclaration(statement)) return statement.body || statement.name ? named(statement, VALUE) : undefined;
  if (ts.isClassDeclaration(statement)) return named(statement, VALUE | TYPE);
  if (ts.isInterfaceDeclaration(statement)) return named(statement, TYPE);
  if (ts.isTypeAliasDeclaration(statement)) return named(statement, TYPE);
  if (ts.isEnumDeclaration(statement)) return named(statement, VALUE | TYPE);
  if (ts.isModuleDeclaration(statement)) return named(statement, VALUE | NAMESPACE);
  return undefined;
}

/** The statement's source (with its doc comment) minus `export` and `default`, which a global script cannot have. */
function withoutExportModifiers(ts: Syntax, statement: TS.Statement, text: string): string {
  const start = statement.getFullStart();
  let result = "";
  let cursor = start;
  const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
  for (const modifier of modifiers) {
    if (modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DefaultKeyword) {
      result += text.slice(cursor, modifier.getStart());
      cursor = modifier.end;
    }
  }
  return (result + text.slice(cursor, statement.end)).replace(/^\s*\n/, "");
}
