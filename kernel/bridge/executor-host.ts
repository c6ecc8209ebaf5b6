/**
 * The main-thread end of the bridge: runs the real Executor for the protocol worker and forwards
 * everything a cell outputs back to it, one post per sink call, in call order. Stream text comes
 * already batched from the executor (see OutputSink); a post made from inside a synchronous loop
 * is published by the worker while this thread keeps computing.
 *
 * Nothing crosses to the worker that it could fail to serialise: display data, metadata,
 * results and answers are checked here for JSON (json-check.ts), so the problem fails the cell
 * that made it. A cell the worker's memory watchdog terminated ends with a RangeError saying the
 * limit, once the executor has let go of that cell's memory. process.exit in a cell comes here
 * too (exitFromCell), to close the sockets before the process goes.
 *
 * Runs on: the main thread.
 */
import { installTerminateShield } from "./terminate-shield.js";
import { installStrayCallbackState } from "./stray-callbacks.js";
import { EXECUTOR_REQUESTS, interruptedOutcome, type ExecuteOutcome, type ExecuteRequest, type Executor, type JsonObject, type MimeBundle, type OutputSink } from "../executor.js";
import { STDIN_NOT_ALLOWED, keyboardInterrupt, outcomeFromThrown } from "../protocol/errors.js";
import type { PortLike, RequestMessage, SinkMethod, ToMain, ToWorker } from "./bridge-messages.js";
import { getHeapStatistics } from "node:v8";
import { jsonReady } from "./json-check.js";
import { type MemoryLimit, memoryLimit, memoryStopMessage } from "./memory-limit.js";
import { INPUT_FAILED, SharedState } from "./shared-state.js";
import { holdYoungGeneration } from "./young-generation.js";

/** After the worker terminated a cell, how long the executor gets to report it before the host does
 * (the TypeScript executor reports within a millisecond; an executor whose whole call stack the
 * terminate unwound never does). */
export const TERMINATE_GRACE_MS = 50;

interface RunningCell {
  sink: ForwardingSink;
  started: boolean;
  cancelled: boolean;
  /** Stopped by the memory watchdog: its outcome comes once the executor has freed memory. */
  releasingMemory?: boolean;
}

