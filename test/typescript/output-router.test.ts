/**
 * The OutputRouter's batching policy, the one place stream text is batched: what leaves at once,
 * what waits, and what makes waiting text leave. Synchronous calls only, as in a cell that
 * computes without yielding (no timer can fire then).
 */
import { describe, expect, it } from "vitest";
import { OutputRouter, STREAM_BATCH_CHARS, STREAM_BATCH_MS } from "../../kernel/typescript/runtime/output-router.js";
import { RecordingSink } from "./helpers.js";

const kinds = (sink: RecordingSink) => sink.events.map((e) => (e.kind === "stream" ? `${e.name}:${e.text}` : e.kind));

describe("OutputRouter batching", () => {
  it("sends a cell's first text at once, even right after the previous cell's last batch", () => {
    const router = new OutputRouter();
    const first = new RecordingSink();
    router.setSink(first);
    router.write("stdout", "last line of the cell before\n");
    const second = new RecordingSink();
    router.setSink(second);
    router.write("stdout", "tick\n");
    expect(kinds(second)).toEqual(["stdout:tick\n"]);
  });

  it("holds text written soon after a batch, and sends it, in order, before a display", () => {
    const router = new OutputRouter();
    const sink = new RecordingSink();
    router.setSink(sink);
    const start = Date.now();
    router.write("stdout", "a\n");
    router.write("stdout", "b\n");
    router.write("stderr", "c\n");
    router.write("stdout", "d\n");
    // (A machine so loaded that these four calls took STREAM_BATCH_MS has sent some by age.)
    if (Date.now() - start < STREAM_BATCH_MS) expect(kinds(sink)).toEqual(["stdout:a\n"]);
    router.displayData({ "text/plain": "shown" }, {});
    expect(kinds(sink)).toEqual(["stdout:a\n", "stdout:b\n", "stderr:c\n", "stdout:d\n", "display"]);
  });

  it("sends waiting text from inside a synchronous loop once it is STREAM_BATCH_MS old", () => {
    const router = new OutputRouter();
    const sink = new RecordingSink();
    router.setSink(sink);
    router.write("stdout", "0\n");
    router.write("stdout", "1\n");
    const start = Date.now();
    while (Date.now() - start <= STREAM_BATCH_MS) {
      // computing, without yielding
    }
    router.write("stdout", "2\n");
    expect(kinds(sink)).toEqual(["stdout:0\n", "stdout:1\n2\n"]);
  });

  it("sends a batch once STREAM_BATCH_CHARS wait, and the rest at flush", () => {
    const router = new OutputRouter();
    const sink = new RecordingSink();
    router.setSink(sink);
    router.write("stdout", "first\n");
    const line = "x".repeat(1023) + "\n";
    const lines = STREAM_BATCH_CHARS / line.length + 3;
    const start = Date.now();
    for (let i = 0; i < lines; i++) router.write("stdout", line);
    // (Unless the loop took STREAM_BATCH_MS, when batches also left by age.)
    if (Date.now() - start < STREAM_BATCH_MS) expect(sink.events.map((e) => (e.kind === "stream" ? e.text.length : 0))).toEqual([6, STREAM_BATCH_CHARS]);
    router.flush();
    expect(sink.text()).toBe("first\n" + line.repeat(lines));
    expect(sink.events.length).toBeLessThan(lines);
  });
});
