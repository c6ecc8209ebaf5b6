/**
 * Errors the library throws, worded for a student: every message names the operation, the
 * shapes involved and, where there is one, the way out. This module knows nothing of tensors.
 */

/** The error class of every mistake the library reports (shape, dtype, autodiff misuse). */
export class GradlabError extends Error {
  override name = "GradlabError";
}

/** Formats a shape the way the messages print it: `[2, 3]`, `[]` for a 0-d tensor. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function fail(message: string): never {
  throw new GradlabError(message);
}

/**
 * What a value that should have been a tensor is, for an error message. A null is most often a
 * `.grad` (the gradient-descent step `w = w - lr * w.grad!` written outside noGrad makes `w` a
 * result of ops, whose .grad the next backward leaves null), so its text says why.
 */
export function describeNonTensor(x: unknown): string {
  if (x === null)
    return (
      "null. A .grad is null until backward() reaches the tensor, and only leaves get one: a parameter updated " +
      "outside torch.noGrad (w = w - lr * w.grad!) becomes the result of ops; update it inside torch.noGrad(() => ...)"
    );
  if (Array.isArray(x)) return "an array (wrap it with tensor(...))";
  return x === undefined ? "undefined" : typeof x === "object" ? "an object" : `a ${typeof x}`;
}
