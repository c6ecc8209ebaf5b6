/**
 * The kernel's composition root: reads the connection file, starts the protocol worker (all
 * sockets, on its own thread) and runs the Executor on this, the main thread, bridged by
 * ExecutorHost.
 *
 * Launch order (kernel_info_reply first: a frontend waits for it before it shows the kernel as
 * ready, so it must not queue behind TypeScript's start-up): the protocol worker is spawned
 * before anything else; once it has bound the sockets, the language's prestart() starts the type
 * checker (TypeScript 7's native process, the slowest part to be ready, driven from this thread).
 * Started earlier, its start-up took the two cores from the protocol worker's and kernel_info
 * came ~0.1 s later (jupyter_client retries a connection every 100 ms): launch → kernel_info
 * 0.35 → 0.23 s median of 8 launches, first checked cell 0.43 → 0.41 s. The rest
 * of the executor (the library, the REPL), which would compete with the protocol worker for this
 * thread, is created only once the first kernel_info_request has been answered, a request needs
 * it, or EXECUTOR_START_DELAY_MS after the sockets are bound, whichever comes first; it takes
 * over the checker already running. kernel_info is answered from the language's description,
 * which the worker gets with its workerData: the same answer before and after the executor exists.
 *
 * Process lifetime: exits after a shutdown_request, when the protocol worker dies (its reason is
 * logged), when the frontend that launched it (JPY_PARENT_PID) is gone, or when code on this
 * thread calls process.exit(n) (with code n, sockets closed first; process.abort() and
 * process.kill(process.pid, signal) likewise, with 128 + the signal's number). SIGINT interrupts the
 * running cell, never kills.
 */
import { getHeapStatistics } from "node:v8";
import { Worker } from "node:worker_threads";
import type { Executor, LanguageInfo } from "./executor.js";
import type { PortLike, ToMain, ToWorker } from "./bridge/bridge-messages.js";
import { ExecutorHost } from "./bridge/executor-host.js";
import { entryPoint } from "./entry-points.js";
import { memoryLimit } from "./bridge/memory-limit.js";
import { SharedState } from "./bridge/shared-state.js";
import { readConnectionFile } from "./protocol/connection-file.js";
import { describeThrown, logKernel, traceLaunch } from "./protocol/log.js";
import type { ProtocolWorkerData } from "./protocol/worker.js";
import { installSelfExit } from "./self-exit.js";
import { typescriptLanguageInfo } from "./typescript/language-info.js";

/**
 * The protocol worker's young generation (MB). It only encodes, signs and forwards messages, whose
 * objects die at once: V8's default lets its new space grow to about 8 MB under a stream of
 * outputs; 2 MB keeps that down (measured about 2 MB less RSS after the benchmark's cells, no
 * slower trivial cells).
 */
const PROTOCOL_WORKER_YOUNG_MB = 2;
/** Flags of the main process that a worker rejects ("invalid execArgv flags") or must not inherit. */
const MAIN_ONLY_FLAGS = /^--(input-type|eval|print)\b|^-[ep]$|^--(max|min)-(semi|old)-space-size\b/;

/** How long the worker gets to close its sockets before the process exits anyway. */
const STOP_TIMEOUT_MS = 2000;
/** The executor starts at the latest this long after the sockets are bound (a frontend that never
 * sends kernel_info, or one that connects late). */
export const EXECUTOR_START_DELAY_MS = 150;

export interface RunningKernel {
  /** Resolves with the exit code once the kernel has shut down (the process then exits). */
  readonly exited: Promise<number>;
}

/**
 * What the kernel runs cells with: the language's description (known before any executor exists,
 * so kernel_info is answered at once and always alike) and how to create the executor, called
 * once, when the kernel first wants it. The executor's own info() is not asked.
 */
export interface KernelLanguage {
  info: LanguageInfo;
  createExecutor(): Promise<Executor>;
  /** Starts, ahead of the executor, what takes longest to be ready (called once the protocol worker has bound the sockets). */
  prestart?(): void;
}

