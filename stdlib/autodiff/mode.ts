/**
 * The global switches that decide whether an op records itself in the graph: PyTorch's grad mode
 * (`noGrad`), MXNet's recording scope (`autograd.record`) and the depth of nested functional
 * transforms. Knows nothing of tensors.
 */

import { fail } from "../errors.js";

export const mode = {
  /** False inside `noGrad` and while a backward pass runs without `createGraph`. */
  gradEnabled: true,
  /** > 0 inside `autograd.record(...)`: MXNet-style (attachGrad) leaves only record here. */
  recordDepth: 0,
  /** Number of functional transforms (grad, jacobian, ...) currently running. */
  transformDepth: 0,
};

/** Refuses a block that is not a function: PyTorch's `with` block is a callback here. */
export function expectBlock(fn: unknown, op: string): void {
  if (typeof fn !== "function")
    fail(`${op}: takes the code to run as a function, as in ${op}(() => ...); got ${fn === null ? "null" : Array.isArray(fn) ? "an array" : typeof fn}`);
}

/**
 * Runs `fn` with gradient recording switched off and returns what `fn` returns: results carry no
 * graph and cost nothing extra. PyTorch's `with torch.no_grad():` block, written as a callback.
 * @example noGrad(() => w.sub(w.grad!.mul(0.1)))
 */
export function noGrad<T>(fn: () => T): T {
  expectBlock(fn, "noGrad");
  const prev = mode.gradEnabled;
  mode.gradEnabled = false;
  try {
    return fn();
  } finally {
    mode.gradEnabled = prev;
  }
}

/**
 * Runs `fn` with gradient recording switched on, even inside `noGrad`; returns what `fn`
 * returns. PyTorch `torch.enable_grad()` (a function taking a callback, not a `with` block).
 * @example noGrad(() => enableGrad(() => tensor(2, { requiresGrad: true }).mul(3))).gradFn // "mul"
 */
export function enableGrad<T>(fn: () => T): T {
  expectBlock(fn, "enableGrad");
  const prev = mode.gradEnabled;
  mode.gradEnabled = true;
  try {
    return fn();
  } finally {
    mode.gradEnabled = prev;
  }
}
