/**
 * The Executor as the protocol worker sees it: every call is posted to the main thread, where
 * ExecutorHost runs the real executor; output the cell produces comes back as sink messages and is
 * replayed, in order, on the OutputSink the protocol kernel gave to execute(). Requests (complete,
 * inspect, …: see ExecutorRequestMethods) are forwarded by one generic method, so a request added to
 * the Executor interface needs no code here. info() answers from the description the worker got at
 * launch.
 *
 * Interrupts: the proxy asks the main thread first (the host acknowledges in shared memory and
 * the executor abandons a pending await). If the main thread keeps computing without reading the
 * request it is inside synchronous code of the cell (InterruptWatch decides, within a few ms of
 * the main thread's CPU time); then, if it still is in that same cell and has not acknowledged
 * (SharedState.claimTerminate), the proxy terminates the running JavaScript through its own
 * inspector session (Runtime.terminateExecution). Earlier cells' state survives a terminate.
 * The same terminate stops a cell that takes the kernel over its memory limit (MemoryWatch).
 * While a terminate is in flight, messages to the main thread are held back: a terminate that
 * reaches an idle main thread ends whatever JavaScript runs there next, such as a message handler.
 */
import { Session } from "node:inspector";
import {
  EXECUTOR_REQUESTS,
  type ExecuteOutcome,
  type ExecuteRequest,
  type Executor,
  type ExecutorRequestMethods,
  type ExecutorRequestName,
  type ExecutorRequests,
  type ExecutorResponses,
  type LanguageInfo,
  type OutputSink,
} from "../executor.js";
import { describeThrown, logKernel } from "../protocol/log.js";
import type { PortLike, RequestMessage, ToMain, ToWorker } from "./bridge-messages.js";
import { InterruptWatch, WATCH_POLL_MS, systemClock } from "./interrupt-watch.js";
import type { MemoryWatch } from "./memory-watch.js";
import { INPUT_FAILED, INPUT_OK, SharedState, STRAY_CALLBACK, type TerminateReason } from "./shared-state.js";

/** If the inspector never answers a terminate, messages held back for it are released after this. */
const TERMINATE_RESPONSE_MS = 3000;

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The request methods (complete, inspect, …), installed on the prototype below. */
export interface ExecutorProxy extends ExecutorRequestMethods {}

export class ExecutorProxy implements Executor {
  private nextId = 0;
  private readonly calls = new Map<number, PendingCall>();
  private readonly sinks = new Map<number, OutputSink>();
  /** Where output of finished cells goes (all finished sinks behave alike: latest execute parent). */
  private lateSink: OutputSink | undefined;
  private running: number | undefined;
  private inspector: Session | undefined;
  /** Messages for the main thread held back while a terminate is in flight. */
  private held: ToMain[] | undefined;

  constructor(
    private readonly port: PortLike,
    private readonly shared: SharedState,
    private readonly languageInfo: LanguageInfo,
    /** Stops a cell that takes the kernel over its memory limit (none: no watch). */
    private readonly memory?: MemoryWatch,
  ) {
    port.on("message", (message: ToWorker) => {
      // One message that cannot be handled (an output that does not encode) must not end the thread.
      try {
        this.receive(message);
      } catch (error) {
        logKernel(`handling ${message.kind} from the main thread failed: ${describeThrown(error)}`);
      }
    });
  }

  info(): LanguageInfo {
    return this.languageInfo;
  }

  execute(request: ExecuteRequest, sink: OutputSink): Promise<ExecuteOutcome> {
    const id = ++this.nextId;
    this.sinks.set(id, sink);
    this.running = id;
    this.connectInspector(); // once, and not on the launch path: the first cell may need interrupting
    const endWatch = this.memory?.watch((readingMb) =>
      this.terminateMainThread(id, "memory", readingMb, () =>
        // Said before the terminate, on IOPub: should V8 still die first, the user knows why.
        sink.stream("stderr", `The kernel reached ${readingMb} MB, over its memory limit: stopping this cell.\n`),
      ),
    );
    return this.call<ExecuteOutcome>(id, { kind: "execute", id, request }).finally(() => {
      endWatch?.();
      if (this.running === id) this.running = undefined;
      this.sinks.delete(id);
      this.lateSink = sink;
    });
  }

  /**
   * Runs request `name` on the main thread's executor and resolves with its answer (rejects with
   * its error, name and message kept).
   *
   * @example
   * const { matches } = await proxy.request("complete", ["Math.ma", 7]);
   */
  request<N extends ExecutorRequestName>(name: N, args: ExecutorRequests[N]): Promise<ExecutorResponses[N]> {
    const id = ++this.nextId;
    return this.call<ExecutorResponses[N]>(id, { kind: "request", id, name, args } as RequestMessage);
  }

