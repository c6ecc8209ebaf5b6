/**
 * inspect_request with TypeScript 7's native checker: the declaration, type and doc comment of the
 * name under the cursor, or of the function whose call the cursor is in, as text/plain and
 * text/markdown (the same shape as inspection.ts gives with TypeScript 6).
 *
 * typescript@7.0.2's API has no quick info or signature help, so the text is built from what it
 * has: the symbol at a position (aliases followed: the library's names reach cells as aliases),
 * its flags and type, a function's call signatures printed from the checker's own signature
 * declarations, and the symbol's documentation and JSDoc tags. A function with overloads shows
 * every overload, simplest first (fewest required parameters), where TypeScript's quick info shows
 * only the first declared one ("+1 overload"), often the advanced form.
 *
 * Boundary: runs in the checker service (checker-service.ts, on the main thread); reads the cell's syntax tree through the `ts` namespace it
 * is given and asks the native checker about the symbol.
 */
import type * as TS from "typescript";
import { identifierAt } from "./node-at.js";
import { aliasTarget } from "./native-completion.js";
import type { Syntax } from "./syntax.js";
import { SignatureKind, SymbolFlags, type Project, type Signature, type Symbol as NativeSymbol } from "typescript7/unstable/sync";
import { NodeFlags, SyntaxKind } from "typescript7/unstable/ast";
import type { InspectResult } from "../../executor.js";
import { OPS } from "../operators/emit.js";
import { TENSOR_CLASS } from "./library-prelude.js";

const NOT_FOUND: InspectResult = { found: false, data: {}, metadata: {} };

/**
 * What to show for the cursor at `cursor` of the cell (`source`, named `file` in the project).
 *
 * @example
 * inspectNative(ts, project, cellFile, source, "grad(f)", 2); // { found: true, data: { "text/plain": "function grad(…): …\n\nThe gradient of …" } }
 */
export function inspectNative(ts: Syntax, project: Project, file: string, source: TS.SourceFile, cursor: number): InspectResult {
  for (const position of [cursor, cursor - 1]) {
    const name = position >= 0 ? identifierAt(ts, source, position) : undefined;
    if (!name) continue;
    const symbol = project.checker.getSymbolAtPosition(file, name.getStart());
    if (symbol) return describe(project, file, symbol, name.text, name.parent !== undefined && isMemberName(ts, name));
  }
  // Inside a call's arguments: the function being called. An unclosed call (`f(1, |`) ends
  // before the blanks the cursor may follow.
  let end = Math.min(cursor, source.text.length);
  while (end > 0 && /\s/.test(source.text[end - 1]!)) end--;
  const call = enclosingCall(ts, source, end);
  const callee = call && calleeName(ts, call.expression);
  const symbol = callee && project.checker.getSymbolAtPosition(file, callee.getStart());
  return symbol ? describe(project, file, symbol, callee.text, isMemberName(ts, callee)) : NOT_FOUND;
}

function describe(project: Project, file: string, found: NativeSymbol, shownName: string, isMember: boolean): InspectResult {
  const checker = project.checker;
  const symbol = found.flags & SymbolFlags.Alias ? aliasTarget(checker, found) : found;
  if (!symbol) return NOT_FOUND;
  const signature = declarationText(project, symbol, shownName, isMember);
  if (!signature) return NOT_FOUND;
  const own = checker.getDocumentationCommentOfSymbol(symbol);
  const documented = own.length > 0 ? symbol : (documentedFunctionOf(checker, symbol) ?? tensorMethodTwinOf(checker, symbol, file) ?? symbol);
  return shown(signature, documented === symbol ? own : checker.getDocumentationCommentOfSymbol(documented), checker.getJsDocTagsOfSymbol(documented));
}

/**
 * The function that declares an undocumented value's type, when it has a doc comment: a namespace
 * member that is another function under a second name (`np.subtract: sub`, `torch.mm: matmul`,
 * whose declaration file reads `subtract: typeof sub`) shows that function's documentation, so
 * it is written once, beside the function. TypeScript's own quick info follows re-exports
 * (`export { sub as subtract }`) but not values assigned to properties or constants.
 */
function documentedFunctionOf(checker: Project["checker"], symbol: NativeSymbol): NativeSymbol | undefined {
  if (symbol.flags & (SymbolFlags.Function | SymbolFlags.Method | SymbolFlags.Class)) return undefined;
  const declaring = checker.getTypeOfSymbol(symbol)?.getSymbol();
  if (!declaring || declaring.id === symbol.id || !(declaring.flags & (SymbolFlags.Function | SymbolFlags.Method))) return undefined;
  return checker.getDocumentationCommentOfSymbol(declaring).length > 0 ? declaring : undefined;
}

