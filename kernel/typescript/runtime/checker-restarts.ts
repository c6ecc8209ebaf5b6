/**
 * What happens when a session's type checker stops under it (out of memory, its native process
 * killed, a crash): the request it had fails with a CheckerStoppedError saying so, and a new
 * checker starts with the earlier cells' declarations, unless it already stopped MAX_RESTARTS
 * times within RESTART_WINDOW_MS; then it is given up, with a message saying what to do.
 *
 * Runs on: the main thread (both checker owners, compiler-client.ts and main-thread-checker.ts).
 */
import { writeSync } from "node:fs";
import { CheckerError } from "./session-checker.js";

/** More stops than this within RESTART_WINDOW_MS and the checker is given up. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** A request failed because the type checker stopped; the cell was not run. */
export class CheckerStoppedError extends CheckerError {}

export class CheckerRestarts {
  private readonly times: number[] = [];

  /** How many times the checker was replaced after stopping. */
  get count(): number {
    return this.times.length;
  }

  /**
   * Records one stop, logged on the kernel's stderr. `restart` says whether to start another
   * checker; `error` is what the requests the stopped checker had fail with.
   *
   * @param why what stopped, e.g. "the type checker's native process (TypeScript 7) stopped"
   */
  stopped(why: string, now = Date.now()): { restart: boolean; error: CheckerStoppedError } {
    while (this.times.length > 0 && now - this.times[0]! > RESTART_WINDOW_MS) this.times.shift();
    if (this.times.length >= MAX_RESTARTS) {
      const error = new CheckerStoppedError(
        `${why}, ${MAX_RESTARTS + 1} times within a minute, so it was not restarted again: restart the kernel, or turn checking off (GRADLAB_TYPECHECK=0)`,
      );
      writeSync(2, `[gradlab kernel] ${error.message}\n`);
      return { restart: false, error };
    }
    this.times.push(now);
    writeSync(2, `[gradlab kernel] ${why}; restarting it with the declarations of earlier cells\n`);
    const error = new CheckerStoppedError(
      `${why} while handling this cell, which did not run. It was restarted with the declarations of earlier cells: run the cell again, or start it with \`// @ts-nocheck\` to skip checking.`,
    );
    return { restart: true, error };
  }
}
