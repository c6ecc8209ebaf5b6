/**
 * TypeScript 6's language service over the kernel's virtual files: the kernel globals, the
 * preloaded library's prelude, the declarations carried over from earlier cells, and the cell
 * being compiled. Everything else (lib files, @types, packages) is read from disk.
 *
 * Boundary: knows which files exist and with which options they are compiled; knows nothing of
 * cells' meaning (cell-compiler.ts) or of running code.
 */
import type * as TS from "typescript";
import { join } from "node:path";
import { CELL_COMPILER_OPTIONS } from "./cell-options.js";
import { HISTORY_CHUNKS } from "./history-chunks.js";

export interface VirtualFile {
  text: string;
  version: number;
}

/** Names of the virtual files, all placed in the notebook's directory so relative imports resolve. */
export interface KernelFileNames {
  kernelGlobals: string;
  liteGlobals: string;
  prelude: string;
  historyImports: string;
  /** Earlier cells' declarations in one script (TypeScript 6's checker). */
  history: string;
  /** The same declarations in scripts of a few cells each (the native checker: history-chunks.ts). */
  historyChunks: string[];
  cell: string;
}

export function kernelFileNames(cwd: string): KernelFileNames {
  return {
    kernelGlobals: join(cwd, "__gradlab_kernel_globals__.d.ts"),
    liteGlobals: join(cwd, "__gradlab_lite_globals__.d.ts"),
    prelude: join(cwd, "__gradlab_prelude__.ts"),
    historyImports: join(cwd, "__gradlab_history_imports__.ts"),
    history: join(cwd, "__gradlab_history__.ts"),
    historyChunks: Array.from({ length: HISTORY_CHUNKS }, (_, i) => join(cwd, `__gradlab_history_${i}__.ts`)),
    cell: join(cwd, "__gradlab_cell__.ts"),
  };
}

/** The cells' compiler options (cell-options.ts) for TypeScript 6, with what its emit needs. */
export function cellCompilerOptions(ts: typeof TS): TS.CompilerOptions {
  const { options, errors } = ts.convertCompilerOptionsFromJson(CELL_COMPILER_OPTIONS, "/");
  if (errors.length > 0) throw new Error(`cell compiler options: ${ts.flattenDiagnosticMessageText(errors[0]!.messageText, "\n")}`);
  return { ...options, sourceMap: true, removeComments: false, newLine: ts.NewLineKind.LineFeed, noEmitOnError: false };
}

/** A language service whose files are set with `setFile` and read from disk otherwise. */
export class CellLanguageHost {
  readonly files = new Map<string, VirtualFile>();
  readonly names: KernelFileNames;
  /** Replaced (same document registry, so unchanged files are not parsed again) when a missing module is to be looked for again. */
  service: TS.LanguageService;
  /** Set when an import was not found; see lookAgainForMissingModules. */
  private missingModule = false;
  private readonly forgetMissingModules: () => void;
  private options: TS.CompilerOptions;
  private roots: string[] = [];
  private extraRoots: string[] = [];
  private nodeTypes = false;
  private projectVersion = 0;

