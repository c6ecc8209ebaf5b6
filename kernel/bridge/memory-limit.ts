/**
 * The kernel's memory limit: how much memory (the whole process's resident set) a running cell
 * may bring the kernel to before the protocol thread's watchdog stops it. Read from the
 * environment by both threads (the protocol thread enforces it, the main thread words the error),
 * so it is plain arithmetic with no state.
 *
 * Why the resident set: it is what a shared server runs out of, and it counts what V8's heap does
 * not (typed arrays of tensors live outside it). Why a cap below V8's own heap limit: past that,
 * V8 ends the whole process with a fatal out-of-memory error and every variable is lost; the
 * resident set is at least the heap in use, so stopping the cell below the cap stops it first.
 *
 * Runs on: both threads. Knows nothing of cells or of the protocol.
 */

export const MEMORY_LIMIT_ENV = "GRADLAB_MEMORY_MB";
/** A classroom server runs one kernel per student: 30 kernels at this limit fit in 32 GB, and the
 * chapter's notebooks use under 400 MB. */
export const DEFAULT_MEMORY_MB = 1024;
/** The share of V8's heap limit (of the main thread) the kernel may reach at most, whatever is set. */
export const HEAP_LIMIT_SHARE = 0.9;
/**
 * A cell that starts with the kernel already above its limit (variables of earlier cells hold the
 * memory) may still grow by this much: otherwise every later cell, even one that frees memory,
 * would be stopped at once.
 */
export const MEMORY_HEADROOM_MB = 100;

export interface MemoryLimit {
  /** The limit in force, MB (the configured one, or the cap if that is lower). */
  megabytes: number;
  /** The most the kernel may reach in any case: HEAP_LIMIT_SHARE of V8's heap limit, MB. */
  capMb: number;
  /** What was wrong with the environment variable, if anything (the default is used then). */
  problem?: string;
}

/**
 * @example
 * memoryLimit({ GRADLAB_MEMORY_MB: "2048" }, 4144); // { megabytes: 2048, capMb: 3730 }
 * memoryLimit({ GRADLAB_MEMORY_MB: "0" }, 4144);    // no limit of its own: { megabytes: 3730, capMb: 3730 }
 */
export function memoryLimit(env: NodeJS.ProcessEnv, heapLimitMb: number): MemoryLimit {
  const capMb = Math.floor(heapLimitMb * HEAP_LIMIT_SHARE);
  const raw = env[MEMORY_LIMIT_ENV];
  let configured = DEFAULT_MEMORY_MB;
  let problem: string | undefined;
  if (raw !== undefined && raw.trim() !== "") {
    const value = Number(raw);
    if (Number.isFinite(value) && value >= 0) configured = value === 0 ? Infinity : value;
    else problem = `${MEMORY_LIMIT_ENV}=${raw} is not a number of MB >= 0; using ${DEFAULT_MEMORY_MB}`;
  }
  return { megabytes: Math.min(configured, capMb), capMb, ...(problem ? { problem } : {}) };
}

/** The reading at which the running cell is stopped, given the kernel's memory when it started (MB). */
export function stopThresholdMb(limit: MemoryLimit, startMb: number): number {
  return Math.min(Math.max(limit.megabytes, startMb + MEMORY_HEADROOM_MB), limit.capMb);
}

/** The error text a stopped cell shows (RangeError, like V8's own allocation failures). */
export function memoryStopMessage(limit: MemoryLimit, readingMb: number): string {
  const how =
    limit.megabytes < limit.capMb
      ? `Set ${MEMORY_LIMIT_ENV} in the kernel's environment to change it (e.g. ${MEMORY_LIMIT_ENV}=${Math.min(limit.megabytes * 2, limit.capMb)}) and restart the kernel.`
      : "That is close to the most V8 allows this process (node's --max-old-space-size raises it).";
  return `the cell was stopped: the kernel reached ${readingMb} MB, over its memory limit of ${limit.megabytes} MB. ${how}`;
}
