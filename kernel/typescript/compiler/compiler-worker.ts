/**
 * The compiler worker: loads TypeScript, builds the language service with the preloaded library's
 * globals, warms the checker, then answers compile / complete / inspect / isComplete requests one
 * at a time. Living on its own thread, it never delays the kernel's main thread: the kernel
 * answers kernel_info while TypeScript (about 200 ms to load) and the first check (about 400 ms)
 * are still under way, and completion keeps working while a cell computes.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";
import { writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CompileResult, CompilerRequest, CompilerResponse, CompilerResponseBody, CompilerWorkerConfig } from "../shared/compiler-messages.js";
import { KERNEL_GLOBALS, LITE_GLOBALS } from "./ambient-declarations.js";
import { CellCompiler, type SourceTransform } from "./cell-compiler.js";
import { complete } from "./completion.js";
import { inspect } from "./inspection.js";
import { isComplete } from "./is-complete.js";
import { CellLanguageHost } from "./language-host.js";
import { exportedNames, preludeText } from "./library-prelude.js";
import { defaultCacheDir, loadTypeScript } from "./typescript-loader.js";
import { rewriteTensorOperators } from "../operators/rewrite.js";

const started = performance.now();
const config = workerData as CompilerWorkerConfig;
const loadedTypeScript = loadTypeScript(import.meta.url, defaultCacheDir());
const ts = loadedTypeScript.ts;

const host = new CellLanguageHost(ts, config.cwd, nodeTypesFile(), config.fallbackModuleDirs);
host.setFile(host.names.kernelGlobals, KERNEL_GLOBALS);
host.setFile(host.names.liteGlobals, LITE_GLOBALS);
host.setFile(host.names.historyImports, "export {};\n");
const compiler = new CellCompiler(ts, host);
if (config.history) {
  // A replacement for a worker that stopped: earlier cells' declarations carry on.
  compiler.declarations.restore(config.history.declarations);
  host.setFile(host.names.history, compiler.declarations.scriptText());
  host.setFile(host.names.historyImports, compiler.declarations.importsText());
  if (config.history.nodeTypes) host.enableNodeTypes();
}

let preludeNames = 0;
if (config.libraryTypes) {
  host.addRoot(config.libraryTypes);
  const names = exportedNames(ts, host.program(), config.libraryTypes);
  preludeNames = names.length;
  host.setFile(host.names.prelude, preludeText(config.libraryTypes, names));
} else {
  host.setFile(host.names.prelude, "export {};\n");
}
// Off (GRADLAB_OPERATORS=0): the module is not even imported, so cells compile as plain TypeScript.
if (config.operators) compiler.sourceTransforms.push(rewriteTensorOperators);
// Warm the checker, the emitter and the global completion list with a throwaway cell.
compiler.compile("const __gradlab_warm: number[] = [1].map((x) => x + 1);\n__gradlab_warm", 0, true, false);
const warmupMs = performance.now() - started;
// After the warm-up, so the cache holds the functions a check runs (see typescript-loader.ts).
loadedTypeScript.saveCache();

function handle(request: CompilerRequest): CompilerResponseBody {
  switch (request.kind) {
    case "compile":
      return compiler.compile(request.code, request.cellId, request.check && config.typeCheck, request.record);
    case "complete":
      return complete(ts, host, compiler, request.code, request.cursor);
    case "inspect":
      return inspect(ts, host, compiler, request.code, request.cursor);
    case "isComplete":
      return isComplete(ts, request.code, (code) => {
        compiler.load(code);
        return host.service.getSyntacticDiagnostics(host.names.cell).length;
      });
    case "status":
      return { warm: true, nodeTypes: host.usesNodeTypes, preludeNames, warmupMs, heapUsedMb: process.memoryUsage().heapUsed / 1e6, heapTotalMb: process.memoryUsage().heapTotal / 1e6 };
  }
}

parentPort!.on("message", (message: { id: number; request: CompilerRequest }) => {
  let response: CompilerResponse;
  try {
    const request = message.request;
    response = { id: message.id, ok: true, body: handle(request) };
    if (request.kind === "compile" && request.record && (response.body as CompileResult).kind === "compiled") {
      const declarations = compiler.declarations;
      response.recorded = { fresh: [...declarations.lastRecorded], importCount: declarations.importCount, nodeTypes: host.usesNodeTypes };
    }
  } catch (error) {
    response = { id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(response);
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

