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
  shield(): number | undefined;
  unshield(token: number): void;
}

let installed: Shield | undefined;

/** Called by the ExecutorHost with the shared state it terminates through. */
export function installTerminateShield(shield: Shield): void {
  installed = shield;
}

/**
 * Runs `work` where no terminate can land; one requested meanwhile waits until it returns (and
 * one already claimed lands before `work` starts).
 *
 * @example
 * const answer = withoutTerminate(() => service.answer(id, request));
 */
export function withoutTerminate<T>(work: () => T): T {
  const shield = installed;
  const token = shield?.shield();
  try {
    return work();
  } finally {
    if (token !== undefined) shield!.unshield(token);
  }
}