  /**
   * @param nodeTypesFile @types/node's index.d.ts, if installed.
   * @param fallbackDirs where imports the notebook's folder cannot resolve are looked up next
   *   (the kernel's own package, whose node_modules hold its dependencies).
   */
  constructor(
    private readonly ts: typeof TS,
    readonly cwd: string,
    private readonly nodeTypesFile: string | undefined,
    fallbackDirs: string[],
  ) {
    this.names = kernelFileNames(cwd);
    this.options = cellCompilerOptions(ts);
    for (const name of Object.values(this.names)) this.files.set(name, { text: "", version: 0 });
    this.updateRoots();
    const files = this.files;
    const diskSnapshots = new Map<string, TS.IScriptSnapshot | undefined>();
    const host: TS.LanguageServiceHost = {
      getCompilationSettings: () => this.options,
      getProjectVersion: () => String(this.projectVersion),
      getScriptFileNames: () => this.roots,
      getScriptVersion: (name) => String(files.get(name)?.version ?? 0),
      getScriptSnapshot: (name) => {
        const file = files.get(name);
        if (file) return ts.ScriptSnapshot.fromString(file.text);
        // Every new program asks again for every file; files on disk keep version 0, so the
        // registry would not re-parse them anyway: read each once (was ~30 ms of disk reads per cell).
        let snapshot = diskSnapshots.get(name);
        if (snapshot === undefined && !diskSnapshots.has(name)) {
          const text = ts.sys.readFile(name);
          snapshot = text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
          diskSnapshots.set(name, snapshot);
        }
        return snapshot;
      },
      getCurrentDirectory: () => cwd,
      getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
      fileExists: (name) => files.has(name) || ts.sys.fileExists(name),
      readFile: (name) => files.get(name)?.text ?? ts.sys.readFile(name),
      readDirectory: (...args) => ts.sys.readDirectory(...args),
      directoryExists: (name) => ts.sys.directoryExists(name),
      getDirectories: (name) => ts.sys.getDirectories(name),
      realpath: (name) => (files.has(name) ? name : ts.sys.realpath ? ts.sys.realpath(name) : name),
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    const cache = ts.createModuleResolutionCache(cwd, (name) => name, this.options);
    host.resolveModuleNameLiterals = (literals, containingFile, _redirect, options, containingSource) =>
      literals.map((literal) => {
        const mode = ts.getModeForUsageLocation(containingSource, literal, options);
        let resolved = ts.resolveModuleName(literal.text, containingFile, options, host as TS.ModuleResolutionHost, cache, undefined, mode);
        for (const dir of fallbackDirs) {
          if (resolved.resolvedModule) break;
          resolved = ts.resolveModuleName(literal.text, join(dir, "__gradlab_fallback__.ts"), options, host as TS.ModuleResolutionHost, cache, undefined, mode);
        }
        if (!resolved.resolvedModule) this.missingModule = true;
        return resolved;
      });
    const registry = ts.createDocumentRegistry();
    this.service = ts.createLanguageService(host, registry);
    this.forgetMissingModules = () => {
      cache.clear();
      for (const [name, snapshot] of diskSnapshots) if (snapshot === undefined) diskSnapshots.delete(name);
      this.service.dispose();
      this.service = ts.createLanguageService(host, registry);
    };
  }

  /**
   * Called before each cell: after an import that was not found, the module may have been
   * installed meanwhile (`npm install` in a terminal), so the resolutions and files remembered as
   * missing are forgotten and a new program resolves every import again (a program built on the
   * previous one would reuse its resolutions). Costs a fresh program only while an import is missing.
   */
  lookAgainForMissingModules(): void {
    if (!this.missingModule) return;
    this.missingModule = false;
    this.forgetMissingModules();
  }

  /** Replaces a virtual file's text (no-op when unchanged, so the program is reused). */
  setFile(name: string, text: string): void {
    const file = this.files.get(name);
    if (file && file.text === text) return;
    this.files.set(name, { text, version: (file?.version ?? 0) + 1 });
    this.projectVersion++;
  }

  /** Adds a file on disk (e.g. the library's .d.ts) as a root of the program. */
  addRoot(path: string): void {
    if (this.extraRoots.includes(path)) return;
    this.extraRoots.push(path);
    this.updateRoots();
  }

  get usesNodeTypes(): boolean {
    return this.nodeTypes;
  }

  /** Loads @types/node from now on and drops the lite stand-ins it replaces (when it is installed). */
  enableNodeTypes(): void {
    if (this.nodeTypes || !this.nodeTypesFile) return;
    this.nodeTypes = true;
    this.updateRoots();
  }

  program(): TS.Program {
    const program = this.service.getProgram();
    if (!program) throw new Error("the language service has no program");
    return program;
  }

  private updateRoots(): void {
    const n = this.names;
    this.roots = [
      ...(this.nodeTypes && this.nodeTypesFile ? [this.nodeTypesFile] : []),
      ...this.extraRoots,
      n.kernelGlobals,
      ...(this.nodeTypes ? [] : [n.liteGlobals]),
      n.prelude,
      n.historyImports,
      n.history,
      n.cell,
    ];
    this.projectVersion++;
  }
}
