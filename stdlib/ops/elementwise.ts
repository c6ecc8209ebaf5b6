/**
 * Elementwise ops: each primitive's forward loop (an element expression, see loops.ts) sits
 * next to its backward rule written in these same differentiable ops. Binary ops broadcast
 * NumPy-style and accept plain numbers as weak scalars on either side; the engine, not these
 * rules, sums a broadcast gradient back to its input's shape.
 * The ops' Tensor methods (`x.exp()`) are declared and installed at the end of the file.
 */
import { Tensor, allocStorage, defineMethods, type DType, type Flavour, type TensorLike } from "../tensor.js";
import { binaryLoops, unaryLoops, broadcastStrides, type BinaryLoops, type UnaryLoops } from "./loops.js";
import { broadcastAll, broadcastShapes, sameShape } from "../shape.js";
import { defineOp, record, tracks, type OpRule } from "../autodiff/rule.js";
import { mode } from "../autodiff/mode.js";
import { describeNonTensor, fail } from "../errors.js";
import { fillInSlices } from "../slices.js";
import { expectDType, expectTensor } from "../args.js";

// ---------- machinery ----------

function promote(a: TensorLike, b: TensorLike): DType {
  const da = typeof a === "number" ? null : a.dtype;
  const db = typeof b === "number" ? null : b.dtype;
  if (da === "float64" || db === "float64") return "float64";
  if (da === "float32" || db === "float32") return "float32";
  return "float64"; // bool with bool or a number: arithmetic gives the default float
}

function flavourOf(a: TensorLike, b?: TensorLike): Flavour {
  return typeof a !== "number" ? a.flavour : typeof b === "object" ? b.flavour : "torch";
}

function checkOperand(x: unknown, op: string): void {
  if (typeof x !== "number" && !(x instanceof Tensor)) fail(`${op}: expected a Tensor or a number, got ${describeNonTensor(x)}`);
}


/** Runs a binary op's loops with broadcasting; `dtype` fixes the result type (bool for comparisons). */
function runBinary(name: string, loops: BinaryLoops, a: TensorLike, b: TensorLike, dtype: DType | null): Tensor {
  if (typeof a === "number") {
    if (typeof b === "number") return new Tensor(Float64Array.of(loops.scalar(a, b)), [], dtype ?? "float64", "torch");
    const bt = b instanceof Tensor ? b : (checkOperand(b, name) as never);
    const out = allocStorage(dtype ?? promote(a, bt), bt.size);
    if (bt.size === 1) out[0] = loops.scalar(a, bt["_data"][bt["_offset"]]!);
    else if (bt["_contig"]) loops.left(out, a, bt["_data"], bt["_offset"], bt.size);
    else loops.strided(out, Float64Array.of(a), 0, bt["_strides"].map(() => 0), bt["_data"], bt["_offset"], bt["_strides"], bt.shape);
    return new Tensor(out, bt.shape, dtype ?? promote(a, bt), bt.flavour);
  }
  if (!(a instanceof Tensor)) checkOperand(a, name);
  if (typeof b !== "number" && !(b instanceof Tensor)) checkOperand(b, name);
  const rdt = dtype ?? promote(a, b);
  if (typeof b === "number") {
    const out = allocStorage(rdt, a.size);
    if (a.size === 1) out[0] = loops.scalar(a["_data"][a["_offset"]]!, b);
    else if (a["_contig"]) loops.right(out, a["_data"], a["_offset"], b, a.size);
    else loops.strided(out, a["_data"], a["_offset"], a["_strides"], Float64Array.of(b), 0, a["_strides"].map(() => 0), a.shape);
    return new Tensor(out, a.shape, rdt, a.flavour);
  }
  // scalar graphs (the chapter's examples) spend most of their time here: skip the loops
  if (a.size === 1 && b.size === 1 && a.shape.length === b.shape.length && a.shape.length <= 1) {
    const out = rdt === "float64" ? new Float64Array(1) : allocStorage(rdt, 1);
    out[0] = loops.scalar(a["_data"][a["_offset"]]!, b["_data"][b["_offset"]]!);
    return new Tensor(out, a.shape, rdt, a.flavour);
  }
  if (sameShape(a.shape, b.shape)) {
    const out = allocStorage(rdt, a.size);
    if (a["_contig"] && b["_contig"]) loops.same(out, a["_data"], a["_offset"], b["_data"], b["_offset"], a.size);
    else if (a.shape.length === 0) out[0] = loops.scalar(a["_data"][a["_offset"]]!, b["_data"][b["_offset"]]!);
    else loops.strided(out, a["_data"], a["_offset"], a["_strides"], b["_data"], b["_offset"], b["_strides"], a.shape);
    return new Tensor(out, a.shape, rdt, a.flavour);
  }
  if (a.size === 1 && b["_contig"] && a.shape.length <= b.shape.length) {
    const out = allocStorage(rdt, b.size);
    loops.left(out, a["_data"][a["_offset"]]!, b["_data"], b["_offset"], b.size);
    return new Tensor(out, b.shape, rdt, a.flavour);
  }
  if (b.size === 1 && a["_contig"] && b.shape.length <= a.shape.length) {
    const out = allocStorage(rdt, a.size);
    loops.right(out, a["_data"], a["_offset"], b["_data"][b["_offset"]]!, a.size);
    return new Tensor(out, a.shape, rdt, a.flavour);
  }
  const shape = broadcastShapes(a.shape, b.shape, name);
  const out = new Tensor(allocStorage(rdt, 0), shape, rdt, a.flavour);
  out["_data"] = allocStorage(rdt, out.size);
  if (out.size > 0)
    loops.strided(out["_data"], a["_data"], a["_offset"], broadcastStrides(a.shape, a["_strides"], shape), b["_data"], b["_offset"], broadcastStrides(b.shape, b["_strides"], shape), shape);
  return out;
}

