/**
 * The protocol kernel: receives requests from a Transport, keeps execution counts, busy/idle,
 * history and the stop_on_error abort rule, and asks an Executor to do the language work.
 *
 * It knows nothing of TypeScript (the Executor does that) and nothing of sockets (the Transport
 * does that). Shell requests run one at a time in arrival order; control requests (interrupt,
 * shutdown, kernel_info) run on their own queue so they are answered while a cell computes.
 * Every request gets `busy` before and `idle` after everything it published, with it as parent.
 *
 * What a client sends is checked before it is queued (request-checks.ts): a type without a handler
 * (including names such as "constructor" that a plain object would inherit) or content of the
 * wrong shape is logged and ignored: it gets busy and idle, as every request does (ipykernel does
 * the same), but no reply and no other output. An exception while handling one message is logged
 * with its stack; the next message is handled as usual.
 */
import { randomUUID } from "node:crypto";
import type { CompleteResult, ExecuteOutcome, Executor, IsCompleteResult, OutputSink } from "../executor.js";
import { codePointOffset, utf16Offset } from "./code-points.js";
import { STDIN_NOT_ALLOWED, outcomeFromThrown } from "./errors.js";
import { HistoryStore } from "./history.js";
import { MAX_QUERY_CODE_CHARS, MAX_QUEUED_REQUESTS, QUERY_TIMEOUT_MS } from "./limits.js";
import { describeThrown, logKernel, logThrottled, traceLaunch } from "./log.js";
import { PROTOCOL_VERSION, makeChild, replyTypeFor, type JsonObject, type JupyterMessage, type RequestChannel } from "./messages.js";
import { OutputPublisher } from "./output-publisher.js";
import { checkRequest } from "./request-checks.js";
import { StdinBroker } from "./stdin-broker.js";
import type { Transport } from "./transport.js";
import { trace } from "../trace.js";

export interface ProtocolKernelOptions {
  transport: Transport;
  executor: Executor;
  /** The kernel's session id, used in every header it sends. */
  session?: string;
  history?: HistoryStore;
  /** Called after a shutdown_request has been answered and the executor shut down. */
  onShutdown?: (restart: boolean) => void | Promise<void>;
  /** How long a shutdown waits for the executor before giving up on it. */
  shutdownTimeoutMs?: number;
  /** Stream text (stdout + stderr) shown per execute request, in MB; 0 = unlimited. Default 2
   * (the worker passes GRADLAB_MAX_OUTPUT_MB). See StreamBudget. */
  outputLimitMb?: number;
  /** How long a complete, inspect or is_complete request may take before it is answered empty. */
  queryTimeoutMs?: number;
}

/** What a handler answers: reply content (and metadata), and work to do once `idle` is out. */
interface Answer {
  content?: JsonObject;
  metadata?: JsonObject;
  afterIdle?: () => Promise<void>;
}

type Handler = (message: JupyterMessage, channel: RequestChannel) => Promise<Answer>;

interface Queued {
  seq: number;
  channel: RequestChannel;
  message: JupyterMessage;
  /** Why the request is ignored (unknown type, content of the wrong shape). */
  ignored?: string;
}

export class ProtocolKernel {
  readonly session: string;
  private readonly transport: Transport;
  private readonly executor: Executor;
  private readonly publisher: OutputPublisher;
  private readonly stdin: StdinBroker;
  private readonly history: HistoryStore;
  /** A Map, not an object: a msg_type such as "constructor" or "__proto__" must find nothing. */
  private readonly handlers: ReadonlyMap<string, Handler>;
  private executionCount = 0;
  private received = 0;
  /** execute_requests received up to this sequence number are aborted (stop_on_error). */
  private abortThrough = 0;
  private readonly shellQueue: Queued[] = [];
  private readonly controlQueue: Queued[] = [];
  private shellBusy = false;
  private controlBusy = false;
  private executing = false;
  private shuttingDown = false;
  /** Resolved when the shell queue has room again (see receive). */
  private shellRoom: { promise: Promise<void>; resolve(): void } | undefined;

