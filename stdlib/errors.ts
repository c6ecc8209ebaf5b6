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
