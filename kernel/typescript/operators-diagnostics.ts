/**
 * The compile-time error for an operator the tensor rewrite rejects (a tensor with a string,
 * say), worded like TypeScript's own "Operator '+' cannot be applied to types ..." and with a
 * hint for a student. stdlib/operators.ts throws the same sentence at run time; a test keeps
 * the two in step.
 */
import type * as TS from "typescript";

/** TypeScript's code for "Operator '{0}' cannot be applied to types '{1}' and '{2}'." */
export const OPERATOR_ERROR_CODE = 2365;

/**
 * @example operatorErrorMessage("+", "Tensor", "string")
 * // "Operator '+' cannot be applied to types 'Tensor' and 'string'. Tensor operators take ..."
 */
export function operatorErrorMessage(operator: string, left: string, right?: string): string {
  const types = right === undefined ? `type '${left}'` : `types '${left}' and '${right}'`;
  let hint = " Tensor operators take tensors and numbers.";
  if (operator.startsWith("+") && (left === "string" || right === "string")) {
    hint += " To build text, use a template string such as `loss: ${t}`.";
  }
  return `Operator '${operator}' cannot be applied to ${types}.${hint}`;
}

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
