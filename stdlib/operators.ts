/**
 * The runtime behind `+ - * / ** %`, unary `-`/`+` and `< > <= >=` on tensors in kernel cells.
 *
 * The kernel's cell compiler (kernel/typescript/operators/rewrite.ts) rewrites an operator whose operand
 * types involve a Tensor into a call on the single exported object `__gradlabOps`, a name no
 * user picks by accident. This module only forwards to the library's differentiable ops
 * (add, sub, ...), so autodiff flows through an operator exactly as through the method call.
 * It knows nothing of TypeScript's compiler; its types, though, are what the compiler checks the
 * rewritten cell against, so they are part of the contract:
 *
 * - `__gradlabOps.add(a, b)` and friends: used where an operand is statically a Tensor. Always
 *   returns a Tensor (two plain numbers, possible through a `Tensor | number` union, become a
 *   0-d tensor), so the runtime value matches the static type.
 * - `__gradlabOps.dynamic.add(a, b)` and friends: used where an operand is `any`. They dispatch
 *   at run time (a tensor operand → the tensor op; otherwise JavaScript's own operator), so the
 *   result is right whether the `any` holds a number or a tensor. Their generic result types
 *   (`AddResult<A, B>`, ...) say Tensor when an operand is a Tensor, `any` when one is `any`,
 *   and JavaScript's own result type otherwise; the compiler also uses them to infer which
 *   expressions of a cell are tensors.
 * - `__gradlabOps.truth(c, "a > b")`, `__gradlabOps.bool(t, "t")`: a comparison, or a Tensor-typed
 *   expression, that JavaScript tests for truth (`if`, `while`, `?:`, `!`, ...), read as
 *   PyTorch's `bool(t)`; `orOperand` / `andOperand`: the left side of a value `t || x` / `t && x`.
 * - `__gradlabOps.invalid(op, a, b)`: stands in for an operator the compiler rejected (a tensor
 *   with a string, say), whose diagnostic it reports itself; if that cell runs anyway it throws.
 *
 * Element access `t[i]` compiles to the method `t.at(i)` and needs nothing here.
 */
import { isTensor, type Tensor, type TensorLike } from "./tensor.js";
import { operatorErrorMessage } from "./operator-message.js";
import { GradlabError, showShape } from "./errors.js";
import { mode } from "./autodiff/mode.js";
import { tensor } from "./creation.js";
import { add, sub, mul, div, pow, remainder, neg, lt, gt, le, ge } from "./ops/elementwise.js";

/** True exactly when T is `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;
/** True when T is a Tensor, a subclass, or a union with a tensor member (but not `any`). */
type HasTensor<T> = IsAny<T> extends true ? false : [Extract<T, Tensor>] extends [never] ? false : true;
type EitherTensor<A, B> = HasTensor<A> extends true ? true : HasTensor<B>;
type EitherAny<A, B> = IsAny<A> extends true ? true : IsAny<B>;
type BothBigInt<A, B> = [A] extends [bigint] ? ([B] extends [bigint] ? true : false) : false;

/** The type of `a + b`: Tensor if either is one, `any` if either is `any`, else JavaScript's. */
export type AddResult<A, B> = EitherTensor<A, B> extends true ? Tensor
  : EitherAny<A, B> extends true ? any
  : [A] extends [string] ? string : [B] extends [string] ? string
  : BothBigInt<A, B> extends true ? bigint : number;
/** The type of `a - b`, `a * b`, `a / b`, `a ** b`, `a % b`. */
export type ArithmeticResult<A, B> = EitherTensor<A, B> extends true ? Tensor
  : EitherAny<A, B> extends true ? any
  : BothBigInt<A, B> extends true ? bigint : number;
/** The type of `a < b` and the other orderings: a bool Tensor when a tensor is involved. */
export type CompareResult<A, B> = EitherTensor<A, B> extends true ? Tensor
  : EitherAny<A, B> extends true ? any : boolean;
/** The type of `-a`. */
export type NegateResult<A> = HasTensor<A> extends true ? Tensor
  : IsAny<A> extends true ? any : [A] extends [bigint] ? bigint : number;
/** The type of `+a`: a tensor stays itself (PyTorch's `+t`); anything else becomes a number. */
export type PlusResult<A> = HasTensor<A> extends true ? Tensor : IsAny<A> extends true ? any : number;

type Binary = (a: TensorLike, b: TensorLike) => Tensor;

/** Two plain numbers reach a tensor helper only through a `Tensor | number` operand: keep the static type honest. */
function tensorResult(op: (a: TensorLike, b: TensorLike) => TensorLike): Binary {
  return (a, b) => {
    const out = op(a, b);
    return isTensor(out) ? out : scalar(out);
  };
}

function scalar(x: number | boolean): Tensor {
  return tensor(Number(x));
}

const tensorAdd = tensorResult(add);
const tensorSub = tensorResult(sub);
const tensorMul = tensorResult(mul);
const tensorDiv = tensorResult(div);
const tensorPow = tensorResult(pow);
const tensorRemainder = tensorResult(remainder);
const tensorLt = tensorResult(lt);
const tensorGt = tensorResult(gt);
const tensorLe = tensorResult(le);
const tensorGe = tensorResult(ge);

