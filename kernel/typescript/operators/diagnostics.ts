/**
 * The compile-time error for an operator the tensor rewrite rejects (a tensor with a string,
 * say), worded like TypeScript's own "Operator '+' cannot be applied to types ..." and with a
 * hint for a student (stdlib/operator-message.ts, shared with the run-time check).
 */
import type * as TS from "typescript";
import { operatorErrorMessage } from "../../../stdlib/operator-message.js";

export { operatorErrorMessage };

/** TypeScript's code for "Operator '{0}' cannot be applied to types '{1}' and '{2}'." */
export const OPERATOR_ERROR_CODE = 2365;

/** An error diagnostic spanning `node` in `sourceFile` (original positions). */
export function operatorDiagnostic(ts: typeof TS, sourceFile: TS.SourceFile, node: TS.Node, operator: string, left: string, right?: string): TS.Diagnostic {
  const start = node.getStart(sourceFile);
  return {
    file: sourceFile,
    start,
    length: node.end - start,
    messageText: operatorErrorMessage(operator, left, right),
    category: ts.DiagnosticCategory.Error,
    code: OPERATOR_ERROR_CODE,
    source: "gradlab",
  };
}
