/**
 * What `process.abort()` and `process.kill(process.pid, signal)` do when a cell calls them: the
 * same as `process.exit` in the kernel, a clean exit (sockets closed first, a line under the cell
 * saying that the kernel exits and why) with the status a shell reports for that signal (128 + its
 * number), so that Jupyter starts a new kernel. Before, the process died at once without a word
 * (or dumped core), and a signal that stops a process (SIGSTOP, SIGTSTP, …) froze the kernel,
 * heartbeat and interrupts included, until a restart killed it: those now fail the cell with an
 * error. Signals the kernel or the cell listens for (SIGINT interrupts the cell), signal 0 and
 * other processes are left to Node's own `process.kill`.
 *
 * Runs on: the main thread (installed by the composition root, main.ts).
 */
import { constants } from "node:os";

type SignalName = keyof typeof constants.signals;

/** Signals whose default action ends a process (Linux, signal(7)); Node ignores SIGPIPE and uses SIGUSR1 for its inspector. */
const ENDING: ReadonlySet<string> = new Set([
  "SIGHUP", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGIOT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR2", "SIGSEGV",
  "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGIO", "SIGPOLL", "SIGPWR", "SIGSYS",
]);
/** Signals whose default action stops a process until it is continued. */
const STOPPING: ReadonlySet<string> = new Set(["SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU"]);

/** Ends the kernel with `status`; `what` names the call in the line shown under the cell. */
export type ExitKernel = (status: number, what: string) => never;

/**
 * Replaces process.abort and process.kill (once, at launch).
 *
 * @example
 * installSelfExit((status, what) => host.exitFromCell(status, realExit, 2000, what));
 */
export function installSelfExit(exitKernel: ExitKernel): void {
  const nodeKill = process.kill.bind(process);
  process.abort = (() => exitKernel(128 + constants.signals.SIGABRT, "process.abort()")) as typeof process.abort;
  process.kill = ((pid: number, signal?: string | number) => {
    const name = signalName(signal ?? "SIGTERM");
    if (name === undefined || !targetsKernel(pid) || process.listenerCount(name) > 0) return nodeKill(pid, signal);
    if (STOPPING.has(name)) {
      throw new Error(`process.kill(process.pid, "${name}") refused: ${name} would stop the kernel's process, and with it the heartbeat and interrupts, until a restart`);
    }
    if (ENDING.has(name)) return exitKernel(128 + constants.signals[name], `process.kill(process.pid, "${name}")`);
    return nodeKill(pid, signal);
  }) as typeof process.kill;
}

/** pid 0 is the process group, which the kernel leads when Jupyter starts it. */
function targetsKernel(pid: unknown): boolean {
  return Number(pid) === process.pid || Number(pid) === 0;
}

/** The signal's name for a name or number Node accepts, else undefined (Node's kill then reports the problem). */
function signalName(signal: string | number): SignalName | undefined {
  const signals = constants.signals as Record<string, number>;
  if (typeof signal === "string") return signal in signals ? (signal as SignalName) : undefined;
  return Object.keys(signals).find((name) => signals[name] === signal) as SignalName | undefined;
}
