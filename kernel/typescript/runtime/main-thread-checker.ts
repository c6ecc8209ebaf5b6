/**
 * TypeScript 7's native checker driven from the main thread: the session's requests are answered
 * here, synchronously, by a CheckerService whose native process does the checking. A cell is
 * checked in a few milliseconds, so a thread of its own would cost more than it saves: a worker
 * isolate is ~10 MB of the kernel's memory, and each cell would cross threads twice more.
 *
 * - Start: the service starts one turn of the event loop after this object is made (the kernel
 *   makes it at launch, before the session exists); requests made meanwhile wait for it.
 * - Interrupts: every exchange with the native process runs under withoutTerminate, so an
 *   interrupt's terminate never lands in the middle of one (it waits for the exchange to end); an
 *   exchange still going on a while after the interrupt (a check that takes long) is ended by
 *   stopping the native process, and the request fails with CheckInterrupted.
 * - Work after the answer: the service's settle() (the history a cell added, old snapshots to
 *   free) runs on a timer, after the cell's reply has gone; a request that comes first runs it
 *   before its own work.
 * - Stops: a native process that died is noticed at the request that finds it gone; that request
 *   fails with a CheckerStoppedError, and the next one starts a new process with the earlier
 *   cells' declarations (checker-restarts.ts says how often).
 * - Size: a cell's syntax tree comes into this thread's heap (a million-element array literal,
 *   2 MB of text, took ~460 MB and 7 s), where it would compete with the session's own data, so
 *   cells over MAX_CELL_BYTES are refused with a CheckerError saying what to do instead (a thread
 *   of its own with a bounded heap ran out of memory on such cells anyway).
 * - No native binary for this platform (or one that does not start): the session is checked by
 *   TypeScript 6 in the compiler worker instead (compiler-client.ts), said once on stderr.
 *
 * Runs on: the main thread.
 */
import { writeSync } from "node:fs";
import { CheckerService } from "../compiler/checker-service.js";
import { NativeCheckerUnavailable } from "../compiler/native-checker.js";
import type { CheckerHistory, CompilerRequest, CompilerRequestName, CompilerRequests, CompilerWorkerConfig } from "../shared/compiler-messages.js";
import { stoppedForInterrupt, withoutTerminate } from "../../bridge/terminate-shield.js";
import { trace } from "../../trace.js";
import { CheckerRestarts } from "./checker-restarts.js";
import { CompilerClient } from "./compiler-client.js";
import { CheckerError, CheckInterrupted, checkerFailure, valueNamesOf, type SessionChecker } from "./session-checker.js";

// Taken before a session watches the timers (due-timers.ts): settling is the kernel's own work,
// not a timer a cell scheduled.
const kernelSetTimeout = globalThis.setTimeout;
const kernelClearTimeout = globalThis.clearTimeout;

/** The largest cell text checked (UTF-16 code units): about a 250,000-number array literal. */
export const MAX_CELL_BYTES = 512 * 1024;

export class MainThreadChecker implements SessionChecker {
  private service: CheckerService | undefined;
  /** TypeScript 6's checker in the worker, where the native one cannot run. */
  private fallback: CompilerClient | undefined;
  /** Set once the checker cannot be used any more (stopped on purpose, given up, or failed to start). */
  private failure: Error | undefined;
  /** What a replacement for a stopped service starts with. */
  private stoppedHistory: CheckerHistory | undefined;
  private readonly restarts = new CheckerRestarts();
  private readonly opened: Promise<void>;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private notice: string | undefined;

