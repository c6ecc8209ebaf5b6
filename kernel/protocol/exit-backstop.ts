/**
 * The last resort of a kernel that is on its way out. The protocol worker closes the sockets and
 * asks the main thread to end the process (the "exit" message), but a main thread stuck in code
 * that no interrupt reaches (an endless loop in a file read's callback, after its cell ended)
 * never reads the message: the process stayed, sockets closed, holding its memory and a core,
 * until the frontend killed it. On a shared JupyterHub a frontend may never do so.
 *
 * Runs on: the protocol worker thread.
 */
import { logKernel } from "./log.js";

/** How long the main thread gets to end the process once asked (it normally takes milliseconds). */
export const EXIT_BACKSTOP_MS = 3000;

/**
 * Ends the process from this thread if it still exists `ms` after the call.
 *
 * @example
 * post({ kind: "exit", code: 0 });
 * endProcessIfStillRunning();
 */
export function endProcessIfStillRunning(ms = EXIT_BACKSTOP_MS): void {
  // Not unref'd: with the sockets closed this thread has nothing else keeping it alive, and it
  // must outlive a main thread that is stuck.
  setTimeout(() => {
    logKernel(`the main thread did not end the process within ${ms} ms of being asked (it is busy in code no interrupt reaches); ending it`);
    process.kill(process.pid, "SIGKILL");
  }, ms);
}