export interface KernelOptions {
  /** The protocol worker's module; tests substitute one that wraps the real worker. */
  protocolWorker?: URL;
}

/**
 * Starts a kernel for the given connection file; resolves once its sockets are bound.
 *
 * @example
 * // what `gradlab kernel CONNECTION_FILE` runs:
 * await startKernel(process.argv[3]!);
 * // in a test, with another executor, or a language whose executor is created when the kernel wants it:
 * await startKernel("/tmp/kernel.json", myExecutor);
 * await startKernel("/tmp/kernel.json", { info: MY_INFO, createExecutor: async () => new MyExecutor() });
 */
export async function startKernel(
  connectionFile: string,
  language: Executor | KernelLanguage = TYPESCRIPT,
  options: KernelOptions = {},
): Promise<RunningKernel> {
  traceLaunch("main module evaluated");
  const connection = readConnectionFile(connectionFile);
  const shared = new SharedState();
  const { info, createExecutor } = "execute" in language ? { info: language.info(), createExecutor: async () => language } : language;
  const mainHeapLimitMb = getHeapStatistics().heap_size_limit / (1024 * 1024);
  const workerData: ProtocolWorkerData = { connection, shared: shared.buffer, info, mainHeapLimitMb };
  const worker = new Worker(options.protocolWorker ?? entryPoint("protocol-worker", new URL("./protocol/worker.js", import.meta.url)), {
    workerData,
    // Not the main process's flags (e.g. --input-type, --eval): the worker is a plain module; heap
    // sizes such as --max-semi-space-size would make the Worker constructor throw.
    execArgv: process.execArgv.filter((flag) => !MAIN_ONLY_FLAGS.test(flag)),
    resourceLimits: { maxYoungGenerationSizeMb: PROTOCOL_WORKER_YOUNG_MB },
  });
  traceLaunch("protocol worker spawned");
  const post = (message: ToWorker) => worker.postMessage(message);
  let checkerStarted = false;
  const startChecker = () => {
    if (checkerStarted || "execute" in language) return;
    checkerStarted = true;
    language.prestart?.();
  };

  // The executor is created on first need (see the header); ExecutorHost asks for it per request.
  let loading: Promise<Executor> | undefined;
  const loadExecutor = (why: string): Promise<Executor> => {
    if (loading) return loading;
    traceLaunch(`executor starts (${why})`);
    loading = (async () => createExecutor())(); // a factory that throws at once becomes a rejection too
    loading.then(
      () => traceLaunch("executor loaded"),
      (error: unknown) => logKernel(`the executor failed to load: ${describeThrown(error)}`),
    );
    return loading;
  };
  const host = new ExecutorHost(worker as unknown as PortLike, () => loadExecutor("a request needs it"), shared, memoryLimit(process.env, mainHeapLimitMb));

  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const realExit = process.exit.bind(process) as (code?: number) => never;
  const finish = (code: number) => {
    exit(code);
    realExit(code);
  };
  // process.exit in a cell (or a library) ends the kernel with that code, as it would end a
  // script; but cleanly, sockets closed first, so Jupyter's restarter sees the code.
  // process.abort() and process.kill(process.pid, signal) end it the same way (self-exit.ts).
  let exiting = false;
  const exitFromCell = (status: number, what: string): never => {
    if (exiting) return realExit(status);
    exiting = true;
    exit(status);
    return host.exitFromCell(status, realExit, STOP_TIMEOUT_MS, what);
  };
  process.exit = ((code?: number | string | null) => {
    const status = exitStatus(code);
    return exitFromCell(status, `process.exit(${status})`);
  }) as typeof process.exit;
  installSelfExit(exitFromCell);
  // Exiting while the worker's zeromq sockets are open aborts the process: close them first.
  const stop = (code: number) => {
    post({ kind: "stop", code });
    setTimeout(() => finish(code), STOP_TIMEOUT_MS).unref();
  };

  let workerFailed = false;
  let exitAnnounced = false;
  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: ToMain) => {
      if (message.kind === "ready") {
        traceLaunch("sockets bound (main notified)");
        startChecker();
        setTimeout(() => void loadExecutor(`${EXECUTOR_START_DELAY_MS} ms after bind`).catch(() => undefined), EXECUTOR_START_DELAY_MS).unref();
        resolve();
      } else if (message.kind === "kernel-info-answered") {
        void loadExecutor("kernel_info answered").catch(() => undefined);
      } else if (message.kind === "exit") {
        exitAnnounced = true;
        finish(message.code);
      }
    });
    // An uncaught error on the worker: Node ends the worker thread and reports it here.
    worker.on("error", (error) => {
      workerFailed = true;
      logKernel(`protocol worker failed: ${describeThrown(error)}`);
      reject(error);
      finish(1);
    });
    worker.on("exit", (code) => {
      if (!workerFailed && (code !== 0 || !exitAnnounced)) logKernel(`protocol worker exited with code ${code}; the kernel exits too`);
      reject(new Error(`the protocol worker exited (code ${code}) before its sockets were bound`));
      finish(code === 0 ? 0 : 1);
    });
  });

  // Ctrl-C in a terminal reaches the whole process group: interrupt the cell, never die of it.
  process.on("SIGINT", () => post({ kind: "sigint" }));
  // Node answers SIGUSR1 by starting its debugger on 127.0.0.1:9229, where any user of a shared
  // server could connect and run code as the student, and after which the kernel's own inspector
  // session failed every cell. A listener of our own keeps Node from doing so.
  process.on("SIGUSR1", () => logKernel("ignoring SIGUSR1: it would start Node's debugger, open to every user of this machine"));
  watchParent(() => {
    logKernel("the process that launched this kernel is gone; exiting");
    stop(0);
  });

  await ready;
  return { exited };
}

