/**
 * The kind of each completion as a notebook user thinks of it (the words ipykernel's completer
 * reports in `_jupyter_types_experimental`): "function" for anything callable (a method, an arrow
 * in a property, `torch.exp`), "class", "module" (a namespace, or an object of functions such as
 * `torch`), "variable", "keyword", ... TypeScript's own kinds say "property" for every member of an
 * object, which tells a student nothing.
 *
 * Boundary: runs in the compiler worker, reads symbols and types from the checker; knows nothing
 * of the completion list's order or filtering (completion.ts).
 */
import type * as TS from "typescript";
import { deepestNodeAt } from "./node-at.js";

/** How deep namespaces nest inside namespaces (`torch.linalg`) when deciding that an object is one. */
const MODULE_DEPTH = 2;

/**
 * A function from completion name to the kind a user expects, for the completion at `position`
 * (in the program's file `fileName`); TypeScript's kind is the fallback for names it cannot resolve.
 *
 * @example
 * const kindOf = completionKinds(ts, program, cellFile, cursor);
 * kindOf({ name: "exp", kind: "property" }); // "function" (torch.exp)
 */
export function completionKinds(ts: typeof TS, program: TS.Program, fileName: string, position: number, isMember: boolean) {
  const checker = program.getTypeChecker();
  const sourceFile = program.getSourceFile(fileName);
  const symbols = new Map<string, TS.Symbol>();
  let location: TS.Node | undefined = sourceFile;
  if (sourceFile) {
    const receiver = isMember ? memberReceiver(ts, sourceFile, position) : undefined;
    if (receiver) {
      location = receiver;
      const type = checker.getApparentType(checker.getNonNullableType(checker.getTypeAtLocation(receiver)));
      for (const property of checker.getPropertiesOfType(type)) symbols.set(property.getName(), property);
    } else {
      location = deepestNodeAt(sourceFile, position) ?? sourceFile;
      const F = ts.SymbolFlags;
      for (const symbol of checker.getSymbolsInScope(location, F.Value | F.Type | F.Namespace | F.Alias)) {
        if (!symbols.has(symbol.getName())) symbols.set(symbol.getName(), symbol);
      }
    }
  }
  return (entry: { name: string; kind: TS.ScriptElementKind }): string => {
    if (entry.kind === ts.ScriptElementKind.keyword) return "keyword";
    const symbol = symbols.get(entry.name);
    const kind = symbol && location ? symbolKind(ts, checker, symbol, location) : undefined;
    return kind ?? fallbackKind(ts, entry.kind);
  };
}

/** `x` in `x.na|` or `x.|` (the missing name of an unfinished access), else undefined. */
function memberReceiver(ts: typeof TS, sourceFile: TS.SourceFile, position: number): TS.Expression | undefined {
  let found: TS.Expression | undefined;
  const visit = (node: TS.Node): void => {
    if (node.pos > position || node.end < position) return;
    if (ts.isPropertyAccessExpression(node) && node.name.end === position) found = node.expression;
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return found;
}

function symbolKind(ts: typeof TS, checker: TS.TypeChecker, symbol: TS.Symbol, location: TS.Node): string | undefined {
  const F = ts.SymbolFlags;
  let target = symbol;
  if (target.flags & F.Alias) {
    try {
      target = checker.getAliasedSymbol(target);
    } catch {
      return undefined;
    }
  }
  const flags = target.flags;
  // Value meanings first: `Array` is an interface and a variable, and a user calls the variable.
  if (flags & F.Class) return "class";
  if (flags & (F.Function | F.Method)) return "function";
  if (flags & F.Enum) return "enum";
  if (flags & F.EnumMember) return "enum member";
  if (flags & F.ValueModule) return "module";
  if (flags & (F.Variable | F.Property | F.Accessor)) {
    const type = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(target, location));
    if (type.getConstructSignatures().length > 0) return "class";
    if (type.getCallSignatures().length > 0) return "function";
    if (isModuleLike(ts, checker, type, location)) return "module";
    return "variable";
  }
  if (flags & F.NamespaceModule) return "module";
  if (flags & F.Interface) return "interface";
  if (flags & (F.TypeAlias | F.TypeParameter)) return "type";
  return undefined;
}

/**
 * An anonymous object type (not an instance of a class or interface) more than half of whose
 * members are functions or such objects themselves: `torch`, `torch.autograd`, `np.linalg`.
 */
function isModuleLike(ts: typeof TS, checker: TS.TypeChecker, type: TS.Type, location: TS.Node, depth = MODULE_DEPTH): boolean {
  const symbol = type.getSymbol();
  if (depth === 0 || !symbol || (symbol.flags & (ts.SymbolFlags.TypeLiteral | ts.SymbolFlags.ObjectLiteral)) === 0) return false;
  const members = checker.getPropertiesOfType(type);
  const callable = members.filter((m) => {
    const memberType = checker.getTypeOfSymbolAtLocation(m, location);
    return memberType.getCallSignatures().length > 0 || isModuleLike(ts, checker, memberType, location, depth - 1);
  }).length;
  return callable * 2 > members.length;
}

/** TypeScript's kind in the same vocabulary, for names the checker could not resolve here. */
function fallbackKind(ts: typeof TS, kind: TS.ScriptElementKind): string {
  const K = ts.ScriptElementKind;
  switch (kind) {
    case K.keyword:
      return "keyword";
    case K.functionElement:
    case K.localFunctionElement:
    case K.memberFunctionElement:
      return "function";
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
    default:
      return "variable";
  }
}
