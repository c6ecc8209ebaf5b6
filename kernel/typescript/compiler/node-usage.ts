/**
 * Does a cell use Node's API (a Node global such as `process`, or an import of a built-in module)?
 * When it does, the checker loads @types/node, which costs about 400 ms once and some 70 MB for
 * the rest of the session, so a word in a comment or a string ("tensors that require gradients")
 * must not trigger it: a quick regex rules most cells out, and a parse confirms the rest.
 *
 * Boundary: syntax only (no types, no program); knows nothing of the checkers.
 */
import type * as TS from "typescript";
import { mayNeedNodeTypes, NODE_GLOBALS } from "./ambient-declarations.js";
import type { Syntax } from "./syntax.js";

/**
 * Parses `code` with TypeScript 6 (the fallback checker's way) when the regex cannot rule it out.
 *
 * @example
 * usesNodeApi(ts, "// tensors that require gradients\nlet a = 1", isBuiltin); // false
 * usesNodeApi(ts, "process.env.HOME", isBuiltin); // true
 */
export function usesNodeApi(ts: typeof TS, code: string, isBuiltin: (specifier: string) => boolean): boolean {
  if (!mayNeedNodeTypes(code, isBuiltin)) return false;
  return sourceUsesNodeApi(ts, ts.createSourceFile("__gradlab_usage__.ts", code, ts.ScriptTarget.Latest, true), isBuiltin);
}

/**
 * The same question of a tree already parsed (the native checker's, read through nativeSyntax);
 * ask `mayNeedNodeTypes` first, which rules most cells out without walking.
 */
export function sourceUsesNodeApi(ts: Syntax, source: TS.SourceFile, isBuiltin: (specifier: string) => boolean): boolean {
  const visit = (node: TS.Node): boolean => {
    if (ts.isIdentifier(node)) return NODE_GLOBALS.has(node.text) && isReference(ts, node);
    if (ts.isStringLiteralLike(node)) return isModuleSpecifier(ts, node) && isBuiltin(node.text);
    return ts.forEachChild(node, visit) ?? false;
  };
  return ts.forEachChild(source, visit) ?? false;
}

/** An identifier that names something in scope, not a property, member or declaration name. */
function isReference(ts: Syntax, node: TS.Identifier): boolean {
  const parent = node.parent;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if (ts.isQualifiedName(parent)) return parent.left === node;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === node;
  if (ts.isBindingElement(parent) && parent.propertyName === node) return false;
  return (parent as { name?: TS.Node }).name !== node;
}

function isModuleSpecifier(ts: Syntax, node: TS.StringLiteralLike): boolean {
  const parent = node.parent;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent)) return parent.moduleSpecifier === node;
  if (ts.isExternalModuleReference(parent)) return true;
  if (ts.isLiteralTypeNode(parent)) return ts.isImportTypeNode(parent.parent);
  if (ts.isCallExpression(parent) && parent.arguments[0] === node) {
    const callee = parent.expression;
    return callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require");
  }
  return false;
}
