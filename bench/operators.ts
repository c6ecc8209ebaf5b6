/**
 * Benchmark of the tensor-operator rewrite on a number-only cell: what the feature costs where it
 * must cost nothing. Measures, for an arithmetic loop cell, compile time (program + check + emit)
 * with and without the rewrite, the rewrite's own time, and run time of the emitted code; for
 * contrast, the run time of a blanket rewrite (every operator through a run-time dispatching
 * helper) and the rewrite's time on the chapter's tensor cell (which pays for a probe check).
 *
 * Run: npx vite-node bench/operators.ts   (not a test; prints medians)
 */
import { collectSites } from "../kernel/typescript/operators/sites.js";
import { emitOperator } from "../kernel/typescript/operators/emit.js";
import { splice, type Edit } from "../kernel/typescript/operators/splice.js";
import { rewriteTensorOperators } from "../kernel/typescript/operators/rewrite.js";
import { CELL, evaluate, programFor, ts } from "../test/operators/harness.js";

const LOOP_CELL = (n: number) => `const coefficients = [1, -3, 0.5];
let s = 0;
for (let i = 0; i < ${n}; i++) {
  const x = i * 0.001;
  s += coefficients[0] * x * x + coefficients[1] * x + (i % 7) * coefficients[2];
}
const result = s;`;

const CHAIN_CELL = `const w = tensor(-1.0, { requiresGrad: true }), x = tensor(0.0, { requiresGrad: true });
const y = tensor(-2.0, { requiresGrad: true }), z = tensor(1.0, { requiresGrad: true });
const [a, b] = [(w + x + y + z) ** 2, (w + x - y - z) ** 2];
const u = (a + b) ** 2, v = (a - b) ** 2;
const f = (u + v) ** 2;`;

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[s.length >> 1]!;
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Program with the cell, semantic check and emit of the cell, optionally with the rewrite first. */
function compileOnce(code: string, withRewrite: boolean): { ms: number; js: string; rewriteMs: number } {
  let js = "";
  let rewriteMs = 0;
  const ms = time(() => {
    const { program, cell } = programFor(code);
    let checked = program;
    let file = cell;
    if (withRewrite) {
      // The checker is built either way (the check needs it); time the rewrite's own work.
      program.getTypeChecker();
      const t0 = performance.now();
      const rewrite = rewriteTensorOperators(ts, program, cell);
      rewriteMs = performance.now() - t0;
      if (rewrite) {
        ({ program: checked } = programFor(rewrite.text.replace(/\nexport \{\};\n$/, "")));
        file = checked.getSourceFile(CELL)!;
      }
    }
    checked.getSemanticDiagnostics(file);
    js = ts.transpileModule(file.text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  });
  return { ms, js, rewriteMs };
}

/** The same cell with every operator sent through `__gradlabOps.dynamic.*` (what a type-blind rewrite would do). */
function blanketText(code: string): string {
  const { cell } = programFor(code);
  const edits: Edit[] = [];
  for (const site of collectSites(ts, cell)) if (site.kind !== "element") edits.push(...emitOperator(ts, cell, site, "dynamic").edits);
  return splice(cell.text, edits).text;
}

const ROUNDS = 31;
const N = 2_000_000;

// Warm the compiler (first check of lib + stdlib) and the JIT.
compileOnce(LOOP_CELL(1) + "\n// warm", true);
compileOnce(LOOP_CELL(1) + "\n// warm", false);

const without: number[] = [];
const withRw: number[] = [];
const rewriteOnly: number[] = [];
let jsWithout = "";
let jsWith = "";
for (let r = 0; r < ROUNDS; r++) {
  // A different trailing comment each round so no cache holds the cell's own checking.
  const code = `${LOOP_CELL(N)}\n// round ${r}`;
  // Alternate the order so neither variant always runs on a warmer heap.
  const [a, b] = r % 2 === 0 ? [compileOnce(code, false), compileOnce(code, true)] : (([y, x]) => [x, y])([compileOnce(code, true), compileOnce(code, false)]);
  without.push(a.ms);
  withRw.push(b.ms);
  rewriteOnly.push(b.rewriteMs);
  jsWithout = a.js.replace(/\/\/ round \d+/, "");
  jsWith = b.js.replace(/\/\/ round \d+/, "");
}

const blanket = blanketText(LOOP_CELL(N));
const run = (text: string): number => time(() => evaluate(text, ["result"]));
const runWithout: number[] = [];
const runWith: number[] = [];
const runBlanket: number[] = [];
const loop = programFor(LOOP_CELL(N));
const plain = loop.cell.text;
// What the kernel runs with the feature on: the rewrite's text, or the cell's own when it declines.
const withFeature = rewriteTensorOperators(ts, loop.program, loop.cell)?.text ?? plain;
for (let r = 0; r < 7; r++) {
  runWithout.push(run(plain));
  runWith.push(run(withFeature));
  runBlanket.push(run(blanket));
}

const chainRewrite: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const { program, cell } = programFor(`${CHAIN_CELL}\n// round ${r}`);
  chainRewrite.push(time(() => rewriteTensorOperators(ts, program, cell)));
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(`number-only loop cell (${N.toLocaleString("en")} iterations), medians of ${ROUNDS} compiles / 7 runs`);
console.log(`  compile (program + check + emit), without rewrite: ${fmt(median(without))}`);
console.log(`  compile (program + check + emit), with rewrite:    ${fmt(median(withRw))}`);
console.log(`  rewriteTensorOperators alone (returns undefined):  ${fmt(median(rewriteOnly))}`);
console.log(`  emitted JavaScript identical: ${jsWith === jsWithout}`);
console.log(`  run, without rewrite: ${fmt(median(runWithout))}`);
console.log(`  run, with rewrite:    ${fmt(median(runWith))}`);
console.log(`  run, blanket rewrite (every operator dispatched): ${fmt(median(runBlanket))} (${(median(runBlanket) / median(runWithout)).toFixed(2)}x)`);
console.log(`chapter chain cell (tensors): rewriteTensorOperators incl. probe check: ${fmt(median(chainRewrite))}`);
