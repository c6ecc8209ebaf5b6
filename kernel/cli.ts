/**
 * The `gradlab` command line: install / uninstall the kernelspec, and `kernel CONNECTION_FILE`,
 * which is what kernel.json runs. Every command imports only what it uses: `kernel` loads the
 * kernel and nothing of the installer (launch time counts), install and uninstall never load the
 * kernel.
 */
import type { spawnSync as SpawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type * as Kernelspec from "./kernelspec.js";

const USAGE = `Usage: gradlab <command>

Commands:
  install [--user | --sys-prefix | --prefix DIR]   install the "TypeScript (gradlab)" kernelspec
                                                   (default --user: your own Jupyter data directory;
                                                   --sys-prefix: the Python environment of \`python3\`
                                                   or $PYTHON, e.g. an activated venv or conda env)
  uninstall [--user | --sys-prefix | --prefix DIR] remove it again
  kernel CONNECTION_FILE                           run the kernel (what kernel.json calls)
  --version                                        print gradlab's version`;

/** Exit code 0 on success, 1 on failure, 2 on a usage error. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "install":
      case "uninstall":
        return installCommand(command, rest, { ...(await import("./kernelspec.js")), spawnSync: (await import("node:child_process")).spawnSync });
      case "kernel": {
        const connectionFile = rest[0];
        if (!connectionFile) return usageError("gradlab kernel needs the path of a connection file.");
        const { startKernel } = await import("./main.js");
        await startKernel(connectionFile);
        return 0;
      }
      case "--version":
      case "version":
        console.log(await packageVersion());
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        return usageError(`unknown command "${command}".`);
    }
  } catch (error) {
    console.error(`gradlab: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function usageError(message: string): number {
  console.error(`gradlab: ${message}\n\n${USAGE}`);
  return 2;
}

async function packageVersion(): Promise<string> {
  const { packageRoot } = await import("./kernelspec.js");
  return JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")).version;
}

/** What install and uninstall need, imported only when they run. */
type KernelspecModule = typeof Kernelspec & { spawnSync: typeof SpawnSync };

function installCommand(command: "install" | "uninstall", args: string[], spec: KernelspecModule): number {
  const { installKernelspec, uninstallKernelspec } = spec;
  const quiet = args.includes("--quiet");
  const options = args.filter((arg) => arg !== "--quiet");
  const dataDir = resolveDataDir(options, spec);
  if (dataDir === undefined) return usageError(`${command} takes one of --user, --sys-prefix, --prefix DIR.`);
  if (command === "install") {
    const dir = installKernelspec(dataDir);
    if (!quiet) console.log(`Installed the "TypeScript (gradlab)" kernelspec in ${dir}`);
  } else {
    const removed = uninstallKernelspec(dataDir);
    console.log(removed ? `Removed the gradlab kernelspec from ${dataDir}` : `No gradlab kernelspec in ${dataDir}`);
  }
  return 0;
}

function resolveDataDir(options: string[], { prefixDataDir, userDataDir, spawnSync }: KernelspecModule): string | undefined {
  if (options.length === 0 || (options.length === 1 && options[0] === "--user")) return userDataDir();
  if (options.length === 1 && options[0] === "--sys-prefix") return prefixDataDir(pythonSysPrefix(spawnSync));
  if (options.length === 2 && options[0] === "--prefix") return prefixDataDir(resolve(options[1]!));
  if (options.length === 1 && options[0]!.startsWith("--prefix=")) return prefixDataDir(resolve(options[0]!.slice(9)));
  return undefined;
}

function pythonSysPrefix(spawnSync: typeof SpawnSync): string {
  for (const python of [process.env.PYTHON, "python3", "python"]) {
    if (!python) continue;
    const result = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" });
    if (result.status === 0) return result.stdout.trim();
  }
  throw new Error("--sys-prefix needs a Python on PATH (python3) or in $PYTHON to find the environment.");
}
