#!/usr/bin/env node
/**
 * Benchmark (not a test): compile time of fresh cells in the kernel's type checker, started as
 * the kernel starts it (the built session settings' startChecker, dist/), with TypeScript 7's native checker and with TypeScript 6's
 * (GRADLAB_CHECKER=typescript6's path) in the same run: a plain cell, a small tensor-operator
 * cell and a backprop cell, each with new text every time (a checker answers a repeated cell
 * from its cache). Also reports whether TypeScript 6's language service got built and its module
 * loaded (neither should be with the native checker) and the memory of the worker's process and
 * native checker.
 *
 * Role: timing of compile requests alone (no evaluation, no protocol).
 * Usage: npm run bench:operators-compile [-- --cells 30]
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { existsSync } from "node:fs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const settingsModule = join(root, "dist", "kernel", "typescript", "session-settings.js");
if (!existsSync(settingsModule)) throw new Error("no dist/: run npm run build first");
const { startChecker } = await import(pathToFileURL(settingsModule).href);
const cellsArg = process.argv.indexOf("--cells");
const count = cellsArg > 0 ? Number(process.argv[cellsArg + 1]) : 30;

const kinds = {
  plain: (i) => `const p${i} = ${i} + 1;\np${i} * 2`,
  tensor: (i) => `const t${i} = torch.tensor([1, 2, ${i}]);\n(t${i} * 2 + 1).sum()`,
  backprop: (i) =>
    `const w${i} = tensor([1, ${i}], { requiresGrad: true });\nconst f${i} = ((w${i} * 3 + 1) ** 2).sum();\nf${i}.backward();\nw${i}.grad`,
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(checker) {
  const client = startChecker({
    cwd: root,
    typeCheck: true,
    operators: true,
    checker,
    fallbackModuleDirs: [],
    library: { module: join(root, "dist", "stdlib", "index.js"), types: join(root, "dist", "stdlib", "index.d.ts") },
  });
  await client.call("status");
  let id = 0;
  const medians = {};
  for (const [kind, make] of Object.entries(kinds)) {
    const ms = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      id++;
      const result = await client.call("compile", make(id), id, true, true);
      ms.push(performance.now() - started);
      if (result.kind !== "compiled") throw new Error(`${checker}, ${kind} cell ${i}: ${JSON.stringify(result).slice(0, 300)}`);
    }
    medians[kind] = median(ms);
  }
  const status = await client.call("status");
  await client.terminate();
  return { medians, typeScript6Loaded: status.typeScript6Loaded, typeScript6ModuleLoaded: status.typeScript6ModuleLoaded, heapUsedMb: status.heapUsedMb, nativeRssMb: status.nativeRssMb };
}

const native = await measure("native");
const ts6 = await measure("typescript6");
console.log(`compile of fresh cells through the type checker (native: on this thread; TS6: in its worker), median of ${count} each (ms):`);
console.log(`  ${"cell".padEnd(10)} ${"native".padStart(8)} ${"TS6".padStart(8)} ${"TS6/native".padStart(11)}`);
for (const kind of Object.keys(kinds)) {
  const a = native.medians[kind];
  const b = ts6.medians[kind];
  console.log(`  ${kind.padEnd(10)} ${a.toFixed(1).padStart(8)} ${b.toFixed(1).padStart(8)} ${(b / a).toFixed(2).padStart(11)}`);
}
console.log(`  native: TypeScript 6 language service built: ${native.typeScript6Loaded}, its module loaded: ${native.typeScript6ModuleLoaded}; this thread's heap ${native.heapUsedMb.toFixed(0)} MB, native process ${native.nativeRssMb.toFixed(0)} MB`);
console.log(`  TS6:    its worker's heap ${ts6.heapUsedMb.toFixed(0)} MB`);
