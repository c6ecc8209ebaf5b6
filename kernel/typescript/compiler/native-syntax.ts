/**
 * The kernel's syntax passes' `Syntax` (syntax.ts) over TypeScript 7's syntax trees: the trees the
 * native checker hands out (`program.getSourceFile`, decoded lazily in this thread), its guards,
 * kinds and scanner from the pinned `typescript7/unstable/ast` modules, and TypeScript 6's names
 * for the few members TypeScript 7 names or shapes differently. With it the native checker's
 * worker parses, emits and records cells without loading TypeScript 6 at all.
 *
 * Boundary: runs in the checker service (checker-service.ts, on the main thread); names and shapes only, no pass of its own.
 */
import { LanguageVariant, NodeFlags, ScriptTarget, SyntaxKind, type Node, type NodeArray } from "typescript7/unstable/ast";
import * as is from "typescript7/unstable/ast/is";
import { createScanner, tokenToString } from "typescript7/unstable/ast/scanner";
import { SymbolFlags, TypeFlags, type Project } from "typescript7/unstable/sync";
import type * as TS from "typescript";
import type { Syntax, SyntaxName } from "./syntax.js";

/** The kinds TypeScript 6's `canHaveModifiers` accepts (the same list, by name). */
const MODIFIABLE = new Set<SyntaxKind>([
  SyntaxKind.TypeParameter,
  SyntaxKind.Parameter,
  SyntaxKind.PropertySignature,
  SyntaxKind.PropertyDeclaration,
  SyntaxKind.MethodSignature,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
  SyntaxKind.IndexSignature,
  SyntaxKind.ConstructorType,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.ClassExpression,
  SyntaxKind.VariableStatement,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.ClassDeclaration,
  SyntaxKind.InterfaceDeclaration,
  SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.EnumDeclaration,
  SyntaxKind.ModuleDeclaration,
  SyntaxKind.ImportEqualsDeclaration,
  SyntaxKind.ImportDeclaration,
  SyntaxKind.ExportAssignment,
  SyntaxKind.ExportDeclaration,
]);

/** The kinds TypeScript 6's `isFunctionLike` accepts (signatures and function-like declarations). */
const FUNCTION_LIKE = new Set<SyntaxKind>([
  SyntaxKind.MethodSignature,
  SyntaxKind.CallSignature,
  SyntaxKind.JSDocSignature,
  SyntaxKind.ConstructSignature,
  SyntaxKind.IndexSignature,
  SyntaxKind.FunctionType,
  SyntaxKind.ConstructorType,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
]);

type ModifierList = readonly Node[] | undefined;

/**
 * TypeScript 6 counts a block as a statement only where it stands for one: not a function's body,
 * nor a `try`, `catch` or `finally` block (TypeScript 7's isStatement counts every block).
 */
function isBlockStatement(block: Node): boolean {
  const parent = block.parent as Node | undefined;
  if (!parent) return true;
  return parent.kind !== SyntaxKind.TryStatement && parent.kind !== SyntaxKind.CatchClause && !FUNCTION_LIKE.has(parent.kind);
}

