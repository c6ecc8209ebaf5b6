/**
 * The environment the native compiler's process starts with. typescript@7.0.2's API spawns it with
 * this process's environment and takes no environment of its own, so the settings are put into
 * process.env for the synchronous spawn only and taken out again: cells never see them, and a
 * program a cell starts does not inherit them.
 *
 * Boundary: environment variables around one synchronous call; knows nothing of the API.
 */

/**
 * Go's garbage collector lets the heap grow to twice what survived the last collection (GOGC=100).
 * The checker's live data is small next to what a check allocates and drops, so at 50 it measured
 * 5–10 MB less resident memory after typed cells. The price is more collections during a check:
 * 101-line cells of generic calls take about a fifth longer (33 against 28 ms), 9-line cells about
 * 1.5 ms more, trivial ones no longer. Memory is chosen because a class runs thirty kernels on one
 * machine and no cell gets slow enough to notice. A GOGC the user set wins.
 */
const NATIVE_PROCESS_ENV: Readonly<Record<string, string>> = { GOGC: "50" };

/** Runs `spawn` (which starts the native process synchronously) with NATIVE_PROCESS_ENV added. */
export function withNativeProcessEnv<T>(spawn: () => T): T {
  const added = Object.keys(NATIVE_PROCESS_ENV).filter((name) => process.env[name] === undefined);
  for (const name of added) process.env[name] = NATIVE_PROCESS_ENV[name];
  try {
    return spawn();
  } finally {
    for (const name of added) delete process.env[name];
  }
}
