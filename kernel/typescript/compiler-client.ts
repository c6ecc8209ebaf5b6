/**
 * The main thread's handle on the compiler worker: starts it (without waiting for it), and sends
 * requests that the worker answers in order. A request sent while the worker still loads
 * TypeScript simply waits in its queue.
 */
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { writeSync } from "node:fs";
import type { CompleteResult, InspectResult, IsCompleteResult } from "../executor.js";
import type { CompileResult, CompilerRequest, CompilerResponse, CompilerStatus, CompilerWorkerConfig } from "./compiler-messages.js";

const WORKER_YOUNG_MB = 4;
const WORKER_OLD_MB = Number(process.env["GRADLAB_CHECKER_HEAP_MB"] ?? 160);

export class CompilerClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(body: unknown): void; reject(error: Error): void }>();
  private failure: Error | undefined;

  constructor(config: CompilerWorkerConfig) {
    const url = new URL("./compiler-worker.js", import.meta.url);
    if (!existsSync(url)) throw new Error(`the compiler worker ${url.pathname} is missing: run \`npm run build\``);
    // Worker stdout/stderr are not piped into this thread's process.stdout, which the kernel
    // routes into cells; they go straight to the kernel's log instead.
    // A small young generation and a bounded old one keep the checker's garbage (a new program per
    // cell) from inflating the kernel's memory: measured 208 → 149 MB RSS with the library loaded.
    this.worker = new Worker(url, {
      workerData: config,
      stdout: true,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: WORKER_OLD_MB },
    });
    this.worker.stdout.on("data", (chunk: Buffer) => writeSync(2, chunk));
    this.worker.stderr.on("data", (chunk: Buffer) => writeSync(2, chunk));
    this.worker.unref();
    this.worker.on("message", (response: CompilerResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.body);
      else waiter.reject(new Error(`compiler worker: ${response.error}`));
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", (error) => fail(error instanceof Error ? error : new Error(String(error))));
    this.worker.on("exit", (code) => fail(new Error(`the compiler worker exited (code ${code})`)));
  }

  compile(code: string, cellId: number, check: boolean, record: boolean): Promise<CompileResult> {
    return this.request({ kind: "compile", code, cellId, check, record });
  }
  complete(code: string, cursor: number): Promise<CompleteResult> {
    return this.request({ kind: "complete", code, cursor });
  }
  inspect(code: string, cursor: number, detailLevel: number): Promise<InspectResult> {
    return this.request({ kind: "inspect", code, cursor, detailLevel });
  }
  isComplete(code: string): Promise<IsCompleteResult> {
    return this.request({ kind: "isComplete", code });
  }
  /** Resolves once the worker is warm (TypeScript loaded, library globals known, checker used once). */
  status(): Promise<CompilerStatus> {
    return this.request({ kind: "status" });
  }

  /** Keeps the process alive while a request is outstanding, not otherwise. */
  private request<T>(request: CompilerRequest): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (body) => {
          this.settled();
          resolve(body as T);
        },
        reject: (error) => {
          this.settled();
          reject(error);
        },
      });
      this.worker.postMessage({ id, request });
    });
  }

  private settled(): void {
    if (this.pending.size === 0) this.worker.unref();
  }

  async terminate(): Promise<void> {
    this.failure = new Error("the compiler worker was stopped");
    await this.worker.terminate();
  }
}
