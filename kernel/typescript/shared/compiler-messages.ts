/**
 * The requests a session makes of its type checker (checker-service.ts) and their answers. Plain,
 * structured-cloneable data only: TypeScript 6's checker answers them from the compiler worker,
 * TypeScript 7's on the main thread. Plain, structured-cloneable data only; this module has no
 * code, so both sides import it without pulling in "typescript".
 */
import type { ExecutorRequestName, ExecutorRequests, ExecutorResponses } from "../../executor.js";
import type { DeclarationEntry, DeclarationsSnapshot } from "../compiler/cell-declarations.js";

/** What the worker is told when it starts (its `workerData`). */
export interface CompilerWorkerConfig {
  /** The notebook's directory: relative imports and packages resolve from here. */
  cwd: string;
  /** Declarations (.d.ts) of the preloaded library, whose exports become globals in cells. */
  libraryTypes?: string;
  /** Folders whose node_modules serve imports the notebook's folder cannot resolve. */
  fallbackModuleDirs: string[];
  /** Report semantic diagnostics (kernel-wide switch; `// @ts-nocheck` turns it off per cell). */
  typeCheck: boolean;
  /** Rewrite operators on tensors (kernel-wide switch GRADLAB_OPERATORS; off = plain TypeScript semantics). */
  operators: boolean;
  /**
   * Which checker: "native" (TypeScript 7's compiler in a child process; the default) or
   * "typescript6" (TypeScript 6 in the worker: the fallback where no native binary exists, and
   * the kernel-wide switch GRADLAB_CHECKER=typescript6).
   */
  checker?: CheckerKind;
  /** What earlier cells declared, when this worker replaces one that stopped. */
  history?: CheckerHistory;
}

export type CheckerKind = "native" | "typescript6";

/** The worker's exit code when TypeScript 7's native process died under it (the client restarts both). */
export const NATIVE_CHECKER_STOPPED = 75;

/** Posted by the worker once its native checker process runs, so the main thread can stop it with the kernel. */
export interface NativeProcessNotice {
  nativePid: number;
}

/** What one recorded cell added (sent with its compile response; the client keeps a copy). */
export interface CheckerHistoryDelta {
  fresh: DeclarationEntry[];
  importCount: number;
  nodeTypes: boolean;
}

/** The state a compiler worker accumulates from the cells it recorded. */
export interface CheckerHistory {
  declarations: DeclarationsSnapshot;
  nodeTypes: boolean;
}

/** One type or syntax error of a cell, at a 0-based line and column of the user's text. */
export interface CellDiagnostic {
  line: number;
  column: number;
  /** Length of the offending span in characters (at least 1). */
  length: number;
  message: string;
  code: number;
  category: "error" | "warning";
}

/**
 * Source-map data for one emitted cell: for each generated line, flat triples
 * `[generatedColumn, originalLine, originalColumn, ...]` (all 0-based, original = the user's text).
 */
export type LineMappings = number[][];

export type CompileResult =
  | {
      kind: "compiled";
      js: string;
      mappings: LineMappings;
      /** The cell ends with an expression statement whose value the JS hands to `__gradlab.setResult`. */
      hasResult: boolean;
    }
  | { kind: "rejected"; ename: "TSError" | "SyntaxError"; diagnostics: CellDiagnostic[] };

/**
 * The executor's language requests the compiler worker answers, named and typed by the
 * executor's own methods (kernel/executor.ts): adding one there and a handler in the worker is
 * all a new request needs; the client forwards every request the same way.
 */
export type LanguageRequestName = Exclude<ExecutorRequestName, "shutdown">;

/** Every request the worker answers: its arguments and its result. */
export type CompilerRequests = {
  [K in LanguageRequestName]: { args: ExecutorRequests[K]; result: ExecutorResponses[K] };
} & {
  /** Check (when `check`) and emit one cell; `record` keeps its declarations for later cells. */
  compile: { args: [code: string, cellId: number, check: boolean, record: boolean]; result: CompileResult };
  /** Answered once the checker is warm. */
  status: { args: []; result: CompilerStatus };
};

export type CompilerRequestName = keyof CompilerRequests;

/** One request as posted to the worker. */
export type CompilerRequest = { [K in CompilerRequestName]: { method: K; args: CompilerRequests[K]["args"] } }[CompilerRequestName];

export interface CompilerStatus {
  warm: boolean;
  /** The checker in use (native unless forced off or unavailable on this platform). */
  checker: CheckerKind;
  /** Resident memory of the native checker process, MB (0 for the TypeScript 6 checker). */
  nativeRssMb: number;
  /** Is TypeScript 6's language service built (always for the typescript6 checker)? */
  typeScript6Loaded: boolean;
  /**
   * Is TypeScript 6's module loaded at all (always for the typescript6 checker; for the native
   * checker only once a job it cannot do came up: a cell rewritten by the operators, or one emitted
   * by TypeScript 6's transpiler)?
   */
  typeScript6ModuleLoaded: boolean;
  nodeTypes: boolean;
  preludeNames: number;
  warmupMs: number;
  /** Milliseconds from the worker's start to the end of each startup phase. */
  startupPhases: Record<string, number>;
  /** The worker's V8 heap in use, MB. */
  heapUsedMb: number;
  /** The worker's V8 heap committed (used, garbage and free pages), MB. */
  heapTotalMb: number;
}

export type CompilerResponseBody = CompilerRequests[CompilerRequestName]["result"];

export type CompilerResponse =
  /** `recorded` comes with a compile that recorded declarations: the client applies it to its copy. */
  | { id: number; ok: true; body: CompilerResponseBody; recorded?: CheckerHistoryDelta }
  | { id: number; ok: false; error: string };
