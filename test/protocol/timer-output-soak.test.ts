/**
 * A soak of the rule "output goes to the cell that caused it" on the real kernel over ZeroMQ:
 * 1,000 cells sent at once (as Run All does), each printing from a 0 ms timer and from a resolved
 * promise after its last line; every line must be published under its own cell's request.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, launchKernel } from "./kernel-harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const CELLS = 1000;

let client: TestClient;

beforeAll(async () => {
  expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js after the build").toBe(true);
  client = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"]);
  await client.ready(60_000);
});

afterAll(async () => {
  await client?.close();
});

describe("timer output of 1,000 cells in a row", () => {
  it("is shown under the cell that scheduled it, every time", async () => {
    const ids: string[] = [];
    // Each cell's text is new (a checker must not answer from a cached program).
    for (let k = 0; k < CELLS; k++) {
      ids.push(await client.execute(`setTimeout(() => console.log("timer ${k}"), 0);\nPromise.resolve().then(() => console.log("promise ${k}"));\n${k}`));
    }
    await client.idle(ids[CELLS - 1]!, 600_000);
    await client.reply(ids[CELLS - 1]!, 60_000);
    const owner = new Map(ids.map((id, k) => [id, k]));
    const misattributed: string[] = [];
    let lines = 0;
    for (const message of client.received.iopub) {
      if (message.header.msg_type !== "stream") continue;
      const parent = owner.get(String(message.parent_header.msg_id));
      for (const line of String(message.content["text"]).split("\n").filter(Boolean)) {
        lines += 1;
        const k = Number(line.split(" ")[1]);
        if (k !== parent) misattributed.push(`"${line}" under cell ${String(parent)}`);
      }
    }
    const failed = ids.filter((id) => client.replyTo(id)?.content["status"] !== "ok");
    expect(failed.map((id) => client.replyTo(id)?.content)).toEqual([]);
    expect(misattributed).toEqual([]);
    expect(lines).toBe(2 * CELLS);
  }, 900_000);
});
