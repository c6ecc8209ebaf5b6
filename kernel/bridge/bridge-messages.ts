/**
 * The messages that cross the MessagePort between the protocol worker and the main thread, where
 * the Executor runs cells. Everything here is structured-cloneable data.
 *
 * `id` is the bridge call id; for an execute it doubles as the cell's generation id, so an
 * interrupt aimed at one cell can never reach the next one.
 *
 * Requests and sink calls are not listed here one by one: their names and argument types are
 * derived from the Executor and OutputSink interfaces (kernel/executor.ts).
 */
import type { ExecuteRequest, ExecutorRequestName, ExecutorRequests, OutputSink } from "../executor.js";

/** One executor request on its way to the main thread; `args` typed by `name`. */
export type RequestMessage = {
  [N in ExecutorRequestName]: { kind: "request"; id: number; name: N; args: ExecutorRequests[N] };
}[ExecutorRequestName];

/** The sink calls that are forwarded as they are (input requests have their own messages). */
export type SinkMethod = Exclude<keyof OutputSink, "requestInput" | "requestInputSync">;

/** Worker → main. */
export type ToMain =
  | { kind: "execute"; id: number; request: ExecuteRequest }
  | RequestMessage
  | { kind: "interrupt"; id: number }
  /** The worker's terminate for cell `id` is done (it may also have cut short the "interrupt" message). */
  | { kind: "terminated"; id: number }
  | { kind: "input-answer"; inputId: number; value?: string; error?: { name: string; message: string } }
  /** The sockets are bound. */
  | { kind: "ready" }
  /** The first kernel_info_reply is out: the main thread may now start the executor's heavy work. */
  | { kind: "kernel-info-answered" }
  | { kind: "exit"; code: number };

/** Main → worker. */
export type ToWorker =
  /** The answer to a request or an execute (ExecutorResponses[name] or an ExecuteOutcome). */
  | { kind: "result"; id: number; value: unknown }
  | { kind: "failure"; id: number; name: string; message: string }
  | { kind: "sink"; id: number; method: SinkMethod; args: unknown[] }
  | { kind: "input"; id: number; inputId: number; prompt: string; password: boolean }
  | { kind: "input-sync"; id: number; prompt: string; password: boolean }
  | { kind: "sigint" }
  /** Close the sockets and answer with "exit" (process.exit with live zeromq sockets aborts). */
  | { kind: "stop"; code: number };

/** The smallest port-like surface both sides use (MessagePort, Worker and parentPort fit). */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: "message", listener: (message: never) => void): unknown;
}
