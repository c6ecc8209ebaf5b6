/**
 * The protocol fuzz test, over real ZeroMQ against the real kernel (`bin/gradlab.js kernel`, the
 * TypeScript executor): more than 10,000 hostile or malformed messages (fuzz-frames.ts) in bursts,
 * with the heartbeat pinged throughout. Afterwards the kernel answers kernel_info and runs a cell,
 * no invalid message was executed or answered (an ignored one gets busy and idle only), every valid
 * request with absurd arguments got its reply, and the kernel's RSS comes back to within 30 MB of
 * where it started. The worst heartbeat gap is printed, not asserted (it depends on the machine's
 * load). GRADLAB_FUZZ_SEED replays a run.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchKernel, type Msg, type TestClient } from "./kernel-harness.js";
import { QUERY_CODE } from "./fuzz-frames.js";
import { fuzzKernel, rssMb } from "./fuzz-session.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const seed = Number(process.env["GRADLAB_FUZZ_SEED"] ?? Date.now() % 1_000_000);
let client: TestClient;

beforeAll(async () => {
  expect(existsSync(join(root, "dist/kernel/cli.js")), "the kernel is built (npm run build)").toBe(true);
  client = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"]);
  await client.ready(60_000);
});

afterAll(async () => {
  await client?.close();
});

const executeResult = (iopub: Msg[]) => iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a kernel under fuzzed traffic", () => {
  it("drops or ignores every invalid message, answers the valid ones, and keeps its heartbeat, state and memory", async () => {
    // Warm: the checker loaded and used, so the RSS baseline is the kernel at work, not at launch.
    const { reply: warm } = await client.run("const before = 20 + 1; before", { store_history: true });
    expect(warm.content["status"]).toBe("ok");
    // The same code the fuzzed completions ask about, once each: the type checker's memory for it
    // belongs to the baseline, not to what the fuzz leaves behind.
    for (const code of QUERY_CODE) {
      await client.reply(await client.send("shell", "complete_request", { code, cursor_pos: code.length }), 60_000);
      await client.reply(await client.send("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 }), 60_000);
    }
    const rssBefore = rssMb(client.process.pid!);

    const report = await fuzzKernel(client, { seed, messages: 10_000, burst: 500, huge: 4, manyValues: 10, absurd: 60 }, async (sent) => {
      // Every valid request is answered; the kernel works through its queue in order, so once the
      // last well-formed message is idle, everything before it has been handled.
      for (const message of sent.filter((m) => m.expect === "answered")) {
        const reply = await client.reply(message.msgId!, 120_000);
        const statuses = reply.header.msg_type === "is_complete_reply" ? ["complete", "incomplete", "invalid", "unknown"] : ["ok"];
        expect(statuses, `${reply.header.msg_type}: ${JSON.stringify(reply.content).slice(0, 200)}`).toContain(reply.content["status"]);
        if (reply.header.msg_type === "complete_reply") {
          const { cursor_start: start, cursor_end: end } = reply.content as { cursor_start: number; cursor_end: number };
          expect(0 <= start && start <= end && end <= 1000, `cursor ${start}..${end}`).toBe(true);
        }
      }
      const lastIgnored = sent.filter((m) => m.expect === "ignored").at(-1);
      if (lastIgnored) await client.idle(lastIgnored.msgId!, 120_000);
      const info = await client.reply(await client.send("control", "kernel_info_request", {}), 30_000);
      expect(info.content).toMatchObject({ status: "ok", implementation: "gradlab" });
      const { iopub } = await client.run("1 + 1");
      expect(executeResult(iopub)).toEqual({ "text/plain": "2" });
    });
    console.log(
      `fuzz (seed ${seed}): ${report.sent.length} messages, ${report.frames} frames, ${(report.bytes / 1e6).toFixed(1)} MB sent in ${report.sendSeconds.toFixed(1)} s; ` +
        `${report.heartbeats} heartbeats answered, worst gap ${report.worstHeartbeatGapMs.toFixed(0)} ms`,
    );
    expect(report.heartbeatFailure).toBeUndefined();
    expect(report.sent.length).toBeGreaterThanOrEqual(10_000);

    // Nothing refers to a dropped message; an ignored one got busy and idle and nothing else.
    const parents = new Map<string, string[]>();
    for (const channel of ["shell", "control", "stdin", "iopub"] as const) {
      for (const m of client.received[channel]) {
        const id = m.parent_header.msg_id;
        if (id) parents.set(id, [...(parents.get(id) ?? []), `${channel}:${m.header.msg_type}${m.header.msg_type === "status" ? `:${String(m.content["execution_state"])}` : ""}`]);
      }
    }
    for (const message of report.sent) {
      if (!message.msgId || message.expect === "answered") continue;
      const answers = parents.get(message.msgId) ?? [];
      const allowed = message.expect === "ignored" ? ["iopub:status:busy", "iopub:status:idle"] : [];
      expect(answers, `${message.kind} (${message.expect})`).toEqual(allowed);
    }
    const streams = client.received.iopub.filter((m) => m.header.msg_type === "stream").map((m) => String(m.content["text"]));
    expect(streams.filter((text) => text.includes("FUZZ-EXECUTED"))).toEqual([]);
    // State from before the fuzz is intact, and no fuzzed code ran.
    const { iopub } = await client.run("`${before} ${typeof (globalThis as any).fuzzExecuted}`");
    expect(executeResult(iopub)).toEqual({ "text/plain": "'21 undefined'" });

    // Memory: the 20 MB frames and everything else are released again (give the GC a moment).
    let rssAfter = rssMb(client.process.pid!);
    for (let i = 0; i < 40 && rssAfter > rssBefore + 30; i++) {
      await sleep(500);
      rssAfter = rssMb(client.process.pid!);
    }
    console.log(`fuzz: kernel RSS ${rssBefore.toFixed(0)} MB before, ${rssAfter.toFixed(0)} MB after`);
    if (!Number.isNaN(rssBefore)) expect(rssAfter).toBeLessThan(rssBefore + 30);
  });
});
