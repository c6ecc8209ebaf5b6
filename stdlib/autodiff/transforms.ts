/**
 * The functional flavour (JAX-style): grad, valueAndGrad, vjp, jvp, jacobian, hessian, hvp. Each
 * call wraps its inputs in fresh nodes and stops the engine there, so nested transforms never mix
 * levels; the backward pass records itself whenever an enclosing transform (or a tracked input)
 * will differentiate the result again.
 */
import { Tensor, type TensorLike } from "../tensor.js";
import { mode } from "./mode.js";
import { defineOp, record, tracks } from "./rule.js";
import { gradients } from "./backward.js";
import { describeNonTensor, fail, showShape } from "../errors.js";
import { asTensor, fullLike, zerosLike } from "../creation.js";
import { mul } from "../ops/elementwise.js";
import { sum } from "../ops/reduce.js";
import { reshape, stack } from "../ops/shape-ops.js";
import { add } from "../ops/elementwise.js";
import { checkOptions, describeValue } from "../args.js";

/** Refuses a point to differentiate at that is neither a Tensor nor a number, as diffInput does, before any of them is read. */
function checkPoints(xs: readonly unknown[], who: string): void {
  if (!Array.isArray(xs)) fail(`${who}: expected an array of Tensors or numbers, got ${describeValue(xs)}`);
  for (const x of xs)
    if (typeof x !== "number" && !(x instanceof Tensor)) fail(`${who}: the argument to differentiate must be a Tensor or a number, got ${describeNonTensor(x)}`);
}

type Fn = (...args: any[]) => TensorLike;

const Identity = defineOp("identity", (g) => [g]);

/** Fails at once when `f` is not a function: otherwise "f is not a function" came only later, from inside the library. */
function checkFunction(f: unknown, who: string): void {
  if (typeof f !== "function") fail(`${who}: the first argument is the function to differentiate, e.g. ${who}((x: Tensor) => (x ** 2).sum()); got ${describeNonTensor(f)}`);
}

/** A new node standing for `x` at this transform's level (linked to x when x is itself tracked). */
function diffInput(x: TensorLike, who: string): Tensor {
  // Float64Array.of([1, 2]) is NaN: an array here made every gradient NaN without a word.
  if (typeof x !== "number" && !(x instanceof Tensor)) fail(`${who}: the argument to differentiate must be a Tensor or a number, got ${describeNonTensor(x)}`);
  const t = asTensor(x);
  const node = new Tensor(t["_data"], t.shape, t.dtype === "bool" ? "float64" : t.dtype, t.flavour, t["_strides"], t["_offset"]);
  if (tracks(t)) record(node, Identity, [t]);
  else node.requiresGrad = true;
  return node;
}

function enter<T>(fn: () => T): T {
  const prev = mode.gradEnabled;
  mode.gradEnabled = true;
  mode.transformDepth++;
  mode.recordDepth++;
  try {
    return fn();
  } finally {
    mode.gradEnabled = prev;
    mode.transformDepth--;
    mode.recordDepth--;
  }
}

function asOutput(y: unknown, who: string): Tensor {
  if (y instanceof Tensor) return y;
  if (typeof y === "number") return new Tensor(Float64Array.of(y), [], "float64", "torch");
  return fail(`${who}: the function must return a Tensor or a number, got ${y === null ? "null" : typeof y}`);
}

function argList(argnums: number | readonly number[]): number[] {
  return typeof argnums === "number" ? [argnums] : [...argnums];
}

/** Options of `grad` and `valueAndGrad`: which arguments to differentiate (JAX's `argnums`). */
export interface GradOptions {
  /** Which positional arguments to differentiate (default 0); an array gives an array of gradients. */
  argnums?: number | readonly number[];
}

