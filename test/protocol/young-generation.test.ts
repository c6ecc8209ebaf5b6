/**
 * The real kernel holds V8's young generation at the size it had when the first cell ran: a cell
 * whose objects survive a few scavenges (as the type checker's do, cell after cell) would grow it
 * in plain Node to its maximum, and a kernel would keep that memory for the rest of the session.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { kernelPerTest, type Msg } from "./kernel-harness.js";

/** Keeps a few arrays of fresh objects alive at a time: enough survivors to make V8 grow the young generation. */
const SURVIVORS = "let kept: object[][] = []; for (let r = 0; r < 20; r++) { const a: object[] = []; for (let i = 0; i < 2e5; i++) a.push({ i }); kept.push(a); if (kept.length > 3) kept.shift(); }";
const NEW_SPACE_MB = "(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 1e6";

function resultText(iopub: Msg[]): string {
  const result = iopub.find((m) => m.header.msg_type === "execute_result");
  return String((result?.content["data"] as Record<string, unknown> | undefined)?.["text/plain"]);
}

describe("the young generation of a kernel", () => {
  const kernels = kernelPerTest();

  it("grows in plain Node under the same cell (so the kernel's check below is not vacuous)", () => {
    const script = `const v8 = require("node:v8"); const before = ${NEW_SPACE_MB}; ${SURVIVORS.replace(/: object\[\]\[\]|: object\[\]/g, "")}; console.log(JSON.stringify([before, ${NEW_SPACE_MB}]));`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const [before, after] = JSON.parse(run.stdout) as [number, number];
    expect(after).toBeGreaterThanOrEqual(before * 4);
  });

  it("keeps the size it had after the first cell while later cells' objects survive scavenges", async () => {
    const client = await kernels.launch();
    // The hold starts once the first cell's result is sent: its size is read from the second cell on.
    const first = await client.run(`import * as v8 from "node:v8";`);
    expect(first.reply.content, JSON.stringify(first.reply.content)).toMatchObject({ status: "ok" });
    const held = await client.run(NEW_SPACE_MB);
    const atFirstCell = Number(resultText(held.iopub));
    expect(atFirstCell).toBeGreaterThan(0);
    for (let round = 0; round < 3; round++) {
      const busy = await client.run(SURVIVORS.replace(/\bkept\b/g, `kept${round}`));
      expect(busy.reply.content, String(busy.reply.content["evalue"])).toMatchObject({ status: "ok" });
    }
    const later = await client.run(NEW_SPACE_MB);
    expect(Number(resultText(later.iopub))).toBeLessThanOrEqual(atFirstCell);
  }, 120_000);
});
