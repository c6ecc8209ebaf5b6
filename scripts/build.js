#!/usr/bin/env node
// `npm run build`: compiles the kernel and the library with tsc (dist/kernel, dist/stdlib), then
// bundles the two module graphs a kernel loads at launch into single files (dist/bundle/):
//   - protocol-worker.js, the protocol thread (from dist/kernel/protocol/worker.js);
//   - typescript.js, the TypeScript language: checker, compiler and executor (from
//     dist/kernel/typescript/index.js), TypeScript 7's API included.
// Node resolves, reads and compiles every ES module of a graph on its own: the language's ~120
// modules took 80-130 ms to import, its bundle 35-45 ms, and that import is on the way to the
// first checked cell. kernel/main.ts runs the bundles when they are at least as new as tsc's
// last build, else the modules (so a bare `tsc` rebuild is never shadowed by an old bundle).
//
// What stays outside the bundles, loaded from node_modules at run time: zeromq (a native addon) and
// TypeScript 6 (loaded only for the jobs TypeScript 7's API cannot do). The preloaded library
// (dist/stdlib) is never imported by the kernel's code (the executor loads it by path, as cells
// see it); the one library module the kernel imports, stdlib/operator-message.js, keeps no state.
//
// Plain JavaScript on purpose: it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));

/** Bundle name → the module tsc wrote that it starts from. */
export const BUNDLES = {
  "protocol-worker": "dist/kernel/protocol/worker.js",
  typescript: "dist/kernel/typescript/index.js",
};

/** Runs tsc; returns whether it reported no errors (it writes dist/ either way). */
function compile() {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  if (result.error) throw result.error;
  return result.status === 0;
}

/**
 * Keeps the language bundle's imports of kernel modules outside kernel/typescript/ (the bridge's
 * terminate shield and stray-callback state, display, trace, …) as imports of the very files the
 * main thread's own modules load: a copy inside the bundle would be a second module instance, and
 * state the main thread installs (the terminate shield) would never reach the checker.
 */
const outsideTheLanguage = {
  name: "kernel-modules-outside-the-language",
  setup(build) {
    const kernel = join(root, "dist", "kernel");
    const language = join(kernel, "typescript");
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (!target.startsWith(kernel + sep) || target.startsWith(language + sep)) return undefined;
      return { path: `../kernel/${relative(kernel, target).split(sep).join("/")}`, external: true };
    });
  },
};

async function bundle() {
  const { build } = await import("esbuild");
  mkdirSync(join(root, "dist", "bundle"), { recursive: true });
  await Promise.all(
    Object.entries(BUNDLES).map(([name, entry]) =>
      build({
        entryPoints: [join(root, entry)],
        outfile: join(root, "dist", "bundle", `${name}.js`),
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        // Keeps class and function names as written: tracebacks and logs name them.
        keepNames: true,
        sourcemap: "linked",
        sourcesContent: false,
        logLevel: "warning",
        external: ["zeromq", "typescript"],
        plugins: name === "typescript" ? [outsideTheLanguage] : [],
      }),
    ),
  );
}

/** The bundles' files, for checking whether a build is complete (scripts/setup.js). */
export function bundleFiles() {
  return Object.keys(BUNDLES).map((name) => join(root, "dist", "bundle", `${name}.js`));
}

// Builds when run (`node scripts/build.js`), not when imported for BUNDLES.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const clean = compile();
    // Bundled even after type errors, from what tsc wrote, so that the bundles never lag the modules.
    await bundle();
    if (!clean) {
      console.error("[gradlab build] tsc reported errors (above)");
      process.exit(1);
    }
  } catch (error) {
    console.error(`[gradlab build] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
