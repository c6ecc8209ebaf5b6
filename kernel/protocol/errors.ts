/**
 * Errors the protocol side raises into cells and the error outcomes it makes itself.
 */
import type { ErrorOutcome } from "../executor.js";

/**
 * An Error named "KeyboardInterrupt" (the name Jupyter frontends know from Python).
 *
 * @example
 * throw keyboardInterrupt("input was interrupted");
 */
export function keyboardInterrupt(message = "interrupted by the user"): Error {
  const error = new Error(message);
  error.name = "KeyboardInterrupt";
  return error;
}

/** Turns anything thrown by the executor into an error outcome. */
export function outcomeFromThrown(error: unknown): ErrorOutcome {
  if (error instanceof Error) {
    return { status: "error", ename: error.name || "Error", evalue: error.message, traceback: [`${error.name}: ${error.message}`] };
  }
  return { status: "error", ename: "Error", evalue: String(error), traceback: [`Error: ${String(error)}`] };
}

export const STDIN_NOT_ALLOWED =
  "this frontend does not accept input (allow_stdin is false): prompt() and input requests cannot be answered here";
