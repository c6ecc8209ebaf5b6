/**
 * complete_request: names the language service offers at the cursor (members after `.`, globals,
 * earlier cells' names, the preloaded library, keywords), filtered by the word being typed.
 * Runs in the compiler worker.
 */
import type * as TS from "typescript";
import type { CompleteResult } from "../executor.js";
import type { CellCompiler } from "./cell-compiler.js";
import type { CellLanguageHost } from "./language-host.js";

const MAX_MATCHES = 400;

/** Start of the identifier that ends at `cursor`. */
export function wordStart(code: string, cursor: number): number {
  let start = cursor;
  while (start > 0 && /[\p{L}\p{N}_$]/u.test(code[start - 1]!)) start--;
  return start;
}

export function complete(ts: typeof TS, host: CellLanguageHost, compiler: CellCompiler, code: string, cursor: number): CompleteResult {
  const at = compiler.loadForQuery(code, cursor);
  const start = wordStart(code, cursor);
  const prefix = code.slice(start, cursor).toLowerCase();
  const completions = host.service.getCompletionsAtPosition(host.names.cell, at, {
    includeCompletionsForModuleExports: false,
    includeCompletionsWithInsertText: true,
  });
  const entries = (completions?.entries ?? [])
    .filter((e) => e.name.toLowerCase().startsWith(prefix) && !e.name.startsWith("__gradlab"))
    .sort((a, b) => {
      const aExact = a.name.startsWith(code.slice(start, cursor)) ? 0 : 1;
      const bExact = b.name.startsWith(code.slice(start, cursor)) ? 0 : 1;
      return aExact - bExact || a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name);
    })
    .slice(0, MAX_MATCHES);
  return {
    matches: entries.map((e) => e.name),
    cursorStart: start,
    cursorEnd: cursor,
    types: entries.map((e) => ({ text: e.name, type: jupyterKind(ts, e.kind), start, end: cursor })),
  };
}

/** Jupyter's completion kinds follow the names the Language Server Protocol uses. */
function jupyterKind(ts: typeof TS, kind: TS.ScriptElementKind): string {
  const K = ts.ScriptElementKind;
  switch (kind) {
    case K.keyword:
      return "keyword";
    case K.functionElement:
    case K.localFunctionElement:
      return "function";
    case K.memberFunctionElement:
      return "method";
    case K.memberVariableElement:
    case K.memberGetAccessorElement:
    case K.memberSetAccessorElement:
      return "property";
    case K.classElement:
    case K.localClassElement:
      return "class";
    case K.interfaceElement:
      return "interface";
    case K.typeElement:
    case K.typeParameterElement:
      return "type";
    case K.enumElement:
      return "enum";
    case K.enumMemberElement:
      return "enum member";
    case K.moduleElement:
    case K.externalModuleName:
      return "module";
    case K.alias:
      return "alias";
    case K.constElement:
      return "constant";
    default:
      return "variable";
  }
}
