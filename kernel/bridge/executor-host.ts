/**
 * The main-thread end of the bridge: runs the real Executor for the protocol worker and forwards
 * everything a cell outputs back to it.
 *
 * Stream text is batched here too (at most one post per stream every STREAM_POST_MS or
 * STREAM_POST_BYTES), so a cell printing in a tight synchronous loop neither floods the port nor
 * goes silent: the batch is posted from inside the loop, and the worker publishes it while the
 * main thread keeps computing.
 */
import { interruptedOutcome, type ExecuteOutcome, type ExecuteRequest, type Executor, type JsonObject, type MimeBundle, type OutputSink } from "../executor.js";
import { STDIN_NOT_ALLOWED, keyboardInterrupt, outcomeFromThrown } from "../protocol/errors.js";
import type { PortLike, SinkMethod, ToMain, ToWorker } from "./bridge-messages.js";
import { jsonReady } from "./json-check.js";
import { INPUT_FAILED, SharedState } from "./shared-state.js";

export const STREAM_POST_MS = 20;
export const STREAM_POST_BYTES = 32 * 1024;
/** After the worker terminated a cell, how long the executor gets to report it before the host does
 * (the TypeScript executor reports within a millisecond; an executor whose whole call stack the
 * terminate unwound never does). */
export const TERMINATE_GRACE_MS = 50;

interface RunningCell {
  sink: ForwardingSink;
  started: boolean;
  cancelled: boolean;
}

export class ExecutorHost {
  private readonly cells = new Map<number, RunningCell>();
  private nextInputId = 0;
  private readonly inputs = new Map<number, { resolve(v: string): void; reject(e: Error): void }>();

  /**
   * @example
   * const host = new ExecutorHost(worker, () => createExecutor(), new SharedState(sharedBuffer));
   *
   * `loadExecutor` is called on the first request that needs the executor (the composition root
   * may have started it earlier); it must return the same promise every time.
   */
  constructor(
    private readonly port: PortLike,
    private readonly loadExecutor: () => Promise<Executor>,
    private readonly shared: SharedState,
  ) {
    port.on("message", (message: ToMain) => this.receive(message));
  }

  private get executor(): Promise<Executor> {
    const loading = this.loadExecutor();
    // A failed load is reported per request; keep it from being an unhandled rejection.
    loading.catch(() => undefined);
    return loading;
  }

  private post(message: ToWorker): void {
    this.port.postMessage(message);
  }

  private receive(message: ToMain): void {
    switch (message.kind) {
      case "execute":
        void this.execute(message.id, message.request);
        return;
      case "call":
        this.executor
          .then((executor) => (executor[message.method] as (...args: unknown[]) => Promise<unknown>)(...message.args))
          .then((value) => jsonReady(value, `${message.method} answer`, "answer"))
          .then(
            (value) => this.post({ kind: "result", id: message.id, value }),
            (error: unknown) => this.post({ kind: "failure", id: message.id, ...describe(error) }),
          );
        return;
      case "interrupt":
        this.interrupt(message.id);
        return;
      case "terminated": {
        // The terminate may have reached an idle main thread and ended the "interrupt" message's
        // handler instead of the cell: abandon a pending await here too.
        const cell = this.cells.get(message.id);
        if (cell?.started) void this.executor.then((executor) => executor.interrupt());
        setTimeout(() => this.settle(message.id, interruptedOutcome()), TERMINATE_GRACE_MS);
        return;
      }
      case "input-answer": {
        const waiting = this.inputs.get(message.inputId);
        this.inputs.delete(message.inputId);
        if (!waiting) return;
        if (message.error) waiting.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
        else waiting.resolve(message.value ?? "");
        return;
      }
      default:
        return;
    }
  }

  private async execute(id: number, request: ExecuteRequest): Promise<void> {
    const cell: RunningCell = { sink: new ForwardingSink(id, this, request.allowStdin), started: false, cancelled: false };
    this.cells.set(id, cell);
    let executor: Executor;
    try {
      executor = await this.executor;
    } catch (error) {
      this.settle(id, outcomeFromThrown(error));
      return;
    }
    if (cell.cancelled) {
      this.settle(id, interruptedOutcome());
      return;
    }
    cell.started = true;
    // Published before the cell runs: the worker may terminate only while this holds the cell's id.
    this.shared.enterCell(id);
    let outcome: Promise<ExecuteOutcome>;
    try {
      outcome = executor.execute(request, cell.sink);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      (value) => this.settle(id, value),
      (error: unknown) => this.settle(id, outcomeFromThrown(error)),
    );
  }

  /**
   * Delivers a cell's outcome once: the executor's own or, after a terminate, the host's. The cell
   * leaves the table only after its result is posted, so if a terminate cut this very code short,
   * the fallback that follows every terminate still delivers one.
   */
  private settle(id: number, outcome: ExecuteOutcome): void {
    const cell = this.cells.get(id);
    if (!cell) return;
    // If the worker has claimed a terminate for this cell, this waits for it (see SharedState).
    this.shared.leaveCell(id);
    cell.sink.flush();
    this.post({ kind: "result", id, value: sendableOutcome(outcome) });
    this.cells.delete(id);
  }

