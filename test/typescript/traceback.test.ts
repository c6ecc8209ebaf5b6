/**
 * Runtime tracebacks read like ipykernel's: library, kernel and Node frames hidden, the cells'
 * frames outermost first with their source lines, the user's own files kept, `ename: evalue` last.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { studentStack, tracebackFrames, type CellRecord } from "../../kernel/typescript/runtime/traceback.js";
import { NOTEBOOK_DIR, startSession, type Session } from "./helpers.js";

let s: Session;

beforeAll(async () => {
  s = await startSession();
});

afterAll(async () => {
  await s.executor.shutdown(false);
});

async function failing(code: string): Promise<string[]> {
  const outcome = await s.run(code);
  if (outcome.status !== "error") throw new Error(`expected an error from ${code}`);
  return outcome.traceback;
}

describe("runtime tracebacks through the executor", () => {
  it("hide the library's frames: an error thrown deep in it points at the student's call", async () => {
    const traceback = await failing("const ok = positive(2)\nconst bad = positive(-1)");
    const text = traceback.join("\n");
    expect(text).not.toMatch(/fixtures\/library|node:|dist\/kernel|\bat /);
    const frames = traceback.filter((t) => t.startsWith("Cell In["));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatch(/^Cell In\[\d+\], line 2\n----> 2 const bad = positive\(-1\)\n/);
    expect(traceback[1]).toMatch(/^RangeError\s+Traceback \(most recent call last\)$/);
    expect(traceback[traceback.length - 1]).toBe("RangeError: expected a positive number, got -1");
  });

  it("keep the cell's frames on both sides of a library call, outermost first", async () => {
    const traceback = await failing("function explode(x: number): number {\n  throw new Error(`callback got ${x}`)\n}\napplyTo(explode, 3)");
    const frames = traceback.filter((t) => t.startsWith("Cell In["));
    expect(frames.map((f) => f.split("\n")[0]!.replace(/In\[\d+\]/, "In[n]"))).toEqual(["Cell In[n], line 4", "Cell In[n], line 2, in explode"]);
    expect(traceback.join("\n")).not.toContain("applyTo (");
  });

  it("keep every cell frame when the library adds depth (more than V8's default 10 frames)", async () => {
    const traceback = await failing("function down(n: number): number {\n  return n === 0 ? positive(-1) : down(n - 1)\n}\ndown(12)");
    const frames = traceback.filter((t) => t.startsWith("Cell In["));
    expect(frames).toHaveLength(14);
    expect(frames[0]).toMatch(/line 4\n----> 4 down\(12\)/);
    expect(frames.slice(1).every((f) => /line 2, in down/.test(f))).toBe(true);
  });

  it("fold a long run of the same frame (endless recursion) into one line that says how many", async () => {
    const traceback = await failing("function rec(n: number): number { return rec(n + 1) }\nrec(0)");
    expect(traceback[traceback.length - 1]).toBe("RangeError: Maximum call stack size exceeded");
    const frames = traceback.filter((t) => t.startsWith("Cell In["));
    expect(frames.length).toBeLessThanOrEqual(5);
    expect(frames.every((f) => f.startsWith("Cell In[") && f.includes(", line 1, in rec"))).toBe(true);
    expect(traceback.find((t) => t.startsWith("[..."))).toMatch(/^\[\.\.\. the same frame \d+ more times \.\.\.\]$/);
  });

  it("keep frames from the user's own files, with their source line", async () => {
    const traceback = await failing("const helper = await import('./throwing-helper.mjs')\nhelper.parseAge('ten')");
    const own = traceback.find((t) => t.startsWith("File "));
    expect(own).toBeDefined();
    expect(own).toContain(`${NOTEBOOK_DIR}/throwing-helper.mjs:4, in parseAge`);
    expect(own).toContain("----> 4   if (Number.isNaN(age)) throw new TypeError(`not a number: ${text}`);");
    expect(traceback.indexOf(own!)).toBeGreaterThan(traceback.findIndex((t) => t.startsWith("Cell In[")));
    expect(traceback[traceback.length - 1]).toBe("TypeError: not a number: ten");
  });
});

describe("source lines under an error", () => {
  /** The column the caret points at, counted in characters as a reader sees them. */
  const caretColumn = (excerpt: string) => {
    const [source, caret] = excerpt.split("\n").slice(-2) as [string, string];
    const at = caret.indexOf("^");
    return { under: [...source].slice(at, at + 4).join(""), at };
  };

  it("put the caret of a type error under its name after characters beyond the BMP, and count columns in characters", async () => {
    const outcome = await s.run("const word = '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀' + missingName");
    if (outcome.status !== "error") throw new Error("expected a type error");
    const first = outcome.traceback[0]!;
    expect(first).toMatch(/^Cell In\[\d+\], line 1, column 28: Cannot find name 'missingName'/);
    expect(caretColumn(first).under).toBe("miss");
  });

  it("put the caret of a runtime error under its call after characters beyond the BMP", async () => {
    const traceback = await failing("const label = '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'; positive(-1)");
    const frame = traceback.find((t) => t.startsWith("Cell In["))!;
    expect(caretColumn(frame.trimEnd()).under).toBe("posi");
  });

  it("show a window of a very long line around the error, not the whole line", async () => {
    const numbers = Array.from({ length: 5000 }, (_, i) => i).join(",");
    const outcome = await s.run(`const total: string = [${numbers}].length + missingName`);
    if (outcome.status !== "error") throw new Error("expected a type error");
    const excerpt = outcome.traceback[0]!.split("\n").slice(1).join("\n");
    expect(excerpt.length).toBeLessThan(400);
    expect(caretColumn(outcome.traceback[0]!).under).toBe("miss");
    const runtime = await failing(`const values = [${numbers}]; positive(-values.length)`);
    const frame = runtime.find((t) => t.startsWith("Cell In["))!.trimEnd();
    expect(frame.length).toBeLessThan(400);
    expect(caretColumn(frame).under).toBe("posi");
  });
});

