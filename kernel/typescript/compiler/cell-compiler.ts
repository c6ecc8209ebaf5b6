/**
 * One cell through TypeScript 6's language service: set the cell file, apply source transforms
 * (the operators rewrite plugs in here), collect diagnostics, record the cell's declarations for
 * later cells, and emit a REPL-ready script with its source map. This is the whole pipeline of the
 * TypeScript 6 checker (GRADLAB_CHECKER=typescript6, or no native binary), and what the native
 * checker's path falls back on for global completion and inspection (native-cell-compiler.ts).
 *
 * Boundary: runs inside the compiler worker; knows nothing of evaluation or outputs.
 */
import type * as TS from "typescript";
import { isBuiltin } from "node:module";
import type { CellDiagnostic, CompileResult } from "../shared/compiler-messages.js";
import { CellDeclarations, checkerDeclarationTypes } from "./cell-declarations.js";
import { importTransformer, replTransformer } from "./emit-transforms.js";
import type { CellLanguageHost } from "./language-host.js";
import { usesNodeApi } from "./node-usage.js";
import { protectedGlobalDiagnostics } from "./protected-globals.js";
import { floorDivisionDiagnostics } from "./floor-division.js";
import { decodeMappings } from "../shared/source-map.js";

/** A rewrite of a cell's text, with the way back to positions in the user's text. */
export interface SourceRewrite {
  text: string;
  toOriginalPosition(pos: number): number;
  /** A position in the input text → the same place in `text` (completion and inspection). */
  toGeneratedPosition?(pos: number): number;
  /** Errors the rewrite found itself, positioned in the transform's INPUT text. */
  diagnostics?: readonly TS.Diagnostic[];
  /**
   * A program the transform already built whose cell file reads `checked.text` (with the
   * transform's own checker warm), equivalent to `text` for type checking; compile() then checks
   * and emits with it, running `emitBefore` first to turn `checked.text` into `text`'s code,
   * instead of building and checking another program. Ignored after another transform.
   */
  checked?: {
    program: TS.Program;
    text: string;
    toOriginalPosition(pos: number): number;
    emitBefore: TS.TransformerFactory<TS.SourceFile>[];
  };
}

/**
 * The seam for cell-level source rewrites (e.g. tensor operators): given the program in which the
 * cell was parsed and checked-ready, return a new text or undefined. Called after the program is
 * built and before diagnostics and emit.
 */
export type SourceTransform = (
  ts: typeof TS,
  program: TS.Program,
  sourceFile: TS.SourceFile,
  options?: { allowSyntaxErrors?: boolean },
) => SourceRewrite | undefined;

/** Appended to every cell so the checker treats it as a module: its top-level names then shadow
 * earlier cells' declarations (latest wins) and top-level await is allowed. */
export const MODULE_MARKER = "\n;export {};\n";

/** Diagnostics that say nothing useful about a notebook cell. */
export const IGNORED_CODES = new Set([
  2451, // cannot redeclare block-scoped variable (the checker's view of re-running a cell)
  1208, // isolated modules
]);

export class CellCompiler {
  readonly sourceTransforms: SourceTransform[] = [];

  /** @param declarations earlier cells' declarations (shared with the native checker when both run) */
  constructor(
    private readonly ts: typeof TS,
    private readonly host: CellLanguageHost,
    readonly declarations = new CellDeclarations(),
  ) {}

  /** Puts code in the cell file (for completion and inspection too) and returns the program. */
  load(code: string): TS.Program {
    if (!this.host.usesNodeTypes && usesNodeApi(this.ts, code, isBuiltin)) this.host.enableNodeTypes();
    this.host.setFile(this.host.names.cell, code + MODULE_MARKER);
    return this.host.program();
  }

  /**
   * Loads code and applies the source transforms. Returns the program, the composed rewrite (if
   * any) and the transforms' own diagnostics, positioned in `code`.
   */
  private loadTransformed(code: string, allowSyntaxErrors: boolean, acceptChecked = false) {
    const ts = this.ts;
    const cellName = this.host.names.cell;
    let program = this.load(code);
    let rewrite: SourceRewrite | undefined;
    const ownDiagnostics: Array<{ diagnostic: TS.Diagnostic; start: number }> = [];
    let checked: SourceRewrite["checked"];
    for (const transform of this.sourceTransforms) {
      const source = program.getSourceFile(cellName)!;
      const next = transform(ts, program, source, { allowSyntaxErrors });
      if (!next) continue;
      const previous = rewrite;
      for (const d of next.diagnostics ?? []) {
        ownDiagnostics.push({ diagnostic: d, start: previous ? previous.toOriginalPosition(d.start ?? 0) : (d.start ?? 0) });
      }
      rewrite = previous
        ? {
            text: next.text,
            toOriginalPosition: (pos) => previous.toOriginalPosition(next.toOriginalPosition(pos)),
            toGeneratedPosition: (pos) => {
              const mid = previous.toGeneratedPosition ? previous.toGeneratedPosition(pos) : pos;
              return next.toGeneratedPosition ? next.toGeneratedPosition(mid) : mid;
            },
          }
        : next;
      checked = acceptChecked && !previous ? next.checked : undefined;
      if (checked) continue; // the language service keeps the original text; compile() uses `checked`
      this.host.setFile(cellName, next.text); // the transform saw (and returns) the whole file, marker included
      program = this.host.program();
    }
    if (checked) {
      const mapped = checked.toOriginalPosition;
      const checkedRewrite: SourceRewrite = { text: checked.text, toOriginalPosition: mapped };
      return { program: checked.program, rewrite: checkedRewrite, ownDiagnostics, emitBefore: checked.emitBefore };
    }
    return { program, rewrite, ownDiagnostics, emitBefore: [] };
  }

