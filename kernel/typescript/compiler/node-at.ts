/**
 * Finding the syntax node at a position of a source file, for the language features (completion
 * kinds, inspection) that ask the checker about what is under the cursor.
 */
import type * as TS from "typescript";
import type { Syntax } from "./syntax.js";

/**
 * The deepest node whose range (leading trivia included) holds `position`.
 *
 * @example
 * deepestNodeAt(sourceFile, 4); // the Identifier `x` in "let x = 1"
 */
export function deepestNodeAt(sourceFile: TS.SourceFile, position: number): TS.Node | undefined {
  let deepest: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (node.pos > position || node.end < position) return;
    deepest = node;
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return deepest;
}

/**
 * The identifier the cursor is in or just after (TypeScript 6's trees or the native checker's,
 * read through `ts`).
 *
 * @example
 * identifierAt(ts, sourceFile, 3); // the Identifier `grad` in "grad(f)"
 */
export function identifierAt(ts: Syntax, sourceFile: TS.SourceFile, position: number): TS.Identifier | undefined {
  let found: TS.Identifier | undefined;
  const visit = (node: TS.Node): void => {
    if (found || node.pos > position || node.end < position) return;
    if (ts.isIdentifier(node) && node.getStart(sourceFile) <= position) found = node;
    else node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return found;
}
