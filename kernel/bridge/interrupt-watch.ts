/**
 * The protocol worker's decision, after posting an interrupt for a running cell, whether the main
 * thread needs a terminate (Runtime.terminateExecution) to stop it.
 *
 * A main thread that is idle or awaiting reads the interrupt message within microseconds and
 * acknowledges it in the shared cell word (SharedState). One that keeps running without reading
 * it is inside synchronous code of the cell. "Keeps running" is measured in the main thread's own
 * CPU time (Linux: /proc/self/task/<pid>/schedstat), not in wall time, so a loaded machine that
 * merely delays the main thread's wake-up is not mistaken for a busy cell: once the main thread
 * has used BUSY_CPU_MS of CPU since the interrupt without acknowledging it, the terminate is
 * claimed at once. Where that counter is unavailable (other systems), or the main thread sleeps
 * without reading messages (a synchronous prompt in Atomics.wait), the terminate follows after
 * INTERRUPT_ACK_MS of wall time. While the main thread is shielded (SharedState.shield: the type
 * checker's exchange with its process), the watch waits, and both measures start over when the
 * shield is lifted; one still shielded SHIELD_STOP_MS after the interrupt (a check that takes
 * long) has the process it waits for stopped, which ends the exchange. Whether the terminate may still be sent is settled by
 * SharedState.claimTerminate, never here.
 */
import { readFileSync } from "node:fs";
import type { SharedState } from "./shared-state.js";

/** Main-thread CPU without reading the interrupt that means "busy in the cell". */
export const BUSY_CPU_MS = 3;
/** Wall time after which an unacknowledged interrupt is enforced anyway. */
export const INTERRUPT_ACK_MS = 100;
/** Wall time the main thread may stay shielded after an interrupt before the process doing the shielded work is stopped. */
export const SHIELD_STOP_MS = 500;
/** How often the worker looks while it waits. */
export const WATCH_POLL_MS = 1;

export interface WatchClock {
  /** Wall time in ms. */
  now(): number;
  /** CPU time in ms the main thread has used, or undefined where it cannot be read. */
  mainThreadCpu(): number | undefined;
}

/** "stop-shielded": stop the process the main thread waits for (SharedState.shieldedProcess), then keep watching. */
export type WatchVerdict = "wait" | "terminate" | "stop" | "stop-shielded";

/**
 * One interrupt's watch: call `check()` every WATCH_POLL_MS until it says "terminate" or "stop".
 *
 * @example
 * const watch = new InterruptWatch(shared, id, systemClock);
 * const timer = setInterval(() => {
 *   const verdict = watch.check();
 *   if (verdict !== "wait") clearInterval(timer);
 *   if (verdict === "terminate" && shared.claimTerminate(id)) terminate();
 * }, WATCH_POLL_MS);
 */
export class InterruptWatch {
  private startedAt!: number;
  private cpuAtStart: number | undefined;
  private shielded = false;
  private shieldedSince: number | undefined;
  private shieldStopAsked = false;

  constructor(private readonly shared: SharedState, private readonly id: number, private readonly clock: WatchClock) {
    this.restart();
  }

  check(): WatchVerdict {
    const state = this.shared.cellState(this.id);
    // Busy in shielded code (its CPU is not the cell's): the watch starts over once it leaves.
    if (state === "shielded") {
      this.shielded = true;
      this.shieldedSince ??= this.clock.now();
      if (!this.shieldStopAsked && this.clock.now() - this.shieldedSince >= SHIELD_STOP_MS) {
        this.shieldStopAsked = true;
        return "stop-shielded";
      }
      return "wait";
    }
    // Acknowledged, over, not started yet, or already being terminated: nothing left to decide.
    if (state !== "running") return "stop";
    if (this.shielded) {
      this.shielded = false;
      this.restart();
    }
    if (this.clock.now() - this.startedAt >= INTERRUPT_ACK_MS) return "terminate";
    if (this.cpuAtStart === undefined) return "wait";
    const cpu = this.clock.mainThreadCpu();
    return cpu !== undefined && cpu - this.cpuAtStart >= BUSY_CPU_MS ? "terminate" : "wait";
  }

  private restart(): void {
    this.startedAt = this.clock.now();
    this.cpuAtStart = this.clock.mainThreadCpu();
  }
}

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
let schedstatReadable = process.platform === "linux";

/** The real clock: performance.now() and the main thread's CPU time from /proc (Linux). */
export const systemClock: WatchClock = {
  now: () => performance.now(),
  mainThreadCpu() {
    if (!schedstatReadable) return undefined;
    try {
      // First field: nanoseconds the thread has run on a CPU. The main thread's id is the pid.
      return Number(readFileSync(SCHEDSTAT, "latin1").split(" ", 1)[0]) / 1e6;
    } catch {
      schedstatReadable = false;
      return undefined;
    }
  },
};