const members = {
  // TypeScript 7's numbers under TypeScript 6's names (the end-of-file token is renamed).
  SyntaxKind: { ...SyntaxKind, EndOfFileToken: SyntaxKind.EndOfFile },
  NodeFlags,
  ScriptTarget,
  LanguageVariant,
  TypeFlags,
  SymbolFlags,
  forEachChild: <T>(node: Node, visit: (node: Node) => T, visitList?: (nodes: NodeArray<Node>) => T): T | undefined => node.forEachChild(visit, visitList),
  // TypeScript 6's parameter order (language version first, an error callback before `start`).
  createScanner: (_version: unknown, skipTrivia: boolean, variant?: LanguageVariant, text?: string, _onError?: unknown, start?: number, length?: number) =>
    createScanner(skipTrivia, variant, text, start, length),
  tokenToString,
  canHaveModifiers: (node: Node): boolean => MODIFIABLE.has(node.kind),
  // Decorators share the `modifiers` list; TypeScript 6's getModifiers leaves them out, and gives
  // undefined rather than an empty list.
  getModifiers: (node: Node): Node[] | undefined => {
    const modifiers = ((node as { modifiers?: ModifierList }).modifiers ?? []).filter((m) => is.isModifier(m));
    return modifiers.length > 0 ? modifiers : undefined;
  },
  isArrayBindingPattern: is.isArrayBindingPattern,
  isArrayLiteralExpression: is.isArrayLiteralExpression,
  isArrowFunction: is.isArrowFunction,
  isAsExpression: is.isAsExpression,
  isBigIntLiteral: is.isBigIntLiteral,
  isBinaryExpression: is.isBinaryExpression,
  isBindingElement: is.isBindingElement,
  isBlock: is.isBlock,
  isCaseClause: is.isCaseClause,
  isCatchClause: is.isCatchClause,
  isCallExpression: is.isCallExpression,
  isClassDeclaration: is.isClassDeclaration,
  isClassExpression: is.isClassExpression,
  isClassLike: (node: Node | undefined): boolean => node !== undefined && (is.isClassDeclaration(node) || is.isClassExpression(node)),
  isConditionalExpression: is.isConditionalExpression,
  isConstructorDeclaration: is.isConstructorDeclaration,
  isDecorator: is.isDecorator,
  isDefaultClause: is.isDefaultClause,
  isDeleteExpression: is.isDeleteExpression,
  isElementAccessExpression: is.isElementAccessExpression,
  isEnumDeclaration: is.isEnumDeclaration,
  isExportAssignment: is.isExportAssignment,
  isExportDeclaration: is.isExportDeclaration,
  isExpressionStatement: is.isExpressionStatement,
  isExpressionWithTypeArguments: is.isExpressionWithTypeArguments,
  isExternalModuleReference: is.isExternalModuleReference,
  isForInStatement: is.isForInStatement,
  isForOfStatement: is.isForOfStatement,
  isForStatement: is.isForStatement,
  isFunctionDeclaration: is.isFunctionDeclaration,
  isFunctionExpression: is.isFunctionExpression,
  isFunctionLike: (node: Node | undefined): boolean => node !== undefined && FUNCTION_LIKE.has(node.kind),
  isGetAccessor: is.isGetAccessorDeclaration,
  isHeritageClause: is.isHeritageClause,
  isIdentifier: is.isIdentifier,
  isImportDeclaration: is.isImportDeclaration,
  isImportEqualsDeclaration: is.isImportEqualsDeclaration,
  isImportTypeNode: is.isImportTypeNode,
  isIndexSignatureDeclaration: is.isIndexSignatureDeclaration,
  isInterfaceDeclaration: is.isInterfaceDeclaration,
  isLiteralExpression: is.isLiteralExpression,
  isLiteralTypeNode: is.isLiteralTypeNode,
  isMethodDeclaration: is.isMethodDeclaration,
  isModuleBlock: is.isModuleBlock,
  isModuleDeclaration: is.isModuleDeclaration,
  isNamespaceImport: is.isNamespaceImport,
  isNonNullExpression: is.isNonNullExpression,
  isNumericLiteral: is.isNumericLiteral,
  isObjectBindingPattern: is.isObjectBindingPattern,
  isObjectLiteralExpression: is.isObjectLiteralExpression,
  isParameter: is.isParameterDeclaration,
  isParenthesizedExpression: is.isParenthesizedExpression,
  isPostfixUnaryExpression: is.isPostfixUnaryExpression,
  isPrefixUnaryExpression: is.isPrefixUnaryExpression,
  isPropertyAccessExpression: is.isPropertyAccessExpression,
  isPropertyAssignment: is.isPropertyAssignment,
  isPropertyDeclaration: is.isPropertyDeclaration,
  isQualifiedName: is.isQualifiedName,
  isSatisfiesExpression: is.isSatisfiesExpression,
  isSetAccessor: is.isSetAccessorDeclaration,
  isShorthandPropertyAssignment: is.isShorthandPropertyAssignment,
  isSourceFile: is.isSourceFile,
  isSpreadAssignment: is.isSpreadAssignment,
  isStatement: (node: Node): boolean => is.isStatement(node) && !(is.isBlock(node) && !isBlockStatement(node)),
  isSpreadElement: is.isSpreadElement,
  isStringLiteral: is.isStringLiteral,
  isStringLiteralLike: (node: Node): boolean => is.isStringLiteral(node) || is.isNoSubstitutionTemplateLiteral(node),
  isTypeAliasDeclaration: is.isTypeAliasDeclaration,
  isTypeAssertionExpression: is.isTypeAssertion,
  isTypeNode: is.isTypeNode,
  isTypeQueryNode: is.isTypeQueryNode,
  isVariableDeclaration: is.isVariableDeclaration,
  isVariableDeclarationList: is.isVariableDeclarationList,
  isVariableStatement: is.isVariableStatement,
} satisfies Record<SyntaxName, unknown>;

/**
 * TypeScript 7's syntax under TypeScript 6's types: the cast stands for the equivalence
 * syntax.ts describes, which test/typescript/native-syntax.test.ts checks member by member.
 */
export const nativeSyntax = members as unknown as Syntax;

/**
 * A file's syntax tree from the native checker, typed as TypeScript 6's (read it through
 * nativeSyntax). One round trip; nodes are decoded in this thread as they are read.
 */
export function nativeSourceFile(project: Project, file: string): TS.SourceFile {
  const source = project.program.getSourceFile(file);
  if (!source) throw new Error(`the native checker has no file ${file}`);
  return source as unknown as TS.SourceFile;
}
