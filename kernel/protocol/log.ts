/**
 * Kernel diagnostics on stderr. Writes synchronously to file descriptor 2 so that a line logged
 * from the protocol worker appears at once, even while the main thread (which would otherwise
 * relay a worker's console output) is busy running a cell.
 */
import { writeSync } from "node:fs";

/**
 * @example
 * logKernel("dropped a message on shell: invalid signature");
 */
export function logKernel(text: string): void {
  try {
    writeSync(2, `[gradlab kernel] ${text}\n`);
  } catch {
    // stderr closed: nowhere left to report to.
  }
}