function binaryOp(op: OpRule, loops: BinaryLoops, a: TensorLike, b: TensorLike): Tensor {
  const out = runBinary(op.name, loops, a, b, null);
  if (mode.gradEnabled && (tracks(a) || tracks(b))) record(out, op, [a, b]);
  return out;
}

function runUnary(name: string, loops: UnaryLoops, a: Tensor, dtype: DType | null): Tensor {
  if (!(a instanceof Tensor)) checkOperand(a, name);
  const rdt = dtype ?? (a.dtype === "bool" ? "float64" : a.dtype);
  const out = allocStorage(rdt, a.size);
  if (a.size === 1) out[0] = loops.scalar(a["_data"][a["_offset"]]!);
  else if (a["_contig"]) loops.same(out, a["_data"], a["_offset"], a.size);
  else loops.strided(out, a["_data"], a["_offset"], a["_strides"], a.shape);
  return new Tensor(out, a.shape, rdt, a.flavour);
}

function unaryOp(op: OpRule, loops: UnaryLoops, a: TensorLike): Tensor {
  if (typeof a === "number") a = new Tensor(Float64Array.of(a), [], "float64", "torch");
  const out = runUnary(op.name, loops, a, null);
  if (mode.gradEnabled && tracks(a)) record(out, op, [a]);
  return out;
}

// ---------- binary arithmetic ----------

const addLoops = binaryLoops("a + b");
const Add = defineOp("add", (g) => [g, g]);
/**
 * a + b elementwise (what `a + b` on tensors compiles to), broadcasting NumPy-style: the result
 * has the broadcast shape. Numbers act as scalars; two numbers give a number. PyTorch `torch.add`
 * (without its `alpha`), NumPy `np.add`.
 * @example add(tensor([1, 2]), 10) // tensor([11., 12.])
 */
export function add(a: number, b: number): number;
export function add(a: TensorLike, b: TensorLike): Tensor;
export function add(a: TensorLike, b: TensorLike): TensorLike {
  if (typeof a === "number" && typeof b === "number") return a + b;
  return binaryOp(Add, addLoops, a, b);
}

const subLoops = binaryLoops("a - b");
const Sub = defineOp("sub", (g, _out, _in, _c, needs) => [g, needs[1] ? neg(g) : null]);
/**
 * a - b elementwise with broadcasting (what `a - b` compiles to). PyTorch `torch.sub` (without
 * its `alpha`), NumPy `np.subtract`.
 * @example sub(tensor([3, 5]), 1) // tensor([2., 4.])
 */
