/**
 * TypeScript 7's native checker as one project over the kernel's virtual files (kernel globals,
 * the library prelude, earlier cells' declarations, the cell), driven through the synchronous API
 * of the pinned `typescript7` package (npm alias of typescript@7.0.2; the API lives under
 * `unstable/`, so the version is pinned exactly in package.json).
 *
 * The API spawns the native compiler as a child process of this thread and talks to it over pipes,
 * blocking this thread for each request (a few milliseconds per cell). The files this module holds
 * are served to the native process through the API's virtual file system; everything else (lib
 * files, @types, packages) it reads from disk itself.
 *
 * Boundary: runs in the checker service (checker-service.ts, on the main thread); knows which files exist and the options they are checked
 * with, nothing of cells' meaning (native-cell-compiler.ts) or of running code.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { API, type Project } from "typescript7/unstable/sync";
import type { KernelFileNames } from "./language-host.js";
import { CELL_COMPILER_OPTIONS } from "./cell-options.js";
import { nativeExecutable } from "./native-executable.js";
import { withNativeProcessEnv } from "./native-process-env.js";

/** Why the native checker cannot run here (no binary for this platform, or it failed to start). */
export class NativeCheckerUnavailable extends Error {
  override name = "NativeCheckerUnavailable";
}


export class NativeChecker {
  private readonly api: API;
  private readonly files = new Map<string, string>();
  private readonly changed = new Set<string>();
  private readonly configFile: string;
  private roots: string[] = [];
  private snapshot: ReturnType<API["updateSnapshot"]> | undefined;
  private current: Project | undefined;
  /** Snapshots replaced by a newer one, released at the next settle(). */
  private readonly retired: Array<ReturnType<API["updateSnapshot"]>> = [];
  /** Set when files on disk may have appeared since the native side last looked (see rereadDisk). */
  private diskStale = false;

  /**
   * @param names the virtual files (their texts are set with setFile)
   * @param roots the program's root files in order (virtual ones and files on disk)
   * @param executable the native compiler to run (default: GRADLAB_NATIVE_COMPILER, else the
   *   binary of the platform package npm installed beside typescript7)
   * @param compilerOptions tsconfig `compilerOptions` (the cells' own unless a test needs others)
   * @throws NativeCheckerUnavailable when the native compiler has no binary for this platform, or
   *   its binary does not start and answer
   */
  constructor(
    readonly cwd: string,
    readonly names: KernelFileNames,
    roots: string[],
    executable: string | undefined = process.env["GRADLAB_NATIVE_COMPILER"] || undefined,
    private readonly compilerOptions: Readonly<Record<string, unknown>> = CELL_COMPILER_OPTIONS,
  ) {
    this.configFile = join(cwd, "__gradlab_tsconfig__.json");
    for (const name of Object.values(names)) if (typeof name === "string") this.files.set(name, "export {};\n");
    // Scripts from the start: their declarations are global.
    for (const chunk of names.historyChunks) this.files.set(chunk, "\n");
    this.roots = roots;
    this.files.set(this.configFile, this.configText());
    const files = this.files;
    let binary = executable;
    const unavailable = (why: string) =>
      new NativeCheckerUnavailable(`TypeScript 7's native compiler cannot run on ${process.platform}-${process.arch} (${binary ? `${binary}: ` : ""}${why})`);
    try {
      const tsserverPath = (binary ??= nativeExecutable());
      this.api = withNativeProcessEnv(
        () =>
          new API({
            cwd,
            tsserverPath,
            // undefined: not ours, the native process reads the disk.
            fs: {
              readFile: (name) => files.get(name),
              fileExists: (name) => (files.has(name) ? true : undefined),
            },
          }),
      );
    } catch (error) {
      throw unavailable(error instanceof Error ? error.message : String(error));
    }
    // A binary that cannot start (missing, wrong architecture or C library, not executable)
    // shows only as an "error" event on the child process, which would otherwise end the thread.
    let spawnError: Error | undefined;
    this.child()?.on?.("error", (error: Error) => (spawnError = error));
    if (!this.answers()) {
      this.closeQuietly();
      throw unavailable(spawnError?.message ?? "its process does not answer");
    }
  }

