/**
 * Errors that escape a cell (thrown in a timer, unhandled promise rejections) are reported as the
 * running cell's error when they are its own (once, not also on stderr), else on stderr, and never
 * kill the kernel. Runs the executor in a child process, since such errors would otherwise reach
 * the test runner itself.
 */
import { execFileSync } from "node:child_process";
import { beforeAll, expect, it } from "vitest";
import { ensureBuilt, FIXTURES, NOTEBOOK_DIR, ROOT } from "./helpers.js";

interface Result {
  outcome: { status: string; ename?: string; evalue?: string; traceback?: string[]; result?: { data: Record<string, string> } };
  events: Array<{ kind: string; name?: string; text?: string }>;
}

function runCells(cells: Array<{ code: string; waitAfterMs?: number }>): Result[] {
  const out = execFileSync(process.execPath, [`${FIXTURES}/run-cells.mjs`, ROOT, NOTEBOOK_DIR, JSON.stringify(cells)], { encoding: "utf8", timeout: 60_000 });
  return JSON.parse(out.trim().split("\n").pop()!) as Result[];
}

const stderr = (r: Result) => r.events.filter((e) => e.kind === "stream" && e.name === "stderr").map((e) => e.text).join("");

beforeAll(() => ensureBuilt());

it("reports an error thrown in a timer after the cell ended, and keeps running", () => {
  const [first, second] = runCells([
    { code: "const survivor = 'alive'\nsetTimeout(() => {\n  throw new TypeError('timer failed')\n}, 10)\n'scheduled'", waitAfterMs: 100 },
    { code: "survivor" },
  ]);
  expect(first!.outcome.status).toBe("ok");
  expect(stderr(first!)).toContain("TypeError: timer failed");
  expect(stderr(first!)).toMatch(/Cell In\[1\], line 3\n----> 3   throw new TypeError\('timer failed'\)/);
  expect(second!.outcome.result?.data["text/plain"]).toBe("'alive'");
});

it("reports an unhandled rejection, as the running cell's error too", () => {
  const [first, second, third] = runCells([
    { code: "Promise.reject(new RangeError('nobody caught me'))\n1", waitAfterMs: 100 },
    { code: "const p = Promise.reject(new Error('while running'))\nawait new Promise((r) => setTimeout(r, 200))\n'unreached'" },
    { code: "40 + 2" },
  ]);
  expect(first!.outcome).toMatchObject({ status: "error", ename: "RangeError", evalue: "nobody caught me" });
  expect(stderr(first!)).not.toContain("nobody caught me"); // shown once, as the cell's error
  expect(second!.outcome.status).toBe("error");
  expect(second!.outcome.evalue).toBe("while running");
  expect(third!.outcome.result?.data["text/plain"]).toBe("42");
});

it("reports an earlier cell's timer error under the running cell without failing it", () => {
  // Run All sends the next cell at once: a beginner's broken interval from cell 1 throws while
  // cell 2 waits. Cell 2's own code is fine, so it must finish with its value (a failure would
  // abort every cell queued after it); the error still shows, naming cell 1.
  const [, second, third] = runCells([
    { code: "const ticker = setInterval(() => {\n  if ((globalThis as any).go) { clearInterval(ticker); throw new Error('from cell 1') }\n}, 5)" },
    { code: "(globalThis as any).go = true\nawait new Promise((r) => setTimeout(r, 300))\n'cell 2 done'" },
    { code: "40 + 2" },
  ]);
  expect(stderr(second!)).toMatch(/Uncaught exception:[^]*Cell In\[1\], line 2[^]*Error: from cell 1/);
  expect(second!.outcome.status).toBe("ok");
  expect(second!.outcome.result?.data["text/plain"]).toBe("'cell 2 done'");
  expect(third!.outcome.result?.data["text/plain"]).toBe("42");
});

it("shows an error that repeats (an interval that throws) once per cell, then says it repeats", () => {
  const [, second, third] = runCells([
    { code: "(globalThis as any).ticks = 0\nconst broken = setInterval(() => {\n  (globalThis as any).ticks++\n  throw new Error('tick failed')\n}, 5)" },
    { code: "while ((globalThis as any).ticks < 6) await new Promise((r) => setTimeout(r, 10))\n'waited'" },
    { code: "const until = (globalThis as any).ticks + 3\nwhile ((globalThis as any).ticks < until) await new Promise((r) => setTimeout(r, 10))\nclearInterval(broken)\n'stopped'" },
  ]);
  for (const cell of [second!, third!]) {
    expect(cell.outcome.status).toBe("ok");
    const text = stderr(cell);
    expect(text.match(/Error: tick failed\n/g)).toHaveLength(1);
    expect(text.match(/the same error again/g)).toHaveLength(1);
  }
});
