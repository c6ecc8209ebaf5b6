/**
 * The compiler worker: starts the type checker with the preloaded library's globals, warms it,
 * then answers compile / complete / inspect / isComplete requests one at a time. Living on its own
 * thread, it never delays the kernel's main thread: the kernel answers kernel_info while the
 * checker starts, and completion keeps working while a cell computes.
 *
 * The checker is TypeScript 7's native compiler (a child process of this thread, through
 * native-checker.ts and native-cell-compiler.ts), or TypeScript 6's language service in this
 * thread where no native binary exists for the platform or GRADLAB_CHECKER=typescript6 says so.
 * When the native process dies, this worker exits with NATIVE_CHECKER_STOPPED and the main thread
 * starts a new worker (and native process) with the earlier cells' declarations.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";
import { writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as TS from "typescript";
import type { CompleteResult, InspectResult, IsCompleteResult } from "../../executor.js";
import type {
  CompileResult,
  CompilerRequest,
  CompilerRequestName,
  CompilerRequests,
  CompilerResponse,
  CompilerResponseBody,
  CompilerWorkerConfig,
  NativeProcessNotice,
} from "../shared/compiler-messages.js";
import { NATIVE_CHECKER_STOPPED } from "../shared/compiler-messages.js";
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

const started = performance.now();
/** Milliseconds since the worker started when each startup phase ended (status reports them). */
const phases: Record<string, number> = {};
const phaseDone = (name: string) => (phases[name] = Math.round(performance.now() - started));
const config = workerData as CompilerWorkerConfig;
let loadedTypeScript: LoadedTypeScript | undefined;
/** Has the code cache been written (or found) for the TypeScript 6 module loaded here? */
let typeScript6Cached = false;

/**
 * TypeScript 6's module (9 MB of JavaScript, 0.1–0.2 s and some 30 MB of heap to load): at
 * startup for the TypeScript 6 checker; for the native checker only when a job it cannot do
 * comes up (native-cell-compiler.ts lists them), so most sessions never load it.
 */
function typeScript6(): typeof TS {
  if (!loadedTypeScript) {
    loadedTypeScript = loadTypeScript(import.meta.url, defaultCacheDir(), config.checker === "typescript6" ? "" : "native");
    // A startup phase of the TypeScript 6 checker; for the native one, a mark in a cell's timeline.
    if (config.checker === "typescript6") phaseDone("typescript6Loaded");
    else trace("compiler TypeScript 6 loaded");
  }
  return loadedTypeScript.ts;
}

/**
 * Writes TypeScript 6's code cache once the functions a job needed are compiled (see
 * typescript-loader.ts): after the warm-up for the TypeScript 6 checker, after the first request
 * that loaded it for the native one.
 */
function saveTypeScript6Cache(): void {
  if (!loadedTypeScript || typeScript6Cached) return;
  typeScript6Cached = true;
  loadedTypeScript.saveCache();
}

const names = kernelFileNames(config.cwd);
const nodeTypes = nodeTypesFile();
const declarations = new CellDeclarations();
// A replacement for a worker that stopped: earlier cells' declarations carry on.
if (config.history) declarations.restore(config.history.declarations);

/** One of the two checkers behind the same four requests. */
interface Checker {
  compile(code: string, cellId: number, check: boolean, record: boolean): CompileResult;
  complete(code: string, cursor: number): CompleteResult;
  inspect(code: string, cursor: number): InspectResult;
  isComplete(code: string): IsCompleteResult;
  nodeTypes(): boolean;
  status(): { checker: "native" | "typescript6"; nativeRssMb: number; typeScript6Loaded: boolean; typeScript6ModuleLoaded: boolean };
}

let preludeNames = 0;
let native: NativeChecker | undefined;
const checker = config.checker === "typescript6" ? typeScript6Checker() : nativeOrFallback();
phaseDone("checkerReady");
// Warm the checker, the emitter and (TypeScript 6) the global completion list with a throwaway cell.
checker.compile("const __gradlab_warm: number[] = [1].map((x) => x + 1);\n__gradlab_warm", 0, true, false);
const warmupMs = phaseDone("warm");
// After the warm-up, so the cache holds the functions a check runs (see typescript-loader.ts).
saveTypeScript6Cache();

/** TypeScript 6's language service in this thread, with the prelude and earlier cells' declarations. */
function buildTypeScript6(): { host: CellLanguageHost; compiler: CellCompiler } {
  const ts = typeScript6();
  const host = new CellLanguageHost(ts, config.cwd, nodeTypes, config.fallbackModuleDirs);
  host.setFile(names.kernelGlobals, KERNEL_GLOBALS);
  host.setFile(names.liteGlobals, LITE_GLOBALS);
  host.setFile(names.history, declarations.scriptText());
  host.setFile(names.historyImports, declarations.importsText());
  if (config.history?.nodeTypes) host.enableNodeTypes();
  if (config.libraryTypes) {
    host.addRoot(config.libraryTypes);
    const exported = exportedNames(ts, host.program(), config.libraryTypes);
    preludeNames = exported.length;
    host.setFile(names.prelude, preludeText(config.libraryTypes, exported, { tensorElements: config.operators }));
  } else {
    host.setFile(names.prelude, "export {};\n");
  }
  const compiler = new CellCompiler(ts, host, declarations);
  // Off (GRADLAB_OPERATORS=0): cells compile as plain TypeScript.
  if (config.operators) compiler.sourceTransforms.push(rewriteTensorOperators);
  return { host, compiler };
}

