/**
 * The type checker of one session behind the compile / complete / inspect / isComplete / status
 * requests: starts it with the preloaded library's globals and the earlier cells' declarations,
 * warms it, then answers one request at a time, synchronously.
 *
 * The checker is TypeScript 7's native compiler (a child process, through native-checker.ts and
 * native-cell-compiler.ts), or TypeScript 6's language service in this thread (GRADLAB_CHECKER=
 * typescript6, or where no native binary exists for the platform when the owner lets it fall
 * back). TypeScript 6's module loads only for the jobs the native API cannot do yet.
 *
 * Runs on: whichever thread owns it, the main thread (main-thread-checker.ts, the native checker)
 * or the compiler worker (compiler-worker.ts, TypeScript 6's). Boundary: knows nothing of threads
 * or messages beyond the request shapes; the owner restarts a service whose native process stopped.
 */
import { createRequire } from "node:module";
import { writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import type { CompleteResult, InspectResult, IsCompleteResult } from "../../executor.js";
import type {
  CheckerHistory,
  CompileResult,
  CompilerRequest,
  CompilerRequestName,
  CompilerRequests,
  CompilerResponse,
  CompilerResponseBody,
  CompilerWorkerConfig,
} from "../shared/compiler-messages.js";
import { KERNEL_GLOBALS, LITE_GLOBALS } from "./ambient-declarations.js";
import { CellCompiler } from "./cell-compiler.js";
import { CellDeclarations } from "./cell-declarations.js";
import { complete } from "./completion.js";
import { inspect } from "./inspection.js";
import { isComplete } from "./is-complete.js";
import { CellLanguageHost, kernelFileNames } from "./language-host.js";
import { exportedNames, nativeExportedNames, preludeText } from "./library-prelude.js";
import { CheckerFiles, NativeCellCompiler, setHistoryFiles } from "./native-cell-compiler.js";
import { NativeChecker, NativeCheckerUnavailable } from "./native-checker.js";
import { nativeSyntax } from "./native-syntax.js";
import { defaultCacheDir, loadTypeScript, type LoadedTypeScript } from "./typescript-loader.js";
import { rewriteTensorOperators } from "../operators/rewrite.js";
import { trace } from "../../trace.js";

/** One of the two checkers behind the same requests. */
interface Checker {
  compile(code: string, cellId: number, check: boolean, record: boolean): CompileResult;
  complete(code: string, cursor: number): CompleteResult;
  inspect(code: string, cursor: number): InspectResult;
  isComplete(code: string): IsCompleteResult;
  nodeTypes(): boolean;
  status(): { checker: "native" | "typescript6"; nativeRssMb: number; typeScript6Loaded: boolean; typeScript6ModuleLoaded: boolean };
}

export interface CheckerServiceOptions {
  /**
   * Where TypeScript 7's native compiler cannot run: "typescript6" checks with TypeScript 6 here
   * instead (the worker, whose heap limit bounds it); "throw" lets NativeCheckerUnavailable out,
   * so that the owner can start TypeScript 6's checker elsewhere.
   */
  whereNativeCannotRun: "typescript6" | "throw";
  /** Told the native process's id once it runs (the owner stops it with the kernel). */
  onNativeProcess?(pid: number): void;
}

export class CheckerService {
  private readonly started = performance.now();
  /** Milliseconds since the service started when each startup phase ended (status reports them). */
  private readonly phases: Record<string, number> = {};
  private loadedTypeScript: LoadedTypeScript | undefined;
  /** Has the code cache been written (or found) for the TypeScript 6 module loaded here? */
  private typeScript6Cached = false;
  private readonly names: ReturnType<typeof kernelFileNames>;
  private readonly nodeTypes: string | undefined;
  /** Every recorded cell's declarations (latest wins); the owner copies them into a replacement. */
  readonly declarations = new CellDeclarations();
  private preludeNames = 0;
  private native: NativeChecker | undefined;
  private readonly checker: Checker;
  private readonly warmupMs: number;

  /** @throws NativeCheckerUnavailable when the native compiler cannot run and `whereNativeCannotRun` is "throw" */
  constructor(
    private readonly config: CompilerWorkerConfig,
    private readonly options: CheckerServiceOptions,
  ) {
    this.names = kernelFileNames(config.cwd);
    this.nodeTypes = nodeTypesFile(config.cwd);
    // A replacement for a checker that stopped: earlier cells' declarations carry on.
    if (config.history) this.declarations.restore(config.history.declarations);
    this.checker = config.checker === "typescript6" ? this.typeScript6Checker() : this.nativeOrFallback();
    this.phaseDone("checkerReady");
    // Warm the checker, the emitter and (TypeScript 6) the global completion list with a throwaway cell.
    this.checker.compile("const __gradlab_warm: number[] = [1].map((x) => x + 1);\n__gradlab_warm", 0, true, false);
    this.warmupMs = this.phaseDone("warm");
    // After the warm-up, so the cache holds the functions a check runs (see typescript-loader.ts).
    this.saveTypeScript6Cache();
  }

  /**
   * Answers one request (errors become a failed response). A compile that recorded a cell carries
   * what it added, for the owner's copy of the declarations.
   */
  answer(id: number, request: CompilerRequest): CompilerResponse {
    try {
      const body = (this.handlers[request.method] as (...args: unknown[]) => CompilerResponseBody)(...request.args);
      const response: CompilerResponse = { id, ok: true, body };
      if (request.method === "compile" && request.args[3] && (body as CompileResult).kind === "compiled") {
        response.recorded = { fresh: [...this.declarations.lastRecorded], importCount: this.declarations.importCount, nodeTypes: this.checker.nodeTypes() };
      }
      return response;
    } catch (error) {
      return { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
  }

  /**
   * Work that need not delay an answer, done after it has been used: TypeScript 6's code cache,
   * and the native checker catching up on what the answer left (the history a cell added, old
   * snapshots to free).
   */
  settle(): void {
    this.saveTypeScript6Cache();
    try {
      this.native?.settle();
    } catch {
      // A failure here shows again, and is handled, at the next request.
    }
  }

  /** Has the native process stopped under this service (asked after a failed request)? Such a service cannot check any more. */
  nativeStopped(): boolean {
    return this.native !== undefined && !this.native.answers();
  }

  /** What a replacement needs to carry on: the recorded declarations, and whether Node's types were in. */
  history(): CheckerHistory {
    return { declarations: this.declarations.snapshot(), nodeTypes: this.checker.nodeTypes() };
  }

  /** The native checker's process id, while there is one. */
  get nativePid(): number | undefined {
    return this.native?.pid;
  }

  /** Stops the native process (no-op for TypeScript 6's checker). */
  close(): void {
    try {
      this.native?.close();
    } catch {
      // already gone
    }
  }

  /** One handler per request, typed by CompilerRequests (which the executor's methods define). */
  private readonly handlers: { [K in CompilerRequestName]: (...args: CompilerRequests[K]["args"]) => CompilerRequests[K]["result"] } = {
    compile: (code, cellId, check, record) => this.checker.compile(code, cellId, check && this.config.typeCheck, record),
    complete: (code, cursor) => this.checker.complete(code, cursor),
    inspect: (code, cursor) => this.checker.inspect(code, cursor),
    isComplete: (code) => this.checker.isComplete(code),
    status: () => {
      const memory = process.memoryUsage();
      return {
        warm: true,
        ...this.checker.status(),
        nodeTypes: this.checker.nodeTypes(),
        preludeNames: this.preludeNames,
        warmupMs: this.warmupMs,
        startupPhases: this.phases,
        heapUsedMb: memory.heapUsed / 1e6,
        heapTotalMb: memory.heapTotal / 1e6,
      };
    },
  };

  private phaseDone(name: string): number {
    return (this.phases[name] = Math.round(performance.now() - this.started));
  }

  /**
   * TypeScript 6's module (9 MB of JavaScript, 0.1–0.2 s and some 30 MB of heap to load): at
   * startup for the TypeScript 6 checker; for the native checker only when a job it cannot do
   * comes up (native-cell-compiler.ts lists them), so most sessions never load it.
   */
  private readonly typeScript6 = (): typeof TS => {
    if (!this.loadedTypeScript) {
      this.loadedTypeScript = loadTypeScript(import.meta.url, defaultCacheDir(), this.config.checker === "typescript6" ? "" : "native");
      // A startup phase of the TypeScript 6 checker; for the native one, a mark in a cell's timeline.
      if (this.config.checker === "typescript6") this.phaseDone("typescript6Loaded");
      else trace("compiler TypeScript 6 loaded");
    }
    return this.loadedTypeScript.ts;
  };

  /**
   * Writes TypeScript 6's code cache once the functions a job needed are compiled (see
   * typescript-loader.ts): after the warm-up for the TypeScript 6 checker, after the first request
   * that loaded it for the native one.
   */
  private saveTypeScript6Cache(): void {
    if (!this.loadedTypeScript || this.typeScript6Cached) return;
    this.typeScript6Cached = true;
    this.loadedTypeScript.saveCache();
  }

  /** TypeScript 6's language service in this thread, with the prelude and earlier cells' declarations. */
  private buildTypeScript6(): { host: CellLanguageHost; compiler: CellCompiler } {
    const { config, names, declarations } = this;
    const ts = this.typeScript6();
    const host = new CellLanguageHost(ts, config.cwd, this.nodeTypes, config.fallbackModuleDirs);
    host.setFile(names.kernelGlobals, KERNEL_GLOBALS);
    host.setFile(names.liteGlobals, LITE_GLOBALS);
    host.setFile(names.history, declarations.scriptText());
    host.setFile(names.historyImports, declarations.importsText());
    if (config.history?.nodeTypes) host.enableNodeTypes();
    if (config.libraryTypes) {
      host.addRoot(config.libraryTypes);
      const exported = exportedNames(ts, host.program(), config.libraryTypes);
      this.preludeNames = exported.length;
      host.setFile(names.prelude, preludeText(config.libraryTypes, exported, { tensorElements: config.operators }));
    } else {
      host.setFile(names.prelude, "export {};\n");
    }
    const compiler = new CellCompiler(ts, host, declarations);
    // Off (GRADLAB_OPERATORS=0): cells compile as plain TypeScript.
    if (config.operators) compiler.sourceTransforms.push(rewriteTensorOperators);
    return { host, compiler };
  }

  private typeScript6Checker(): Checker {
    const ts = this.typeScript6();
    const names = this.names;
    const { host, compiler } = this.buildTypeScript6();
    return {
      compile: (code, cellId, check, record) => compiler.compile(code, cellId, check, record),
      complete: (code, cursor) => complete(ts, host, compiler, code, cursor),
      inspect: (code, cursor) => inspect(ts, host, compiler, code, cursor),
      isComplete: (code) =>
        isComplete(ts, code, (text) => {
          compiler.load(text);
          return host.service.getSyntacticDiagnostics(names.cell).length;
        }),
      nodeTypes: () => host.usesNodeTypes,
      status: () => ({ checker: "typescript6", nativeRssMb: 0, typeScript6Loaded: true, typeScript6ModuleLoaded: true }),
    };
  }

  private nativeOrFallback(): Checker {
    const { config, names, declarations, nodeTypes } = this;
    const roots = (withNodeTypes: boolean): string[] => [
      ...(withNodeTypes && nodeTypes ? [nodeTypes] : []),
      ...(config.libraryTypes ? [config.libraryTypes] : []),
      names.kernelGlobals,
      ...(withNodeTypes && nodeTypes ? [] : [names.liteGlobals]),
      names.prelude,
      names.historyImports,
      ...names.historyChunks,
      names.cell,
    ];
    let native: NativeChecker;
    try {
      native = new NativeChecker(config.cwd, names, roots(false));
      this.phaseDone("nativeStarted");
    } catch (error) {
      if (!(error instanceof NativeCheckerUnavailable) || this.options.whereNativeCannotRun === "throw") throw error;
      writeSync(2, `[gradlab kernel] ${error.message}; checking cells with TypeScript 6 instead (slower)\n`);
      return this.typeScript6Checker();
    }
    this.native = native;
    const files = new CheckerFiles(native, roots);
    files.set(names.kernelGlobals, KERNEL_GLOBALS);
    files.set(names.liteGlobals, LITE_GLOBALS);
    setHistoryFiles(files, names, declarations);
    if (config.history?.nodeTypes && nodeTypes) files.enableNodeTypes();
    let prelude: string | undefined;
    if (config.libraryTypes) {
      const exported = nativeExportedNames(native.project(), config.libraryTypes);
      this.preludeNames = exported.length;
      prelude = preludeText(config.libraryTypes, exported, { tensorElements: config.operators });
      this.phaseDone("libraryExportsRead");
    }
    files.set(names.prelude, prelude ?? "export {};\n");
    const compiler = new NativeCellCompiler(nativeSyntax, this.typeScript6, native, files, declarations, config.operators, nodeTypes !== undefined);
    if (native.pid !== undefined) this.options.onNativeProcess?.(native.pid);
    return {
      compile: (code, cellId, check, record) => compiler.compile(code, cellId, check, record),
      complete: (code, cursor) => compiler.complete(code, cursor),
      inspect: (code, cursor) => compiler.inspect(code, cursor),
      isComplete: (code) => compiler.isComplete(code),
      nodeTypes: () => files.nodeTypes,
      // Every request is answered natively: TypeScript 6's language service is never built here
      // (its module only for a cell its transpiler emits).
      status: () => ({ checker: "native", nativeRssMb: native.rssMb(), typeScript6Loaded: false, typeScript6ModuleLoaded: this.loadedTypeScript !== undefined }),
    };
  }
}

/** @types/node from the notebook's folder, else from the kernel's own dependencies. */
function nodeTypesFile(cwd: string): string | undefined {
  for (const from of [join(cwd, "__gradlab__.js"), import.meta.url]) {
    try {
      return join(dirname(createRequire(from).resolve("@types/node/package.json")), "index.d.ts");
    } catch {
      // not installed there
    }
  }
  return undefined;
}
