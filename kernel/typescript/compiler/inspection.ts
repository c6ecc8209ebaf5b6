/**
 * inspect_request: the signature, type and doc comment of the name under the cursor (or of the
 * call whose arguments the cursor is in), as text/plain and text/markdown. Runs in the compiler
 * worker.
 *
 * What a student sees for an overloaded function: every overload, simplest first (fewest
 * required parameters), where TypeScript's quick info shows only the first declared one ("+1
 * overload"), often the advanced form. The library's names reach cells as aliases
 * (library-prelude.ts); their "(alias)" marker and "import grad = grad" line are dropped.
 */
import type * as TS from "typescript";
import { identifierAt } from "./node-at.js";
import type { InspectResult } from "../../executor.js";
import type { CellCompiler } from "./cell-compiler.js";
import type { CellLanguageHost } from "./language-host.js";
import { TENSOR_CLASS } from "./library-prelude.js";

export function inspect(ts: typeof TS, host: CellLanguageHost, compiler: CellCompiler, code: string, cursor: number): InspectResult {
  const at = compiler.loadForQuery(code, cursor);
  const file = host.names.cell;
  const positions = [at, at - 1].filter((p) => p >= 0);
  for (const pos of positions) {
    const info = host.service.getQuickInfoAtPosition(file, pos);
    if (info && info.displayParts && info.displayParts.length > 0) {
      const overloads = overloadsAt(ts, host.program(), file, pos);
      if (overloads) return found(overloads.signature, overloads.documentation ?? info.documentation, overloads.tags ?? info.tags, ts);
      const borrowed = info.documentation?.length ? undefined : (documentedFunctionAt(ts, host.program(), file, pos) ?? tensorMethodTwinAt(ts, host.program(), file, pos));
      return found(withoutAliasLines(ts.displayPartsToString(info.displayParts)), borrowed?.documentation ?? info.documentation, borrowed?.tags ?? info.tags, ts);
    }
  }
  const help = host.service.getSignatureHelpItems(file, at, undefined);
  const item = help?.items[help.selectedItemIndex];
  if (item) {
    const signature = ts.displayPartsToString([...item.prefixDisplayParts, ...joinParameters(item), ...item.suffixDisplayParts]);
    return found(signature, item.documentation, item.tags, ts);
  }
  return { found: false, data: {}, metadata: {} };
}

/** Quick info of an alias: "(alias) function f(…)\nimport f = f" → "function f(…)". */
function withoutAliasLines(text: string): string {
  return text
    .replace(/^\(alias\) /, "")
    .split("\n")
    .filter((line) => !/^import [\p{L}\p{N}_$]+ = /u.test(line))
    .join("\n");
}

/**
 * All call signatures of the function named at `position`, simplest first, when it has more than
 * one; the documentation of the simplest that has any.
 */
function overloadsAt(ts: typeof TS, program: TS.Program, fileName: string, position: number) {
  const at = symbolAt(ts, program, fileName, position);
  if (!at) return undefined;
  const { name, checker, symbol } = at;
  if ((symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method)) === 0) return undefined;
  const signatures = checker.getTypeOfSymbolAtLocation(symbol, name).getCallSignatures();
  if (signatures.length < 2) return undefined;
  const shown = signatures
    .map((signature) => ({ signature, text: checker.signatureToString(signature, name, ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope) }))
    .sort((a, b) => requiredCount(a.signature) - requiredCount(b.signature) || a.signature.parameters.length - b.signature.parameters.length || a.text.length - b.text.length);
  const head = symbol.flags & ts.SymbolFlags.Function ? `function ${symbol.getName()}` : symbol.getName();
  const documented = shown.find((s) => s.signature.getDocumentationComment(checker).length > 0);
  return {
    signature: shown.map((s) => `${head}${s.text}`).join("\n"),
    documentation: documented?.signature.getDocumentationComment(checker),
    tags: documented?.signature.getJsDocTags(),
  };
}

