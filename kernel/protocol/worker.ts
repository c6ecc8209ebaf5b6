/**
 * Entry point of the protocol worker thread: binds the ZeroMQ sockets and runs the protocol
 * kernel, with an ExecutorProxy standing in for the executor on the main thread. Living on its own
 * thread, it answers heartbeats, kernel_info and interrupts while a cell computes.
 *
 * workerData: { connection: ConnectionInfo, info: LanguageInfo (provisional, until the main
 * thread's executor reports its own), shared: SharedArrayBuffer (see SharedState) }.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { LanguageInfo } from "../executor.js";
import type { PortLike, ToMain, ToWorker } from "./bridge/bridge-messages.js";
import { ExecutorProxy } from "./bridge/executor-proxy.js";
import { SharedState } from "./bridge/shared-state.js";
import { ProtocolKernel } from "./protocol-kernel.js";
import type { ConnectionInfo } from "./transport.js";
import { ZmqTransport } from "./zmq-transport.js";

export interface ProtocolWorkerData {
  connection: ConnectionInfo;
  info: LanguageInfo;
  shared: SharedArrayBuffer;
}

async function main(): Promise<void> {
  if (!parentPort) throw new Error("kernel/protocol/worker.js must run as a worker thread");
  const port = parentPort as unknown as PortLike;
  const data = workerData as ProtocolWorkerData;
  const post = (message: ToMain) => port.postMessage(message);
  const transport = new ZmqTransport(data.connection);
  const executor = new ExecutorProxy(port, new SharedState(data.shared), data.info);
  const kernel = new ProtocolKernel({
    transport,
    executor,
    onShutdown: async () => {
      await transport.close();
      post({ kind: "exit", code: 0 });
    },
  });
  port.on("message", (message: ToWorker) => {
    if (message.kind === "sigint") kernel.interruptRunningCell();
    else if (message.kind === "stop") void transport.close().finally(() => post({ kind: "exit", code: message.code }));
  });
  await kernel.start();
  post({ kind: "ready" });
}

main().catch((error: unknown) => {
  // Without sockets there is no kernel: let the main thread exit with the reason.
  throw error;
});