/** How a run-time value is named in an operator error, like TypeScript names static types. */
function typeName(x: unknown): string {
  if (isTensor(x)) return "Tensor";
  if (x === null) return "null";
  if (Array.isArray(x)) return "array";
  return typeof x;
}


function operatorError(operator: string, a: unknown, b?: unknown, binary = true): TypeError {
  return new TypeError(operatorErrorMessage(operator, typeName(a), binary ? typeName(b) : undefined));
}

/** A tensor met an `any` operand at run time: the tensor op if the other is a tensor or number. */
function tensorOperands(operator: string, op: Binary, a: unknown, b: unknown): Tensor {
  if ((isTensor(a) || typeof a === "number") && (isTensor(b) || typeof b === "number")) return op(a, b);
  throw operatorError(operator, a, b);
}

// Run-time dispatch for `any` operands. Each is its own function with a fast path for two
// numbers, so a loop over `any` numbers keeps JavaScript's speed within a small factor
// (a shared dispatching closure made such loops tens of times slower).
function dynamicAdd(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a + b;
  return isTensor(a) || isTensor(b) ? tensorOperands("+", tensorAdd, a, b) : a + b;
}
function dynamicSub(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return isTensor(a) || isTensor(b) ? tensorOperands("-", tensorSub, a, b) : a - b;
}
function dynamicMul(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return isTensor(a) || isTensor(b) ? tensorOperands("*", tensorMul, a, b) : a * b;
}
function dynamicDiv(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a / b;
  return isTensor(a) || isTensor(b) ? tensorOperands("/", tensorDiv, a, b) : a / b;
}
function dynamicPow(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a ** b;
  return isTensor(a) || isTensor(b) ? tensorOperands("**", tensorPow, a, b) : a ** b;
}
function dynamicRemainder(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a % b;
  return isTensor(a) || isTensor(b) ? tensorOperands("%", tensorRemainder, a, b) : a % b;
}
function dynamicLt(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a < b;
  return isTensor(a) || isTensor(b) ? tensorOperands("<", tensorLt, a, b) : a < b;
}
function dynamicGt(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a > b;
  return isTensor(a) || isTensor(b) ? tensorOperands(">", tensorGt, a, b) : a > b;
}
function dynamicLe(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a <= b;
  return isTensor(a) || isTensor(b) ? tensorOperands("<=", tensorLe, a, b) : a <= b;
}
function dynamicGe(a: any, b: any): any {
  if (typeof a === "number" && typeof b === "number") return a >= b;
  return isTensor(a) || isTensor(b) ? tensorOperands(">=", tensorGe, a, b) : a >= b;
}

/**
 * The new value of a compound assignment's target (`w -= lr * w.grad`). PyTorch updates `w` in
 * place, so inside `torch.no_grad` it stays the leaf it was, requiring gradients, with its `.grad`;
 * MXNet's `v -= lr * v.grad` outside `autograd.record` keeps `v` attached. gradlab's tensors cannot
 * change, so the new tensor takes over those roles from the old one; where the update is recorded
 * (outside `noGrad`), it is an ordinary op.
 */
function updated<T>(target: unknown, result: T): T {
  if (!isTensor(target) || !isTensor(result) || result === target || !target.requiresGrad || !target.isLeaf || !result.isLeaf) return result;
  const attached = target["_recordOnly"];
  if (attached ? mode.recordDepth > 0 : mode.gradEnabled) return result;
  if (attached) result.attachGrad();
  else result.requiresGrad_();
  result.grad = target.grad;
  return result;
}

/**
 * Whether `.any()` can follow `written` without parentheses: a name, property, call or element
 * read chain (`t`, `o.loss`, `t.mul(2)`, `m[0]`): outside brackets only names, `.`, `?.` and `!`.
 */
function isPostfixChain(written: string): boolean {
  let depth = 0;
  for (const c of written) {
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (depth === 0 && !/[\w$.?!]/.test(c)) return false;
  }
  return depth === 0 && /^[\w$]/.test(written);
}

/**
 * PyTorch's `bool(t)` for a tensor a cell tests for truth: its one element; any other size has
 * no single truth value, and the message says what to write instead, in the cell's own words.
 */
function tensorTruth(value: Tensor, written: string): boolean {
  if (value.size === 1) return Boolean(value.item());
  const shown = isPostfixChain(written) ? written : `(${written})`;
  if (value.size === 0) {
    throw new GradlabError(
      `a condition needs one true-or-false value, but \`${written}\` is an empty tensor (shape ${showShape(value.shape)}), which has none: to ask whether it has elements, write \`${shown}.size > 0\``,
    );
  }
  throw new GradlabError(
    `a condition needs one true-or-false value, but \`${written}\` is a tensor of shape ${showShape(value.shape)} (${value.size} elements), ` +
      `which has none (PyTorch: "Boolean value of Tensor with more than one value is ambiguous"): ` +
      `write \`${shown}.any()\` for "some element is nonzero", \`${shown}.all()\` for "every element is", or test one element with \`${shown}.at(i)\``,
  );
}