/**
 * The library function a tensor method stands for (`t.sum(0)` is `sum(t, 0)`): an undocumented
 * method of `Tensor` shows the doc comment of the global function of the same name, written once
 * beside that function. (inspection.ts does the same with TypeScript 6.)
 */
function tensorMethodTwinOf(checker: Project["checker"], symbol: NativeSymbol, file: string): NativeSymbol | undefined {
  if (!(symbol.flags & SymbolFlags.Method) || symbol.getParent()?.name !== TENSOR_CLASS) return undefined;
  const global = checker.resolveName(symbol.name, SymbolFlags.Value, { document: file, position: 0 });
  const twin = global && aliasTarget(checker, global);
  if (!twin || !(twin.flags & (SymbolFlags.Function | SymbolFlags.Variable))) return undefined;
  return checker.getDocumentationCommentOfSymbol(twin).length > 0 ? twin : undefined;
}

/** The declaration line(s) a user reads: `function f(x: number): number`, `const v: T`, `class C`, … */
function declarationText(project: Project, symbol: NativeSymbol, name: string, isMember: boolean): string | undefined {
  const checker = project.checker;
  const flags = symbol.flags;
  if (flags & SymbolFlags.Class) return `class ${name}`;
  if (flags & SymbolFlags.Interface) return `interface ${name}`;
  if (flags & SymbolFlags.Enum) return `enum ${name}`;
  if (flags & SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    return `type ${name} = ${type ? singleLine(checker.typeToString(type)) : "…"}`;
  }
  if (flags & (SymbolFlags.ValueModule | SymbolFlags.NamespaceModule) && !(flags & (SymbolFlags.Function | SymbolFlags.Variable))) return `namespace ${name}`;
  const type = checker.getTypeOfSymbol(symbol);
  if (!type) return undefined;
  if (flags & (SymbolFlags.Function | SymbolFlags.Method)) {
    const signatures = checker.getSignaturesOfType(type, SignatureKind.Call);
    if (signatures.length > 0) {
      const head = flags & SymbolFlags.Method ? `(method) ${qualified(symbol, name)}` : `function ${name}`;
      return simplestFirst(signatures.map((signature) => signatureText(project, signature)))
        .map((text) => `${head}${text}`)
        .join("\n");
    }
  }
  const typeText = checker.typeToString(type);
  if (flags & SymbolFlags.Property || isMember) {
    // A property holding a function (`torch.tensor`) reads as the call a student writes.
    const signatures = typeText.includes("=>") ? checker.getSignaturesOfType(type, SignatureKind.Call) : [];
    if (signatures.length > 0 && checker.getPropertiesOfType(type).length === 0) {
      return simplestFirst(signatures.map((signature) => signatureText(project, signature)))
        .map((text) => `(property) ${qualified(symbol, name)}${text}`)
        .join("\n");
    }
    return `(property) ${qualified(symbol, name)}${flags & SymbolFlags.Optional ? "?" : ""}: ${typeText}`;
  }
  if (flags & SymbolFlags.FunctionScopedVariable && isParameter(symbol)) return `(parameter) ${name}: ${typeText}`;
  if (flags & SymbolFlags.Variable) return `${variableKeyword(project, symbol)} ${name}: ${typeText}`;
  return `${name}: ${typeText}`;
}

/** `(x: number): number` for a call signature, printed on one line. */
function signatureText(project: Project, signature: Signature): string {
  const node = project.checker.signatureToSignatureDeclaration(signature, SyntaxKind.FunctionDeclaration);
  const printed = node ? singleLine(project.emitter.printNode(node)) : "(…)";
  // The printer writes an anonymous `function (…): T;`; keep type parameters, parameters and result.
  const text = printed.replace(/^function\s*/, "").replace(/;\s*$/, "");
  return withPlainOptionals(text);
}

/**
 * `options?: T | undefined` → `options?: T`, as TypeScript 6's quick info writes an optional
 * parameter (the `| undefined` is implied by the `?`).
 */
function withPlainOptionals(signature: string): string {
  const list = parameterList(signature);
  if (!list) return signature;
  const parameters = splitTopLevel(signature.slice(list.start + 1, list.end)).map((p) => (/^\s*[\p{L}\p{N}_$]+\?:/u.test(p) ? p.replace(/ \| undefined\s*$/, "") : p));
  return `${signature.slice(0, list.start + 1)}${parameters.join(",")}${signature.slice(list.end)}`;
}

