/**
 * The globals the kernel puts in every cell's world: the preloaded library's exports, the display
 * API, prompt()/input(), `require`, and `__gradlab` (the hooks emitted cell code calls:
 * `__gradlab.import` and `__gradlab.setResult`).
 */
import { pathToFileURL } from "node:url";

/** Defines a global the way a script's function declaration would be: writable, not enumerable. */
export function defineGlobal(name: string, value: unknown): void {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

/**
 * Imports the library module and makes each export a global; resolves with the names.
 *
 * @example
 * await installLibraryGlobals("/repo/dist/stdlib/index.js"); // ["tensor", "grad", …]
 */
export async function installLibraryGlobals(modulePath: string): Promise<string[]> {
  const library = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const names = Object.keys(library).filter((name) => name !== "default");
  for (const name of names) defineGlobal(name, library[name]);
  return names;
}

/**
 * `exit` and `quit`, as IPython's: the cell's execute_reply carries an `ask_exit` payload, on which
 * jupyter console leaves (notebook frontends ignore it). A getter, so that a bare `exit` works as
 * in IPython; a cell may still declare its own `exit`, which replaces it.
 */
export function defineExitGlobals(askExit: (keepKernel: boolean) => void): void {
  const exit = (keepKernel = false): void => askExit(Boolean(keepKernel));
  for (const name of ["exit", "quit"]) {
    Object.defineProperty(globalThis, name, {
      get() {
        askExit(false);
        return exit;
      },
      configurable: true,
      enumerable: false,
    });
  }
}

/** prompt() and input() over the running cell's stdin. */
export function createInputGlobals(currentSink: () => import("../../executor.js").OutputSink | undefined) {
  return {
    prompt(message = ""): string {
      const sink = currentSink();
      if (!sink) throw new Error("prompt() can only be called while a cell is running");
      if (!sink.requestInputSync) {
        throw new Error("prompt() needs a synchronous stdin channel, which this kernel session does not have: use `await input(message)` instead");
      }
      return sink.requestInputSync(String(message), false);
    },
    input(message = "", options: { password?: boolean } = {}): Promise<string> {
      const sink = currentSink();
      if (!sink) return Promise.reject(new Error("input() can only be called while a cell is running"));
      return sink.requestInput(String(message), options.password ?? false);
    },
  };
}
