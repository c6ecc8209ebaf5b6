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

/**
 * An error's stack (which starts with its name and message), or the thrown value as text.
 *
 * @example
 * logKernel(`the executor failed to load: ${describeThrown(error)}`);
 */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.stack ?? `${thrown.name}: ${thrown.message}`;
  if (typeof thrown === "object" && thrown !== null && typeof (thrown as { stack?: unknown }).stack === "string") {
    return (thrown as { stack: string }).stack;
  }
  return String(thrown);
}

const TRACE_LAUNCH = process.env["GRADLAB_LAUNCH_TRACE"] === "1";

/**
 * With GRADLAB_LAUNCH_TRACE=1, logs a launch step with the milliseconds since the kernel process
 * started, on one clock for every thread (the main thread publishes its time origin in the
 * environment, which workers inherit). Costs nothing otherwise.
 *
 * @example
 * traceLaunch("sockets bound"); // [gradlab kernel] launch +112.4 ms (protocol): sockets bound
 */
export function traceLaunch(step: string, thread = "main"): void {
  if (!TRACE_LAUNCH) return;
  const origin = Number(process.env["GRADLAB_LAUNCH_ORIGIN"] ?? (process.env["GRADLAB_LAUNCH_ORIGIN"] = String(performance.timeOrigin)));
  logKernel(`launch +${(performance.timeOrigin + performance.now() - origin).toFixed(1)} ms (${thread}): ${step}`);
}

const THROTTLE_WINDOW_MS = 1000;
const THROTTLE_LINES = 20;
let windowStart = 0;
let windowLines = 0;
let suppressed = 0;
let summaryTimer: NodeJS.Timeout | undefined;

/**
 * logKernel for lines a client can cause at any rate (dropped or ignored messages): at most 20
 * lines a second, then one line saying how many were left out. Writing to stderr is synchronous,
 * so an unthrottled flood would slow the thread that answers the heartbeat.
 *
 * @example
 * logThrottled("dropped a message on shell: invalid signature");
 */
export function logThrottled(text: string): void {
  const now = performance.now();
  if (now - windowStart >= THROTTLE_WINDOW_MS) {
    reportSuppressed();
    windowStart = now;
    windowLines = 0;
  }
  if (windowLines < THROTTLE_LINES) {
    windowLines++;
    logKernel(text);
    return;
  }
  suppressed++;
  summaryTimer ??= setTimeout(() => {
    summaryTimer = undefined;
    reportSuppressed();
  }, THROTTLE_WINDOW_MS).unref();
}

function reportSuppressed(): void {
  if (suppressed === 0) return;
  logKernel(`(${suppressed} more lines like the above were left out)`);
  suppressed = 0;
}