  interrupt(): void {
    const id = this.running;
    if (id !== undefined) this.post({ kind: "interrupt", id });
    // A timer's callback that keeps the main thread busy after its cell ended holds up every
    // later cell: when the cell asked for has not started and such a callback runs, it is the one
    // watched (and terminated if busy), so the queued cells can run.
    const notStarted = id === undefined || this.shared.cellState(id) === "other";
    const target = notStarted && this.shared.cellState(STRAY_CALLBACK) === "running" ? STRAY_CALLBACK : id;
    if (target === undefined) return;
    const watch = new InterruptWatch(this.shared, target, systemClock);
    const timer = setInterval(() => {
      const verdict = watch.check();
      if (verdict === "wait") return;
      if (verdict === "stop-shielded") return this.stopShieldedProcess(target);
      clearInterval(timer);
      if (verdict === "terminate") this.terminateMainThread(target);
    }, WATCH_POLL_MS);
  }

  /** Stops the process the main thread's shielded work waits for (the type checker's), so that the work ends and the interrupt can be read. */
  private stopShieldedProcess(id: number): void {
    const pid = this.shared.shieldedProcess(id);
    if (pid <= 0) return;
    this.shared.markShieldStopped(id);
    try {
      process.kill(pid, "SIGKILL");
      logKernel(`interrupted while the type checker (process ${pid}) worked on cell ${id}: stopped it; it restarts with the next request`);
    } catch {
      // already gone
    }
  }

  /** Ends the inspector session to the main thread: while one is open, the process prints
   * "Waiting for the debugger to disconnect..." when it exits. Called just before the kernel exits. */
  disconnectInspector(): void {
    this.inspector?.disconnect();
    this.inspector = undefined;
  }

  private connectInspector(): Session | undefined {
    if (this.inspector) return this.inspector;
    try {
      const session = new Session();
      session.connectToMainThread();
      this.inspector = session;
    } catch (error) {
      logKernel(`no inspector session to the main thread (busy cells cannot be interrupted): ${describeThrown(error)}`);
    }
    return this.inspector;
  }

  /** Returns whether the terminate was claimed (`announce` is called just before it is sent). */
  private terminateMainThread(id: number, reason: TerminateReason = "interrupt", memoryMb = 0, announce?: () => void): boolean {
    const inspector = this.connectInspector();
    // The main thread must still be in this cell and not have read the interrupt: see SharedState.
    if (!inspector || !this.shared.claimTerminate(id, reason, memoryMb)) return false;
    announce?.();
    const held: ToMain[] = [];
    this.held = held;
    let done = false;
    const finish = (why?: string) => {
      if (done) return;
      done = true;
      if (why) logKernel(why);
      this.shared.terminateDone(id);
      if (this.held === held) this.held = undefined;
      this.port.postMessage({ kind: "terminated", id } satisfies ToMain);
      for (const message of held) this.port.postMessage(message);
    };
    const fallback = setTimeout(() => finish(`no answer to terminateExecution for cell ${id} within ${TERMINATE_RESPONSE_MS} ms`), TERMINATE_RESPONSE_MS);
    try {
      inspector.post("Runtime.terminateExecution", (error) => {
        clearTimeout(fallback);
        finish(error ? `terminateExecution failed: ${error.message}` : undefined);
      });
    } catch (error) {
      clearTimeout(fallback);
      finish(`could not interrupt the running cell: ${describeThrown(error)}`);
    }
    return true;
  }

  private call<T>(id: number, message: ToMain): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post(message);
    });
  }

  private post(message: ToMain): void {
    if (this.held) this.held.push(message);
    else this.port.postMessage(message);
  }

  private receive(message: ToWorker): void {
    switch (message.kind) {
      case "result":
      case "failure": {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (!call) return;
        if (message.kind === "result") call.resolve(message.value);
        else call.reject(Object.assign(new Error(message.message), { name: message.name }));
        return;
      }
      case "sink": {
        const sink = this.sinkFor(message.id);
        if (!sink) return;
        const args = message.args as never[];
        (sink[message.method] as (...a: unknown[]) => void)(...args);
        return;
      }
      case "input": {
        const sink = this.sinkFor(message.id);
        const answer = sink ? sink.requestInput(message.prompt, message.password) : Promise.reject(new Error("no cell is running"));
        answer.then(
          (value) => this.post({ kind: "input-answer", inputId: message.inputId, value }),
          (error: Error) => this.post({ kind: "input-answer", inputId: message.inputId, error: { name: error.name, message: error.message } }),
        );
        return;
      }
      case "input-sync": {
        const sink = this.sinkFor(message.id);
        const answer = sink ? sink.requestInput(message.prompt, message.password) : Promise.reject(new Error("no cell is running"));
        answer.then(
          (value) => this.shared.answerInput(INPUT_OK, value),
          (error: Error) => this.shared.answerInput(INPUT_FAILED, JSON.stringify({ name: error.name, message: error.message })),
        );
        return;
      }
      case "sigint":
      case "stop":
        return; // handled by the worker entry
    }
  }

  private sinkFor(id: number): OutputSink | undefined {
    return this.sinks.get(id) ?? this.lateSink;
  }
}

// Each request method of the Executor interface forwards its arguments by name: made from the list
// of requests rather than written out one by one.
for (const name of EXECUTOR_REQUESTS) {
  Object.defineProperty(ExecutorProxy.prototype, name, {
    value(this: ExecutorProxy, ...args: ExecutorRequests[typeof name]) {
      return this.request(name, args);
    },
    writable: true,
    configurable: true,
  });
}
