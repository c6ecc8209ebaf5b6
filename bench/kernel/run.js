#!/usr/bin/env node
/**
 * `npm run bench:kernel`: gradlab's kernel beside tslab and Deno (and ipykernel as a reference),
 * all driven by jupyter_client in one run (role: entry point; orchestration only).
 *
 * Writes kernelspecs to a temporary JUPYTER_PATH (kernelspecs.js), runs the Python driver
 * (driver.py, which measures and prints JSON), prints the tables (table.js) and saves the raw
 * JSON. Not a test: never part of `npm test`. Needs `npm run setup` (the .venv) and a build.
 *
 * Usage: npm run bench:kernel [-- --launches 4] [--quick] [--kernels gradlab,gradlab-ts6,tslab,deno,python3]
 *                             [--json FILE] [--no-operators]
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareKernelspecs } from "./kernelspecs.js";
import { anomalyLines, kernelTable, operatorsTable } from "./table.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const quick = process.argv.includes("--quick");
const settings = {
  launches: Number(option("--launches", quick ? 2 : 4)),
  kernels: option("--kernels", "gradlab,gradlab-ts6,tslab,deno,python3"),
  trivial: quick ? 20 : 50,
  nine: quick ? 4 : 8,
  hundred: quick ? 3 : 5,
  growth: quick ? 100 : 300,
  rerun: quick ? 50 : 150,
  operatorRounds: quick ? 10 : 20,
};
const jsonOut = option("--json", join(tmpdir(), "gradlab-bench-kernel.json"));

const python = join(root, ".venv", "bin", "python");
if (!existsSync(python)) fail("no .venv: run `npm run setup` first");
if (!existsSync(join(root, "dist", "kernel", "cli.js"))) fail("gradlab is not built: run `npm run build` first");

const work = mkdtempSync(join(tmpdir(), "gradlab-bench-kernel-"));
try {
  const specs = prepareKernelspecs(root, work);
  const withOperators = specs.hasNoOperators && !process.argv.includes("--no-operators") && settings.kernels.includes("gradlab");
  const args = [
    join(here, "driver.py"),
    "--kernels", settings.kernels,
    "--launches", String(settings.launches),
    "--trivial", String(settings.trivial),
    "--nine", String(settings.nine),
    "--hundred", String(settings.hundred),
    "--growth", String(settings.growth),
    "--rerun", String(settings.rerun),
    "--operator-rounds", String(settings.operatorRounds),
    ...(withOperators ? ["--operators", "gradlab,gradlab-nooperators"] : []),
  ];
  console.error(`bench:kernel: ${settings.launches} launches of ${settings.kernels}; progress below, table at the end`);
  const stdout = await runDriver(args, { ...process.env, JUPYTER_PATH: specs.jupyterPath, JUPYTER_PLATFORM_DIRS: "1", PYTHONDONTWRITEBYTECODE: "1" }, work);
  const report = JSON.parse(stdout);
  writeFileSync(jsonOut, JSON.stringify(report, null, 1));
  print(report, specs.notes);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function print(report, notes) {
  const out = [];
  out.push("");
  out.push(kernelTable(report));
  out.push(
    `Medians over ${settings.launches} launches (min–max of per-launch values in parentheses; per-cell timings are each ` +
      `launch's median; growth from the first launch, least-squares slope over ${settings.growth} new cells / ${settings.rerun} re-runs).`,
  );
  const ops = operatorsTable(report.operators);
  if (ops) out.push("", ops);
  out.push(
    "",
    `Run took ${Math.round(report.seconds)} s; load average ${report.loadavg_start.toFixed(1)} → ${report.loadavg_end.toFixed(1)} on ${report.cpus} CPUs ` +
      "(absolute times inflate under load; compare ratios). Raw JSON: " + jsonOut,
  );
  const anomalies = [...notes, ...anomalyLines(report)];
  if (anomalies.length) {
    out.push("", "Anomalies:");
    for (const line of anomalies.slice(0, 20)) out.push(`  - ${line}`);
    if (anomalies.length > 20) out.push(`  ... ${anomalies.length - 20} more in the JSON`);
  }
  console.log(out.join("\n"));
}

function runDriver(args, env, cwd) {
  return new Promise((resolvePromise, reject) => {
    // Kernels start in a scratch folder, so nothing they write lands in the checkout.
    const child = spawn(python, args, { env, cwd, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise(stdout) : reject(new Error(`driver.py exited with ${code}`))));
  });
}

function fail(message) {
  console.error(`bench:kernel: ${message}`);
  process.exit(1);
}