export function sub(a: number, b: number): number;
export function sub(a: TensorLike, b: TensorLike): Tensor;
export function sub(a: TensorLike, b: TensorLike): TensorLike {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return binaryOp(Sub, subLoops, a, b);
}

const mulLoops = binaryLoops("a * b");
const Mul = defineOp("mul", (g, _out, [a, b], _c, needs) => [needs[0] ? mul(g, b!) : null, needs[1] ? mul(g, a!) : null]);
/**
 * a · b elementwise with broadcasting (what `a * b` compiles to; the matrix product is `matmul`).
 * PyTorch `torch.mul`, NumPy `np.multiply`.
 * @example mul(tensor([1, 2]), tensor([[1], [10]])) // tensor([[ 1.,  2.], [10., 20.]]), shape [2, 2]
 */
export function mul(a: number, b: number): number;
export function mul(a: TensorLike, b: TensorLike): Tensor;
export function mul(a: TensorLike, b: TensorLike): TensorLike {
  if (typeof a === "number" && typeof b === "number") return a * b;
  return binaryOp(Mul, mulLoops, a, b);
}

const divLoops = binaryLoops("a / b");
// d(a/b)/db = -a/b² = -out/b: the rule reuses the output node itself.
const Div = defineOp("div", (g, out, [, b], _c, needs) => [needs[0] ? div(g, b!) : null, needs[1] ? neg(mul(g, div(out, b!))) : null]);
/**
 * a / b elementwise with broadcasting (what `a / b` compiles to); x/0 is ±Infinity or NaN, as
 * IEEE. PyTorch `torch.div` (true division, no `rounding_mode`), NumPy `np.divide`.
 * @example div(1, tensor([4])) // tensor([0.2500])
 */
export function div(a: number, b: number): number;
export function div(a: TensorLike, b: TensorLike): Tensor;
export function div(a: TensorLike, b: TensorLike): TensorLike {
  if (typeof a === "number" && typeof b === "number") return a / b;
  return binaryOp(Div, divLoops, a, b);
}

const powLoops = binaryLoops("b === 2 ? a * a : Math.pow(a, b)");
const Pow = defineOp("pow", (g, out, [a, b], _c, needs) => [
  !needs[0] ? null
    : typeof b === "number" ? (b === 0 ? mul(g, 0) : b === 2 ? mul(g, mul(a!, 2)) : mul(g, mul(pow(a!, b - 1), b)))
    : mul(g, mul(pow(a!, sub(b!, 1)), b!)),
  // d(a^b)/db = a^b log a, taken as 0 where a = 0 (as PyTorch) so 0^b does not give NaN.
  !needs[1] ? null
    : typeof a === "number" ? mul(g, mul(out, a === 0 ? 0 : Math.log(a)))
    : mul(g, mul(out, where(eq(a!, 0), 0, log(a!)))),
]);
/**
 * a^b elementwise with broadcasting (what `a ** b` compiles to). PyTorch `torch.pow`, NumPy
 * `np.power`.
 * @example pow(tensor([3, 4]), 2) // tensor([ 9., 16.])
 */
export function pow(a: number, b: number): number;
export function pow(a: TensorLike, b: TensorLike): Tensor;
export function pow(a: TensorLike, b: TensorLike): TensorLike {
  if (typeof a === "number" && typeof b === "number") return a ** b;
  return binaryOp(Pow, powLoops, a, b);
}

const remLoops = binaryLoops("a - Math.floor(a / b) * b");
const Remainder = defineOp("remainder", (g, _out, [a, b], _c, needs) => [
  needs[0] ? g : null,
  needs[1] ? neg(mul(g, floor(div(a!, b!)))) : null,
]);
/**
 * Python's `%` on tensors (what `a % b` compiles to), with broadcasting: the result has the sign
 * of the divisor (floored modulo). PyTorch `torch.remainder`, NumPy `np.mod`. Two plain numbers
 * keep JavaScript's `%` (the sign of the dividend).
 * @example remainder(tensor([-1, 5]), 3) // tensor([2., 2.])
 */
