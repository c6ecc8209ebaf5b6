/**
 * The TypeScript executor: one interpreter session behind kernel/executor.ts. A cell goes to the
 * type checker (check, carry declarations forward, emit), then runs here on the main thread in
 * V8's REPL mode; its value, displays, pending figures, streams and errors become the outcome.
 *
 * Boundary: the protocol side sees only the Executor interface; the type checker sees only
 * CompilerRequest messages (SessionChecker.call, one generic forward typed by CompilerRequests).
 */
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { interruptedOutcome, type ExecuteOutcome, type ExecuteRequest, type Executor, type LanguageInfo, type OutputSink, type CompleteResult, type InspectResult, type IsCompleteResult } from "../../executor.js";
import { createDisplayApi, pendingFigures, showPendingFigures } from "../../display/display-api.js";
import { mimeBundle } from "../../display/mime-bundle.js";
import { typescriptLanguageInfo } from "../language-info.js";
import { CheckerError, CheckInterrupted, type SessionChecker } from "./session-checker.js";
import { startChecker } from "../session-settings.js";
import type { CheckerKind, CompileResult, CompilerStatus } from "../shared/compiler-messages.js";
import { type CellRecord, cellUrl, diagnosticsOutcome, elementWriteReceivers, runtimeErrorOutcome, uncaughtText } from "./error-format.js";
import { ReplEvaluator } from "./evaluator.js";
import { cellIdsOnStack } from "./traceback.js";
import { installStudentStacks, v8Stack } from "./error-stacks.js";
import { ModuleLoader } from "./module-loader.js";
import { OutputRouter } from "./output-router.js";
import { createInputGlobals, defineExitGlobals, defineGlobal, installLibraryGlobals } from "./runtime-globals.js";
import { trace } from "../../trace.js";
import { installTimerWatch, markTimers, turnOfEventLoop } from "./due-timers.js";

export interface ExecutorSettings {
  cwd: string;
  typeCheck: boolean;
  /** Load the tensor-operators rewrite into the checker (GRADLAB_OPERATORS, see index.ts). */
  operators: boolean;
  /** Which type checker (GRADLAB_CHECKER, see index.ts). */
  checker: CheckerKind;
  /** The preloaded library (built JS and its declarations), or undefined for none. */
  library: { module: string; types: string } | undefined;
  /** Folders whose node_modules serve imports a notebook's own folder cannot resolve. */
  fallbackModuleDirs: string[];
  /** URL prefix of the kernel's own files, hidden from tracebacks (as is the library's folder). */
  kernelRoot: string;
  /** TypeScript 6's checker worker's heap limit in MB (default GRADLAB_CHECKER_HEAP_MB or 160). */
  checkerHeapMb?: number;
  /** A checker already started for these settings (startChecker), else the executor starts one. */
  startedChecker?: SessionChecker;
}

const NO_RESULT = Symbol("no result");
/** Distinct timer and promise errors remembered per cell (past it, every new one is shown). */
const MAX_DISTINCT_ASYNC_ERRORS = 50;
const REPEATED_ASYNC_ERROR =
  "[gradlab] the same error again: a timer or interval that is still running keeps throwing it. Repeats are not shown under this cell; clearInterval(...) or a kernel restart stops it.\n";
const STACK_FRAMES = 40;

/** A running cell: its execute() settles with the first of its own end, an interrupt, or an async error. */
class RunningCell {
  /** The compiler's id of the cell, once it compiled (its frames on a stack name it). */
  cellId: number | undefined;
  /** The first error from the cell's timers or promises while it ran, and its text for stderr. */
  asyncFailure: { outcome: ExecuteOutcome; text: string } | undefined;
  settleEarly!: (outcome: ExecuteOutcome) => void;
  readonly early = new Promise<ExecuteOutcome>((resolve) => (this.settleEarly = resolve));
}