function typeScript6Checker(): Checker {
  const ts = typeScript6();
  const { host, compiler } = buildTypeScript6();
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

function nativeOrFallback(): Checker {
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
  try {
    native = new NativeChecker(config.cwd, names, roots(false));
    phaseDone("nativeStarted");
  } catch (error) {
    if (!(error instanceof NativeCheckerUnavailable)) throw error;
    writeSync(2, `[gradlab kernel] ${error.message}; checking cells with TypeScript 6 instead (slower)\n`);
    return typeScript6Checker();
  }
  const files = new CheckerFiles(native, roots);
  files.set(names.kernelGlobals, KERNEL_GLOBALS);
  files.set(names.liteGlobals, LITE_GLOBALS);
  setHistoryFiles(files, names, declarations);
  if (config.history?.nodeTypes && nodeTypes) files.enableNodeTypes();
  let prelude: string | undefined;
  if (config.libraryTypes) {
    const exported = nativeExportedNames(native.project(), config.libraryTypes);
    preludeNames = exported.length;
    prelude = preludeText(config.libraryTypes, exported, { tensorElements: config.operators });
    phaseDone("libraryExportsRead");
  }
  files.set(names.prelude, prelude ?? "export {};\n");
  const compiler = new NativeCellCompiler(nativeSyntax, typeScript6, native, files, declarations, config.operators, nodeTypes !== undefined);
  const nativeChecker = native;
  if (nativeChecker.pid !== undefined) parentPort!.postMessage({ nativePid: nativeChecker.pid } satisfies NativeProcessNotice);
  return {
    compile: (code, cellId, check, record) => compiler.compile(code, cellId, check, record),
    complete: (code, cursor) => compiler.complete(code, cursor),
    inspect: (code, cursor) => compiler.inspect(code, cursor),
    isComplete: (code) => compiler.isComplete(code),
    nodeTypes: () => files.nodeTypes,
    // Every request is answered natively: TypeScript 6's language service is never built here
    // (its module only for a cell its transpiler emits).
    status: () => ({ checker: "native", nativeRssMb: nativeChecker.rssMb(), typeScript6Loaded: false, typeScript6ModuleLoaded: loadedTypeScript !== undefined }),
  };
}

/** One handler per request, typed by CompilerRequests (which the executor's methods define). */
const handlers: { [K in CompilerRequestName]: (...args: CompilerRequests[K]["args"]) => CompilerRequests[K]["result"] } = {
  compile: (code, cellId, check, record) => checker.compile(code, cellId, check && config.typeCheck, record),
  complete: (code, cursor) => checker.complete(code, cursor),
  inspect: (code, cursor) => checker.inspect(code, cursor),
  isComplete: (code) => checker.isComplete(code),
  status: () => {
    const memory = process.memoryUsage();
    return { warm: true, ...checker.status(), nodeTypes: checker.nodeTypes(), preludeNames, warmupMs, startupPhases: phases, heapUsedMb: memory.heapUsed / 1e6, heapTotalMb: memory.heapTotal / 1e6 };
  },
};

function handle(request: CompilerRequest): CompilerResponseBody {
  return (handlers[request.method] as (...args: unknown[]) => CompilerResponseBody)(...request.args);
}

parentPort!.on("message", (message: { id: number; request: CompilerRequest }) => {
  trace(`compiler ${message.request.method} start`);
  let response: CompilerResponse;
  try {
    const request = message.request;
    response = { id: message.id, ok: true, body: handle(request) };
    if (request.method === "compile" && request.args[3] && (response.body as CompileResult).kind === "compiled") {
      response.recorded = { fresh: [...declarations.lastRecorded], importCount: declarations.importCount, nodeTypes: checker.nodeTypes() };
    }
  } catch (error) {
    // The native process is gone: this worker cannot check any more; the main thread replaces it.
    if (native && !native.answers()) process.exit(NATIVE_CHECKER_STOPPED);
    response = { id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(response);
  trace(`compiler ${message.request.method} posted`);
  saveTypeScript6Cache();
  // While the main thread runs the cell: the native checker catches up on what the answer left.
  try {
    native?.settle();
  } catch {
    // A failure here shows again, and is handled, at the next request.
  }
});

/** @types/node from the notebook's folder, else from the kernel's own dependencies. */
function nodeTypesFile(): string | undefined {
  for (const from of [join(config.cwd, "__gradlab__.js"), import.meta.url]) {
    try {
      return join(dirname(createRequire(from).resolve("@types/node/package.json")), "index.d.ts");
    } catch {
      // not installed there
    }
  }
  return undefined;
}

