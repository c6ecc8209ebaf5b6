#!/usr/bin/env node
// One idempotent setup for everything gradlab needs on this machine: Node dependencies from the
// lockfile, the compiled kernel and library, the Jupyter side in a project-local .venv, and the
// gradlab kernelspec and gradlab's Python-side tools (python/) inside that .venv (so a user's global Jupyter is untouched).
// Every step checks first whether it is already done, so a second run takes seconds.
// Plain JavaScript on purpose: it runs before anything is compiled.
//
//   node scripts/setup.js               what `npm start` needs
//   node scripts/setup.js --for-tests   also what the tests need (Chromium; PyTorch with --torch)
//   node scripts/setup.js --torch       also PyTorch CPU 2.13.0 in .venv (for the cross-check tests)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, statSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleFiles } from "./build.js";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = new Set(process.argv.slice(2));
const forTests = args.has("--for-tests");
const withTorch = args.has("--torch") || process.env.GRADLAB_WITH_TORCH === "1";
const venv = join(root, ".venv");
const venvBin = join(venv, process.platform === "win32" ? "Scripts" : "bin");
const venvPython = join(venvBin, process.platform === "win32" ? "python.exe" : "python");

const started = Date.now();
const say = (msg) => console.log(`[gradlab setup] ${msg}`);

function fail(msg) {
  console.error(`\n[gradlab setup] ERROR: ${msg}\n`);
  process.exit(1);
}

function run(cmd, argv, options = {}) {
  const result = spawnSync(cmd, argv, { cwd: root, stdio: "inherit", ...options });
  if (result.error) fail(`could not run ${cmd}: ${result.error.message}`);
  if (result.status !== 0) fail(`\`${cmd} ${argv.join(" ")}\` failed with exit code ${result.status}`);
}

