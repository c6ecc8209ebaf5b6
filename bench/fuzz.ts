/**
 * `npm run bench:fuzz`: how much hostile traffic the kernel drops while staying responsive (role:
 * benchmark entry point; not a test, never in `npm test`). Launches the real kernel
 * (`bin/gradlab.js kernel`, needs `npm run build`) and, for each kind of bad message, sends a
 * burst as fast as one client can, then a kernel_info_request behind it: the burst is handled once
 * that is answered, which gives the messages per second the kernel drops (or ignores). A second
 * thread pings the heartbeat throughout; the worst gap between two answers is printed beside the
 * worst gap of an idle kernel measured in the same run (the anchor). Ends with the fuzz test's
 * mixed session (fuzz-session.ts).
 *
 * Usage: npm run bench:fuzz [-- --messages 20000]
 */
import { randomUUID } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FrameFuzzer, Random, type FuzzMessage } from "../test/protocol/fuzz-frames.js";
import { HeartbeatMonitor, fuzzKernel, rssMb } from "../test/protocol/fuzz-session.js";
import { launchKernel, type TestClient } from "../test/protocol/kernel-harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const argument = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const perKind = argument("--messages", 20_000);

async function answered(client: TestClient): Promise<void> {
  await client.reply(await client.send("shell", "kernel_info_request", {}), 300_000);
}

/** Sends `count` messages from `make` and waits until the kernel has handled all of them. */
async function burst(client: TestClient, count: number, make: () => FuzzMessage): Promise<{ perSecond: number; worstGapMs: number; lost?: string }> {
  const messages = Array.from({ length: count }, make);
  const heartbeat = new HeartbeatMonitor(client.connection["hb_port"]!);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = performance.now();
  for (const message of messages) await client[message.channel].send(message.frames);
  await answered(client);
  const seconds = (performance.now() - started) / 1000;
  const beats = await heartbeat.stop();
  return { perSecond: count / seconds, worstGapMs: beats.worstGapMs, lost: beats.failure };
}

const client = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"]);
try {
  await client.ready(60_000);
  await client.run("const warm = 1; warm");
  console.log(`gradlab kernel, RSS ${rssMb(client.process.pid!).toFixed(0)} MB after one cell; ${perKind} messages per kind\n`);

  const idle = new HeartbeatMonitor(client.connection["hb_port"]!);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const anchor = await idle.stop();
  console.log(`anchor: idle kernel, worst heartbeat gap ${anchor.worstGapMs.toFixed(1)} ms over ${anchor.count} pings\n`);

  const fuzzer = new FrameFuzzer(new Random(1), (parts) => client.sign(parts), client.session);
  const shell = <T extends FuzzMessage>(message: T): T => ({ ...message, channel: "shell" });
  const kinds: Array<[string, () => FuzzMessage]> = [
    ["random multipart (no valid delimiter)", () => shell(fuzzer.randomMultipart())],
    ["well-formed, wrong signature", () => shell(fuzzer.wrongSignature())],
    ["signed, bad JSON", () => shell(fuzzer.badJson())],
    ["signed, nested 65–20,000 deep", () => shell(fuzzer.deepNesting())],
    ["signed, prototype-named msg_type (busy/idle)", () => shell(fuzzer.prototypeName())],
    ["signed, wrong field types (busy/idle)", () => shell(fuzzer.wrongFieldTypes())],
  ];
  console.log("| burst | messages/s handled | worst heartbeat gap | ÷ idle anchor |");
  console.log("|---|---|---|---|");
  for (const [name, make] of kinds) {
    const r = await burst(client, perKind, make);
    console.log(`| ${name} | ${r.perSecond.toFixed(0)} | ${r.worstGapMs.toFixed(0)} ms${r.lost ? ` (${r.lost})` : ""} | ${(r.worstGapMs / anchor.worstGapMs).toFixed(1)}× |`);
  }

  const rssBefore = rssMb(client.process.pid!);
  const seed = 1;
  const report = await fuzzKernel(client, { seed, messages: 10_000, burst: 500, huge: 4, manyValues: 10, absurd: 60 }, async (sent) => {
    for (const message of sent.filter((m) => m.expect === "answered")) await client.reply(message.msgId!, 300_000);
    await answered(client);
  });
  const { reply } = await client.run(`warm + ${randomUUID().length}`);
  console.log(
    `\nmixed fuzz session (seed ${seed}): ${report.sent.length} messages, ${report.frames} frames, ${(report.bytes / 1e6).toFixed(0)} MB in ${report.sendSeconds.toFixed(1)} s; ` +
      `worst heartbeat gap ${report.worstHeartbeatGapMs.toFixed(0)} ms (${(report.worstHeartbeatGapMs / anchor.worstGapMs).toFixed(1)}× the idle anchor)` +
      `${report.heartbeatFailure ? `; ${report.heartbeatFailure}` : ""}; a cell afterwards: ${String(reply.content["status"])}; ` +
      `RSS ${rssBefore.toFixed(0)} → ${rssMb(client.process.pid!).toFixed(0)} MB`,
  );
} finally {
  await client.close();
}
