/**
 * Where the kernel's build is, found the same way whether this code runs from the modules tsc wrote
 * (dist/kernel/typescript/…) or from the language's bundle (dist/bundle/typescript.js), whose own
 * URL is in another folder: from the gradlab package the code belongs to.
 *
 * Runs on: the main thread. Boundary: paths only.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "./language-info.js";

let found: URL | undefined;

/** The package's dist/ folder, as a URL ending in "/". @example new URL("kernel/typescript/compiler/compiler-worker.js", buildDir()) */
export function buildDir(): URL {
  if (found) return found;
  const root = packageRoot();
  // Outside a gradlab package (a copied dist/): this module's place in the modules' layout.
  found = root ? pathToFileURL(join(root, "dist") + "/") : new URL("../../", import.meta.url);
  return found;
}
