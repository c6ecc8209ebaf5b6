/**
 * The compiler worker: a CheckerService (checker-service.ts) on its own thread, answering the
 * main thread's requests one at a time. The kernel runs TypeScript 6's checker here (where no
 * native binary exists for the platform, or GRADLAB_CHECKER=typescript6 says so): its program and
 * syntax trees, tens of megabytes per session, then live under this thread's own heap limit, and
 * a cell it cannot hold in memory stops this worker, never the kernel. TypeScript 7's native
 * checker is driven from the main thread instead (main-thread-checker.ts), but runs here too when
 * a worker is asked for it.
 *
 * When the native process dies, this worker exits with NATIVE_CHECKER_STOPPED and the main thread
 * starts a new worker (and native process) with the earlier cells' declarations.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CompilerRequest, CompilerWorkerConfig, NativeProcessNotice } from "../shared/compiler-messages.js";
import { NATIVE_CHECKER_STOPPED } from "../shared/compiler-messages.js";
import { CheckerService } from "./checker-service.js";
import { trace } from "../../trace.js";

const service = new CheckerService(workerData as CompilerWorkerConfig, {
  whereNativeCannotRun: "typescript6",
  onNativeProcess: (pid) => parentPort!.postMessage({ nativePid: pid } satisfies NativeProcessNotice),
});

parentPort!.on("message", (message: { id: number; request: CompilerRequest }) => {
  trace(`compiler ${message.request.method} start`);
  const response = service.answer(message.id, message.request);
  // The native process is gone: this worker cannot check any more; the main thread replaces it.
  if (!response.ok && service.nativeStopped()) process.exit(NATIVE_CHECKER_STOPPED);
  parentPort!.postMessage(response);
  trace(`compiler ${message.request.method} posted`);
  // While the main thread runs the cell: the checker catches up on what the answer left.
  service.settle();
});
