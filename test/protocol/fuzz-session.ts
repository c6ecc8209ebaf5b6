/**
 * Drives a running kernel with fuzzed traffic (fuzz-frames.ts) while a second client pings its
 * heartbeat, and reports what happened: how many messages and bytes were sent, how fast, the worst
 * gap between two heartbeat answers, and the kernel's RSS. Shared by the protocol fuzz test and
 * `npm run bench:fuzz`; asserts nothing itself.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import * as zmq from "zeromq";
import { FrameFuzzer, Random, type FuzzMessage } from "./fuzz-frames.js";
import type { TestClient } from "./kernel-harness.js";

export interface FuzzOptions {
  seed: number;
  /** Small malformed or hostile messages, sent in bursts of `burst`. */
  messages: number;
  burst: number;
  /** Messages with a 20 MB frame. */
  huge: number;
  /** Signed messages with more JSON values than the kernel accepts (about 360 KB each). */
  manyValues: number;
  /** Valid requests with absurd arguments (answered). */
  absurd: number;
}

export interface FuzzReport {
  sent: FuzzMessage[];
  frames: number;
  bytes: number;
  sendSeconds: number;
  heartbeats: number;
  worstHeartbeatGapMs: number;
  /** Set when a heartbeat went unanswered for the monitor's whole timeout. */
  heartbeatFailure?: string;
}

/** Resident set size of a process in MB (Linux), or NaN where /proc is missing. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Pings the kernel's heartbeat back to back from a thread of its own (so that building and
 * sending the fuzzed traffic cannot delay the pings) and records the longest time between two
 * answers.
 */
export class HeartbeatMonitor {
  private readonly worker: Worker;
  private readonly result: Promise<{ count: number; worstGapMs: number; failure?: string }>;

  constructor(port: number | string, timeoutMs = 30_000) {
    this.worker = new Worker(HEARTBEAT_THREAD, { eval: true, workerData: { zeromq: createRequire(import.meta.url).resolve("zeromq"), port: String(port), timeoutMs } });
    this.result = new Promise((resolve, reject) => {
      this.worker.once("message", resolve);
      this.worker.once("error", reject);
    });
  }

  /** Stops pinging; resolves with how many answers came and the worst gap between two. */
  async stop(): Promise<{ count: number; worstGapMs: number; failure?: string }> {
    this.worker.postMessage("stop");
    const result = await this.result;
    await this.worker.terminate();
    return result;
  }
}

const HEARTBEAT_THREAD = `
const { parentPort, workerData } = require("node:worker_threads");
const zmq = require(workerData.zeromq);
const socket = new zmq.Request();
socket.receiveTimeout = workerData.timeoutMs;
socket.linger = 0;
socket.connect("tcp://127.0.0.1:" + workerData.port);
let running = true, count = 0, worstGapMs = 0, failure;
parentPort.on("message", () => { running = false; });
(async () => {
  let last = performance.now();
  while (running) {
    try {
      await socket.send("beat " + count);
      const [answer] = await socket.receive();
      if (String(answer) !== "beat " + count) throw new Error("heartbeat echoed " + String(answer));
    } catch (error) {
      failure = "heartbeat " + count + " failed: " + String(error);
      break;
    }
    const now = performance.now();
    worstGapMs = Math.max(worstGapMs, now - last);
    last = now;
    count++;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  socket.close();
  parentPort.postMessage({ count, worstGapMs, failure });
})();
`;

/**
 * Sends the fuzzed traffic to `client`'s kernel, then runs `afterSending` (waiting for answers,
 * running a cell) while the heartbeat is still being measured.
 *
 * @example
 * const report = await fuzzKernel(client, { seed: 1, messages: 10_000, burst: 500, huge: 4, manyValues: 10, absurd: 60 }, async () => {
 *   await client.run("1 + 1");
 * });
 */
export async function fuzzKernel(client: TestClient, options: FuzzOptions, afterSending: (sent: FuzzMessage[]) => Promise<void>): Promise<FuzzReport> {
  const random = new Random(options.seed);
  const fuzzer = new FrameFuzzer(random, (parts) => client.sign(parts), client.session);
  const plan: Array<() => FuzzMessage> = [
    ...Array.from({ length: options.messages }, () => () => fuzzer.next()),
    ...Array.from({ length: options.huge }, () => () => fuzzer.huge()),
    ...Array.from({ length: options.manyValues }, () => () => fuzzer.tooManyValues()),
    ...Array.from({ length: options.absurd }, () => () => fuzzer.absurd()),
  ];
  // Shuffled, so the big and the valid messages arrive in the middle of bursts of garbage.
  for (let i = plan.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  const heartbeat = new HeartbeatMonitor(client.connection["hb_port"]!);
  const sent: FuzzMessage[] = [];
  // A frame over the kernel's limit makes ZeroMQ drop the connection it came on, and with it what
  // that client had in flight: such frames come from clients of their own, as from a runaway tool.
  const runaways: zmq.Dealer[] = [];
  let frames = 0;
  let bytes = 0;
  const started = performance.now();
  let sendSeconds = 0;
  let beats: Awaited<ReturnType<HeartbeatMonitor["stop"]>> = { count: 0, worstGapMs: 0 };
  try {
    for (let i = 0; i < plan.length; i++) {
      const message = plan[i]!();
      sent.push(message);
      frames += message.frames.length;
      for (const frame of message.frames) bytes += frame.length;
      if (message.kind === "20 MB frame") {
        const runaway = new zmq.Dealer({ linger: 2000 });
        runaway.connect(`tcp://127.0.0.1:${String(client.connection[`${message.channel}_port`])}`);
        runaways.push(runaway);
        await runaway.send(message.frames);
      } else await client[message.channel].send(message.frames);
      // Between bursts, let the heartbeat monitor and the client's receivers run.
      if ((i + 1) % options.burst === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      // Not kept: the report needs only each message's kind, expectation and id.
      message.frames = [];
    }
    sendSeconds = (performance.now() - started) / 1000;
    await afterSending(sent);
  } finally {
    beats = await heartbeat.stop();
    for (const runaway of runaways) runaway.close();
  }
  return { sent, frames, bytes, sendSeconds, heartbeats: beats.count, worstHeartbeatGapMs: beats.worstGapMs, heartbeatFailure: beats.failure };
}