  /** Replaces a virtual file's text; the native side sees it at the next `project()`. */
  setFile(name: string, text: string): void {
    if (this.files.get(name) === text) return;
    this.files.set(name, text);
    this.changed.add(name);
  }

  /** Sets the program's root files (e.g. @types/node added once a cell uses Node's API). */
  setRoots(roots: string[]): void {
    if (roots.join("\n") === this.roots.join("\n")) return;
    this.roots = roots;
    this.setFile(this.configFile, this.configText());
  }

  /**
   * The project with every change made so far. Each changed file goes to the native side in its
   * own snapshot update: an update naming two or more changed files makes typescript@7.0.2
   * resolve every module of the program again (about 80 file lookups through this thread, 8–10 ms
   * with the library loaded), while one file per update costs a fraction of a millisecond each.
   */
  project(): Project {
    if (this.current && this.changed.size === 0 && !this.diskStale) return this.current;
    const changed = [...this.changed];
    this.changed.clear();
    if (!this.snapshot) this.replaceSnapshot(this.api.updateSnapshot({ openProjects: [this.configFile] }));
    else if (this.diskStale) this.replaceSnapshot(this.api.updateSnapshot({ fileChanges: { invalidateAll: true } }));
    else for (const file of changed) this.replaceSnapshot(this.api.updateSnapshot({ fileChanges: { changed: [file] } }));
    this.diskStale = false;
    const project = this.snapshot!.getProject(this.configFile);
    if (!project) throw new Error(`the native checker did not open ${this.configFile}`);
    this.current = project;
    return project;
  }

  /**
   * Makes the next project() read every file again, on disk too. The native side remembers a
   * module it could not find; after a cell imported one that is missing, the user may install it
   * (`npm install` in a terminal) and run the cell again, which must then see it. Costs one update
   * that re-reads the program's files (tens of milliseconds), only while a missing module is imported.
   */
  rereadDisk(): void {
    this.diskStale = true;
  }

  /**
   * Work that need not delay an answer, done once it has been sent: pushes changes made after the
   * last check (the history of declarations a cell added) and lets the native side free the
   * snapshots this thread no longer uses. The next cell then sends only its own text.
   */
  settle(): void {
    if (this.changed.size > 0) this.project();
    this.releaseRetired();
  }

  private replaceSnapshot(next: ReturnType<API["updateSnapshot"]>): void {
    if (this.snapshot) this.retired.push(this.snapshot);
    this.snapshot = next;
  }

  /** Objects of an older snapshot are never used again: the native side may free them. */
  private releaseRetired(): void {
    for (const snapshot of this.retired.splice(0)) snapshot.dispose();
  }

  /** The native process's id (its owner stops it with the kernel, should this object not be closed). */
  get pid(): number | undefined {
    return this.child()?.pid;
  }

  /**
   * Does the native process still answer? Asked after a request failed: its exit is not seen
   * otherwise, because this thread is blocked in the request and the exit event waits for it.
   */
  answers(): boolean {
    try {
      const client = (this.api as unknown as { client?: { echo(payload: string): string } }).client;
      return client?.echo("ping") === "ping";
    } catch {
      return false;
    }
  }

  /** The native process's resident memory, MB (0 where /proc is not available). */
  rssMb(): number {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return kb ? Number(kb) / 1024 : 0;
    } catch {
      return 0;
    }
  }

  private closeQuietly(): void {
    try {
      this.api.close();
    } catch {
      // the process never ran
    }
  }

  close(): void {
    this.releaseRetired();
    this.snapshot?.dispose();
    this.api.close();
  }

  private configText(): string {
    return JSON.stringify({ compilerOptions: { ...this.compilerOptions, noEmit: true }, files: this.roots });
  }

  /**
   * The API keeps its child process private; the kernel needs its id (to stop it with the kernel
   * and count its memory). Reached by shape, so a change in a
   * later version shows as "no child" instead of a crash; the version is pinned.
   */
  private child(): { pid?: number; on?(event: "error", listener: (error: Error) => void): unknown } | undefined {
    const internals = this.api as unknown as { client?: { channel?: { child?: { pid?: number; on?(event: "error", listener: (error: Error) => void): unknown } } } };
    return internals.client?.channel?.child;
  }
}