export function remainder(a: number, b: number): number;
export function remainder(a: TensorLike, b: TensorLike): Tensor;
export function remainder(a: TensorLike, b: TensorLike): TensorLike {
  if (typeof a === "number" && typeof b === "number") return a % b;
  return binaryOp(Remainder, remLoops, a, b);
}

// Ties split the gradient in half between both sides, as PyTorch does.
const maxLoops = binaryLoops("a > b || a !== a ? a : b");
const Maximum = defineOp("maximum", (g, _out, [a, b], _c, needs) => {
  const share = add(gt(a!, b!), mul(eq(a!, b!), 0.5));
  return [needs[0] ? mul(g, share) : null, needs[1] ? mul(g, sub(1, share)) : null];
});
/**
 * The larger of a and b elementwise, with broadcasting (NaN wins); ties split the gradient in
 * half, as PyTorch. PyTorch `torch.maximum`, NumPy `np.maximum`.
 * @example maximum(tensor([1, 5]), 3) // tensor([3., 5.])
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(Maximum, maxLoops, a, b);
}

const minLoops = binaryLoops("a < b || a !== a ? a : b");
const Minimum = defineOp("minimum", (g, _out, [a, b], _c, needs) => {
  const share = add(lt(a!, b!), mul(eq(a!, b!), 0.5));
  return [needs[0] ? mul(g, share) : null, needs[1] ? mul(g, sub(1, share)) : null];
});
/**
 * The smaller of a and b elementwise, with broadcasting (NaN wins); ties split the gradient in
 * half, as PyTorch. PyTorch `torch.minimum`, NumPy `np.minimum`.
 * @example minimum(tensor([1, 5]), 3) // tensor([1., 3.])
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp(Minimum, minLoops, a, b);
}

// ---------- comparisons (not differentiable: results are bool tensors) ----------

function comparison(expr: string, name: string) {
  const loops = binaryLoops(`(${expr}) ? 1 : 0`);
  function cmp(a: number, b: number): boolean;
  function cmp(a: TensorLike, b: TensorLike): Tensor;
  function cmp(a: TensorLike, b: TensorLike): Tensor | boolean {
    if (typeof a === "number" && typeof b === "number") return loops.scalar(a, b) === 1;
    return runBinary(name, loops, a, b, "bool");
  }
  return cmp;
}
/**
 * a < b elementwise with broadcasting, a bool tensor (what `a < b` on tensors compiles to).
 * PyTorch `torch.lt`, NumPy `np.less`.
 * @example lt(tensor([1, 3]), 2) // tensor([ True, False])
 */
export const lt = comparison("a < b", "lt");
/** a > b elementwise with broadcasting, a bool tensor. PyTorch `torch.gt`, NumPy `np.greater`. @example gt(tensor([1, 3]), 2) // tensor([False,  True]) */
export const gt = comparison("a > b", "gt");
/** a <= b elementwise with broadcasting, a bool tensor. PyTorch `torch.le`, NumPy `np.less_equal`. @example le(tensor([1, 3]), 1) // tensor([ True, False]) */
export const le = comparison("a <= b", "le");
/** a >= b elementwise with broadcasting, a bool tensor. PyTorch `torch.ge`, NumPy `np.greater_equal`. @example ge(tensor([1, 3]), 3) // tensor([False,  True]) */
export const ge = comparison("a >= b", "ge");
/**
 * a == b elementwise by value, a bool tensor (JavaScript's `===` on two tensors compares objects,
 * not values). PyTorch `torch.eq`, NumPy `np.equal`.
 * @example eq(tensor([1, 2]), 2) // tensor([False,  True])
 */
export const eq = comparison("a === b", "eq");
/** a != b elementwise by value, a bool tensor. PyTorch `torch.ne`, NumPy `np.not_equal`. @example ne(tensor([1, 2]), 2) // tensor([ True, False]) */
export const ne = comparison("a !== b", "ne");

// ---------- unary ----------