export class TypeScriptExecutor implements Executor {
  private readonly compiler: SessionChecker;
  private readonly evaluator = new ReplEvaluator();
  private readonly router = new OutputRouter();
  private readonly loader: ModuleLoader;
  private readonly cells = new Map<number, CellRecord>();
  private readonly inflightDisplays = new Set<Promise<unknown>>();
  private readonly display: ReturnType<typeof createDisplayApi>;
  private readonly libraryReady: Promise<string | undefined>;
  /** Frames under these URL prefixes never show in a traceback: the kernel and the preloaded library. */
  private readonly hiddenRoots: string[];
  private libraryProblemReported = false;
  private cellCounter = 0;
  /** The compiler's id of the latest cell that started running. */
  private lastRunCellId: number | undefined;
  private running: RunningCell | undefined;
  private lastResult: unknown = NO_RESULT;
  /** The texts of the timer and promise errors shown under each cell, with how often each came again. */
  private readonly asyncErrorsShown = new WeakMap<OutputSink, Map<string, number>>();
  /** Set when the running cell evaluated `exit` or `quit`: its reply then asks the frontend to leave. */
  private exitRequest: { keepKernel: boolean } | undefined;
  private readonly onRejection = (reason: unknown) => this.reportAsyncError(reason, "Unhandled promise rejection");
  private readonly onException = (error: unknown) => this.reportAsyncError(error, "Uncaught exception");

  constructor(private readonly settings: ExecutorSettings) {
    this.compiler = settings.startedChecker ?? startChecker(settings);
    this.hiddenRoots = [settings.kernelRoot, ...(settings.library ? [pathToFileURL(dirname(settings.library.module)).href + "/"] : [])];
    // V8 keeps 10 frames by default: an error thrown a few calls deep in the library (whose frames
    // are hidden) would then lose the student's own frames, which Python would all show.
    if (Error.stackTraceLimit < STACK_FRAMES) Error.stackTraceLimit = STACK_FRAMES;
    installStudentStacks(this.cells, this.hiddenRoots);
    this.loader = new ModuleLoader(settings.cwd, settings.fallbackModuleDirs);
    this.display = createDisplayApi(this.router, this.inflightDisplays, (error) => this.reportAsyncError(error, "Failed display"));
    this.installGlobals();
    this.router.install();
    installTimerWatch();
    process.on("unhandledRejection", this.onRejection);
    process.on("uncaughtException", this.onException);
    this.libraryReady = settings.library
      ? installLibraryGlobals(settings.library.module).then(
          () => undefined,
          (error: unknown) => `the preloaded library ${settings.library!.module} failed to load: ${String(error)}`,
        )
      : Promise.resolve(undefined);
  }

  info(): LanguageInfo {
    return typescriptLanguageInfo();
  }

  /** Resolves once the type checker is warm; for benchmarks and tests. */
  compilerStatus(): Promise<CompilerStatus> {
    return this.compiler.call("status");
  }

  /** How many times the type checker stopped and was replaced. */
  get checkerRestarts(): number {
    return this.compiler.restartCount;
  }

  async execute(request: ExecuteRequest, sink: OutputSink): Promise<ExecuteOutcome> {
    trace("execute start");
    this.router.setSink(sink);
    markTimers();
    const cell = new RunningCell();
    this.running = cell;
    let outcome: ExecuteOutcome;
    try {
      outcome = await Promise.race([this.run(request, cell), cell.early]);
    } catch (error) {
      outcome = runtimeErrorOutcome(error, this.cells, this.hiddenRoots);
    }
    // One turn of the event loop before the cell ends, so that what it scheduled for "right
    // after" (0 ms timers, callbacks of promises already resolved) prints inside this cell
    // rather than under the next one a Run All sends at once.
    trace("cell done");
    await turnOfEventLoop();
    trace("turn of event loop");
    // A 0 ms timer that threw in that turn fails the cell, as it would had it run a moment earlier;
    // one that computed until the user interrupted it makes the cell an interrupted one.
    if (outcome.status === "ok" && cell.asyncFailure) outcome = cell.asyncFailure.outcome;
    else if (outcome.status === "ok" && this.running !== cell) outcome = interruptedOutcome();
    if (this.running === cell) this.running = undefined;
    // A display whose bundle has not arrived (an interrupted cell's, or one that never settles)
    // is no longer waited for: it shows when it arrives, and later cells do not wait on it.
    this.inflightDisplays.clear();
    // Shown as the cell's error, the async failure is not repeated on stderr; when the cell ended
    // with another error first, stderr is the only place it shows.
    if (cell.asyncFailure && outcome !== cell.asyncFailure.outcome) this.writeAsyncError(cell.asyncFailure.text);
    this.router.flush();
    return outcome;
  }