function capture(cmd, argv) {
  const result = spawnSync(cmd, argv, { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const readStamp = (file) => (existsSync(file) ? readFileSync(file, "utf8").trim() : "");

function checkNode() {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`gradlab needs Node.js 20.19 or newer; this is ${process.version}.`);
  }
}

function installNodeDependencies() {
  const lockHash = sha256(readFileSync(join(root, "package-lock.json")));
  const stamp = join(root, "node_modules", ".gradlab-lock.sha256");
  if (readStamp(stamp) === lockHash) return;
  say("installing Node dependencies from package-lock.json (npm ci)…");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  run(npm, ["ci", "--no-audit", "--no-fund"], { shell: process.platform === "win32" });
  writeFileSync(stamp, lockHash + "\n");
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const buildInfo = join(root, "dist", ".tsbuildinfo");
  const sourcesChanged = Math.max(
    newestMtime(join(root, "kernel")),
    newestMtime(join(root, "stdlib")),
    statSync(join(root, "tsconfig.json")).mtimeMs,
    statSync(join(root, "tsconfig.build.json")).mtimeMs,
  );
  // The bundles are written last by every build; tsc leaves .tsbuildinfo alone when a touched
  // source compiles to the same output, so the bundles' time is the time of the last build.
  const lastBuild = Math.min(...bundleFiles().map((bundle) => (existsSync(bundle) ? statSync(bundle).mtimeMs : 0)));
  if (existsSync(buildInfo) && lastBuild >= statSync(buildInfo).mtimeMs && lastBuild >= sourcesChanged) return;
  say("compiling the kernel and the library (tsc, then the kernel's bundles)…");
  run(process.execPath, [join(root, "scripts", "build.js")]);
}

function findPython() {
  const candidates = [process.env.PYTHON, "python3", "python"].filter(Boolean);
  for (const cmd of candidates) {
    const version = capture(cmd, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
    if (!version) continue;
    const [major, minor] = version.split(".").map(Number);
    if (major === 3 && minor >= 9) return cmd;
    say(`${cmd} is Python ${version}; gradlab's Jupyter side needs Python 3.9 or newer.`);
  }
  fail(
    "no Python 3.9+ found. gradlab installs Jupyter into a project-local virtual environment and " +
      "needs `python3` (3.9 or newer) with the venv module. On Debian/Ubuntu: " +
      "`sudo apt-get install python3 python3-venv`; on macOS: `brew install python`; " +
      "or point the PYTHON environment variable at a suitable interpreter.",
  );
}

function createVenv() {
  if (existsSync(venvPython)) return;
  const python = findPython();
  if (capture(python, ["-c", "import venv, ensurepip"]) === undefined) {
    fail(
      `${python} has no working venv/ensurepip module. On Debian/Ubuntu: ` +
        "`sudo apt-get install python3-venv`, then run `npm run setup` again.",
    );
  }
  say(`creating the Python virtual environment ${venv}…`);
  run(python, ["-m", "venv", venv]);
}

// The .venv sits below our package.json, whose "type": "module" would make Node load Jupyter's own
// helper scripts (JupyterLab's node version check, its yarn) as ES modules, and they fail noisily at
// every page load. A package.json of its own puts the .venv back to Node's CommonJS default.
function isolateVenvFromOurPackageJson() {
  const marker = join(venv, "package.json");
  const content = '{ "type": "commonjs" }\n';
  if (readStamp(marker) !== content.trim()) writeFileSync(marker, content);
}

function installPythonRequirements() {
  const requirements = readFileSync(join(root, "requirements.txt"), "utf8");
  const stamp = join(venv, ".gradlab-requirements.sha256");
  if (readStamp(stamp) === sha256(requirements)) return;
  say("installing Jupyter into .venv from requirements.txt (pip; a few minutes the first time)…");
  run(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", "requirements.txt"]);
  writeFileSync(stamp, sha256(requirements) + "\n");
}

// gradlab's Python-side tools (python/: papermill translator, nbconvert exporter), from this
// checkout; reinstalled whenever a file in python/ changes.
function installPythonCompanion() {
  const dir = join(root, "python");
  const files = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "__pycache__" && !entry.name.endsWith(".egg-info") && entry.name !== "build") walk(path);
      } else files.push(path);
    }
  };
  walk(dir);
  const digest = sha256(files.sort().map((file) => `${file.slice(dir.length)}\0${sha256(readFileSync(file))}`).join("\n"));
  const stamp = join(venv, ".gradlab-python-companion.sha256");
  if (readStamp(stamp) === digest) return;
  say("installing gradlab's Python-side tools (python/) into .venv…");
  run(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", "--force-reinstall", dir]);
  writeFileSync(stamp, digest + "\n");
}

function installTorch() {
  if (capture(venvPython, ["-c", "import torch"]) !== undefined) return;
  say("installing PyTorch CPU 2.13.0 into .venv (for the cross-check tests)…");
  const result = spawnSync(venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "torch==2.13.0"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) say("WARNING: PyTorch could not be installed; the PyTorch cross-check tests will report it.");
}

function installKernelspec() {
  // The CLI owns the kernelspec's content; setup only points it at the project's .venv.
  run(process.execPath, [join(root, "bin", "gradlab.js"), "install", "--prefix", venv, "--quiet"]);
}

function ensureChromium() {
  const candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  if (process.env.GRADLAB_CHROMIUM) candidates.unshift(process.env.GRADLAB_CHROMIUM);
  if (candidates.some((path) => existsSync(path))) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && capture("apt-get", ["--version"]) !== undefined) {
    say("installing Chromium for the browser tests (apt-get install chromium)…");
    run("apt-get", ["update", "-qq"]);
    run("apt-get", ["install", "-y", "-qq", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    return;
  }
  say(
    "WARNING: no Chromium found; the browser tests will fail. Install it " +
      "(Debian/Ubuntu: `sudo apt-get install chromium`) or set GRADLAB_CHROMIUM to its path.",
  );
}

checkNode();
installNodeDependencies();
buildIfStale();
createVenv();
isolateVenvFromOurPackageJson();
installPythonRequirements();
installPythonCompanion();
if (withTorch) installTorch();
installKernelspec();
if (forTests) ensureChromium();
say(`ready (${((Date.now() - started) / 1000).toFixed(1)} s).`);