  private interrupt(id: number): void {
    // First of all: this thread is responsive, so no terminate is needed (or, if one was already
    // claimed, wait for it here rather than let it land in later code).
    this.shared.acknowledgeInterrupt(id);
    const cell = this.cells.get(id);
    if (!cell) return;
    if (!cell.started) cell.cancelled = true;
    else void this.executor.then((executor) => executor.interrupt());
  }

  /** @internal used by ForwardingSink */
  forward(id: number, method: SinkMethod, args: unknown[]): void {
    this.post({ kind: "sink", id, method, args });
  }

  /** @internal used by ForwardingSink */
  requestInput(id: number, prompt: string, password: boolean): Promise<string> {
    const inputId = ++this.nextInputId;
    return new Promise((resolve, reject) => {
      this.inputs.set(inputId, { resolve, reject });
      this.post({ kind: "input", id, inputId, prompt, password });
    });
  }

  /** @internal used by ForwardingSink: blocks this thread until the worker writes the answer. */
  requestInputSync(id: number, prompt: string, password: boolean): string {
    this.shared.armInput();
    this.post({ kind: "input-sync", id, prompt, password });
    const { state, text } = this.shared.awaitInput();
    if (state === INPUT_FAILED) {
      const { name, message } = JSON.parse(text) as { name: string; message: string };
      throw name === "KeyboardInterrupt" ? keyboardInterrupt(message) : Object.assign(new Error(message), { name });
    }
    return text;
  }
}

/** The OutputSink a cell on the main thread writes to; it forwards to the worker. */
class ForwardingSink implements OutputSink {
  private streamName: "stdout" | "stderr" | undefined;
  private chunks: string[] = [];
  private length = 0;
  private firstAt = 0;
  private lastPostAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly id: number, private readonly host: ExecutorHost, private readonly allowStdin: boolean) {}

  stream(name: "stdout" | "stderr", text: string): void {
    if (this.streamName !== name) this.flush();
    const now = Date.now();
    if (this.chunks.length === 0) {
      this.streamName = name;
      this.firstAt = now;
      // Leading edge: text after a quiet spell leaves at once, since the cell may now compute
      // synchronously for a long time and no timer could fire to send it.
      if (now - this.lastPostAt >= STREAM_POST_MS) {
        this.chunks.push(text);
        this.flush();
        return;
      }
      this.timer = setTimeout(() => this.flush(), STREAM_POST_MS);
    }
    this.chunks.push(text);
    this.length += text.length;
    // Checked on every call so that a synchronous loop (timers cannot fire) still streams.
    if (this.length >= STREAM_POST_BYTES || now - this.firstAt >= STREAM_POST_MS) this.flush();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.chunks.length === 0 || !this.streamName) return;
    this.lastPostAt = Date.now();
    const text = this.chunks.join("");
    this.chunks = [];
    this.length = 0;
    this.host.forward(this.id, "stream", [this.streamName, text]);
  }

  // Checked here, in the caller's stack: a bundle that cannot become JSON throws into the cell
  // (or the timer) that displayed it instead of reaching the protocol thread.
  displayData(data: MimeBundle, metadata: JsonObject, displayId?: string): void {
    const sendable = [jsonReady(data, "display_data", "data"), jsonReady(metadata, "display_data", "metadata")];
    this.flush();
    this.host.forward(this.id, "displayData", displayId === undefined ? sendable : [...sendable, String(displayId)]);
  }

  updateDisplayData(data: MimeBundle, metadata: JsonObject, displayId: string): void {
    const sendable = [jsonReady(data, "update_display_data", "data"), jsonReady(metadata, "update_display_data", "metadata")];
    this.flush();
    this.host.forward(this.id, "updateDisplayData", [...sendable, String(displayId)]);
  }

  clearOutput(wait: boolean): void {
    this.flush();
    this.host.forward(this.id, "clearOutput", [wait]);
  }

  requestInput(prompt: string, password: boolean): Promise<string> {
    if (!this.allowStdin) return Promise.reject(new Error(STDIN_NOT_ALLOWED));
    this.flush();
    return this.host.requestInput(this.id, prompt, password);
  }

  requestInputSync(prompt: string, password: boolean): string {
    if (!this.allowStdin) throw new Error(STDIN_NOT_ALLOWED);
    this.flush();
    return this.host.requestInputSync(this.id, prompt, password);
  }
}

/**
 * The outcome as it may cross to the protocol worker: a result or user expression that cannot
 * become JSON turns the cell's outcome into that error (published on IOPub like any cell error).
 */
function sendableOutcome(outcome: ExecuteOutcome): ExecuteOutcome {
  if (outcome.status === "error") {
    const { ename, evalue, traceback } = outcome;
    return { status: "error", ename: String(ename), evalue: String(evalue), traceback: Array.isArray(traceback) ? traceback.map(String) : [String(traceback)] };
  }
  try {
    const result = outcome.result && { data: jsonReady(outcome.result.data, "execute_result", "data"), metadata: jsonReady(outcome.result.metadata, "execute_result", "metadata") };
    const userExpressions = jsonReady(outcome.userExpressions, "execute_reply", "user_expressions");
    return { status: "ok", ...(result ? { result } : {}), userExpressions };
  } catch (error) {
    const { name, message } = describe(error);
    return { status: "error", ename: name, evalue: message, traceback: [`${name}: ${message}`] };
  }
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
}
