/**
 * The part of the "typescript" namespace the kernel's syntax passes read: the emit by erasure
 * (strip-emit.ts), recording declarations (cell-declarations.ts), Node-API detection
 * (node-usage.ts), is-complete (is-complete.ts), native completion and inspection
 * (native-completion.ts, native-inspection.ts) and the operators' site finder, emitter and
 * classifier (operators/). TypeScript 6's module is such a `Syntax` as it is; native-syntax.ts
 * gives the same names over TypeScript 7's syntax trees, so each pass reads either checker's
 * trees and the native checker never loads TypeScript 6 to parse a cell.
 *
 * A pass takes the `Syntax` that made its tree and compares kinds only with that `Syntax`'s
 * `SyntaxKind`: TypeScript 7 numbers kinds (and NodeFlags above the let/const bits) differently.
 * Its trees otherwise have TypeScript 6's shape for what these passes read — kinds, positions in
 * UTF-16 code units, `getStart()`, `parent`, child order (test/typescript/native-syntax.test.ts
 * compares both parsers node by node) — except that:
 * - the `?` or `!` after a property's or method's name is `postfixToken` (TypeScript 6:
 *   `questionToken` / `exclamationToken`); read `postfixToken` too;
 * - boolean fields (`isTypeOnly`, `isExportEquals`, …) read as garbage on kinds that have none:
 *   read them only after the guard for the kind;
 * - nodes have no `getChildren()` (find tokens by scanning the text);
 * - a type parameter's default is `defaultType`.
 * `TypeFlags` and `SymbolFlags` are those of the same side's checker (TypeScript 7's API types and
 * symbols for nativeSyntax).
 *
 * Boundary: types only, no code (importing it loads nothing).
 */
import type * as TS from "typescript";

/** Every namespace member a syntax pass may use; add a name here and in native-syntax.ts together. */
export type SyntaxName =
  // kinds, flags, tokens and the walk
  | "SyntaxKind"
  | "NodeFlags"
  | "ScriptTarget"
  | "LanguageVariant"
  | "TypeFlags"
  | "SymbolFlags"
  | "forEachChild"
  | "createScanner"
  | "tokenToString"
  | "canHaveModifiers"
  | "getModifiers"
  // guards
  | "isArrayBindingPattern"
  | "isArrayLiteralExpression"
  | "isArrowFunction"
  | "isAsExpression"
  | "isBigIntLiteral"
  | "isBinaryExpression"
  | "isBindingElement"
  | "isBlock"
  | "isCallExpression"
  | "isCaseClause"
  | "isCatchClause"
  | "isClassDeclaration"
  | "isClassExpression"
  | "isClassLike"
  | "isConditionalExpression"
  | "isConstructorDeclaration"
  | "isDecorator"
  | "isDefaultClause"
  | "isDeleteExpression"
  | "isElementAccessExpression"
  | "isEnumDeclaration"
  | "isExportAssignment"
  | "isExportDeclaration"
  | "isExpressionStatement"
  | "isExpressionWithTypeArguments"
  | "isExternalModuleReference"
  | "isForInStatement"
  | "isForOfStatement"
  | "isForStatement"
  | "isFunctionDeclaration"
  | "isFunctionExpression"
  | "isFunctionLike"
  | "isGetAccessor"
  | "isHeritageClause"
  | "isIdentifier"
  | "isImportDeclaration"
  | "isImportEqualsDeclaration"
  | "isImportTypeNode"
  | "isIndexSignatureDeclaration"
  | "isInterfaceDeclaration"
  | "isLiteralExpression"
  | "isLiteralTypeNode"
  | "isMethodDeclaration"
  | "isModuleBlock"
  | "isModuleDeclaration"
  | "isNamespaceImport"
  | "isNonNullExpression"
  | "isNumericLiteral"
  | "isObjectBindingPattern"
  | "isObjectLiteralExpression"
  | "isParameter"
  | "isParenthesizedExpression"
  | "isPostfixUnaryExpression"
  | "isPrefixUnaryExpression"
  | "isPropertyAccessExpression"
  | "isPropertyAssignment"
  | "isPropertyDeclaration"
  | "isQualifiedName"
  | "isSatisfiesExpression"
  | "isSetAccessor"
  | "isShorthandPropertyAssignment"
  | "isSourceFile"
  | "isSpreadAssignment"
  | "isSpreadElement"
  | "isStatement"
  | "isStringLiteral"
  | "isStringLiteralLike"
  | "isTypeAliasDeclaration"
  | "isTypeAssertionExpression"
  | "isTypeNode"
  | "isTypeQueryNode"
  | "isVariableDeclaration"
  | "isVariableDeclarationList"
  | "isVariableStatement";

/** What a syntax pass reads of the namespace: TypeScript 6's module, or nativeSyntax. */
export type Syntax = Pick<typeof TS, SyntaxName>;
