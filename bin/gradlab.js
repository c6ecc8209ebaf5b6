#!/usr/bin/env node
// The `gradlab` command. A thin launcher: the CLI itself is compiled TypeScript in dist/.
import module from "node:module";

// V8's on-disk code cache for every module the kernel loads (Node ≥ 22.1; absent on Node 20).
// Published in the environment so the kernel's worker threads use it too.
const cache = module.enableCompileCache?.();
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;

let cli;
try {
  cli = await import("../dist/kernel/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/kernel/cli.js")) throw error;
  console.error("gradlab is not built yet: run `npm run setup` (or `npm run build`) in the gradlab checkout.");
  process.exit(1);
}
process.exitCode = await cli.main(process.argv.slice(2));
