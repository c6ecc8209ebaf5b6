/**
 * The one sentence for an operator that tensors do not support (a tensor plus a string, say),
 * worded like TypeScript's own "Operator '+' cannot be applied to types ..." with a hint for a
 * student. The kernel's operator rewrite reports it as a compile-time diagnostic and
 * stdlib/operators.ts throws it at run time; this module imports nothing, so the kernel's type
 * checker can use it without loading the library.
 *
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
