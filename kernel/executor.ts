/**
 * The boundary between the Jupyter protocol and the language that runs cells.
 *
 * The protocol side (kernel/protocol/) owns execution counts, busy/idle, execute_input, the
 * reply envelopes and the sockets; it knows nothing of TypeScript. The language side
 * (kernel/typescript/) gets code and returns an outcome; it knows nothing of ZeroMQ or of
 * message headers. Everything that crosses this boundary is plain, structured-cloneable data,
 * so the two sides can live on different threads (the protocol runs in a worker so that the
 * heartbeat and interrupts are answered while a cell computes).
 */

/** A MIME bundle: MIME type → data (string for text types, JSON for JSON types). */
export type MimeBundle = Record<string, unknown>;
export type JsonObject = Record<string, unknown>;

export interface ExecuteRequest {
  code: string;
  silent: boolean;
  storeHistory: boolean;
  /** The execution count this request will show (already incremented when storeHistory). */
  executionCount: number;
  userExpressions: Record<string, string>;
  allowStdin: boolean;
}

/** Where a running cell sends what it shows. Calls are in order; all of them reach the
 * frontend before the protocol publishes the reply and `idle`. Each call becomes one message on
 * its way (one post to the protocol thread, one IOPub message): the executor batches stream text
 * before it calls stream() (the TypeScript executor does it in its OutputRouter, with the policy
 * written there), and nothing after it batches again. */
export interface OutputSink {
  stream(name: "stdout" | "stderr", text: string): void;
  displayData(data: MimeBundle, metadata: JsonObject, displayId?: string): void;
  updateDisplayData(data: MimeBundle, metadata: JsonObject, displayId: string): void;
  clearOutput(wait: boolean): void;
  /** Sends an input_request on stdin and resolves with the frontend's answer. Rejects when
   * the request did not allow stdin. */
  requestInput(prompt: string, password: boolean): Promise<string>;
  /** The same, blocking the calling thread until the answer arrives (possible because the
   * protocol runs on another thread); lets a cell call a synchronous `prompt()`. Absent where
   * both sides share one thread (in-memory tests). */
  requestInputSync?(prompt: string, password: boolean): string;
}

export interface ErrorOutcome {
  status: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}

export type ExecuteOutcome =
  | {
      status: "ok";
      /** The value of the cell's last expression, if it should be shown (execute_result). */
      result?: { data: MimeBundle; metadata: JsonObject };
      userExpressions: Record<string, unknown>;
      /** execute_reply payloads for the frontend, e.g. `{ source: "ask_exit", keepkernel }` after `exit`. */
      payload?: JsonObject[];
    }
  | ErrorOutcome;

/**
 * The outcome of a cell stopped by an interrupt, whichever side stopped it: the executor that
 * abandons the cell, or the bridge when a terminate unwound the executor before it could answer.
 * "KeyboardInterrupt" is the name Jupyter frontends know from Python.
 */
export function interruptedOutcome(): ErrorOutcome {
  return { status: "error", ename: "KeyboardInterrupt", evalue: "execution was interrupted", traceback: ["KeyboardInterrupt: execution was interrupted"] };
}

export interface CompleteResult {
  matches: string[];
  cursorStart: number;
  cursorEnd: number;
  /** Goes to metadata._jupyter_types_experimental: one entry per match. */
  types?: Array<{ text: string; type: string; start: number; end: number; signature?: string }>;
}

export interface InspectResult {
  found: boolean;
  data: MimeBundle;
  metadata: JsonObject;
}

export type IsCompleteResult =
  | { status: "complete" }
  | { status: "incomplete"; indent: string }
  | { status: "invalid" }
  | { status: "unknown" };

export interface LanguageInfo {
  implementation: string;
  implementationVersion: string;
  languageInfo: {
    name: string;
    version: string;
    mimetype: string;
    file_extension: string;
    pygments_lexer: string;
    codemirror_mode: string | JsonObject;
  };
  banner: string;
  helpLinks: Array<{ text: string; url: string }>;
}

/**
 * What the protocol asks the language, each by name with plain data, answered with a promise of
 * plain data. The bridge between the protocol thread and the main thread forwards every method
 * here generically (names and types derived from this interface): a request added here needs no
 * code in the bridge.
 */
export interface ExecutorRequestMethods {
  complete(code: string, cursorPos: number): Promise<CompleteResult>;
  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult>;
  isComplete(code: string): Promise<IsCompleteResult>;
  shutdown(restart: boolean): Promise<void>;
}

/**
 * One interpreter session: state persists from one execute() to the next. Besides the requests:
 * info() (answered from the description the kernel had at launch, see kernel/main.ts), execute()
 * (its output streams through a sink) and interrupt() (a signal), which the bridge handles itself,
 * and hooks the bridge calls on the main thread only (flushOutput, releaseMemory).
 */
export interface Executor extends ExecutorRequestMethods {
  info(): LanguageInfo;
  execute(request: ExecuteRequest, sink: OutputSink): Promise<ExecuteOutcome>;
  /** Abandons the running cell (its execute() settles with a KeyboardInterrupt-like error
   * outcome); state from earlier cells stays. A busy synchronous loop is stopped by the
   * protocol thread through the inspector, not by this call. Also called when no cell runs
   * (then it stops what keeps the executor busy outside any cell, if it can, or does nothing). */
  interrupt(): void;
  /** Hands output the executor still buffers to its sinks now, synchronously (the process is
   * about to exit from inside a cell). Optional: an executor that buffers nothing has none. */
  flushOutput?(): void;
  /** After the kernel stopped the running cell for taking it over its memory limit: lets go of
   * what that cell's own top-level names hold (earlier cells' stay) and collects garbage;
   * resolves with the names it cleared. Optional. */
  releaseMemory?(): Promise<string[]>;
}

export type ExecutorRequestName = keyof ExecutorRequestMethods;
/** A request's arguments, by name. */
export type ExecutorRequests = { [N in ExecutorRequestName]: Parameters<ExecutorRequestMethods[N]> };
/** A request's answer, by name. */
export type ExecutorResponses = { [N in ExecutorRequestName]: Awaited<ReturnType<ExecutorRequestMethods[N]>> };

/** The request names as values, for code that forwards them (a Record, so the compiler checks
 * that the list names every method of ExecutorRequestMethods, and nothing else). */
const REQUEST_NAMES: Record<ExecutorRequestName, true> = { complete: true, inspect: true, isComplete: true, shutdown: true };
export const EXECUTOR_REQUESTS = Object.keys(REQUEST_NAMES) as readonly ExecutorRequestName[];