function unary(name: string, expr: string, vjp: OpRule["vjp"] | null, dtype: DType | null = null) {
  const loops = unaryLoops(expr);
  if (vjp === null) return (a: TensorLike): Tensor => runUnary(name, loops, typeof a === "number" ? new Tensor(Float64Array.of(a), [], "float64", "torch") : a, dtype);
  const op = defineOp(name, vjp);
  return (a: TensorLike): Tensor => unaryOp(op, loops, a);
}

// Each unary op is exported as a function declaration (not the `unary(...)` value itself) so
// that its doc comment travels with its type: the `torch` and `np` entries that are the same
// function (`np.exp`) are declared `typeof exp`, and the kernel's inspection shows this comment
// for them. The rule pair stays on one line: forward expression, then backward.
const Neg = unary("neg", "-a", (g) => [neg(g)]);
const Exp = unary("exp", "Math.exp(a)", (g, out) => [mul(g, out)]);
const Log = unary("log", "Math.log(a)", (g, _o, [a]) => [div(g, a!)]);
const Sqrt = unary("sqrt", "Math.sqrt(a)", (g, out) => [div(g, mul(out, 2))]);
const Square = unary("square", "a * a", (g, _o, [a]) => [mul(g, mul(a!, 2))]);
const Abs = unary("abs", "Math.abs(a)", (g, _o, [a]) => [mul(g, sign(a!))]);
// Piecewise constant: recorded with a zero gradient, as PyTorch does, so `sign(x).sum().backward()`
// gives zeros instead of refusing a result that depends on nothing; `g * 0` keeps the zero in the
// graph, so a gradient of the gradient is zero too.
const Sign = unary("sign", "a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : a", (g) => [mul(g, 0)]);
const Floor = unary("floor", "Math.floor(a)", (g) => [mul(g, 0)]);
const Sin = unary("sin", "Math.sin(a)", (g, _o, [a]) => [mul(g, cos(a!))]);
const Cos = unary("cos", "Math.cos(a)", (g, _o, [a]) => [neg(mul(g, sin(a!)))]);
const Tan = unary("tan", "Math.tan(a)", (g, out) => [mul(g, add(square(out), 1))]);
const Tanh = unary("tanh", "Math.tanh(a)", (g, out) => [mul(g, sub(1, square(out)))]);
const Sigmoid = unary("sigmoid", "1 / (1 + Math.exp(-a))", (g, out) => [mul(g, mul(out, sub(1, out)))]);
const Relu = unary("relu", "a > 0 ? a : (a === a ? 0 : a)", (g, _o, [a]) => [mul(g, gt(a!, 0))]);
// A predicate: a bool tensor, as PyTorch's and NumPy's isfinite give.
const Isfinite = unary("isfinite", "Number.isFinite(a) ? 1 : 0", null, "bool");

/**
 * -a elementwise (what unary `-t` compiles to); same shape. PyTorch `torch.neg`, NumPy `np.negative`.
 * @example neg(tensor([1, -2])) // tensor([-1.,  2.])
 */
export function neg(a: TensorLike): Tensor { return Neg(a); }
/**
 * e^a elementwise; same shape. PyTorch `torch.exp`, NumPy `np.exp`.
 * @example exp(tensor([0, 1])) // tensor([1.0000, 2.7183])
 */
export function exp(a: TensorLike): Tensor { return Exp(a); }
/**
 * Natural logarithm elementwise; same shape. log of a negative number is NaN, log 0 is -Infinity.
 * PyTorch `torch.log`, NumPy `np.log`.
 * @example log(tensor([1, Math.E])) // tensor([0., 1.])
 */
export function log(a: TensorLike): Tensor { return Log(a); }
/**
 * Square root elementwise; same shape (NaN for negatives). PyTorch `torch.sqrt`, NumPy `np.sqrt`.
 * @example sqrt(tensor([4, 9])) // tensor([2., 3.])
 */
export function sqrt(a: TensorLike): Tensor { return Sqrt(a); }
/**
 * a² elementwise; same shape. PyTorch `torch.square`, NumPy `np.square`.
 * @example square(tensor([-3, 2])) // tensor([9., 4.])
 */
