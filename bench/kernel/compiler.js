#!/usr/bin/env node
/**
 * `npm run bench:compiler`: the type checker alone, without a kernel or Jupyter around it
 * (role: entry point and measurement). Starts it through the built session settings'
 * startChecker (dist/), as the kernel does, and compiles fresh cells of the kernel benchmark's
 * shapes (cells.py: trivial, 9-line, the two 101-line cells, a cell whose tensor operators get
 * rewritten, an arithmetic-heavy function, each with new names every time);
 * prints per-cell medians, the time until the checker answered its first request, the V8 heap of
 * the thread it runs on, the native checker's RSS, and whether TypeScript 6's module got loaded.
 *
 * `--compare DIR` runs another checkout's build (e.g. the main branch's) in alternation with this
 * one, so both are measured under the same load. `--long N` then follows one checker through a
 * long session: N new 9-line cells (each declaring new names), the median of every hundred and
 * the native checker's RSS, to show whether later cells get slower. Not a test: never part of
 * `npm test`.
 *
 * Usage: npm run bench:compiler [-- --rounds 3] [--cells 12] [--compare /path/to/other/checkout] [--long 600]
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const rounds = Number(option("--rounds", 3));
const longSession = Number(option("--long", 0));
const perShape = Number(option("--cells", 12));
const compare = option("--compare", undefined);
const python = join(root, ".venv", "bin", "python");
if (!existsSync(python)) throw new Error("no .venv: run `npm run setup` first");

/** `count` cells of one shape from cells.py, numbered from `first` (new names each). */
function cells(shape, first, count) {
  const script = `import json, sys; sys.path.insert(0, ${JSON.stringify(here)}); import cells; print(json.dumps([cells.${shape}(${first} + i) for i in range(${count})]))`;
  return JSON.parse(execFileSync(python, ["-c", script], { encoding: "utf8" }));
}

const SHAPES = [
  ["trivial `N + 1`", "trivial_cell"],
  ["9-line typed", "nine_line_cell"],
  ["101-line, class + union", "hundred_one_line_cell"],
  ["101-line, 20 interfaces + reduce", "records_cell"],
  ["tensor operators `(t * 3).sum()`", "tensor_operator_cell"],
  ["45-line arithmetic, ~400 operands", "arithmetic_cell"],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** A checker of the build under `checkout`, as the kernel starts it. */
async function startBuild(checkout) {
  const { startChecker } = await import(join(checkout, "dist", "kernel", "typescript", "session-settings.js"));
  return startChecker({
    cwd: root,
    typeCheck: true,
    operators: true,
    checker: "native",
    fallbackModuleDirs: [checkout],
    library: { module: join(checkout, "dist", "stdlib", "index.js"), types: join(checkout, "dist", "stdlib", "index.d.ts") },
  });
}

/** One checker of the build under `checkout`: startup, per-cell medians, memory. */
async function measure(checkout, round) {
  const started = performance.now();
  const client = await startBuild(checkout);
  await client.call("status");
  const readyMs = performance.now() - started;
  let cellId = 1;
  const perCell = {};
  for (const [label, shape] of SHAPES) {
    const times = [];
    for (const code of cells(shape, (round + 1) * 10_000, perShape)) {
      const t = performance.now();
      const result = await client.call("compile", code, cellId++, true, true);
      times.push(performance.now() - t);
      if (result.kind !== "compiled") throw new Error(`${label} did not compile: ${JSON.stringify(result).slice(0, 300)}`);
    }
    perCell[label] = median(times);
  }
  const status = await client.call("status");
  await client.terminate();
  return { readyMs, perCell, heapMb: status.heapUsedMb, nativeMb: status.nativeRssMb, typeScript6: status.typeScript6ModuleLoaded };
}

const builds = compare ? [["this checkout", root], [compare, resolve(compare)]] : [["this checkout", root]];
const results = new Map(builds.map(([name]) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, checkout] of builds) results.get(name).push(await measure(checkout, round));
}

const fmt = (value, digits = 1) => (value === undefined ? "–" : value.toFixed(digits));
const rows = [
  ["checker answers its first request (ms)", (r) => r.readyMs],
  ...SHAPES.map(([label]) => [`${label} (ms per cell)`, (r) => r.perCell[label]]),
  ["V8 heap in use after the cells, checker's thread (MB)", (r) => r.heapMb],
  ["native checker RSS after the cells (MB)", (r) => r.nativeMb],
];
const header = ["metric (medians of rounds)", ...builds.map(([name]) => name)];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const [label, pick] of rows) console.log(`| ${label} | ${builds.map(([name]) => fmt(median(results.get(name).map(pick)))).join(" | ")} |`);
const loaded = builds.map(([name]) => String(results.get(name).map((r) => r.typeScript6 ?? "not reported")[0]));
console.log(`| TypeScript 6's module loaded | ${loaded.join(" | ")} |`);
console.log(`\n${rounds} rounds × ${perShape} fresh cells per shape; load average ${(await import("node:os")).loadavg()[0].toFixed(1)} (compare within one run).`);

/** `--long N`: one session of N new 9-line cells per build; the median of each hundred. */
async function measureLong(checkout) {
  const client = await startBuild(checkout);
  await client.call("status");
  const lines = [];
  const all = cells("nine_line_cell", 500_000, longSession);
  for (let first = 0; first < all.length; first += 100) {
    const times = [];
    for (const [i, code] of all.slice(first, first + 100).entries()) {
      const t = performance.now();
      const result = await client.call("compile", code, first + i + 1, true, true);
      times.push(performance.now() - t);
      if (result.kind !== "compiled") throw new Error(`cell ${first + i + 1} did not compile: ${JSON.stringify(result).slice(0, 300)}`);
    }
    const status = await client.call("status");
    lines.push({ upTo: first + times.length, ms: median(times), nativeMb: status.nativeRssMb });
  }
  await client.terminate();
  return lines;
}

if (longSession > 0) {
  const sessions = [];
  for (const [name, checkout] of builds) sessions.push([name, await measureLong(checkout)]);
  console.log(`\n| cells (new 9-line cells, one session) | ${sessions.map(([name]) => `${name}: ms per cell (median) · native RSS MB`).join(" | ")} |`);
  console.log(`|---|${sessions.map(() => "---").join("|")}|`);
  sessions[0][1].forEach((line, i) => {
    const start = i * 100 + 1;
    console.log(`| ${start}–${line.upTo} | ${sessions.map(([, lines]) => `${fmt(lines[i]?.ms)} · ${fmt(lines[i]?.nativeMb)}`).join(" | ")} |`);
  });
}
