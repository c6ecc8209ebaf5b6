/**
 * Lets main-thread code that a terminate (Runtime.terminateExecution, the protocol worker's way to
 * stop a busy cell) must not cut short say so, without knowing the bridge: the type checker's
 * synchronous exchange with its native process would be left half-read and unusable. The
 * ExecutorHost installs the shared cell word's shield; without a host (a session in a test or a
 * script) there is no terminate and the code simply runs.
 *
 * Runs on: the main thread.
 */

interface Shield {
  shield(stoppableProcess?: number): number | undefined;
  unshield(token: number): void;
  takeShieldStopped(): boolean;
}

let installed: Shield | undefined;

/** Called by the ExecutorHost with the shared state it terminates through. */
export function installTerminateShield(shield: Shield): void {
  installed = shield;
}

/**
 * Runs `work` where no terminate can land; one requested meanwhile waits until it returns (and
 * one already claimed lands before `work` starts). When `work` waits for another process
 * (`stoppableProcess`), an interrupt that finds it still waiting after a while stops that process,
 * which ends `work` with an error; stoppedForInterrupt() then says so.
 *
 * @example
 * const answer = withoutTerminate(() => service.answer(id, request), service.nativePid);
 */
export function withoutTerminate<T>(work: () => T, stoppableProcess?: number): T {
  const shield = installed;
  const token = shield?.shield(stoppableProcess);
  try {
    return work();
  } finally {
    if (token !== undefined) shield!.unshield(token);
  }
}

/** After shielded work failed: was the process it waited for stopped for an interrupt? (Read once.) */
export function stoppedForInterrupt(): boolean {
  return installed?.takeShieldStopped() ?? false;
}