function valueAndGradAt(f: Fn, args: TensorLike[], argnums: number | readonly number[], who: string): [Tensor, Tensor | Tensor[]] {
  checkPoints(args, who);
  return enter(() => {
    const nums = argList(argnums);
    for (const i of nums) if (i < 0 || i >= args.length) fail(`${who}: argnums ${i} but the function got ${args.length} argument(s)`);
    const outer = nums.some((i) => tracks(args[i]!));
    const xs = nums.map((i) => diffInput(args[i]!, who));
    const call = args.slice();
    nums.forEach((i, k) => (call[i] = xs[k]!));
    const y = asOutput(f(...call), who);
    if (y.size !== 1)
      fail(
        `${who}: the function must return a scalar (one element), but it returned shape ${showShape(y.shape)}. ` +
          `Use jacobian(f) for a vector-valued function, or reduce the output first (e.g. sum or mean).`,
      );
    const createGraph = mode.transformDepth > 1 || outer;
    const gs = gradients(y, xs, undefined, createGraph);
    const value = createGraph ? y : y.detach();
    return [value, typeof argnums === "number" ? gs[0]! : gs];
  });
}

/**
 * The gradient function of a scalar-valued `f`. Nests: `grad(grad(f))` is the second derivative.
 * @example grad((x: Tensor) => x.pow(3))(2).item() // 12
 */
export function grad(f: Fn, options: GradOptions & { argnums: readonly number[] }): (...args: TensorLike[]) => Tensor[];
export function grad(f: Fn, options?: GradOptions): (...args: TensorLike[]) => Tensor;
export function grad(f: Fn, options: GradOptions = {}): (...args: TensorLike[]) => Tensor | Tensor[] {
  checkFunction(f, "grad");
  checkOptions(options, "grad", ["argnums"]);
  return (...args) => valueAndGradAt(f, args, options.argnums ?? 0, "grad")[1];
}

