/**
 * The pending-figures contract between the plots library and the kernel, from both sides: a
 * kernel session declares at start that it drains figures (the array exists) and empties it at
 * every cell's end; in plain Node, where nothing drains, figures never register, nothing
 * accumulates, and pyplot's current figure stays the same across calls.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, RecordingSink, ROOT, startSession, type Session } from "../typescript/helpers.js";

const KEY = Symbol.for("gradlab.pendingFigures");
const BUILT_LIBRARY = { module: join(ROOT, "dist", "stdlib", "index.js"), types: join(ROOT, "dist", "stdlib", "index.d.ts") };

beforeAll(() => {
  ensureBuilt();
});

describe("in plain Node (no kernel)", () => {
  it("registers no figure, so nothing grows, and pyplot keeps drawing on the current figure", () => {
    const script = `
      const { d2l } = await import(${JSON.stringify(BUILT_LIBRARY.module)});
      for (let i = 0; i < 200; i++) d2l.plot([1, 2, 3], [1, 4, i]);
      const fig = d2l.plt.figure();
      d2l.plt.plot([0, 1], [0, 1]);
      d2l.plt.plot([0, 1], [1, 0]);
      d2l.plt.xlabel("time");
      const plotly = fig[Symbol.for("Jupyter.display")]()["application/vnd.plotly.v1+json"];
      const pending = globalThis[Symbol.for("gradlab.pendingFigures")];
      console.log(JSON.stringify({ pending: pending === undefined ? "absent" : pending.length, traces: plotly.data.length, xlabel: JSON.stringify(plotly.layout).includes('"time"') }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out.trim())).toEqual({ pending: "absent", traces: 2, xlabel: true });
  });
});

describe("in a kernel session", () => {
  let s: Session;
  beforeAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[KEY];
    s = await startSession({ library: BUILT_LIBRARY });
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  it("declares the array when it starts, before any cell", () => {
    expect(Array.isArray((globalThis as Record<symbol, unknown>)[KEY])).toBe(true);
  });

  it("shows a cell's figures when it ends and leaves nothing pending", async () => {
    const sink = new RecordingSink();
    const outcome = await s.run('d2l.plot([1, 2, 3], [1, 4, 9]);\nd2l.plt.figure();\nd2l.plt.plot([0, 1], [1, 0]);\nd2l.plt.xlabel("later")', sink);
    expect(outcome.status).toBe("ok");
    const figures = sink.events.filter((e) => e.kind === "display" && "application/vnd.plotly.v1+json" in e.data);
    expect(figures).toHaveLength(2);
    expect(JSON.stringify(figures[1])).toContain('"later"');
    expect((globalThis as unknown as Record<symbol, unknown[]>)[KEY]).toHaveLength(0);
    const next = await s.run("const quiet = 1");
    expect(next.sink.events.filter((e) => e.kind === "display")).toHaveLength(0);
  });
});
