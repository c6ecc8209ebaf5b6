/**
 * Turns a cell's emitted module into a script V8's REPL mode can evaluate:
 * - (before TypeScript's own transforms, which would drop an import the cell does not use — later
 *   cells may) `import … from "m"` → `const … = await __gradlab.import("m")` (scripts cannot have
 *   static imports), `import "m"` → `await __gradlab.import("m")`; type-only names are left out;
 * then, after TypeScript's transforms:
 * - `import(x)` → `__gradlab.import(x)` (code evaluated through the inspector has no dynamic
 *   import callback, and the kernel resolves from the notebook's directory);
 * - `export` dropped (every top-level name is global to the session anyway);
 * - the cell's final expression statement → `__gradlab.setResult((expr))`;
 * - top-level bindings → REPL-mode `let`, functions hoisted (repl-bindings.ts), so any later cell
 *   may declare the same name again with any kind of declaration.
 */
import type * as TS from "typescript";
import { isPlainIdentifier } from "./identifiers.js";
import { redeclarableBindings } from "./repl-bindings.js";

export const RUNTIME_GLOBAL = "__gradlab";

/** Is this imported name a value (kept at run time) rather than only a type? */
export type IsValueImport = (name: TS.Identifier) => boolean;

export function importTransformer(ts: typeof TS, isValue: IsValueImport): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (file) => {
    const f = context.factory;
    if (!file.statements.some(ts.isImportDeclaration)) return file;
    const runtimeCall = (method: string, args: TS.Expression[]) =>
      f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(RUNTIME_GLOBAL), method), undefined, args);
    const statements = file.statements.flatMap((statement) =>
      ts.isImportDeclaration(statement) ? importToScript(ts, f, statement, runtimeCall, isValue) : [statement],
    );
    return f.updateSourceFile(file, statements);
  };
}

export function replTransformer(ts: typeof TS, captureLast: boolean): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (file) => {
    const f = context.factory;
    const runtimeCall = (method: string, args: TS.Expression[]) =>
      f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(RUNTIME_GLOBAL), method), undefined, args);
    const hasDynamicImport = /\bimport\s*\(/.test(file.text);
    const rewriteDynamicImports = (node: TS.Node): TS.Node => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const args = node.arguments.map((a) => ts.visitNode(a, rewriteDynamicImports) as TS.Expression);
        return ts.setTextRange(runtimeCall("import", args.slice(0, 1)), node);
      }
      return ts.visitEachChild(node, rewriteDynamicImports, context);
    };

    const statements: TS.Statement[] = [];
    for (const statement of file.statements) {
      if (ts.isExportDeclaration(statement)) continue;
      if (ts.isExportAssignment(statement)) {
        statements.push(ts.setTextRange(f.createExpressionStatement(statement.expression), statement));
        continue;
      }
      let next: TS.Statement = statement;
      if (ts.canHaveModifiers(statement)) {
        const modifiers = ts.getModifiers(statement);
        if (modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword)) {
          next = f.replaceModifiers(
            statement,
            modifiers.filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword),
          ) as TS.Statement;
        }
      }
      if (hasDynamicImport) next = ts.visitNode(next, rewriteDynamicImports) as TS.Statement;
      statements.push(next);
    }
    if (captureLast) {
      const lastIndex = statements.length - 1;
      const last = statements[lastIndex];
      if (last && ts.isExpressionStatement(last)) {
        const call = runtimeCall("setResult", [f.createParenthesizedExpression(last.expression)]);
        statements[lastIndex] = ts.setTextRange(f.createExpressionStatement(ts.setTextRange(call, last.expression)), last);
      }
    }
    return f.updateSourceFile(file, redeclarableBindings(ts, f, statements));
  };
}

function importToScript(
  ts: typeof TS,
  f: TS.NodeFactory,
  statement: TS.ImportDeclaration,
  runtimeCall: (method: string, args: TS.Expression[]) => TS.Expression,
  isValue: IsValueImport,
): TS.Statement[] {
  const clause = statement.importClause;
  if (clause?.isTypeOnly) return [];
  const specifier = statement.moduleSpecifier as TS.StringLiteral;
  const load = () => f.createAwaitExpression(runtimeCall("import", [f.createStringLiteral(specifier.text)]));
  const constant = (name: TS.BindingName, init: TS.Expression) =>
    ts.setTextRange(
      f.createVariableStatement(
        undefined,
        f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, init)], ts.NodeFlags.Const),
      ),
      statement,
    );
  if (!clause) return [ts.setTextRange(f.createExpressionStatement(load()), statement)];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    if (!isValue(bindings.name)) return [];
    const out = [constant(f.createIdentifier(bindings.name.text), load())];
    if (clause.name) {
      out.push(constant(f.createIdentifier(clause.name.text), f.createPropertyAccessExpression(f.createIdentifier(bindings.name.text), "default")));
    }
    return out;
  }
  const elements: TS.BindingElement[] = [];
  if (clause.name && isValue(clause.name)) elements.push(f.createBindingElement(undefined, "default", f.createIdentifier(clause.name.text)));
  if (bindings) {
    for (const element of bindings.elements) {
      if (element.isTypeOnly || !isValue(element.name)) continue;
      const imported = element.propertyName ? (element.propertyName as TS.Identifier | TS.StringLiteral).text : undefined;
      elements.push(
        f.createBindingElement(
          undefined,
          imported === undefined ? undefined : isPlainIdentifier(imported) ? imported : f.createStringLiteral(imported),
          f.createIdentifier(element.name.text),
        ),
      );
    }
  }
  // Only types were imported: nothing to load (as TypeScript's own elision would do).
  if (elements.length === 0) return [];
  return [constant(f.createObjectBindingPattern(elements), load())];
}
