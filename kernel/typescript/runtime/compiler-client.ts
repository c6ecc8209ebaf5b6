/**
 * The main thread's handle on the compiler worker: starts it (without waiting for it), and sends
 * requests that the worker answers in order. A request sent while the worker still loads
 * TypeScript simply waits in its queue.
 *
 * When the worker stops (out of memory under its heap limit, or any crash), the requests it had
 * fail with a CheckerStoppedError saying so, and a new worker starts at once with the
 * declarations the old one had recorded (it sends what each recorded cell added), so
 * checking carries on with earlier cells' names and types. A worker that keeps stopping is given
 * up after a few tries. With TypeScript 7's checker the worker owns a native child process: the
 * worker tells its process id, and the client stops that process whenever the worker goes (the
 * kernel shutting down, a crash, a restart), so no checker outlives its kernel. A native process
 * that dies makes its worker exit (NATIVE_CHECKER_STOPPED), which restarts both as above.
 */
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { writeSync } from "node:fs";
import { CellDeclarations } from "../compiler/cell-declarations.js";
import { buildDir } from "../kernel-build.js";
import type {
  CheckerHistory,
  CompilerRequest,
  CompilerRequestName,
  CompilerRequests,
  CompilerResponse,
  CompilerWorkerConfig,
  NativeProcessNotice,
} from "../shared/compiler-messages.js";
import { NATIVE_CHECKER_STOPPED } from "../shared/compiler-messages.js";
import { CheckerRestarts } from "./checker-restarts.js";
import { checkerFailure, valueNamesOf, type SessionChecker } from "./session-checker.js";

const WORKER_YOUNG_MB = 4;
const DEFAULT_WORKER_OLD_MB = Number(process.env["GRADLAB_CHECKER_HEAP_MB"] ?? 160);

interface Waiter {
  resolve(body: unknown): void;
  reject(error: Error): void;
}

export class CompilerClient implements SessionChecker {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();
  /** A copy of the worker's declarations, kept in step from each recorded cell, for a replacement worker. */
  private readonly declarations = new CellDeclarations();
  private nodeTypes = false;
  private readonly restarts = new CheckerRestarts();
  private stopping = false;
  /** Set when the checker cannot be used any more (stopped on purpose, or given up). */
  private failure: Error | undefined;
  private readonly heapMb: number;
  /** The current worker's native checker process, if it has one. */
  private nativePid: number | undefined;

  /** @param heapMb the worker's old-generation limit (default GRADLAB_CHECKER_HEAP_MB or 160). */
  constructor(
    private readonly config: CompilerWorkerConfig,
    heapMb?: number,
  ) {
    this.heapMb = heapMb ?? DEFAULT_WORKER_OLD_MB;
    this.start();
  }

  /** The value names (variables, functions, classes; not imports) that cell `cellId` declared at its top level. */
  valueNamesOf(cellId: number): string[] {
    return valueNamesOf(this.declarations.snapshot(), cellId);
  }

  /** How many times the worker was replaced after stopping. */
  get restartCount(): number {
    return this.restarts.count;
  }

  /**
   * Forwards one request to the worker (every request the same way; the names and types come
   * from CompilerRequests).
   *
   * @example
   * const completion = await client.call("complete", "torch.ex", 8);
   */
  call<K extends CompilerRequestName>(method: K, ...args: CompilerRequests[K]["args"]): Promise<CompilerRequests[K]["result"]> {
    return this.request({ method, args } as CompilerRequest);
  }

  async terminate(): Promise<void> {
    this.stopping = true;
    this.failure = new Error("the compiler worker was stopped");
    await this.worker.terminate();
    this.stopNativeProcess();
  }

  /** Stops the native checker process of the worker that is gone (no-op when it already exited). */
  private stopNativeProcess(): void {
    const pid = this.nativePid;
    this.nativePid = undefined;
    if (pid === undefined) return;
    try {
      process.kill(pid);
    } catch {
      // already gone
    }
  }

  private start(): void {
    const url = new URL("kernel/typescript/compiler/compiler-worker.js", buildDir());
    if (!existsSync(url)) throw new Error(`the compiler worker ${url.pathname} is missing: run \`npm run build\``);
    // Worker stdout/stderr are not piped into this thread's process.stdout, which the kernel
    // routes into cells; they go straight to the kernel's log instead.
    // A small young generation and a bounded old one keep the checker's garbage (a new program per
    // cell) from inflating the kernel's memory: measured 208 → 149 MB RSS with the library loaded.
    const worker = new Worker(url, {
      workerData: { ...this.config, history: this.history() } satisfies CompilerWorkerConfig,
      stdout: true,
      stderr: true,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB, maxOldGenerationSizeMb: this.heapMb },
    });
    worker.stdout.on("data", (chunk: Buffer) => writeSync(2, chunk));
    worker.stderr.on("data", (chunk: Buffer) => writeSync(2, chunk));
    if (this.pending.size === 0) worker.unref();
    worker.on("message", (message: CompilerResponse | NativeProcessNotice) => {
      if ("nativePid" in message) {
        if (worker === this.worker) this.nativePid = message.nativePid;
        return;
      }
      const response = message;
      const waiter = this.pending.get(response.id);
      if (response.ok && response.recorded) {
        this.declarations.apply(response.recorded.fresh, response.recorded.importCount);
        this.nodeTypes = response.recorded.nodeTypes;
      }
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.body);
      else waiter.reject(checkerFailure(response.error));
    });
    let crash: Error | undefined;
    worker.on("error", (error) => {
      crash = error instanceof Error ? error : new Error(String(error));
    });
    worker.on("exit", (code) => {
      if (worker !== this.worker) return;
      this.stopped(crash, code);
    });
    this.worker = worker;
  }

  private history(): CheckerHistory {
    return { declarations: this.declarations.snapshot(), nodeTypes: this.nodeTypes };
  }

  /** The worker is gone: fail what it had, and start another unless stopping or given up. */
  private stopped(crash: Error | undefined, code: number): void {
    this.stopNativeProcess();
    if (this.stopping) {
      this.failAll(this.failure ?? new Error("the compiler worker was stopped"));
      return;
    }
    const outOfMemory = (crash as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
    const why = outOfMemory
      ? `the type checker ran out of memory (its limit is ${this.heapMb} MB; set GRADLAB_CHECKER_HEAP_MB to change it)`
      : code === NATIVE_CHECKER_STOPPED
        ? "the type checker's native process (TypeScript 7) stopped"
        : `the type checker stopped (${crash ? crash.message : `exit code ${code}`})`;
    const { restart, error } = this.restarts.stopped(why);
    if (!restart) this.failure = error;
    this.failAll(error);
    if (restart) this.start();
  }

  private failAll(error: Error): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiters) waiter.reject(error);
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
}