/** The span of the parameter list's parentheses in `<T>(a: A, b: B): R`. */
function parameterList(signature: string): { start: number; end: number } | undefined {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < signature.length; i++) {
    const c = signature[i]!;
    if (c === "=" && signature[i + 1] === ">") {
      i++;
      continue;
    }
    if (c === "(" && depth === 0 && start < 0) start = i;
    if ("([{<".includes(c)) depth++;
    else if (")]}>".includes(c)) {
      depth--;
      if (depth === 0 && c === ")" && start >= 0) return { start, end: i };
    }
  }
  return undefined;
}

/** `a: A, b: { x: X, y: Y }` → its top-level items (commas inside brackets or `=>` types stay). */
function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "=" && text[i + 1] === ">") {
      i++;
      continue;
    }
    if ("([{<".includes(c)) depth++;
    else if (")]}>".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      items.push(text.slice(from, i));
      from = i + 1;
    }
  }
  if (text.slice(from).trim().length > 0 || items.length > 0) items.push(text.slice(from));
  return items;
}

/** Overloads ordered for a student: fewest required parameters first, then fewest parameters. */
function simplestFirst(printed: string[]): string[] {
  const weight = printed.map((text) => {
    const list = parameterList(text);
    const parameters = list ? splitTopLevel(text.slice(list.start + 1, list.end)).filter((p) => p.trim().length > 0) : [];
    const required = parameters.filter((p) => !/^\s*(\.\.\.|[\p{L}\p{N}_$]+\?:)/u.test(p)).length;
    return { text, required, total: parameters.length };
  });
  return weight.sort((a, b) => a.required - b.required || a.total - b.total || a.text.length - b.text.length).map((w) => w.text);
}

/** `Tensor.sum` for a member of a named class or interface; an object literal's member keeps its own name. */
function qualified(symbol: NativeSymbol, name: string): string {
  const parent = symbol.getParent();
  return parent && !parent.name.startsWith("__") ? `${parent.name}.${name}` : name;
}

/** The printer's multi-line object types on one line, as TypeScript 6's quick info writes them in signatures. */
function singleLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

function isParameter(symbol: NativeSymbol): boolean {
  return symbol.valueDeclaration?.kind === SyntaxKind.Parameter;
}

/** `const` or `let`, as declared (earlier cells' variables are re-declared as written). */
function variableKeyword(project: Project, symbol: NativeSymbol): string {
  if (symbol.flags & SymbolFlags.FunctionScopedVariable) return "var";
  const declaration = symbol.valueDeclaration?.resolve(project);
  const list = declaration?.parent;
  return list && list.flags & NodeFlags.Const ? "const" : "let";
}

/** `x` in `a.x`: shown as a property of its object. */
function isMemberName(ts: Syntax, name: TS.Identifier): boolean {
  const parent = name.parent;
  return parent !== undefined && ts.isPropertyAccessExpression(parent) && parent.name === name;
}

/** The innermost call whose argument list holds the cursor. */
function enclosingCall(ts: Syntax, source: TS.SourceFile, position: number): TS.CallExpression | undefined {
  let found: TS.CallExpression | undefined;
  const visit = (node: TS.Node): void => {
    if (node.pos > position || node.end < position) return;
    // A helper call the operators rewrite wrote (`__gradlabOps.add(w, x)`) is not the user's call.
    if (ts.isCallExpression(node) && node.arguments.pos <= position && !node.expression.getText(source).startsWith(OPS)) found = node;
    node.forEachChild(visit);
  };
  source.forEachChild(visit);
  return found;
}

/** The name a call is made through: `f` in `f(…)`, `sum` in `t.sum(…)`. */
function calleeName(ts: Syntax, expression: TS.Expression): TS.Identifier | undefined {
  if (ts.isIdentifier(expression)) return expression;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.name)) return expression.name;
  return undefined;
}

/** The reply bundle: the declaration, then the documentation, then the tags (`@example …`). */
function shown(signature: string, documentation: string, tags: readonly { name: string; text?: string | undefined }[]): InspectResult {
  const tagLines = tags.map((t) => `@${t.name}${t.text ? " " + t.text : ""}`);
  const plain = [signature, documentation, tagLines.join("\n")].filter((s) => s.length > 0).join("\n\n");
  const markdown = ["```typescript\n" + signature + "\n```", documentation, tagLines.map((l) => `*${l}*`).join("  \n")].filter((s) => s.length > 0).join("\n\n");
  return { found: true, data: { "text/plain": plain, "text/markdown": markdown }, metadata: {} };
}