/** The default language. Only its small description module is imported on the launch path; the
 * executor's module graph loads when the executor is created, through a specifier resolved at run
 * time, so that builds of the protocol side alone (the protocol tests' kernel) do not compile it. */
const TYPESCRIPT: KernelLanguage = {
  get info() {
    return typescriptLanguageInfo();
  },
  async createExecutor() {
    return (await typescriptModule()).createTypeScriptExecutor();
  },
  prestart() {
    // The bundle holds session-settings.js too (index.js re-exports prestartChecker).
    const specifier = entryPoint("typescript", new URL("./typescript/session-settings.js", import.meta.url)).href;
    (import(specifier) as Promise<{ prestartChecker(): void }>).then(
      (module) => module.prestartChecker(),
      () => undefined, // createExecutor reports a failed load
    );
  },
};

function typescriptModule(): Promise<{ createTypeScriptExecutor(options?: unknown): Promise<Executor> }> {
  const specifier = entryPoint("typescript", new URL("./typescript/index.js", import.meta.url)).href;
  return import(specifier) as Promise<{ createTypeScriptExecutor(options?: unknown): Promise<Executor> }>;
}

/** The exit status process.exit(code) means: the code, else process.exitCode, else 0; 1 if not an integer. */
function exitStatus(code: number | string | null | undefined): number {
  const chosen = code ?? process.exitCode ?? 0;
  const status = typeof chosen === "string" && chosen.trim() !== "" ? Number(chosen) : chosen;
  return typeof status === "number" && Number.isInteger(status) ? status & 0xff : 1;
}

/** Polls JPY_PARENT_PID (set by jupyter_client) and calls `gone` when that process has ended. */
function watchParent(gone: () => void): void {
  const pid = Number(process.env["JPY_PARENT_PID"]);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const timer = setInterval(() => {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ESRCH") {
        clearInterval(timer);
        gone();
      }
    }
  }, 1000);
  timer.unref();
}