  private async run(request: ExecuteRequest, cell: RunningCell): Promise<ExecuteOutcome> {
    const problem = await this.libraryReady;
    if (problem && !this.libraryProblemReported) {
      this.libraryProblemReported = true;
      this.router.write("stderr", `${problem}\n`);
    }
    const cellId = ++this.cellCounter;
    let compiled: CompileResult;
    try {
      trace("compile asked");
      compiled = await this.compiler.call("compile", request.code, cellId, true, true);
      trace("compile answered");
      const notice = this.compiler.takeNotice?.();
      if (notice) this.router.write("stderr", `${notice}\n`);
    } catch (error) {
      if (error instanceof CheckInterrupted) return interruptedOutcome();
      if (error instanceof CheckerError) return { status: "error", ename: error.name, evalue: error.message, traceback: [`${error.name}: ${error.message}`] };
      throw error;
    }
    if (this.running !== cell) return interruptedOutcome();
    if (compiled.kind === "rejected") return diagnosticsOutcome(compiled.ename, compiled.diagnostics, request.code, request.executionCount, await this.shapesOf(elementWriteReceivers(compiled.diagnostics, request.code)));
    this.cells.set(cellId, { executionCount: request.executionCount, lines: request.code.split("\n"), mappings: compiled.mappings });
    this.lastRunCellId = cellId;
    cell.cellId = cellId;

    this.lastResult = NO_RESULT;
    this.exitRequest = undefined;
    const evaluation = await this.evaluator.evaluate(compiled.js, cellUrl(cellId));
    trace("evaluated");
    const value = this.lastResult;
    this.lastResult = NO_RESULT;
    const exitRequest = this.takeExitRequest();
    if (evaluation.kind === "terminated") return interruptedOutcome();
    if (this.running !== cell) return interruptedOutcome();

    let result: { data: Record<string, unknown>; metadata: Record<string, unknown> } | undefined;
    let outcome: ExecuteOutcome | undefined;
    if (evaluation.kind === "threw") outcome = runtimeErrorOutcome(evaluation.error, this.cells, this.hiddenRoots);
    else if (compiled.hasResult && value !== NO_RESULT && value !== undefined && !request.silent && !exitRequest) {
      result = { data: await mimeBundle(value), metadata: {} };
    }
    while (this.inflightDisplays.size > 0) await Promise.allSettled([...this.inflightDisplays]);
    await showPendingFigures(this.display.displayed, result ? value : NO_RESULT);
    if (outcome) return outcome;
    const userExpressions = await this.userExpressions(request.userExpressions);
    const payload = exitRequest ? [{ source: "ask_exit", keepkernel: exitRequest.keepKernel }] : undefined;
    return { status: "ok", ...(result ? { result } : {}), userExpressions, ...(payload ? { payload } : {}) };
  }

  /** The shapes of the tensors earlier cells left in these variables (those that hold one). */
  private async shapesOf(names: readonly string[]): Promise<Map<string, readonly number[]>> {
    const shapes = new Map<string, readonly number[]>();
    for (const name of names) {
      const shape = await this.evaluator.tensorShape(name);
      if (shape) shapes.set(name, shape);
    }
    return shapes;
  }

  /** The `exit` the cell just evaluated, if any (read once). */
  private takeExitRequest(): { keepKernel: boolean } | undefined {
    const request = this.exitRequest;
    this.exitRequest = undefined;
    return request;
  }

