/**
 * The stream budget over real ZeroMQ sockets: a runaway print loop in a kernel process (worker
 * thread, bridge, JavaScript test executor) started with GRADLAB_MAX_OUTPUT_MB=0.5, interrupted
 * after about a second. What reaches the client must stay near the limit, and the kernel must keep
 * its state.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, compileTestKernel, launchKernel, type Msg } from "./kernel-harness.js";

const LIMIT = 0.5 * 1024 * 1024;
/** The notice, the end-of-request summary and the kept tail (4 KB) may come on top of the limit. */
const SLACK = 4096 + 1024;

let client: TestClient;

beforeAll(async () => {
  client = await launchKernel([process.execPath, compileTestKernel()], { GRADLAB_MAX_OUTPUT_MB: "0.5" });
  await client.ready();
});

afterAll(async () => {
  await client?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const streamText = (iopub: Msg[]) => iopub.filter((m) => m.header.msg_type === "stream").map((m) => String(m.content["text"])).join("");
const result = (iopub: Msg[]) => iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"];

describe("a runaway print loop over ZeroMQ", () => {
  it("sends at most the budget plus a notice, a summary and the tail, and the kernel keeps its state", async () => {
    await client.run("globalThis.kept = 41; globalThis.i = 0");
    const id = await client.execute("while (true) print(i++)");
    await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), 10_000, "execute_input");
    // Wait for the loop to pass the budget (so the interrupt lands in the dropping phase), then ~1 s.
    await client.until(() => streamText(client.iopubFor(id)).includes("output truncated"), 10_000, "the truncation notice");
    await sleep(1000);
    const interrupt = await client.send("control", "interrupt_request", {});
    expect((await client.reply(interrupt)).content["status"]).toBe("ok");
    const reply = await client.reply(id, 5000);
    expect(reply.content).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
    const iopub = await client.idle(id);

    const text = streamText(iopub);
    expect(text.length).toBeLessThanOrEqual(LIMIT + SLACK);
    expect([...text.matchAll(/\[gradlab\] output truncated: this cell printed more than 512 KB/g)]).toHaveLength(1);
    const summary = /\[gradlab\] ([\d.]+) (KB|MB) of output from this cell not shown; its last [\d.]+ KB follow:\n/.exec(text);
    expect(summary).not.toBeNull();
    // The loop ran on for about a second past the limit: far more was dropped than shown.
    const dropped = Number(summary![1]) * (summary![2] === "MB" ? 1024 * 1024 : 1024);
    expect(dropped).toBeGreaterThan(LIMIT);

    // Shown: the first numbers in order; then, after the summary, consecutive numbers up to the last printed.
    const shown = text.slice(0, text.indexOf("[gradlab]")).split("\n").filter(Boolean).map(Number);
    expect(shown.slice(0, 3)).toEqual([0, 1, 2]);
    expect(shown.every((n, k) => n === k)).toBe(true);
    const tail = text.slice(summary!.index + summary![0].length).split("\n").filter(Boolean).map(Number);
    expect(tail.length).toBeGreaterThan(100);
    expect(tail.every((n, k) => k === 0 || n === tail[k - 1]! + 1)).toBe(true);

    // The state survived, and the loop counter is where the last shown line says it stopped.
    const after = await client.run("[kept + 1, i > " + String(tail[tail.length - 1]) + "]");
    expect(result(after.iopub)).toEqual({ "text/plain": "[ 42, true ]" });
    expect(streamText(after.iopub)).toBe("");
  });

  it("gives the next cell a fresh budget", async () => {
    const { iopub } = await client.run('for (let k = 0; k < 20000; k++) print("fresh " + k)');
    const text = streamText(iopub);
    expect(text).not.toContain("[gradlab]");
    expect(text.split("\n").length - 1).toBe(20000);
    expect(text.endsWith("fresh 19999\n")).toBe(true);
  });
});