/**
 * The helpers the kernel's compiler calls in place of operators on tensors. Not meant to be
 * called by hand: write the operator (or the method, `a.add(b)`).
 *
 * @example
 * // In a cell, `(w + x) ** 2` with tensors w, x compiles to
 * __gradlabOps.pow(__gradlabOps.add(w, x), 2); // the same as w.add(x).pow(2)
 */
export const __gradlabOps = {
  add: tensorAdd as (a: TensorLike, b: TensorLike) => Tensor,
  sub: tensorSub as (a: TensorLike, b: TensorLike) => Tensor,
  mul: tensorMul as (a: TensorLike, b: TensorLike) => Tensor,
  div: tensorDiv as (a: TensorLike, b: TensorLike) => Tensor,
  pow: tensorPow as (a: TensorLike, b: TensorLike) => Tensor,
  remainder: tensorRemainder as (a: TensorLike, b: TensorLike) => Tensor,
  lt: tensorLt as (a: TensorLike, b: TensorLike) => Tensor,
  gt: tensorGt as (a: TensorLike, b: TensorLike) => Tensor,
  le: tensorLe as (a: TensorLike, b: TensorLike) => Tensor,
  ge: tensorGe as (a: TensorLike, b: TensorLike) => Tensor,
  neg: (a: TensorLike): Tensor => neg(a),
  /** Unary `+` on a tensor is the tensor itself, as PyTorch's `+t`. */
  pos: (a: TensorLike): Tensor => (isTensor(a) ? a : scalar(+a)),
  dynamic: {
    add: dynamicAdd as <A, B>(a: A, b: B) => AddResult<A, B>,
    sub: dynamicSub as <A, B>(a: A, b: B) => ArithmeticResult<A, B>,
    mul: dynamicMul as <A, B>(a: A, b: B) => ArithmeticResult<A, B>,
    div: dynamicDiv as <A, B>(a: A, b: B) => ArithmeticResult<A, B>,
    pow: dynamicPow as <A, B>(a: A, b: B) => ArithmeticResult<A, B>,
    remainder: dynamicRemainder as <A, B>(a: A, b: B) => ArithmeticResult<A, B>,
    lt: dynamicLt as <A, B>(a: A, b: B) => CompareResult<A, B>,
    gt: dynamicGt as <A, B>(a: A, b: B) => CompareResult<A, B>,
    le: dynamicLe as <A, B>(a: A, b: B) => CompareResult<A, B>,
    ge: dynamicGe as <A, B>(a: A, b: B) => CompareResult<A, B>,
    neg: ((a: any): any => (isTensor(a) ? neg(a) : -a)) as <A>(a: A) => NegateResult<A>,
    pos: ((a: any): any => (isTensor(a) ? a : +a)) as <A>(a: A) => PlusResult<A>,
  },
  /**
   * A comparison JavaScript tests for truth (`if (loss > 1)`, `while (x > 0)`): a tensor is read
   * as PyTorch's `bool(t)`, its one element; any object would be truthy, so `if (t > 100)` would
   * always be taken. `written` is the comparison as the cell wrote it, for the message.
   */
  truth(value: unknown, written: string): boolean {
    if (!isTensor(value)) return value as boolean;
    if (value.size === 1) return Boolean(value.item());
    throw new GradlabError(
      `a condition needs one true-or-false value, but \`${written}\` gave a tensor of shape ${showShape(value.shape)} (${value.size} elements): test one element with \`.at(i)\`, or count the true ones: \`(${written}).sum() > 0\``,
    );
  },
  /**
   * A tensor-typed expression JavaScript tests for truth (`if (t)`, `while (flag)`, `t ? a : b`,
   * `!t`): read as PyTorch's `bool(t)`, since any object would be truthy. `written` is the
   * expression as the cell wrote it, for the message.
   */
  bool(value: unknown, written: string): boolean {
    return isTensor(value) ? tensorTruth(value, written) : Boolean(value);
  },
  /**
   * The left side of `t || x` where the whole is a value (`const y = t || x`), compiled to
   * `(orOperand(t, "t") ?? x)`: Python's `t or x` is `t` when `bool(t)`, else `x`. Never
   * `undefined` for a tensor, so `??` takes the right side exactly when `t` reads as false.
   */
  orOperand<T>(value: T, written: string): T | undefined {
    return isTensor(value) ? (tensorTruth(value, written) ? value : undefined) : value || undefined;
  },
  /** The left side of `t && x` as a value: Python's `t and x` is `t` when it reads as false, else `x` (see `orOperand`). */
  andOperand<T>(value: T, written: string): T | undefined {
    return isTensor(value) ? (tensorTruth(value, written) ? undefined : value) : value ? undefined : value;
  },
  updated,
  /** Stands in for an operator the compiler reported as a type error; throws if run anyway. */
  invalid(operator: string, a: unknown, b?: unknown): any {
    throw operatorError(operator, a, b, arguments.length > 2);
  },
};
