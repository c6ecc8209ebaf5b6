/**
 * Sorts operand types into the few classes the operator rewrite cares about, using the type
 * checker, and decides from them how a site is compiled. The Tensor type is found through the
 * runtime helpers' own declaration (`__gradlabOps.neg` returns a Tensor), so it is exactly the
 * stdlib's class whatever name a cell gives it; subclasses, type parameters constrained to it
 * and unions are handled by assignability.
 */
import type * as TS from "typescript";
import type { Syntax } from "../compiler/syntax.js";
import { OPS, type OperatorMode } from "./emit.js";

/**
 * - tensor: a Tensor, or a union of tensors and numbers with at least one tensor;
 * - mixed: a union holding a tensor and something that is neither tensor nor number;
 * - any: `any` (including the checker's error type);
 * - number: assignable to number (literals, numeric enums, never);
 * - other: everything else (string, bigint, objects, unknown, ...).
 */
export type OperandClass = "tensor" | "mixed" | "any" | "number" | "other";

export interface OperandTypes {
  ts: Syntax;
  checker: TS.TypeChecker;
  tensor: TS.Type;
  number: TS.Type;
}

/**
 * The stdlib's Tensor type as seen from `sourceFile`, or undefined when the runtime helpers are
 * not in scope (then no operator can be a tensor operator).
 */
export function findTensorType(ts: Syntax, checker: TS.TypeChecker, sourceFile: TS.SourceFile): TS.Type | undefined {
  let symbol = checker.resolveName(OPS, sourceFile, ts.SymbolFlags.Value, false);
  if (!symbol) return undefined;
  // The kernel's prelude makes library exports global through import aliases.
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const neg = checker.getPropertyOfType(checker.getTypeOfSymbol(symbol), "neg");
  if (!neg) return undefined;
  const signature = checker.getTypeOfSymbol(neg).getCallSignatures()[0];
  return signature ? checker.getReturnTypeOfSignature(signature) : undefined;
}

function isAny(ts: Syntax, type: TS.Type): boolean {
  return (type.flags & ts.TypeFlags.Any) !== 0;
}

function isTensorMember(t: OperandTypes, type: TS.Type): boolean {
  return !isAny(t.ts, type) && (type.flags & t.ts.TypeFlags.Never) === 0 && t.checker.isTypeAssignableTo(type, t.tensor);
}

/**
 * The result types of stdlib/operators.ts's `dynamic` helpers. With a generic operand
 * (`<T extends Tensor>(a: T) => a * 2`) the checker leaves them unresolved, so their type
 * arguments are classified instead.
 */
const RESULT_TYPES = new Set(["AddResult", "ArithmeticResult", "CompareResult", "NegateResult", "PlusResult"]);

function classifyDeferredResult(t: OperandTypes, type: TS.Type): OperandClass | undefined {
  if (!(type.flags & t.ts.TypeFlags.Conditional) || !type.aliasSymbol || !RESULT_TYPES.has(type.aliasSymbol.name)) return undefined;
  const classes = (type.aliasTypeArguments ?? []).map((arg) => classifyType(t, arg));
  if (classes.includes("tensor")) return "tensor";
  if (classes.includes("any")) return "any";
  return classes.every((c) => c === "number") ? "number" : "other";
}

/** @example classifyType(types, checker.getTypeAtLocation(node)) // "tensor" for `w` */
export function classifyType(t: OperandTypes, type: TS.Type): OperandClass {
  const { ts, checker } = t;
  if (isAny(ts, type)) return "any";
  const deferred = classifyDeferredResult(t, type);
  if (deferred) return deferred;
  if (checker.isTypeAssignableTo(type, t.number)) return "number";
  if (isTensorMember(t, type)) return "tensor";
  if (type.isUnion()) {
    let tensors = 0;
    let others = 0;
    for (const member of type.types) {
      if (isTensorMember(t, member)) tensors++;
      else if (!checker.isTypeAssignableTo(member, t.number)) others++;
    }
    if (tensors > 0) return others > 0 ? "mixed" : "tensor";
  }
  return "other";
}

/** Whether `t[i]` on this receiver type means `t.at(i)`: every member is a tensor. */
export function isTensorReceiver(t: OperandTypes, type: TS.Type): boolean {
  return isTensorMember(t, type);
}

/**
 * Whether an expression of this type, tested for truth, is read as PyTorch's `bool(t)`: a Tensor
 * (a subclass, a type parameter bounded by it), never a union: `Tensor | undefined` in `if (best)`
 * is an existence check, whose narrowing and meaning stay JavaScript's.
 */
export function isTruthTensor(t: OperandTypes, type: TS.Type): boolean {
  return !type.isUnion() && isTensorMember(t, type);
}

/**
 * How an operator with these operand classes compiles (one class for unary operators).
 *
 * @example operatorMode("tensor", "number") // "tensor"
 * @example operatorMode("any", "number")    // "dynamic"
 * @example operatorMode("tensor", "other")  // "invalid" (say, a tensor plus a string)
 */
export function operatorMode(left: OperandClass, right: OperandClass = left): OperatorMode {
  if (left === "mixed" || right === "mixed") return "invalid";
  if (left === "tensor" || right === "tensor") {
    const other = left === "tensor" ? right : left;
    return other === "other" ? "invalid" : "tensor";
  }
  if (left === "any" || right === "any") return "dynamic";
  return "native";
}