  constructor(private readonly options: ProtocolKernelOptions) {
    this.session = options.session ?? randomUUID();
    this.transport = options.transport;
    this.executor = options.executor;
    this.history = options.history ?? new HistoryStore();
    this.publisher = new OutputPublisher(this.transport, this.session, options.outputLimitMb);
    this.stdin = new StdinBroker(this.transport, this.session);
    this.handlers = new Map<string, Handler>([
      ["kernel_info_request", async () => (traceLaunch("kernel_info_request", "protocol"), { content: this.kernelInfo() })],
      ["execute_request", (m) => this.execute(m)],
      ["complete_request", async (m) => ({ content: await this.complete(m) })],
      ["inspect_request", async (m) => ({ content: await this.inspect(m) })],
      ["is_complete_request", async (m) => ({ content: await this.isComplete(m) })],
      ["history_request", async (m) => ({ content: { status: "ok", history: this.history.query(m.content) } })],
      ["comm_info_request", async () => ({ content: { status: "ok", comms: {} } })],
      ["comm_open", async (m) => this.commOpen(m)],
      ["comm_msg", async () => ({})],
      ["comm_close", async () => ({})],
      ["interrupt_request", async () => ({ content: this.interrupt() })],
      ["shutdown_request", async (m) => this.shutdown(m)],
    ]);
  }

  /**
   * Starts listening. Resolves once the transport accepts requests.
   *
   * @example
   * const kernel = new ProtocolKernel({ transport: new MemoryTransport(), executor });
   * await kernel.start();
   */
  async start(): Promise<void> {
    await this.transport.start((channel, message) => this.receive(channel, message));
    this.publisher.publish(undefined, "status", { execution_state: "starting" });
  }

  /** Waits until the transport has sent every message published so far (before the sockets close). */
  async flushOutput(): Promise<void> {
    await this.transport.flush();
  }

