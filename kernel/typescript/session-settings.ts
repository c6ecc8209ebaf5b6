/**
 * What a TypeScript session runs with, resolved from its options and the kernel's environment,
 * and the type checker started from those settings, possibly ahead of the session: the kernel
 * starts the checker (its native process, the slowest part to be ready) as soon as its protocol
 * thread is spawned, and the session created later takes it over.
 *
 * Kept apart from index.ts so that starting the checker early loads only this module and the
 * compiler client, not the executor's module graph.
 *
 * Runs on: the main thread.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildDir } from "./kernel-build.js";
import { packageRoot } from "./language-info.js";
import { CompilerClient } from "./runtime/compiler-client.js";
import { MainThreadChecker } from "./runtime/main-thread-checker.js";
import type { SessionChecker } from "./runtime/session-checker.js";
import type { ExecutorSettings } from "./runtime/typescript-executor.js";
import type { CheckerKind, CompilerWorkerConfig } from "./shared/compiler-messages.js";

export interface TypeScriptExecutorOptions {
  /** Report type errors before running a cell (default: on unless GRADLAB_TYPECHECK=0). */
  typeCheck?: boolean;
  /** Rewrite operators on tensors (`a + b` → `__gradlabOps.add(a, b)`, type-directed; default: on unless GRADLAB_OPERATORS=0). */
  operators?: boolean;
  /** The notebook's directory: relative imports and node_modules resolve from here (default: process.cwd()). */
  cwd?: string;
  /** The preloaded library; default the package's built stdlib (dist/stdlib/index.js + .d.ts); null for none. */
  library?: { module: string; types: string } | null;
  /** TypeScript 6's checker worker's heap limit in MB (default GRADLAB_CHECKER_HEAP_MB or 160). */
  checkerHeapMb?: number;
  /** Which type checker (default: "native" unless GRADLAB_CHECKER=typescript6). */
  checker?: CheckerKind;
}

/** The settings of a session with these options (defaults from the environment and the package). */
export function executorSettings(options: TypeScriptExecutorOptions = {}): ExecutorSettings {
  const root = packageRoot();
  const cwd = options.cwd ?? process.cwd();
  const typeCheck = options.typeCheck ?? process.env["GRADLAB_TYPECHECK"] !== "0";
  const operators = options.operators ?? process.env["GRADLAB_OPERATORS"] !== "0";
  const checker: CheckerKind = options.checker ?? (process.env["GRADLAB_CHECKER"] === "typescript6" ? "typescript6" : "native");
  let library: { module: string; types: string } | undefined;
  if (options.library !== undefined) library = options.library ?? undefined;
  else if (root) {
    const module = join(root, "dist", "stdlib", "index.js");
    const types = join(root, "dist", "stdlib", "index.d.ts");
    if (existsSync(module) && existsSync(types)) library = { module, types };
  }
  return {
    cwd,
    typeCheck,
    operators,
    checker,
    library,
    fallbackModuleDirs: root ? [root] : [],
    // The kernel's modules, its bundles and the library: frames from them are never the user's.
    kernelRoot: buildDir().href,
    ...(options.checkerHeapMb === undefined ? {} : { checkerHeapMb: options.checkerHeapMb }),
  };
}

/**
 * Starts the type checker for these settings: TypeScript 7's native checker driven from this
 * thread, or TypeScript 6's in the compiler worker (asked for, or where the native one cannot run).
 */
export function startChecker(settings: ExecutorSettings): SessionChecker {
  const config: CompilerWorkerConfig = {
    cwd: settings.cwd,
    typeCheck: settings.typeCheck,
    operators: settings.operators,
    checker: settings.checker,
    fallbackModuleDirs: settings.fallbackModuleDirs,
    ...(settings.library ? { libraryTypes: settings.library.types } : {}),
  };
  return settings.checker === "native" ? new MainThreadChecker(config, settings.checkerHeapMb) : new CompilerClient(config, settings.checkerHeapMb);
}

/** A checker started ahead of the session, with the settings it was started for. */
let prestarted: { key: string; checker: SessionChecker } | undefined;

/** Starts the checker a session with these options will use, before that session exists. */
export function prestartChecker(options: TypeScriptExecutorOptions = {}): void {
  if (prestarted) return;
  const settings = executorSettings(options);
  prestarted = { key: checkerKey(settings), checker: startChecker(settings) };
}

/**
 * The checker started ahead for exactly these settings, handed over once; one started for other
 * settings is stopped (the session then starts its own).
 */
export function takePrestartedChecker(settings: ExecutorSettings): SessionChecker | undefined {
  const started = prestarted;
  prestarted = undefined;
  if (!started) return undefined;
  if (started.key === checkerKey(settings)) return started.checker;
  void started.checker.terminate();
  return undefined;
}

function checkerKey(settings: ExecutorSettings): string {
  const { cwd, typeCheck, operators, checker, library, fallbackModuleDirs, checkerHeapMb } = settings;
  return JSON.stringify([cwd, typeCheck, operators, checker, library?.types, fallbackModuleDirs, checkerHeapMb]);
}
