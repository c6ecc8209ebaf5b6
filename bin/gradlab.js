#!/usr/bin/env node
// The `gradlab` command. A thin launcher: the CLI itself is compiled TypeScript in dist/.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = fileURLToPath(new URL("../dist/kernel/cli.js", import.meta.url));
if (!existsSync(cli)) {
  console.error("gradlab is not built yet: run `npm run setup` (or `npm run build`) in the gradlab checkout.");
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