  /** Loads code for completion or inspection; returns where `cursor` is in the compiled text. */
  loadForQuery(code: string, cursor: number): number {
    const { rewrite } = this.loadTransformed(code, true);
    return rewrite?.toGeneratedPosition ? rewrite.toGeneratedPosition(cursor) : cursor;
  }

  compile(code: string, cellId: number, check: boolean, record: boolean): CompileResult {
    const ts = this.ts;
    const cellName = this.host.names.cell;
    this.host.lookAgainForMissingModules();
    const { program, rewrite, ownDiagnostics, emitBefore } = this.loadTransformed(code, false, this.sourceTransforms.length === 1);
    const source = program.getSourceFile(cellName)!;
    const toUser = this.positionMapper(code, source, rewrite);
    const fromCode = this.positionMapper(code, source, undefined);

    // A transform's checked program stands for the language service's (see SourceRewrite.checked).
    const ownProgram = emitBefore.length > 0;
    const syntactic = ownProgram ? program.getSyntacticDiagnostics(source) : this.host.service.getSyntacticDiagnostics(cellName);
    if (syntactic.length > 0) return { kind: "rejected", ename: "SyntaxError", diagnostics: syntactic.map((d) => this.diagnostic(d, toUser)) };
    const kernelRules = [...protectedGlobalDiagnostics(ts, source, toUser), ...floorDivisionDiagnostics(ts, source, toUser)];
    if (kernelRules.length > 0) return { kind: "rejected", ename: "TSError", diagnostics: kernelRules };
    if (check && !/^\s*\/\/\s*@ts-nocheck\b/.test(code)) {
      const semantic = (ownProgram ? program.getSemanticDiagnostics(source) : this.host.service.getSemanticDiagnostics(cellName))
        .filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_CODES.has(d.code))
        .map((d) => this.diagnostic(d, toUser));
      const own = ownDiagnostics.map(({ diagnostic, start }) => this.diagnostic({ ...diagnostic, start }, fromCode));
      const all = [...own, ...semantic].sort((a, b) => a.line - b.line || a.column - b.column);
      if (all.length > 0) return { kind: "rejected", ename: "TSError", diagnostics: all };
    }

    const checker = program.getTypeChecker();
    if (record) {
      this.declarations.record(ts, checkerDeclarationTypes(ts, checker), source, cellId);
      this.host.setFile(this.host.names.history, this.declarations.scriptText());
      this.host.setFile(this.host.names.historyImports, this.declarations.importsText());
    }
    const userStatements = source.statements.filter((s) => s.pos < source.text.length - MODULE_MARKER.length);
    const last = userStatements[userStatements.length - 1];
    const hasResult = last !== undefined && ts.isExpressionStatement(last);

    let js = "";
    let map = "";
    program.emit(
      source,
      (name, text) => {
        if (name.endsWith(".map")) map = text;
        else if (name.endsWith(".js")) js = text;
      },
      undefined,
      false,
      { before: [...emitBefore, importTransformer(ts, (name) => isValueName(ts, checker, name))], after: [replTransformer(ts, hasResult)] },
    );
    js = js.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
    const mappings = decodeMappings((JSON.parse(map) as { mappings: string }).mappings, (line, column) => {
      const user = toUser(source.getPositionOfLineAndCharacter(line, column));
      return [user.line, user.column];
    });
    return { kind: "compiled", js, mappings, hasResult };
  }

  /** Maps a position in the compiled cell text to a 0-based line/column of the user's code. */
  private positionMapper(code: string, _source: TS.SourceFile, rewrite: SourceRewrite | undefined) {
    return userPositionMapper(code, rewrite);
  }

  private diagnostic(d: TS.Diagnostic, toUser: (pos: number) => { line: number; column: number }): CellDiagnostic {
    const start = toUser(d.start ?? 0);
    const end = toUser((d.start ?? 0) + (d.length ?? 1));
    return cellDiagnostic(start, end, this.ts.flattenDiagnosticMessageText(d.messageText, "\n"), d.code, d.category === this.ts.DiagnosticCategory.Warning);
  }
}

/** A diagnostic at 0-based user positions (start and end of its span). */
export function cellDiagnostic(
  start: { line: number; column: number },
  end: { line: number; column: number },
  message: string,
  code: number,
  warning: boolean,
): CellDiagnostic {
  return {
    line: start.line,
    column: start.column,
    length: end.line === start.line ? Math.max(1, end.column - start.column) : 1,
    message,
    code,
    category: warning ? "warning" : "error",
  };
}

/** Maps a position in a compiled cell text (through `rewrite` if any) to a 0-based line/column of `code`. */
export function userPositionMapper(code: string, rewrite: { toOriginalPosition(pos: number): number } | undefined) {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return (pos: number): { line: number; column: number } => {
    let original = rewrite ? rewrite.toOriginalPosition(pos) : pos;
    original = Math.max(0, Math.min(original, code.length));
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= original) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: original - lineStarts[low]! };
  };
}

/** An imported name that has a value at run time; unknown (unresolved) imports count as values. */
function isValueName(ts: typeof TS, checker: TS.TypeChecker, name: TS.Identifier): boolean {
  let symbol = checker.getSymbolAtLocation(name);
  if (!symbol) return true;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (symbol.flags & ts.SymbolFlags.Value) return true;
  return (symbol.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Namespace)) === 0;
}