describe("tracebackFrames", () => {
  const cells = new Map<number, CellRecord>([
    // generated line 0 ↔ user line 2 (0-based 1), generated column 0 ↔ user column 4
    [7, { executionCount: 5, lines: ["// comment", "let y = f(1)"], mappings: [[0, 1, 4]] }],
  ]);

  it("drops hidden roots and Node internals, maps cells, orders outermost first", () => {
    const stack = [
      "Error: x",
      "    at fail (file:///opt/gradlab/dist/stdlib/errors.js:14:11)",
      "    at inner (gradlab-cell-7.js:1:3)",
      "    at helper (file:///home/me/util.js:3:1)",
      "    at eval (gradlab-cell-7.js:1:9)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
    ].join("\n");
    const lines = tracebackFrames(stack, "Error", cells, ["file:///opt/gradlab/dist/"]);
    expect(lines[0]).toMatch(/^-+$/);
    expect(lines.slice(2).map((l) => l.split("\n")[0])).toEqual(["Cell In[5], line 2", "File /home/me/util.js:3, in helper", "Cell In[5], line 2, in inner"]);
    expect(lines[2]).toBe("Cell In[5], line 2\n----> 2 let y = f(1)\n            ^\n");
  });

  it("returns nothing when every frame is hidden", () => {
    expect(tracebackFrames("Error: x\n    at fail (file:///lib/errors.js:1:1)", "Error", cells, ["file:///lib/"])).toEqual([]);
  });
});

describe("studentStack (an error's stack as a cell's code reads it)", () => {
  const cells = new Map<number, CellRecord>([[7, { executionCount: 5, lines: ["// comment", "let y = f(1)"], mappings: [[0, 1, 4]] }]]);

  it("maps cell frames, keeps the user's files, drops hidden frames and everything past the outermost cell frame", () => {
    const stack = [
      "TypeError: x\nsecond line of the message",
      "    at fail (file:///opt/gradlab/dist/stdlib/errors.js:14:11)",
      "    at inner (gradlab-cell-7.js:1:3)",
      "    at helper (file:///home/me/util.js:3:1)",
      "    at gradlab-cell-7.js:1:9",
      "    at Session.post (node:inspector:136:22)",
      "    at ReplEvaluator.post (file:///opt/gradlab/dist/bundle/typescript.js:1:2)",
    ].join("\n");
    expect(studentStack(stack, cells, ["file:///opt/gradlab/dist/"])).toBe(
      ["TypeError: x\nsecond line of the message", "    at inner (Cell In[5]:2:5)", "    at helper (file:///home/me/util.js:3:1)", "    at Cell In[5]:2:5"].join("\n"),
    );
  });

  it("leaves a stack without cell frames as it is", () => {
    const stack = "Error: x\n    at fail (file:///opt/gradlab/dist/stdlib/errors.js:14:11)\n    at Session.post (node:inspector:136:22)";
    expect(studentStack(stack, cells, ["file:///opt/gradlab/dist/"])).toBe(stack);
  });
});
