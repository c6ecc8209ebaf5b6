/**
 * Shared helpers for the executor tests: a fresh build of the kernel (the compiler runs in a
 * worker thread, which needs the compiled JavaScript), a recording OutputSink, and a session
 * factory using the fixture library.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecuteOutcome, JsonObject, MimeBundle, OutputSink } from "../../kernel/executor.js";
import type { TypeScriptExecutor } from "../../kernel/typescript/runtime/typescript-executor.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(ROOT, "test", "typescript", "fixtures");
export const NOTEBOOK_DIR = join(FIXTURES, "notebook");
export const FIXTURE_LIBRARY = { module: join(FIXTURES, "library", "index.js"), types: join(FIXTURES, "library", "index.d.ts") };

/** Rebuilds dist/ when a kernel source is newer than its output. */
export function ensureBuilt(): void {
  let stale = false;
  for (const folder of ["kernel"]) {
    for (const name of readdirSync(join(ROOT, folder), { recursive: true, encoding: "utf8" })) {
      if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
      const output = join(ROOT, "dist", folder, name.replace(/\.ts$/, ".js"));
      if (!existsSync(output) || statSync(output).mtimeMs < statSync(join(ROOT, folder, name)).mtimeMs) stale = true;
    }
  }
  if (!stale) return;
  try {
    execFileSync(process.execPath, [join(ROOT, "scripts", "build.js")], { cwd: ROOT, stdio: "pipe" });
  } catch {
    // Type errors elsewhere in the tree still emit; the import below fails if ours did not.
  }
}

export type Recorded =
  | { kind: "stream"; name: string; text: string }
  | { kind: "display"; data: MimeBundle; metadata: JsonObject; displayId?: string }
  | { kind: "update"; data: MimeBundle; displayId: string }
  | { kind: "clear"; wait: boolean };

export class RecordingSink implements OutputSink {
  events: Recorded[] = [];
  inputs: string[] = [];
  answers: string[] = [];
  stream(name: "stdout" | "stderr", text: string): void {
    this.events.push({ kind: "stream", name, text });
  }
  displayData(data: MimeBundle, metadata: JsonObject, displayId?: string): void {
    this.events.push({ kind: "display", data, metadata, ...(displayId ? { displayId } : {}) });
  }
  updateDisplayData(data: MimeBundle, _metadata: JsonObject, displayId: string): void {
    this.events.push({ kind: "update", data, displayId });
  }
  clearOutput(wait: boolean): void {
    this.events.push({ kind: "clear", wait });
  }
  requestInput(prompt: string): Promise<string> {
    this.inputs.push(prompt);
    return Promise.resolve(this.answers.shift() ?? "");
  }
  text(name = "stdout"): string {
    return this.events
      .filter((e): e is Extract<Recorded, { kind: "stream" }> => e.kind === "stream" && e.name === name)
      .map((e) => e.text)
      .join("");
  }
}

export interface Session {
  executor: TypeScriptExecutor;
  run(code: string, sink?: RecordingSink): Promise<ExecuteOutcome & { sink: RecordingSink }>;
}

/** A session over the fixture library, running cells with increasing execution counts. */
export async function startSession(
  options: { typeCheck?: boolean; library?: typeof FIXTURE_LIBRARY | null; checkerHeapMb?: number; checker?: "native" | "typescript6"; cwd?: string } = {},
): Promise<Session> {
  ensureBuilt();
  const module = (await import(join(ROOT, "dist", "kernel", "typescript", "index.js"))) as typeof import("../../kernel/typescript/index.js");
  const executor = module.createSession({
    cwd: options.cwd ?? NOTEBOOK_DIR,
    library: options.library === undefined ? FIXTURE_LIBRARY : options.library,
    ...(options.typeCheck === undefined ? {} : { typeCheck: options.typeCheck }),
    ...(options.checkerHeapMb === undefined ? {} : { checkerHeapMb: options.checkerHeapMb }),
    ...(options.checker === undefined ? {} : { checker: options.checker }),
  });
  let count = 0;
  return {
    executor,
    async run(code, sink = new RecordingSink()) {
      const outcome = await executor.execute(
        { code, silent: false, storeHistory: true, executionCount: ++count, userExpressions: {}, allowStdin: true },
        sink,
      );
      return { ...outcome, sink };
    },
  };
}

/** The text/plain of an ok outcome's execute_result. */
export function resultText(outcome: ExecuteOutcome): string | undefined {
  if (outcome.status !== "ok") throw new Error(`cell failed: ${outcome.ename}: ${outcome.evalue}\n${outcome.traceback.join("\n")}`);
  return outcome.result?.data["text/plain"] as string | undefined;
}