  /**
   * Checks a request and queues it. Returns a promise while the shell queue is full: the
   * transport then stops reading requests until it resolves, so a flood waits in the client
   * rather than in this thread's memory.
   */
  private receive(channel: RequestChannel, message: JupyterMessage): Promise<void> | undefined {
    const msgType = message.header.msg_type;
    trace(`received ${msgType}`);
    if (channel === "stdin") {
      const checked = checkRequest(msgType, message.content);
      if (msgType !== "input_reply" || !checked.ok) logThrottled(`ignoring ${msgType} on stdin: ${checked.ok ? "not an input_reply" : checked.reason}`);
      else this.stdin.receive({ ...message, content: checked.content });
      return undefined;
    }
    let entry: Queued;
    if (!this.handlers.has(msgType)) {
      // Some frontend extensions poll with requests gradlab does not know (usage_request every few seconds).
      entry = { seq: ++this.received, channel, message, ignored: "not a request gradlab handles" };
    } else {
      const checked = checkRequest(msgType, message.content);
      entry = checked.ok
        ? { seq: ++this.received, channel, message: { ...message, content: checked.content } }
        : { seq: ++this.received, channel, message, ignored: checked.reason };
    }
    if (channel === "control") {
      this.controlQueue.push(entry);
      void this.pump("control");
      return undefined;
    }
    this.shellQueue.push(entry);
    void this.pump("shell");
    if (this.shellQueue.length < MAX_QUEUED_REQUESTS) return undefined;
    if (!this.shellRoom) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.shellRoom = { promise, resolve };
    }
    return this.shellRoom.promise;
  }

  private async pump(which: "shell" | "control"): Promise<void> {
    const queue = which === "shell" ? this.shellQueue : this.controlQueue;
    if (which === "shell" ? this.shellBusy : this.controlBusy) return;
    if (which === "shell") this.shellBusy = true;
    else this.controlBusy = true;
    try {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        if (which === "shell" && this.shellRoom && queue.length < MAX_QUEUED_REQUESTS / 2) {
          this.shellRoom.resolve();
          this.shellRoom = undefined;
        }
        try {
          await this.dispatch(entry);
        } catch (error) {
          logKernel(`handling ${entry.message.header.msg_type} failed: ${describeThrown(error)}`);
        }
      }
    } finally {
      if (which === "shell") this.shellBusy = false;
      else this.controlBusy = false;
    }
  }

  private async dispatch({ seq, channel, message, ignored }: Queued): Promise<void> {
    const msgType = message.header.msg_type;
    let afterIdle: (() => Promise<void>) | undefined;
    try {
      this.publisher.publish(message, "status", { execution_state: "busy" });
      if (ignored) {
        logThrottled(`ignoring ${JSON.stringify(msgType.slice(0, 100))} on ${channel}: ${ignored}`);
      } else if (msgType === "execute_request" && seq <= this.abortThrough) {
        this.reply(channel, message, { status: "aborted" }, { status: "aborted" });
      } else {
        const handler = this.handlers.get(msgType)!;
        const answer = await handler(message, channel);
        if (answer.content) this.reply(channel, message, answer.content, answer.metadata);
        afterIdle = answer.afterIdle;
      }
    } catch (error) {
      logKernel(`${msgType} failed: ${describeThrown(error)}`);
      if (msgType.endsWith("_request")) {
        try {
          this.reply(channel, message, { ...outcomeFromThrown(error) });
        } catch (again) {
          logKernel(`${msgType}: its error reply failed too: ${describeThrown(again)}`);
        }
      }
    }
    this.publisher.publish(message, "status", { execution_state: "idle" });
    trace(`idle after ${msgType}`);
    if (afterIdle) await afterIdle();
  }

  private reply(channel: RequestChannel, request: JupyterMessage, content: JsonObject, metadata: JsonObject = {}): void {
    this.transport.send(channel, makeChild(request, replyTypeFor(request.header.msg_type), content, this.session, metadata));
  }

  private kernelInfo(): JsonObject {
    const info = this.executor.info();
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: info.implementation,
      implementation_version: info.implementationVersion,
      language_info: info.languageInfo,
      banner: info.banner,
      help_links: info.helpLinks,
      debugger: false,
    };
  }

  private async execute(message: JupyterMessage): Promise<Answer> {
    const c = message.content;
    const code = typeof c["code"] === "string" ? c["code"] : "";
    const silent = c["silent"] === true;
    const storeHistory = silent ? false : c["store_history"] !== false;
    const allowStdin = c["allow_stdin"] !== false;
    const stopOnError = c["stop_on_error"] !== false;
    const userExpressions = isStringRecord(c["user_expressions"]) ? c["user_expressions"] : {};
    if (storeHistory) this.executionCount += 1;
    const executionCount = this.executionCount;
    const started = new Date().toISOString();

    this.publisher.beginExecute(message);
    if (!silent) this.publisher.publish(message, "execute_input", { code, execution_count: executionCount });
    if (storeHistory) this.history.add(executionCount, code);

    const sink = this.sinkFor(message, allowStdin);
    let outcome: ExecuteOutcome;
    this.executing = true;
    try {
      trace("execute to main");
      outcome = await this.executor.execute({ code, silent, storeHistory, executionCount, userExpressions, allowStdin }, sink.sink);
      trace("outcome from main");
    } catch (error) {
      outcome = outcomeFromThrown(error);
    } finally {
      this.executing = false;
      sink.finish();
    }
    this.publisher.endExecute(message);

    const metadata = { started, dependencies_met: true, engine: this.session, status: outcome.status };
    if (outcome.status === "ok") {
      if (outcome.result && !silent) {
        this.publisher.publish(message, "execute_result", { execution_count: executionCount, data: outcome.result.data, metadata: outcome.result.metadata });
        const text = outcome.result.data["text/plain"];
        if (storeHistory && typeof text === "string") this.history.setOutput(executionCount, text);
      }
      return { content: { status: "ok", execution_count: executionCount, user_expressions: outcome.userExpressions, payload: outcome.payload ?? [] }, metadata };
    }
    {
      const { ename, evalue, traceback } = outcome;
      this.publisher.publish(message, "error", { ename, evalue, traceback });
      // Abort what the client had already queued behind the failed cell; later requests run.
      if (stopOnError && !silent) this.abortThrough = this.received;
      return { content: { status: "error", execution_count: executionCount, ename, evalue, traceback, user_expressions: {}, payload: [] }, metadata };
    }
  }

  /** The OutputSink a cell writes to; after the cell finishes it follows the latest execute_request. */
  private sinkFor(request: JupyterMessage, allowStdin: boolean): { sink: OutputSink; finish(): void } {
    let active = true;
    const parent = () => (active ? request : this.publisher.lastExecute ?? request);
    const pub = this.publisher;
    const sink: OutputSink = {
      stream: (name, text) => pub.stream(parent(), name, text),
      displayData: (data, metadata, displayId) =>
        pub.publish(parent(), "display_data", { data, metadata, transient: displayId === undefined ? {} : { display_id: displayId } }),
      updateDisplayData: (data, metadata, displayId) =>
        pub.publish(parent(), "update_display_data", { data, metadata, transient: { display_id: displayId } }),
      clearOutput: (wait) => pub.publish(parent(), "clear_output", { wait }),
      requestInput: (prompt, password) => {
        if (!allowStdin) return Promise.reject(new Error(STDIN_NOT_ALLOWED));
        if (!active) return Promise.reject(new Error("input was requested after its cell finished; only a running cell can ask for input"));
        return this.stdin.ask(request, prompt, password);
      },
    };
    return { sink, finish: () => { active = false; } };
  }

  private async complete(message: JupyterMessage): Promise<JsonObject> {
    const { code, cursor } = codeAndCursor(message);
    const none: CompleteResult = { matches: [], cursorStart: cursor, cursorEnd: cursor };
    // Completion is best effort: a failure shows as "no suggestions", never as a broken reply.
    const r = await this.query("complete", code, none, () => this.executor.complete(code, cursor));
    const onWire = (offset: number) => codePointOffset(code, offset);
    const types = r.types?.map((t) => ({ ...t, start: onWire(t.start), end: onWire(t.end) }));
    const metadata: JsonObject = types ? { _jupyter_types_experimental: types } : {};
    return { status: "ok", matches: r.matches, cursor_start: onWire(r.cursorStart), cursor_end: onWire(r.cursorEnd), metadata };
  }

  private async inspect(message: JupyterMessage): Promise<JsonObject> {
    const { code, cursor } = codeAndCursor(message);
    const detail = message.content["detail_level"] === 1 ? 1 : 0;
    const r = await this.query("inspect", code, { found: false, data: {}, metadata: {} }, () => this.executor.inspect(code, cursor, detail));
    return { status: "ok", found: r.found, data: r.found ? r.data : {}, metadata: r.found ? r.metadata : {} };
  }

  private async isComplete(message: JupyterMessage): Promise<JsonObject> {
    const code = typeof message.content["code"] === "string" ? message.content["code"] : "";
    // "unknown" is the spec's answer when the kernel cannot tell (the frontend then decides).
    const r = await this.query<IsCompleteResult>("is_complete", code, { status: "unknown" }, () => this.executor.isComplete(code));
    return r.status === "incomplete" ? { status: "incomplete", indent: r.indent } : { status: r.status };
  }

  /**
   * Asks the executor a question about code (completion, inspection, completeness), answering
   * `fallback` when the code is too long to be worth asking about, when the executor fails, or
   * when it has not answered within the query timeout (its late answer is then ignored).
   */
  private async query<T>(what: string, code: string, fallback: T, ask: () => Promise<T>): Promise<T> {
    if (code.length > MAX_QUERY_CODE_CHARS) {
      logThrottled(`${what}: code of ${code.length} characters is longer than ${MAX_QUERY_CODE_CHARS}; answered empty`);
      return fallback;
    }
    const timeoutMs = this.options.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<T>((resolve) => {
      timer = setTimeout(() => {
        logKernel(`${what} took longer than ${timeoutMs} ms; answered empty`);
        resolve(fallback);
      }, timeoutMs);
    });
    const answered = ask().catch((error: unknown) => {
      logKernel(`${what} failed: ${describeThrown(error)}`);
      return fallback;
    });
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private commOpen(message: JupyterMessage): Answer {
    // No comm targets are registered: close the comm at once, as ipykernel does for unknown targets.
    const commId = message.content["comm_id"];
    this.publisher.publish(message, "comm_close", { comm_id: typeof commId === "string" ? commId : "", data: {} });
    return {};
  }

  private interrupt(): JsonObject {
    this.interruptRunningCell();
    return { status: "ok" };
  }

  /**
   * Interrupts the running cell, if any, and any prompt it waits on (interrupt_request, SIGINT).
   * The executor is asked even when no cell runs: code a finished cell left behind (a timer's
   * callback) may keep it busy, and then the stop button is the student's only way out.
   *
   * @example
   * process.on("SIGINT", () => kernel.interruptRunningCell());
   */
  interruptRunningCell(): void {
    this.executor.interrupt();
    this.stdin.cancel();
  }

  private async shutdown(message: JupyterMessage): Promise<Answer> {
    const restart = message.content["restart"] === true;
    if (this.shuttingDown) return { content: { status: "ok", restart } };
    this.shuttingDown = true;
    // Answer first (the client waits for the reply), then take the kernel down once `idle` is out.
    return {
      content: { status: "ok", restart },
      afterIdle: async () => {
        this.interruptRunningCell();
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.options.shutdownTimeoutMs ?? 3000).unref());
        await Promise.race([this.executor.shutdown(restart).catch((e: unknown) => logKernel(`executor shutdown failed: ${String(e)}`)), timeout]);
        await this.transport.flush();
        await this.options.onShutdown?.(restart);
      },
    };
  }
}

/**
 * Checked by request-checks.ts before queueing: code is a string, cursor_pos a number. The cursor
 * comes in code points and goes to the executor as a UTF-16 offset (code-points.ts).
 */
function codeAndCursor(message: JupyterMessage): { code: string; cursor: number } {
  const code = message.content["code"] as string;
  return { code, cursor: utf16Offset(code, message.content["cursor_pos"] as number) };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}