  /** @param workerHeapMb the TypeScript 6 worker's heap limit, should the session fall back to it */
  constructor(
    private readonly config: CompilerWorkerConfig,
    private readonly workerHeapMb?: number,
  ) {
    this.opened = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.open());
  }

  async call<K extends CompilerRequestName>(method: K, ...args: CompilerRequests[K]["args"]): Promise<CompilerRequests[K]["result"]> {
    await this.opened;
    if (this.fallback) return this.fallback.call(method, ...args);
    return this.answer({ method, args } as CompilerRequest) as CompilerRequests[K]["result"];
  }

  valueNamesOf(cellId: number): string[] {
    if (this.fallback) return this.fallback.valueNamesOf(cellId);
    const declarations = this.service?.declarations.snapshot() ?? this.stoppedHistory?.declarations;
    return declarations ? valueNamesOf(declarations, cellId) : [];
  }

  takeNotice(): string | undefined {
    const notice = this.notice;
    this.notice = undefined;
    return notice;
  }

  get restartCount(): number {
    return this.fallback?.restartCount ?? this.restarts.count;
  }

  /** The native checker's process id, while one runs. */
  get nativePid(): number | undefined {
    return this.service?.nativePid;
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error("the type checker was stopped");
    await this.opened.catch(() => undefined);
    this.cancelSettle();
    this.service?.close();
    this.service = undefined;
    await this.fallback?.terminate();
  }

  private open(): void {
    try {
      this.service = withoutTerminate(() => new CheckerService(this.config, { whereNativeCannotRun: "throw" }));
    } catch (error) {
      if (!(error instanceof NativeCheckerUnavailable)) {
        this.failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
      const fallback = `${error.message}; checking cells with TypeScript 6 instead (slower)`;
      writeSync(2, `[gradlab kernel] ${fallback}\n`);
      // The log is seldom read: the notebook says it too, once.
      this.notice = `Note: ${fallback}.`;
      this.fallback = new CompilerClient({ ...this.config, checker: "typescript6" }, this.workerHeapMb);
    }
  }

  private answer(request: CompilerRequest): unknown {
    if (this.failure) throw this.failure;
    if (request.method !== "status" && request.args[0].length > MAX_CELL_BYTES) return tooLarge(request);
    this.settleNow();
    trace(`compiler ${request.method} start`);
    const service = this.service ?? this.restart();
    const response = withoutTerminate(() => service.answer(this.nextId++, request), service.nativePid);
    // Read after every exchange, so that a stop that came too late to matter is not blamed later.
    const interrupted = stoppedForInterrupt();
    trace(`compiler ${request.method} answered`);
    if (response.ok) {
      this.settleLater();
      return response.body;
    }
    if (service.nativeStopped()) {
      this.drop(service);
      // Stopped for an interrupt, it was asked for: not counted as a crash.
      throw interrupted
        ? new CheckInterrupted("execution was interrupted while the cell was being type-checked")
        : this.stopped("the type checker's native process (TypeScript 7) stopped");
    }
    throw checkerFailure(response.error);
  }

  /** A service for a stopped one's successor, with the earlier cells' declarations. */
  private restart(): CheckerService {
    const history = this.stoppedHistory;
    try {
      this.service = withoutTerminate(() => new CheckerService({ ...this.config, ...(history ? { history } : {}) }, { whereNativeCannotRun: "throw" }));
      return this.service;
    } catch (thrown) {
      throw this.stopped(`the type checker's native process (TypeScript 7) did not start again (${thrown instanceof Error ? thrown.message : String(thrown)})`);
    }
  }

  /** A service whose native process is gone: the next request starts another with its declarations. */
  private drop(service: CheckerService): void {
    this.service = undefined;
    this.stoppedHistory = service.history();
    service.close();
  }

  /** Counts a stop (checker-restarts.ts); the error is what the request fails with, and every later one once given up. */
  private stopped(why: string): Error {
    const { restart, error } = this.restarts.stopped(why);
    if (!restart) this.failure = error;
    return error;
  }

  private settleLater(): void {
    if (this.settleTimer) return;
    this.settleTimer = kernelSetTimeout(() => {
      this.settleTimer = undefined;
      this.settle();
    }, 0);
    this.settleTimer.unref();
  }

  private settleNow(): void {
    if (!this.settleTimer) return;
    this.cancelSettle();
    this.settle();
  }

  private cancelSettle(): void {
    if (this.settleTimer) kernelClearTimeout(this.settleTimer);
    this.settleTimer = undefined;
  }

  private settle(): void {
    const service = this.service;
    if (service) withoutTerminate(() => service.settle());
  }
}

/** What a request about a cell over MAX_CELL_BYTES gets: compiling it fails with what to do instead, the others find nothing. */
function tooLarge(request: CompilerRequest): unknown {
  switch (request.method) {
    case "compile": {
      const kb = (size: number) => `${Math.round(size / 1024)} KB`;
      throw new CheckerError(
        `This cell is too large to type-check (${kb(request.args[0].length)} of text; the limit is ${kb(MAX_CELL_BYTES)}), so it did not run. ` +
          "Keep large data out of the cell's text: read it from a file (e.g. `JSON.parse(fs.readFileSync(\"data.json\", \"utf8\"))`) or build it with code.",
      );
    }
    case "complete":
      return { matches: [], cursorStart: request.args[1], cursorEnd: request.args[1] };
    case "inspect":
      return { found: false, data: {}, metadata: {} };
    case "isComplete":
      return { status: "unknown" };
    default:
      throw new Error(`no answer for ${request.method} on a cell this large`);
  }
}