export function square(a: TensorLike): Tensor { return Square(a); }
/**
 * |a| elementwise; same shape. Its derivative at 0 is taken as 0, as PyTorch does.
 * PyTorch `torch.abs`, NumPy `np.abs`.
 * @example abs(tensor([-3, 2])) // tensor([3., 2.])
 */
export function abs(a: TensorLike): Tensor { return Abs(a); }
/**
 * -1, 0 or 1 by the sign of each element (NaN stays NaN); same shape. Its gradient is 0
 * everywhere (0 at the jump too), as PyTorch's. PyTorch `torch.sign`, NumPy `np.sign`.
 * @example sign(tensor([-2, 0, 5])) // tensor([-1.,  0.,  1.])
 */
export function sign(a: TensorLike): Tensor { return Sign(a); }
/**
 * The largest integer ≤ each element, as a float; same shape. Its gradient is 0 everywhere, as
 * PyTorch's.
 * PyTorch `torch.floor`, NumPy `np.floor`.
 * @example floor(tensor([1.5, -1.5])) // tensor([ 1., -2.])
 */
export function floor(a: TensorLike): Tensor { return Floor(a); }
/**
 * sin a elementwise (radians); same shape. PyTorch `torch.sin`, NumPy `np.sin`.
 * @example sin(tensor([0, Math.PI / 2])) // tensor([0., 1.])
 */
export function sin(a: TensorLike): Tensor { return Sin(a); }
/**
 * cos a elementwise (radians); same shape. PyTorch `torch.cos`, NumPy `np.cos`.
 * @example cos(tensor([0])) // tensor([1.])
 */
export function cos(a: TensorLike): Tensor { return Cos(a); }
/**
 * tan a elementwise (radians); same shape. PyTorch `torch.tan`, NumPy `np.tan`.
 * @example tan(tensor([0])) // tensor([0.])
 */
export function tan(a: TensorLike): Tensor { return Tan(a); }
/**
 * Hyperbolic tangent elementwise, in (-1, 1); same shape. PyTorch `torch.tanh`, NumPy `np.tanh`.
 * @example tanh(tensor([0])) // tensor([0.])
 */
export function tanh(a: TensorLike): Tensor { return Tanh(a); }
/**
 * Logistic function 1/(1+e^(-a)) elementwise, in (0, 1); same shape. PyTorch `torch.sigmoid`
 * (NumPy has none; `np.sigmoid` here is the same function).
 * @example sigmoid(tensor([0])) // tensor([0.5000])
 */
export function sigmoid(a: TensorLike): Tensor { return Sigmoid(a); }
/**
 * max(a, 0) elementwise; same shape; its derivative at 0 is taken as 0, as PyTorch does.
 * PyTorch `torch.relu`.
 * @example relu(tensor([-1, 2])) // tensor([0., 2.])
 */
export function relu(a: TensorLike): Tensor { return Relu(a); }
/**
 * True where an element is neither infinite nor NaN: a bool tensor of the same shape. PyTorch
 * `torch.isfinite`, NumPy `np.isfinite`.
 * @example isfinite(tensor([1, Infinity, NaN])) // tensor([ True, False, False])
 */
export function isfinite(a: TensorLike): Tensor { return Isfinite(a); }

const castLoops = unaryLoops("a");
const Cast = defineOp("cast", (g, _o, [a]) => [cast(g, (a as Tensor).dtype)]);
/**
 * A copy converted to `dtype` (the tensor itself when it already has it); gradients flow back in
 * the source dtype. PyTorch `t.to(dtype)`, NumPy `a.astype(dtype)`.
 * @example cast(tensor([1.5]), "float32").dtype // "float32"
 */
export function cast(a: Tensor, dtype: DType): Tensor {
  expectTensor(a, "cast");
  expectDType(dtype, "cast");
  if (a.dtype === dtype) return a;
  const out = runUnary("cast", castLoops, a, dtype);
  if (dtype !== "bool" && a.dtype !== "bool" && mode.gradEnabled && tracks(a)) record(out, Cast, [a]);
  return out;
}

// ---------- where ----------

