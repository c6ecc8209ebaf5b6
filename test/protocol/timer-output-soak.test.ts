/**
 * A soak of the rule "output goes to the cell that caused it" on the real kernel over ZeroMQ:
 * 1,000 cells sent at once (as Run All does), each printing from a 0 ms timer and from a resolved
 * promise after its last line; every line must be published under its own cell's request.
 */
import { describe, expect, it } from "vitest";
import { kernelPerFile } from "./kernel-harness.js";

const CELLS = 1000;

const kernel = kernelPerFile(60_000);

describe("timer output of 1,000 cells in a row", () => {
  it("is shown under the cell that scheduled it, every time", async () => {
    const ids: string[] = [];
    // Each cell's text is new (a checker must not answer from a cached program).
    for (let k = 0; k < CELLS; k++) {
      ids.push(await kernel.client().execute(`setTimeout(() => console.log("timer ${k}"), 0);\nPromise.resolve().then(() => console.log("promise ${k}"));\n${k}`));
    }
    await kernel.client().idle(ids[CELLS - 1]!, 600_000);
    await kernel.client().reply(ids[CELLS - 1]!, 60_000);
    const owner = new Map(ids.map((id, k) => [id, k]));
    const misattributed: string[] = [];
    let lines = 0;
    for (const message of kernel.client().received.iopub) {
      if (message.header.msg_type !== "stream") continue;
      const parent = owner.get(String(message.parent_header.msg_id));
      for (const line of String(message.content["text"]).split("\n").filter(Boolean)) {
        lines += 1;
        const k = Number(line.split(" ")[1]);
        if (k !== parent) misattributed.push(`"${line}" under cell ${String(parent)}`);
      }
    }
    const failed = ids.filter((id) => kernel.client().replyTo(id)?.content["status"] !== "ok");
    expect(failed.map((id) => kernel.client().replyTo(id)?.content)).toEqual([]);
    expect(misattributed).toEqual([]);
    expect(lines).toBe(2 * CELLS);
  }, 900_000);
});