/**
 * The documentation of the function that declares an undocumented value's type: a namespace member
 * that is another function under a second name (`np.subtract: sub`, declared `subtract: typeof
 * sub`) shows that function's doc comment, written once beside it. Quick info follows re-exports,
 * not values assigned to properties or constants. (native-inspection.ts does the same.)
 */
function documentedFunctionAt(ts: typeof TS, program: TS.Program, fileName: string, position: number) {
  const at = symbolAt(ts, program, fileName, position);
  if (!at) return undefined;
  const { name, checker, symbol } = at;
  if (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method | ts.SymbolFlags.Class)) return undefined;
  const declaring = checker.getTypeOfSymbolAtLocation(symbol, name).getSymbol();
  if (!declaring || declaring === symbol || !(declaring.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Method))) return undefined;
  const documentation = declaring.getDocumentationComment(checker);
  return documentation.length > 0 ? { documentation, tags: declaring.getJsDocTags(checker) } : undefined;
}

/**
 * The doc comment of the library function a tensor method stands for (`t.sum(0)` is `sum(t, 0)`):
 * an undocumented method of `Tensor` shows that of the global function of the same name, written
 * once beside it. (native-inspection.ts does the same.)
 */
function tensorMethodTwinAt(ts: typeof TS, program: TS.Program, fileName: string, position: number) {
  const at = symbolAt(ts, program, fileName, position);
  if (!at) return undefined;
  const { name, checker, symbol } = at;
  const owner = symbol.declarations?.[0]?.parent;
  if (!(symbol.flags & ts.SymbolFlags.Method) || !owner || !(ts.isInterfaceDeclaration(owner) || ts.isClassDeclaration(owner)) || owner.name?.text !== TENSOR_CLASS) return undefined;
  const global = checker.resolveName(symbol.getName(), name, ts.SymbolFlags.Value, false);
  const twin = global && global.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(global) : global;
  if (!twin || !(twin.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable))) return undefined;
  const documentation = twin.getDocumentationComment(checker);
  return documentation.length > 0 ? { documentation, tags: twin.getJsDocTags(checker) } : undefined;
}

/** The identifier at `position` and its symbol, aliases followed (the library's names reach cells as aliases). */
function symbolAt(ts: typeof TS, program: TS.Program, fileName: string, position: number) {
  const sourceFile = program.getSourceFile(fileName);
  const name = sourceFile && identifierAt(ts, sourceFile, position);
  if (!name) return undefined;
  const checker = program.getTypeChecker();
  const found = checker.getSymbolAtLocation(name);
  if (!found) return undefined;
  return { name, checker, symbol: found.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(found) : found };
}

function requiredCount(signature: TS.Signature): number {
  return signature.getDeclaration()?.parameters.filter((p) => !p.questionToken && !p.initializer && !p.dotDotDotToken).length ?? signature.parameters.length;
}

function joinParameters(item: TS.SignatureHelpItem): TS.SymbolDisplayPart[] {
  const parts: TS.SymbolDisplayPart[] = [];
  item.parameters.forEach((p, i) => {
    if (i > 0) parts.push(...item.separatorDisplayParts);
    parts.push(...p.displayParts);
  });
  return parts;
}

function found(
  signature: string,
  documentation: TS.SymbolDisplayPart[] | undefined,
  tags: TS.JSDocTagInfo[] | undefined,
  ts: typeof TS,
): InspectResult {
  const doc = ts.displayPartsToString(documentation ?? []);
  const tagLines = (tags ?? []).map((t) => `@${t.name}${t.text ? " " + ts.displayPartsToString(t.text) : ""}`);
  const plain = [signature, doc, tagLines.join("\n")].filter((s) => s.length > 0).join("\n\n");
  const markdown = ["```typescript\n" + signature + "\n```", doc, tagLines.map((l) => `*${l}*`).join("  \n")]
    .filter((s) => s.length > 0)
    .join("\n\n");
  return { found: true, data: { "text/plain": plain, "text/markdown": markdown }, metadata: {} };
}
