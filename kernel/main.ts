/**
 * The kernel's composition root: reads the connection file, starts the protocol worker (all
 * sockets, on its own thread) and runs the Executor on this, the main thread, bridged by
 * ExecutorHost.
 *
 * Launch order (kernel_info_reply first: a frontend waits for it before it shows the kernel as
 * ready, so it must not queue behind TypeScript's start-up): the worker is spawned
 * before anything else, and the TypeScript executor, whose compiler worker loads TypeScript and
 * would compete with the protocol worker for the machine's cores, is created only once the first
 * kernel_info_request has been answered, a request needs it, or EXECUTOR_START_DELAY_MS after
 * the sockets are bound, whichever comes first. Until then kernel_info reports provisional info
 * read from package.json files.
 *
 * Process lifetime: exits after a shutdown_request, when the protocol worker dies (its reason is
 * logged), or when the frontend that launched it (JPY_PARENT_PID) is gone. SIGINT interrupts the
 * running cell, never kills.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Executor, LanguageInfo } from "./executor.js";
import type { PortLike, ToMain, ToWorker } from "./bridge/bridge-messages.js";
import { ExecutorHost } from "./bridge/executor-host.js";
import { SharedState } from "./bridge/shared-state.js";
import { readConnectionFile } from "./protocol/connection-file.js";
import { describeThrown, logKernel, traceLaunch } from "./protocol/log.js";
import type { ProtocolWorkerData } from "./protocol/worker.js";

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
 * // in a test, with another executor, or a function that creates one when the kernel wants it:
 * await startKernel("/tmp/kernel.json", myExecutor);
 * await startKernel("/tmp/kernel.json", async () => new MyExecutor());
 */
export async function startKernel(
  connectionFile: string,
  executor?: Executor | (() => Promise<Executor>),
  options: KernelOptions = {},
): Promise<RunningKernel> {
  traceLaunch("main module evaluated");
  const connection = readConnectionFile(connectionFile);
  const shared = new SharedState();
  const workerData: ProtocolWorkerData = { connection, shared: shared.buffer };
  const worker = new Worker(options.protocolWorker ?? new URL("./protocol/worker.js", import.meta.url), {
    workerData,
    // Not the main process's flags (e.g. --input-type, --eval): the worker is a plain module; heap
    // sizes such as --max-semi-space-size would make the Worker constructor throw.
    execArgv: process.execArgv.filter((flag) => !MAIN_ONLY_FLAGS.test(flag)),
    resourceLimits: { maxYoungGenerationSizeMb: PROTOCOL_WORKER_YOUNG_MB },
  });
  traceLaunch("protocol worker spawned");
  const post = (message: ToWorker) => worker.postMessage(message);
  // Read while the worker boots; queued on its port before it can receive any request.
  post({ kind: "info", info: provisionalInfo() });

  // The executor is created on first need (see the header); ExecutorHost asks for it per request.
  let loading: Promise<Executor> | undefined;
  const loadExecutor = (why: string): Promise<Executor> => {
    if (loading) return loading;
    traceLaunch(`executor starts (${why})`);
    const create = typeof executor === "function" ? executor : executor ? async () => executor : loadTypeScriptExecutor;
    loading = (async () => create())(); // a factory that throws at once becomes a rejection too
    loading.then(
      (ready) => {
        traceLaunch("executor loaded");
        post({ kind: "info", info: ready.info() });
      },
      (error: unknown) => logKernel(`the executor failed to load: ${describeThrown(error)}`),
    );
    return loading;
  };
  new ExecutorHost(worker as unknown as PortLike, () => loadExecutor("a request needs it"), shared);

  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const finish = (code: number) => {
    exit(code);
    process.exit(code);
  };
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
  watchParent(() => {
    logKernel("the process that launched this kernel is gone; exiting");
    stop(0);
  });

  await ready;
  return { exited };
}

async function loadTypeScriptExecutor(): Promise<Executor> {
  // Typed loosely and resolved at run time: kernel/typescript/ is a separate part of the kernel.
  const specifier = "./typescript/index.js";
  const module = (await import(specifier)) as { createTypeScriptExecutor(options?: unknown): Promise<Executor> };
  return module.createTypeScriptExecutor();
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

/** What kernel_info reports until the executor is loaded; read cheaply from package.json files. */
function provisionalInfo(): LanguageInfo {
  const typescriptVersion = packageVersion(() => createRequire(import.meta.url).resolve("typescript/package.json"));
  const gradlabVersion = packageVersion(() => findPackageJson(dirname(fileURLToPath(import.meta.url))));
  return {
    implementation: "gradlab",
    implementationVersion: gradlabVersion,
    languageInfo: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: "typescript",
    },
    banner: `gradlab ${gradlabVersion}: TypeScript ${typescriptVersion} with tensors and autodiff`,
    helpLinks: [],
  };
}

function packageVersion(locate: () => string): string {
  try {
    const version = (JSON.parse(readFileSync(locate(), "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : "unknown";
  } catch {
    return "unknown";
  }
}

function findPackageJson(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error("no package.json above the kernel");
  }
}
