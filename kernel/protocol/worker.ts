/**
 * Entry point of the protocol worker thread: binds the ZeroMQ sockets and runs the protocol
 * kernel, with an ExecutorProxy standing in for the executor on the main thread. Living on its own
 * thread, it answers heartbeats, kernel_info and interrupts while a cell computes.
 *
 * workerData: { connection: ConnectionInfo, shared: SharedArrayBuffer (see SharedState),
 * info: the kernel's LanguageInfo, which kernel_info answers with from the first request on }.
 *
 * Launch order: only the ZeroMQ transport is imported up front, and the sockets are bound before
 * the rest of the protocol loads, so that a frontend's (re)connect succeeds as early as possible
 * (a refused connect is retried only about 100 ms later); requests wait in the sockets meanwhile.
 *
 * Environment: GRADLAB_MAX_OUTPUT_MB sets the per-request stream budget (see stream-budget.ts),
 * GRADLAB_MEMORY_MB the memory limit a running cell is stopped at (see memory-limit.ts).
 *
 * Failures: an error that escapes here (a socket that cannot bind, a throwing handler outside the
 * protocol kernel's own catch) is logged with its stack and ends the worker with code 1; the main
 * thread then exits the process, so no kernel is left running without sockets. After a shutdown,
 * a main thread too busy to end the process is overruled (exit-backstop.ts).
 */
import { randomUUID } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";
import type { LanguageInfo } from "../executor.js";
import type { PortLike, ToMain, ToWorker } from "../bridge/bridge-messages.js";
import { endProcessIfStillRunning } from "./exit-backstop.js";
import { describeThrown, logKernel, traceLaunch } from "./log.js";
import type { JupyterMessage } from "./messages.js";
import type { ConnectionInfo, Transport } from "./transport.js";
import { ZmqTransport } from "./zmq-transport.js";

export interface ProtocolWorkerData {
  connection: ConnectionInfo;
  shared: SharedArrayBuffer;
  info: LanguageInfo;
  /** V8's heap limit of the main thread, MB: the memory watchdog stays below it. */
  mainHeapLimitMb: number;
}

let transport: ZmqTransport | undefined;

function failed(error: unknown, what: string): never {
  logKernel(`protocol worker: ${what}: ${describeThrown(error)}`);
  // Open zeromq sockets at thread exit abort the process (no log, no exit code): close them first.
  transport?.closeNow();
  // Exit code 1 ends this thread at once; the main thread sees it and exits the process.
  process.exit(1);
}

async function main(): Promise<void> {
  traceLaunch("worker entry loaded", "protocol");
  if (!parentPort) throw new Error("kernel/protocol/worker.js must run as a worker thread");
  const port = parentPort as unknown as PortLike;
  const data = workerData as ProtocolWorkerData;
  const post = (message: ToMain) => port.postMessage(message);
  // One session id for everything the kernel sends, from the sockets' first welcome on.
  const session = randomUUID();
  const sockets = (transport = new ZmqTransport(data.connection, session));
  await sockets.bind();
  traceLaunch("sockets bound", "protocol");
  const [{ ExecutorProxy }, { SharedState }, { ProtocolKernel }, { outputLimitFromEnv }, { MemoryWatch }, { memoryLimit }] = await Promise.all([
    import("../bridge/executor-proxy.js"),
    import("../bridge/shared-state.js"),
    import("./protocol-kernel.js"),
    import("./stream-budget.js"),
    import("../bridge/memory-watch.js"),
    import("../bridge/memory-limit.js"),
  ]);
  const outputLimit = outputLimitFromEnv(process.env);
  if (outputLimit.problem) logKernel(outputLimit.problem);
  const memory = memoryLimit(process.env, data.mainHeapLimitMb);
  if (memory.problem) logKernel(memory.problem);
  const shared = new SharedState(data.shared);
  const executor = new ExecutorProxy(port, shared, data.info, new MemoryWatch(memory));
  const kernel = new ProtocolKernel({
    session,
    transport: reportingFirstKernelInfo(sockets, () => post({ kind: "kernel-info-answered" })),
    executor,
    outputLimitMb: outputLimit.megabytes,
    onShutdown: async () => {
      await sockets.close();
      executor.disconnectInspector();
      post({ kind: "exit", code: 0 });
      endProcessIfStillRunning();
    },
  });
  port.on("message", (message: ToWorker) => {
    if (message.kind === "sigint") kernel.interruptRunningCell();
    else if (message.kind === "stop") {
      // Output the main thread sent before "stop" (a cell's last words before process.exit) goes
      // out before the sockets close.
      void kernel
        .flushOutput()
        .catch((error: unknown) => logKernel(`flushing output before exit failed: ${describeThrown(error)}`))
        .then(() => sockets.close())
        .finally(() => {
          executor.disconnectInspector();
          // The main thread may be waiting for this in Atomics.wait (it cannot read "exit" then).
          shared.socketsClosed();
          post({ kind: "exit", code: message.code });
          endProcessIfStillRunning();
        });
    }
  });
  await kernel.start();
  traceLaunch("protocol kernel started", "protocol");
  post({ kind: "ready" });
}

/** The transport, calling `answered` once, right after the first kernel_info_reply is queued. */
function reportingFirstKernelInfo(transport: Transport, answered: () => void): Transport {
  let pending = true;
  return {
    start: (onRequest) => transport.start(onRequest),
    send(channel, message: JupyterMessage) {
      transport.send(channel, message);
      if (pending && message.header.msg_type === "kernel_info_reply") {
        pending = false;
        traceLaunch("kernel_info_reply sent", "protocol");
        answered();
      }
    },
    flush: () => transport.flush(),
    close: () => transport.close(),
  };
}

// Without these, Node would still end the worker, but the kernel's log would show no cause.
process.on("uncaughtException", (error) => failed(error, "uncaught exception"));
process.on("unhandledRejection", (reason) => failed(reason, "unhandled promise rejection"));
main().catch((error: unknown) => failed(error, "could not start"));