const whereLoops = unaryLoops("a");
function broadcastCopy(x: TensorLike, shape: readonly number[], dtype: DType): Storage {
  const n = shape.reduce((p, q) => p * q, 1);
  const out = allocStorage(dtype, n);
  if (typeof x === "number") return fillInSlices(out, x);
  if (shape.length === 0) return (out[0] = x["_data"][x["_offset"]]!), out;
  whereLoops.strided(out, x["_data"], x["_offset"], broadcastStrides(x.shape, x["_strides"], shape), shape);
  return out;
}
type Storage = ReturnType<typeof allocStorage>;

const Where = defineOp("where", (g, _o, [c], _ctx, needs) => [
  null,
  needs[1] ? where(c!, g, 0) : null,
  needs[2] ? where(c!, 0, g) : null,
]);
/**
 * Picks from `a` where `cond` is true (non-zero) and from `b` elsewhere; the three broadcast to
 * one shape. Gradients flow to the side picked. PyTorch `torch.where(cond, a, b)`, NumPy
 * `np.where` (the three-argument form only).
 * @example where(gt(tensor([-1, 2]), 0), tensor([-1, 2]), 0) // tensor([0., 2.]): relu written with where
 */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  for (const t of [cond, a, b]) checkOperand(t, "where");
  const shapeOf = (t: TensorLike) => (typeof t === "number" ? [] : t.shape);
  const shape = broadcastAll([shapeOf(cond), shapeOf(a), shapeOf(b)], "where", ["cond", "a", "b"]);
  const dtype = promote(a, b);
  const c = broadcastCopy(cond, shape, "float64");
  const x = broadcastCopy(a, shape, dtype);
  const y = broadcastCopy(b, shape, dtype);
  for (let i = 0; i < c.length; i++) if (c[i] === 0) x[i] = y[i]!;
  const out = new Tensor(x, shape, dtype, flavourOf(cond, typeof a === "number" ? b : a));
  if (mode.gradEnabled && (tracks(a) || tracks(b))) record(out, Where, [cond, a, b]);
  return out;
}

// ---------- Tensor methods ----------

declare module "../tensor.js" {
  interface Tensor {
    /** Converts to another dtype (differentiable between float dtypes). */
    astype(dtype: DType): Tensor;
    /** A float32 copy (PyTorch `t.float()`), differentiable. @example tensor([1]).float().dtype // "float32" */
    float(): Tensor;
    /** A float64 copy (PyTorch `t.double()`), differentiable. @example tensor([1]).double().dtype // "float64" */
    double(): Tensor;
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor;
    remainder(b: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    square(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    floor(): Tensor;
    isfinite(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tan(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    lt(b: TensorLike): Tensor;
    gt(b: TensorLike): Tensor;
    le(b: TensorLike): Tensor;
    ge(b: TensorLike): Tensor;
    eq(b: TensorLike): Tensor;
    ne(b: TensorLike): Tensor;
  }
}

defineMethods({
  astype(dtype) { return cast(this, dtype); },
  float() { return cast(this, "float32"); },
  double() { return cast(this, "float64"); },
  add(b) { return add(this, b); },
  sub(b) { return sub(this, b); },
  mul(b) { return mul(this, b); },
  div(b) { return div(this, b); },
  pow(b) { return pow(this, b); },
  remainder(b) { return remainder(this, b); },
  neg() { return neg(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  sqrt() { return sqrt(this); },
  square() { return square(this); },
  abs() { return abs(this); },
  sign() { return sign(this); },
  floor() { return floor(this); },
  isfinite() { return isfinite(this); },
  sin() { return sin(this); },
  cos() { return cos(this); },
  tan() { return tan(this); },
  tanh() { return tanh(this); },
  sigmoid() { return sigmoid(this); },
  relu() { return relu(this); },
  maximum(b) { return maximum(this, b); },
  minimum(b) { return minimum(this, b); },
  lt(b) { return lt(this, b); },
  gt(b) { return gt(this, b); },
  le(b) { return le(this, b); },
  ge(b) { return ge(this, b); },
  eq(b) { return eq(this, b); },
  ne(b) { return ne(this, b); },
});
