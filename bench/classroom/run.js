#!/usr/bin/env node
/**
 * Benchmark (not a test): a class on one machine. gradlab from its `npm pack` tarball, installed
 * with deploy/install-gradlab.sh, on a real JupyterHub (test/classroom/classroom.py); first one
 * student alone (the anchor, same run), then the whole class at once, each running every code cell
 * of the chapter through their own single-user server as soon as it is ready.
 *
 * Prints, against the targets: servers ready, chapter time after server ready, p95 cell latency
 * (request sent → reply and idle, cells run one after the other), memory per student (the whole
 * process tree: single-user server + kernel) and the kernel's share, and where the CPU goes
 * (kernel, single-user server during the chapter, hub, proxy).
 *
 * Usage: npm run bench:classroom [-- --students 30]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packAndInstall, projectRoot, venvPython } from "../../test/classroom/install.js";

const studentsArg = process.argv.indexOf("--students");
const students = studentsArg > 0 ? Number(process.argv[studentsArg + 1]) : 30;

const TARGETS = { chapterAfterReady: 30, p95Latency: 2, treeMb: 250, kernelMb: 120 };

function quantile(values, q) {
  const xs = [...values].sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  return xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
}
const range = (values, digits = 1) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} (median ${quantile(values, 0.5).toFixed(digits)})`;

function runClass(workdir, jupyterPrefix, n) {
  const report = join(workdir, `report-${n}.json`);
  const run = spawnSync(
    venvPython,
    [
      join(projectRoot, "test", "classroom", "classroom.py"),
      "--students", String(n),
      "--workdir", join(workdir, `hub-${n}`),
      "--jupyter-prefix", jupyterPrefix,
      "--notebook", join(projectRoot, "notebooks", "multivariable-calculus.pytorch.ipynb"),
      "--report", report,
    ],
    { stdio: "inherit", env: { ...process.env, JUPYTER_PREFER_ENV_PATH: "1" } },
  );
  if (run.status !== 0) throw new Error(`classroom.py exited with ${run.status}`);
  return JSON.parse(readFileSync(report, "utf8"));
}

function summarise(report) {
  const ok = report.students.filter((s) => !s.failure && s.cells.every((c) => c.status === "ok"));
  const latencies = ok.flatMap((s) => s.cells.map((c) => c.latency_s));
  return {
    clean: ok.length,
    total: report.students.length,
    ready: ok.map((s) => s.server_ready_s),
    chapter: ok.map((s) => s.chapter_s),
    p95: quantile(latencies, 0.95),
    perStudentP95: ok.map((s) => quantile(s.cells.map((c) => c.latency_s), 0.95)),
    tree: ok.map((s) => s.tree_rss_mb),
    kernel: ok.map((s) => s.kernel_rss_mb),
    server: ok.map((s) => s.server_rss_mb),
    kernelCpu: ok.map((s) => s.kernel_cpu_s),
    serverCpu: ok.map((s) => s.server_cpu_s),
    serverStartCpu: ok.map((s) => s.server_start_cpu_s),
    failures: report.students.filter((s) => s.failure).map((s) => `${s.name}: ${s.failure}`),
    report,
  };
}

function verdict(value, target) {
  return value <= target ? "meets" : `misses (${(value / target).toFixed(2)}× the target)`;
}

const workdir = mkdtempSync(join(tmpdir(), "gradlab bench class-"));
try {
  console.log("[bench:classroom] packing gradlab and installing it with deploy/install-gradlab.sh…");
  const { jupyterPrefix } = await packAndInstall(workdir);
  console.log("[bench:classroom] one student alone (the anchor)…");
  const alone = summarise(runClass(workdir, jupyterPrefix, 1));
  console.log(`[bench:classroom] ${students} students at once…`);
  const all = summarise(runClass(workdir, jupyterPrefix, students));

  const lines = [
    "",
    `gradlab on JupyterHub, ${students} students at once (anchor: 1 student alone, same run)`,
    `  clean runs                        ${all.clean}/${all.total}${all.failures.length ? "  " + all.failures.join("; ") : ""}`,
    `  server ready after spawn (s)      ${range(all.ready)}   alone: ${alone.ready[0].toFixed(1)}`,
    `  chapter after server ready (s)    ${range(all.chapter)}   alone: ${alone.chapter[0].toFixed(1)}   target ≤ ${TARGETS.chapterAfterReady}: ${verdict(Math.max(...all.chapter), TARGETS.chapterAfterReady)}`,
    `  cell latency p95, all cells (s)   ${all.p95.toFixed(2)}   per student ${range(all.perStudentP95, 2)}   alone: ${alone.p95.toFixed(2)}   target < ${TARGETS.p95Latency}: ${verdict(all.p95, TARGETS.p95Latency)}`,
    `  memory per student, tree (MB)     ${range(all.tree, 0)}   alone: ${alone.tree[0].toFixed(0)}   target ≤ ${TARGETS.treeMb}: ${verdict(Math.max(...all.tree), TARGETS.treeMb)}`,
    `    kernel after the chapter (MB)   ${range(all.kernel, 0)}   target ≤ ${TARGETS.kernelMb}: ${verdict(Math.max(...all.kernel), TARGETS.kernelMb)}`,
    `    single-user server (MB)         ${range(all.server, 0)}`,
    `  CPU per student (s)               kernel ${range(all.kernelCpu, 2)}; server start ${range(all.serverStartCpu, 2)}; server during the chapter ${range(all.serverCpu, 2)}`,
    `  hub / proxy                       CPU ${all.report.hub_cpu_s.toFixed(1)} s / ${all.report.proxy_cpu_s.toFixed(1)} s, RSS ${all.report.hub_rss_mb.toFixed(0)} / ${all.report.proxy_rss_mb.toFixed(0)} MB`,
    `  whole run (s)                     ${all.report.wall_s.toFixed(1)}   (${(all.report.wall_s / alone.report.wall_s).toFixed(1)}× one student alone)`,
  ];
  console.log(lines.join("\n"));
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