  private async userExpressions(expressions: Record<string, string>): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, code] of Object.entries(expressions ?? {})) {
      const cellId = ++this.cellCounter;
      const compiled = await this.compiler.call("compile", code, cellId, false, false);
      if (compiled.kind === "rejected") {
        const e = diagnosticsOutcome(compiled.ename, compiled.diagnostics, code, 0);
        out[name] = { status: "error", ename: e.ename, evalue: e.evalue, traceback: e.traceback };
        continue;
      }
      this.lastResult = undefined;
      const evaluation = await this.evaluator.evaluate(compiled.js, cellUrl(cellId));
      const value = this.lastResult;
      this.lastResult = NO_RESULT;
      if (evaluation.kind === "completed") out[name] = { status: "ok", data: await mimeBundle(value), metadata: {} };
      else {
        const e = evaluation.kind === "threw" ? runtimeErrorOutcome(evaluation.error, this.cells, this.hiddenRoots) : interruptedOutcome();
        out[name] = { status: "error", ename: e.ename, evalue: e.evalue, traceback: e.traceback };
      }
    }
    return out;
  }

  complete(code: string, cursorPos: number): Promise<CompleteResult> {
    return this.compiler.call("complete", code, cursorPos);
  }

  inspect(code: string, cursorPos: number, detailLevel: number): Promise<InspectResult> {
    return this.compiler.call("inspect", code, cursorPos, detailLevel);
  }

  isComplete(code: string): Promise<IsCompleteResult> {
    return this.compiler.call("isComplete", code);
  }

  interrupt(): void {
    const cell = this.running;
    if (!cell) return;
    this.running = undefined;
    cell.settleEarly(interruptedOutcome());
  }

  async releaseMemory(): Promise<string[]> {
    const cellId = this.lastRunCellId;
    const names = cellId === undefined ? [] : this.compiler.valueNamesOf(cellId).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
    // Top-level declarations run as `let` (see repl-bindings.ts), so they can be reassigned; one
    // still in its temporal dead zone throws, and holds nothing anyway.
    const script = names.map((name) => `try { ${name} = undefined; } catch {}`).join("\n");
    if (script) await this.evaluator.evaluate(script, "gradlab-kernel://release-memory");
    await this.evaluator.collectGarbage();
    return names;
  }

  flushOutput(): void {
    this.router.flush();
  }

  async shutdown(_restart: boolean): Promise<void> {
    this.interrupt();
    this.router.uninstall();
    process.off("unhandledRejection", this.onRejection);
    process.off("uncaughtException", this.onException);
    this.evaluator.disconnect();
    await this.compiler.terminate();
  }

  /**
   * Errors from timers and promises: the running cell's error when it may be the cell's own (then
   * once, as that error: a student read the same traceback twice when it also went to stderr),
   * else stderr of the current (or last) cell. One whose stack shows only earlier cells' code (a
   * timer or interval an earlier cell left behind) does not fail the running cell: with Run All
   * that would abort every cell queued after it, for a fault that is not in it.
   */
  private reportAsyncError(thrown: unknown, kind: string): void {
    const outcome = runtimeErrorOutcome(thrown, this.cells, this.hiddenRoots);
    const text = uncaughtText(outcome, kind);
    const cell = this.running;
    if (cell && this.mayBelongTo(cell, thrown)) {
      this.running = undefined;
      cell.asyncFailure = { outcome, text };
      cell.settleEarly(outcome);
      return;
    }
    this.writeAsyncError(text);
  }

  /**
   * An error's text under the current cell, once: an interval that throws would otherwise repeat
   * the same traceback several times a second under every cell run after it. A repeat gets one
   * line saying so, the first time it comes; the next cell shows the error once more.
   */
  private writeAsyncError(text: string): void {
    const sink = this.router.currentSink;
    if (!sink) return this.router.write("stderr", text);
    let seen = this.asyncErrorsShown.get(sink);
    if (!seen) this.asyncErrorsShown.set(sink, (seen = new Map()));
    const repeats = seen.get(text);
    if (repeats === undefined) {
      if (seen.size < MAX_DISTINCT_ASYNC_ERRORS) seen.set(text, 0);
      this.router.write("stderr", text);
    } else {
      seen.set(text, repeats + 1);
      if (repeats === 0) this.router.write("stderr", REPEATED_ASYNC_ERROR);
    }
  }

  /** False only when the thrown error's stack names cells and the running cell is not among them. */
  private mayBelongTo(cell: RunningCell, thrown: unknown): boolean {
    const stack = v8Stack(thrown);
    if (typeof stack !== "string") return true;
    const cells = cellIdsOnStack(stack);
    return cells.size === 0 || (cell.cellId !== undefined && cells.has(cell.cellId));
  }

  private installGlobals(): void {
    const display = this.display;
    for (const [name, value] of Object.entries(display)) if (name !== "displayed") defineGlobal(name, value);
    // Text printed before a prompt leaves before the prompt's input request.
    const inputs = createInputGlobals(() => (this.running ? (this.router.flush(), this.router.currentSink) : undefined));
    defineGlobal("prompt", inputs.prompt);
    defineExitGlobals((keepKernel) => {
      if (this.running) this.exitRequest = { keepKernel };
    });
    defineGlobal("input", inputs.input);
    if (!("require" in globalThis)) defineGlobal("require", this.loader.require);
    defineGlobal("__gradlab", {
      import: (specifier: unknown) => this.loader.import(specifier),
      setResult: (value: unknown) => {
        this.lastResult = value;
      },
    });
    pendingFigures(); // declares that this session drains figures (see display-api.ts)
  }
}
