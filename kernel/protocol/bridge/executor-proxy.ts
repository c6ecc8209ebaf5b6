/**
 * The Executor as the protocol worker sees it: every call is posted to the main thread, where
 * ExecutorHost runs the real executor; output the cell produces comes back as sink messages and is
 * replayed, in order, on the OutputSink the protocol kernel gave to execute().
 *
 * Interrupts: the proxy asks the main thread first (the executor abandons a pending await and the
 * host acknowledges). If no acknowledgement arrives within INTERRUPT_ACK_MS the main thread is stuck
 * in synchronous code; then, if it is still running that same cell, the proxy terminates the
 * running JavaScript through its own inspector session (Runtime.terminateExecution). Earlier
 * cells' state survives a terminate.
 */
import { Session } from "node:inspector";
import type {
  CompleteResult,
  ExecuteOutcome,
  ExecuteRequest,
  Executor,
  InspectResult,
  IsCompleteResult,
  LanguageInfo,
  OutputSink,
} from "../../executor.js";
import { logKernel } from "../log.js";
import type { ExecutorMethod, PortLike, ToMain, ToWorker } from "./bridge-messages.js";
import { INPUT_FAILED, INPUT_OK, SharedState } from "./shared-state.js";

export const INTERRUPT_ACK_MS = 100;

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class ExecutorProxy implements Executor {
  private nextId = 0;
  private readonly calls = new Map<number, PendingCall>();
  private readonly sinks = new Map<number, OutputSink>();
  /** Where output of finished cells goes (all finished sinks behave alike: latest execute parent). */
  private lateSink: OutputSink | undefined;
  private running: number | undefined;
  private acked = new Set<number>();
  private inspector: Session | undefined;

  constructor(
    private readonly port: PortLike,
    private readonly shared: SharedState,
    private languageInfo: LanguageInfo,
  ) {
    port.on("message", (message: ToWorker) => this.receive(message));
  }

  info(): LanguageInfo {
    return this.languageInfo;
  }

  execute(request: ExecuteRequest, sink: OutputSink): Promise<ExecuteOutcome> {
    const id = ++this.nextId;
    this.sinks.set(id, sink);
    this.running = id;
    return this.call<ExecuteOutcome>(id, { kind: "execute", id, request }).finally(() => {
      if (this.running === id) this.running = undefined;
      this.sinks.delete(id);
      this.lateSink = sink;
    });
  }

  complete(code: string, cursorPos: number): Promise<CompleteResult> {
    return this.invoke("complete", [code, cursorPos]);
  }

  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult> {
    return this.invoke("inspect", [code, cursorPos, detailLevel]);
  }

  isComplete(code: string): Promise<IsCompleteResult> {
    return this.invoke("isComplete", [code]);
  }

  shutdown(restart: boolean): Promise<void> {
    return this.invoke("shutdown", [restart]);
  }

  interrupt(): void {
    const id = this.running;
    if (id === undefined) return;
    this.post({ kind: "interrupt", id });
    setTimeout(() => {
      if (this.acked.delete(id) || this.running !== id) return;
      if (this.shared.runningCell !== id) return; // not started yet, or already over: nothing to stop
      this.terminateMainThread(id);
    }, INTERRUPT_ACK_MS);
  }

  private terminateMainThread(id: number): void {
    try {
      if (!this.inspector) {
        this.inspector = new Session();
        this.inspector.connectToMainThread();
      }
      // Last check right before the terminate leaves: the main thread must still be in this cell.
      if (this.shared.runningCell !== id) return;
      this.inspector.post("Runtime.terminateExecution", (error) => {
        if (error) logKernel(`terminateExecution failed: ${error.message}`);
        this.post({ kind: "terminated", id });
      });
    } catch (error) {
      logKernel(`could not interrupt the running cell: ${String(error)}`);
    }
  }

  private invoke<T>(method: ExecutorMethod, args: unknown[]): Promise<T> {
    const id = ++this.nextId;
    return this.call<T>(id, { kind: "call", id, method, args });
  }

  private call<T>(id: number, message: ToMain): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post(message);
    });
  }

  private post(message: ToMain): void {
    this.port.postMessage(message);
  }

  private receive(message: ToWorker): void {
    switch (message.kind) {
      case "info":
        this.languageInfo = message.info;
        return;
      case "result":
      case "failure": {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        if (!call) return;
        if (message.kind === "result") call.resolve(message.value);
        else call.reject(Object.assign(new Error(message.message), { name: message.name }));
        return;
      }
      case "interrupt-ack":
        if (this.running === message.id) this.acked.add(message.id);
        return;
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
