// Types of install.js (plain JavaScript so that the benchmark can import it without a build).
export declare const projectRoot: string;
export declare const venvPython: string;
export declare function run(command: string, args: string[], options?: { env?: NodeJS.ProcessEnv; timeout?: number }): Promise<string>;
export declare function packAndInstall(workdir: string): Promise<{
  tarball: string;
  wheel: string;
  npmPrefix: string;
  jupyterPrefix: string;
  log: string;
}>;
