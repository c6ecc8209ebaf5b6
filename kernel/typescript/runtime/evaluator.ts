/**
 * Runs emitted cell scripts through V8's REPL mode, reached via a same-thread `node:inspector`
 * session: `Runtime.evaluate` with replMode re-declares let/const/class across evaluations and
 * allows top-level await, which plain `vm` scripts do not.
 *
 * Boundary: knows nothing of TypeScript or of outputs; it returns how the script ended.
 */
import { Session } from "node:inspector";

export type Evaluation =
  | { kind: "completed" }
  | { kind: "threw"; error: unknown }
  /** Stopped by `Runtime.terminateExecution` (the protocol thread's interrupt of a busy loop). */
  | { kind: "terminated" };

interface RemoteObject {
  type: string;
  subtype?: string;
  value?: unknown;
  unserializableValue?: string;
  objectId?: string;
  description?: string;
}

const OBJECT_GROUP = "gradlab-cell";

/**
 * Whether Runtime.evaluate failed because Runtime.terminateExecution stopped it. Node 20's V8
 * says so ("-32000: Execution was terminated"); the V8 of Node 22 and later answers the same
 * evaluate with a bare "-32603: Internal error", which no other failure of an evaluate produces.
 */
function isTerminatedEvaluate(error: unknown): boolean {
  const text = String(error);
  return /terminated/i.test(text) || /Inspector error -32603\b/.test(text);
}
const CATCH_SLOT = Symbol.for("gradlab.caughtError");

export class ReplEvaluator {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
  }

  async evaluate(script: string, sourceURL: string): Promise<Evaluation> {
    let response: { result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text?: string } };
    try {
      response = await this.post("Runtime.evaluate", {
        expression: `${script}\n//# sourceURL=${sourceURL}`,
        replMode: true,
        awaitPromise: true,
        objectGroup: OBJECT_GROUP,
        silent: false,
      });
    } catch (error) {
      if (isTerminatedEvaluate(error)) return { kind: "terminated" };
      throw error;
    }
    try {
      if (!response.exceptionDetails) return { kind: "completed" };
      return { kind: "threw", error: await this.thrownValue(response.exceptionDetails) };
    } finally {
      // The inspector keeps every object it hands out alive until its group is released.
      void this.post("Runtime.releaseObjectGroup", { objectGroup: OBJECT_GROUP }).catch(() => undefined);
    }
  }

  /**
   * The shape of the tensor an earlier cell left in the variable `name`, or undefined (no such
   * variable, not a tensor). Evaluated with V8's side-effect check, so nothing of the user's runs.
   */
  async tensorShape(name: string): Promise<number[] | undefined> {
    if (!/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name)) return undefined;
    try {
      const response = await this.post<{ result: RemoteObject; exceptionDetails?: unknown }>("Runtime.evaluate", {
        expression: `typeof ${name} === "undefined" ? undefined : Array.isArray(${name}?.shape) ? ${name}.shape : undefined`,
        replMode: true,
        throwOnSideEffect: true,
        returnByValue: true,
        silent: true,
      });
      const value = response.exceptionDetails ? undefined : response.result.value;
      return Array.isArray(value) && value.every((d) => typeof d === "number") ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** A full garbage collection now (after a cell was stopped for memory, so the kernel shrinks at once). */
  async collectGarbage(): Promise<void> {
    await this.post("HeapProfiler.collectGarbage", {});
  }

  disconnect(): void {
    this.session.disconnect();
  }

  /** The thrown value itself (not its description), so its class, message and stack can be read. */
  private async thrownValue(details: { exception?: RemoteObject; text?: string }): Promise<unknown> {
    const remote = details.exception;
    if (!remote) return new Error(details.text ?? "the cell failed");
    if (remote.objectId) {
      await this.post("Runtime.callFunctionOn", {
        objectId: remote.objectId,
        functionDeclaration: `function () { globalThis[Symbol.for("gradlab.caughtError")] = this; }`,
        silent: true,
      });
      const slot = globalThis as unknown as Record<symbol, unknown>;
      const value = slot[CATCH_SLOT];
      delete slot[CATCH_SLOT];
      return value;
    }
    if (remote.unserializableValue !== undefined) {
      const text = remote.unserializableValue;
      return text.endsWith("n") ? BigInt(text.slice(0, -1)) : Number(text);
    }
    return remote.value;
  }

  private post<T>(method: string, params: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
    });
  }
}