/** Like `grad`, returning `[value, gradient]` from one evaluation. */
export function valueAndGrad(f: Fn, options: GradOptions & { argnums: readonly number[] }): (...args: TensorLike[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: Fn, options?: GradOptions): (...args: TensorLike[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, options: GradOptions = {}): (...args: TensorLike[]) => [Tensor, Tensor | Tensor[]] {
  checkFunction(f, "valueAndGrad");
  checkOptions(options, "valueAndGrad", ["argnums"]);
  return (...args) => valueAndGradAt(f, args, options.argnums ?? 0, "valueAndGrad");
}

/**
 * `[f(...primals), pullback]` where `pullback(v)` gives vᵀ·∂f/∂primal_i for every primal.
 * @example const [y, back] = vjp((x: Tensor) => x.mul(x), tensor([1, 2])); back(tensor([1, 1])) // [tensor([2., 4.])]
 */
export function vjp(f: Fn, ...primals: TensorLike[]): [Tensor, (cotangent: TensorLike) => Tensor[]] {
  checkFunction(f, "vjp");
  checkPoints(primals, "vjp");
  return enter(() => {
    const outer = primals.some(tracks);
    const xs = primals.map((x) => diffInput(x, "vjp"));
    const y = asOutput(f(...xs), "vjp");
    const pullback = (ct: TensorLike): Tensor[] =>
      enter(() => gradients(y, xs, typeof ct === "number" ? fullLike(y, ct) : ct, mode.transformDepth > 1 || outer || tracks(ct)));
    return [mode.transformDepth > 1 || outer ? y : y.detach(), pullback];
  });
}

/**
 * `[f(...primals), J·tangents]`: the directional derivative, by differentiating a vjp (the
 * "double vjp" trick, exact because vjps are linear in their cotangent).
 * @example jvp((x: Tensor) => x.sin(), [0], [1])[1].item() // 1
 */
export function jvp(f: Fn, primals: readonly TensorLike[], tangents: readonly TensorLike[]): [Tensor, Tensor] {
  checkFunction(f, "jvp");
  checkPoints(primals, "jvp");
  checkPoints(tangents, "jvp");
  if (primals.length !== tangents.length) fail(`jvp: ${primals.length} primal(s) but ${tangents.length} tangent(s)`);
  return enter(() => {
    const outer = primals.some(tracks) || tangents.some(tracks);
    const xs = primals.map((x) => diffInput(x, "jvp"));
    const y = asOutput(f(...xs), "jvp");
    const u = zerosLike(y);
    u.requiresGrad = true;
    const gx = gradients(y, xs, u, true);
    let s: Tensor | null = null;
    gx.forEach((g, i) => {
      const t = tangents[i]!;
      if (typeof t !== "number" && t.size !== g.size)
        fail(`jvp: tangent ${i} has shape ${showShape(t.shape)} but its primal has shape ${showShape(g.shape)}`);
      const term = sum(mul(g, t));
      s = s === null ? term : add(s, term);
    });
    const createGraph = mode.transformDepth > 1 || outer;
    const jt = s === null ? zerosLike(y) : gradients(s, [u], undefined, createGraph)[0]!;
    return [createGraph ? y : y.detach(), jt];
  });
}

/**
 * The Jacobian function: shape `[...f(x).shape, ...x.shape]`, one backward pass per output element.
 * @example jacobian((x: Tensor) => x.mul(x))(tensor([1, 2])) // tensor([[2., 0.], [0., 4.]])
 */
export function jacobian(f: Fn, options: { argnums?: number } = {}): (...args: TensorLike[]) => Tensor {
  checkFunction(f, "jacobian");
  checkOptions(options, "jacobian", ["argnums"]);
  return jacobianOf(f, options, "jacobian");
}

/** `jacobian`, its errors naming `who` (hessian is a jacobian the student never wrote). */
function jacobianOf(f: Fn, options: { argnums?: number }, who: string): (...args: TensorLike[]) => Tensor {
  const argnum = options.argnums ?? 0;
  return (...args) =>
    enter(() => {
      checkPoints(args, who);
      if (argnum < 0 || argnum >= args.length) fail(`${who}: argnums ${argnum} but the function got ${args.length} argument(s)`);
      const outer = tracks(args[argnum]!);
      const x = diffInput(args[argnum]!, who);
      const call = args.slice();
      call[argnum] = x;
      const y = asOutput(f(...call), who);
      const createGraph = mode.transformDepth > 1 || outer;
      const rows: Tensor[] = [];
      for (let i = 0; i < y.size; i++) {
        const seed = zerosLike(y);
        seed["_data"][i] = 1;
        rows.push(gradients(y, [x], seed, createGraph)[0]!);
      }
      if (rows.length === 0) return reshape(zerosLike(x), [...y.shape, ...x.shape]);
      return reshape(stack(rows), [...y.shape, ...x.shape]);
    });
}

/**
 * The Hessian function of a scalar `f`: literally `jacobian(grad(f))`.
 * @example hessian((x: Tensor) => x.pow(3).sum())(tensor([1, 2])) // diag(6, 12)
 */
export function hessian(f: Fn, options: { argnums?: number } = {}): (...args: TensorLike[]) => Tensor {
  checkFunction(f, "hessian");
  checkOptions(options, "hessian", ["argnums"]);
  const argnum = options.argnums ?? 0;
  // grad(f) with its errors naming hessian ("hessian: the function must return a scalar").
  const gradient = (...args: TensorLike[]) => valueAndGradAt(f, args, argnum, "hessian")[1] as Tensor;
  return jacobianOf(gradient, options, "hessian");
}

/**
 * Hessian-vector product H(x)·v without forming H: the gradient of ⟨∇f(x), v⟩.
 * @example hvp((x: Tensor) => x.pow(3).sum())(tensor([1, 2]), tensor([1, 0])) // tensor([6., 0.])
 */
export function hvp(f: Fn): (x: TensorLike, v: TensorLike) => Tensor {
  checkFunction(f, "hvp");
  const g = grad(f);
  return (x, v) => {
    checkPoints([x, v], "hvp");
    return grad((y: Tensor) => sum(mul(g(y), v)))(x);
  };
}
