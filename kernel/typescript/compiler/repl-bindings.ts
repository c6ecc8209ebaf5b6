/**
 * Makes every top-level binding of an emitted cell re-declarable by a later cell, whatever kind
 * either declaration is.
 *
 * Why: V8's REPL mode lets `let` re-declare `let` and `const` re-declare `const` across
 * evaluations, and nothing else: `const x` then `let x`, `function f` then `let f`, `class C` then
 * `const C`, `let y` then `function y` are all "Identifier has already been declared". A notebook
 * user expects the latest definition to win. So at the top level of a cell:
 * - `const a = …` becomes `let a = …` (const-ness is still enforced by the type checker, within
 *   the cell and for later cells, which see `declare const a`);
 * - `class C {…}` becomes `let C = class C {…}` (a class declaration is not hoisted either);
 * - `function f() {…}` becomes `let f = function () {…}`, moved to the top of the cell so a call
 *   above the declaration still works (hoisting); without its own name, so that, as with a
 *   declaration, `f` inside the body means the current binding (`f.name` is still "f");
 * - `var v = …` becomes `let v = …` when v is declared once in the cell (this is also how
 *   enums and namespaces are emitted); a var declared twice stays a var.
 *
 * Boundary: works on the JavaScript syntax tree after TypeScript's own transforms; knows nothing
 * of types or of running code.
 */
import type * as TS from "typescript";

/**
 * Rewrites a cell's top-level statements as described above.
 *
 * @example
 * // statements of `g(); function g() { return 1 }; const k = 2`
 * // → `let g = function () { return 1 }; g(); let k = 2`
 * const out = redeclarableBindings(ts, ts.factory, statements);
 */
export function redeclarableBindings(ts: typeof TS, f: TS.NodeFactory, statements: readonly TS.Statement[]): TS.Statement[] {
  const varCounts = countVarNames(ts, statements);
  const lastFunction = new Map<string, TS.FunctionDeclaration>();
  for (const statement of statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) lastFunction.set(statement.name.text, statement);
  }
  const hoisted: TS.Statement[] = [];
  const rest: TS.Statement[] = [];
  for (const statement of statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      // Two declarations of one function in a cell: the last one wins, as in JavaScript.
      if (lastFunction.get(statement.name.text) === statement) hoisted.push(functionAsLet(ts, f, statement));
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      rest.push(classAsLet(ts, f, statement));
    } else if (ts.isVariableStatement(statement)) {
      rest.push(variableAsLet(ts, f, statement, varCounts));
    } else {
      rest.push(statement);
    }
  }
  return [...hoisted, ...rest];
}

function letStatement(ts: typeof TS, f: TS.NodeFactory, name: TS.Identifier, init: TS.Expression, range: TS.Node): TS.Statement {
  const declaration = ts.setTextRange(f.createVariableDeclaration(f.createIdentifier(name.text), undefined, undefined, init), range);
  return ts.setTextRange(f.createVariableStatement(undefined, ts.setTextRange(f.createVariableDeclarationList([declaration], ts.NodeFlags.Let), range)), range);
}

function functionAsLet(ts: typeof TS, f: TS.NodeFactory, fn: TS.FunctionDeclaration): TS.Statement {
  const modifiers = (ts.getModifiers(fn) ?? []).filter((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const expression = ts.setTextRange(
    f.createFunctionExpression(modifiers, fn.asteriskToken, undefined, undefined, fn.parameters, undefined, fn.body!),
    fn,
  );
  return letStatement(ts, f, fn.name!, expression, fn);
}

function classAsLet(ts: typeof TS, f: TS.NodeFactory, cls: TS.ClassDeclaration): TS.Statement {
  const modifiers = (ts.getModifiers(cls) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
  const decorators = (cls.modifiers ?? []).filter(ts.isDecorator);
  const expression = ts.setTextRange(
    f.createClassExpression([...decorators, ...modifiers], f.createIdentifier(cls.name!.text), undefined, cls.heritageClauses, cls.members),
    cls,
  );
  return letStatement(ts, f, cls.name!, expression, cls);
}

function variableAsLet(ts: typeof TS, f: TS.NodeFactory, statement: TS.VariableStatement, varCounts: Map<string, number>): TS.Statement {
  const list = statement.declarationList;
  // `using` and `await using` share the Const bit with more bits set: they stay as they are.
  const kind = list.flags & ts.NodeFlags.BlockScoped;
  const declaredOnce = () => list.declarations.every((d) => boundNames(ts, d.name).every((name) => varCounts.get(name) === 1));
  if (kind !== ts.NodeFlags.Const && !(kind === 0 && declaredOnce())) return statement;
  const letList = ts.setTextRange(f.createVariableDeclarationList(list.declarations, ts.NodeFlags.Let), list);
  return ts.setTextRange(f.updateVariableStatement(statement, ts.getModifiers(statement), letList), statement);
}

/** How often each name is declared at the cell's top level by var (or also by a function or class). */
function countVarNames(ts: typeof TS, statements: readonly TS.Statement[]): Map<string, number> {
  const counts = new Map<string, number>();
  const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const statement of statements) {
    if (ts.isVariableStatement(statement) && (statement.declarationList.flags & ts.NodeFlags.BlockScoped) === 0) {
      for (const declaration of statement.declarationList.declarations) boundNames(ts, declaration.name).forEach(count);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
      count(statement.name.text);
    }
  }
  return counts;
}

function boundNames(ts: typeof TS, name: TS.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  return name.elements.flatMap((element) => (ts.isBindingElement(element) ? boundNames(ts, element.name) : []));
}
