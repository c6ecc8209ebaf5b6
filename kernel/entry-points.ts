/**
 * Which files the kernel loads its protocol thread and its language from: the bundles the build
 * writes (dist/bundle/, one file per module graph, which Node loads several times faster than the
 * graph's modules one by one) when they are at least as new as tsc's last build, else the modules
 * tsc wrote. A checkout rebuilt with a bare `tsc` thus never runs an older bundle.
 *
 * Runs on: the main thread, at launch (two file stats per entry).
 */
import { existsSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { logKernel, traceLaunch } from "./protocol/log.js";

export type BundleName = "protocol-worker" | "typescript";

/** dist/ of this build (this module is dist/kernel/entry-points.js). */
const DIST = new URL("../", import.meta.url);

let warned = false;

/**
 * The bundle `name`, or `module` (a module tsc wrote: the bundle's entry, or a module in it) when
 * the bundle is missing or older than tsc's last build (dist/.tsbuildinfo, which an installed
 * package does not ship).
 *
 * @example entryPoint("protocol-worker", new URL("./protocol/worker.js", import.meta.url))
 */
export function entryPoint(name: BundleName, module: URL, dist: URL = DIST): URL {
  const bundle = new URL(`bundle/${name}.js`, dist);
  const buildInfo = new URL(".tsbuildinfo", dist);
  let chosen = bundle;
  if (!existsSync(bundle)) chosen = module;
  else if (existsSync(buildInfo) && statSync(bundle).mtimeMs < statSync(buildInfo).mtimeMs) {
    chosen = module;
    if (!warned) {
      warned = true;
      logKernel(`${fileURLToPath(bundle)} is older than the last tsc build: running the modules instead (\`npm run build\` rebuilds the bundles)`);
    }
  }
  traceLaunch(`${name} from ${fileURLToPath(chosen)}`);
  return chosen;
}