export class ExecutorHost {
  private readonly cells = new Map<number, RunningCell>();
  private nextInputId = 0;
  private readonly inputs = new Map<number, { resolve(v: string): void; reject(e: Error): void }>();
  /** The executor once loaded (for what must happen synchronously: see exitFromCell). */
  private loaded: Executor | undefined;

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
    /** The limit the protocol thread's memory watchdog enforces (for the error a stopped cell shows). */
    private readonly memory: MemoryLimit = memoryLimit({}, getHeapStatistics().heap_size_limit / (1024 * 1024)),
  ) {
    port.on("message", (message: ToMain) => this.receive(message));
    installTerminateShield(shared);
    installStrayCallbackState(shared);
  }

  /**
   * Ends the process from inside a cell (what process.exit does in the kernel; `what` names the
   * call that asked, in the line shown under the cell): the cell's
   * buffered output and a note saying what happened reach IOPub, the worker closes the sockets
   * (exiting with open zeromq sockets aborts the process and loses the exit code), then
   * `exit(code)`. This thread cannot read messages meanwhile, so it waits in shared memory.
   */
  exitFromCell(code: number, exit: (code: number) => never, timeoutMs: number, what = `process.exit(${code})`): never {
    process.stderr.write(`${what}: the kernel exits; Jupyter starts a new one, without this session's variables.\n`);
    try {
      // Text waits only in the executor (ForwardingSink posts every call at once).
      this.loaded?.flushOutput?.();
      this.post({ kind: "stop", code });
      this.shared.awaitSocketsClosed(timeoutMs);
    } catch {
      // Exit anyway: the code must not be lost to a failure on the way out.
    }
    return exit(code);
  }

  private get executor(): Promise<Executor> {
    const loading = this.loadExecutor();
    // A failed load is reported per request; keep it from being an unhandled rejection.
    loading.then(
      (executor) => (this.loaded = executor),
      () => undefined,
    );
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
      case "request":
        this.executor
          .then((executor) => runRequest(executor, message))
          .then((value) => jsonReady(value, `${message.name} answer`, "answer"))
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
    if (!cell || cell.releasingMemory) return;
    // If the worker has claimed a terminate for this cell, this waits for it (see SharedState).
    this.shared.leaveCell(id);
    const stop = this.shared.terminatedCell(id);
    if (stop?.reason === "memory") {
      cell.releasingMemory = true;
      void this.afterMemoryStop(stop.memoryMb).then((memoryOutcome) => this.deliver(id, cell, memoryOutcome));
      return;
    }
    // An interrupt's terminate stopped the cell whatever its executor then reported: "ok" when it
    // landed in a callback of the cell's own timers (run in the cell's last turn of the event
    // loop), or an error that only says the JavaScript was cut short (as Node 22's V8 words a
    // terminated evaluate). JavaScript cannot catch a terminate, so no error of the cell's own
    // can follow it.
    this.deliver(id, cell, stop?.reason === "interrupt" ? interruptedOutcome() : outcome);
  }

  private deliver(id: number, cell: RunningCell, outcome: ExecuteOutcome): void {
    this.post({ kind: "result", id, value: sendableOutcome(outcome) });
    this.cells.delete(id);
    // From the first cell on, the young generation keeps the size launching grew it to.
    holdYoungGeneration();
  }

  /** The outcome of a cell the memory watchdog stopped, once the executor has let go of what it held. */
  private async afterMemoryStop(readingMb: number): Promise<ExecuteOutcome> {
    let released: string[] = [];
    try {
      released = (await this.loaded?.releaseMemory?.()) ?? [];
    } catch (error) {
      process.stderr.write(`freeing the stopped cell's memory failed: ${describe(error).message}\n`);
    }
    const cleared = released.length > 0 ? ` To free the memory, this cell's own variables were cleared (${released.join(", ")}); those of earlier cells are kept.` : " Variables of earlier cells are kept.";
    const evalue = `${memoryStopMessage(this.memory, readingMb)}${cleared}`;
    return { status: "error", ename: "RangeError", evalue, traceback: [`RangeError: ${evalue}`] };
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
  constructor(private readonly id: number, private readonly host: ExecutorHost, private readonly allowStdin: boolean) {}

  stream(name: "stdout" | "stderr", text: string): void {
    this.host.forward(this.id, "stream", [name, text]);
  }

  // Checked here, in the caller's stack: a bundle that cannot become JSON throws into the cell
  // (or the timer) that displayed it instead of reaching the protocol thread.
  displayData(data: MimeBundle, metadata: JsonObject, displayId?: string): void {
    const sendable = [jsonReady(data, "display_data", "data"), jsonReady(metadata, "display_data", "metadata")];
    this.host.forward(this.id, "displayData", displayId === undefined ? sendable : [...sendable, String(displayId)]);
  }

  updateDisplayData(data: MimeBundle, metadata: JsonObject, displayId: string): void {
    const sendable = [jsonReady(data, "update_display_data", "data"), jsonReady(metadata, "update_display_data", "metadata")];
    this.host.forward(this.id, "updateDisplayData", [...sendable, String(displayId)]);
  }

  clearOutput(wait: boolean): void {
    this.host.forward(this.id, "clearOutput", [wait]);
  }

  requestInput(prompt: string, password: boolean): Promise<string> {
    if (!this.allowStdin) return Promise.reject(new Error(STDIN_NOT_ALLOWED));
    return this.host.requestInput(this.id, prompt, password);
  }

  requestInputSync(prompt: string, password: boolean): string {
    if (!this.allowStdin) throw new Error(STDIN_NOT_ALLOWED);
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
    return { status: "ok", ...(result ? { result } : {}), userExpressions, ...(outcome.payload ? { payload: outcome.payload } : {}) };
  } catch (error) {
    const { name, message } = describe(error);
    return { status: "error", ename: name, evalue: message, traceback: [`${name}: ${message}`] };
  }
}

/** The one dispatch for every executor request: calls the method the message names. */
async function runRequest(executor: Executor, { name, args }: RequestMessage): Promise<unknown> {
  if (!EXECUTOR_REQUESTS.includes(name)) throw new Error(`${String(name)} is not an executor request`);
  const method = executor[name] as (...args: RequestMessage["args"]) => Promise<unknown>;
  return method.apply(executor, args);
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
}
