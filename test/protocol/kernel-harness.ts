/**
 * Test harness for the real-socket protocol tests: compiles the test kernel entry once, launches
 * kernel processes on free ports, and talks to them over ZeroMQ like a Jupyter client, with its own
 * HMAC signer (independent of the kernel's wire.ts).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import * as zmq from "zeromq";
import { freePort } from "../support/project.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
// Inside node_modules so the compiled kernel resolves zeromq; git-ignored.
const outDir = join(root, "node_modules/.cache/gradlab-protocol-test");

let compiled = false;
/** Compiles kernel/ (main, protocol) and the test entry; returns the entry's path. */
export function compileTestKernel(): string {
  if (!compiled) {
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "test/protocol/fixtures/tsconfig.json"), "--outDir", outDir], { stdio: "inherit" });
    writeFileSync(join(outDir, "package.json"), '{ "type": "module" }\n');
    compiled = true;
  }
  return join(outDir, "test/protocol/fixtures/kernel-entry.js");
}


export interface Msg {
  header: Record<string, unknown> & { msg_id: string; msg_type: string };
  parent_header: Record<string, unknown> & { msg_id?: string };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

const DELIM = Buffer.from("<IDS|MSG>");

export class TestClient {
  readonly shell = new zmq.Dealer();
  readonly control = new zmq.Dealer();
  readonly stdin = new zmq.Dealer();
  readonly iopub = new zmq.Subscriber();
  private hb = new zmq.Request();
  readonly session = randomUUID();
  /** Every message received per channel, in order. */
  readonly received: Record<"shell" | "control" | "stdin" | "iopub", Msg[]> = { shell: [], control: [], stdin: [], iopub: [] };
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];
  stderr = "";
  private closed = false;

  /** Launches with ports another job took between our pick and the kernel's bind (see ready). */
  private relaunches = 0;

  constructor(
    public process: ChildProcess,
    public connection: Record<string, number | string>,
    private readonly key: string,
    private readonly launch?: { command: string[]; env: NodeJS.ProcessEnv },
  ) {
    const identity = `client-${this.session}`;
    this.shell.routingId = identity;
    this.stdin.routingId = identity;
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.linger = 0;
    this.connectTo(connection);
    this.iopub.subscribe();
    this.hb.receiveTimeout = 1000;
    this.listenTo(process);
    void this.pump(this.shell, "shell");
    void this.pump(this.control, "control");
    void this.pump(this.stdin, "stdin");
    void this.pump(this.iopub, "iopub");
  }

  private socketUrls(connection: Record<string, number | string>): Array<[zmq.Socket, string]> {
    const url = (name: string) => `tcp://127.0.0.1:${String(connection[`${name}_port`])}`;
    return [[this.shell, url("shell")], [this.control, url("control")], [this.stdin, url("stdin")], [this.iopub, url("iopub")], [this.hb, url("hb")]];
  }

  private connectTo(connection: Record<string, number | string>): void {
    for (const [socket, url] of this.socketUrls(connection)) socket.connect(url);
  }

  private listenTo(child: ChildProcess): void {
    child.stderr?.on("data", (d: Buffer) => {
      if (child !== this.process) return;
      this.stderr += d.toString();
      this.check();
    });
  }

  /**
   * The kernel exited because a port picked for it was bound by another job before the kernel
   * bound it (free ports are picked, then handed over): a race of the machine, not of the kernel.
   */
  private lostPortRace(): boolean {
    return this.launch !== undefined && this.process.exitCode !== null && /EADDRINUSE|Address already in use/.test(this.stderr);
  }

  /** The same kernel command again, on newly picked ports, the sockets moved over to them. */
  private async relaunch(): Promise<void> {
    this.relaunches++;
    for (const [socket, url] of this.socketUrls(this.connection)) socket.disconnect(url);
    const { child, connection } = await spawnKernel(this.launch!.command, this.launch!.env, this.key);
    this.process = child;
    this.connection = connection;
    this.stderr = "";
    this.listenTo(child);
    this.connectTo(connection);
  }

  sign(parts: Buffer[]): Buffer {
    const h = createHmac("sha256", this.key);
    for (const p of parts) h.update(p);
    return Buffer.from(h.digest("hex"));
  }

  private async pump(socket: zmq.Dealer | zmq.Subscriber, channel: keyof TestClient["received"]): Promise<void> {
    try {
      for await (const frames of socket) {
        const at = frames.findIndex((f) => f.equals(DELIM));
        const parts = frames.slice(at + 2, at + 6);
        if (!this.sign(parts).equals(frames[at + 1]!)) throw new Error(`bad signature from kernel on ${channel}`);
        const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p.toString()));
        this.received[channel].push({ header, parent_header, metadata, content });
        this.check();
      }
    } catch (error) {
      if (!this.closed) throw error;
    }
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
  }

  /** Resolves once `test` holds (checked on every message), or rejects after `ms`. */
  until(test: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; kernel stderr:\n${this.stderr}`)), ms);
      this.waiters.push({ test, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  message(msgType: string, content: Record<string, unknown>, parent: Record<string, unknown> = {}): { header: Msg["header"]; frames: Buffer[] } {
    const header = { msg_id: randomUUID(), session: this.session, username: "test", date: new Date().toISOString(), msg_type: msgType, version: "5.3" };
    const parts = [header, parent, {}, content].map((p) => Buffer.from(JSON.stringify(p)));
    return { header, frames: [DELIM, this.sign(parts), ...parts] };
  }

  async send(channel: "shell" | "control" | "stdin", msgType: string, content: Record<string, unknown>, parent: Record<string, unknown> = {}): Promise<string> {
    const { header, frames } = this.message(msgType, content, parent);
    await this[channel].send(frames);
    return header.msg_id;
  }

  execute(code: string, extra: Record<string, unknown> = {}): Promise<string> {
    return this.send("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true, ...extra });
  }

  replyTo(msgId: string): Msg | undefined {
    return [...this.received.shell, ...this.received.control].find((m) => m.parent_header.msg_id === msgId && m.header.msg_type.endsWith("_reply"));
  }

  async reply(msgId: string, ms = 10_000): Promise<Msg> {
    await this.until(() => this.replyTo(msgId) !== undefined, ms, `the reply to ${msgId}`);
    return this.replyTo(msgId)!;
  }

  iopubFor(msgId: string): Msg[] {
    return this.received.iopub.filter((m) => m.parent_header.msg_id === msgId);
  }

  isIdle(msgId: string): boolean {
    return this.iopubFor(msgId).some((m) => m.header.msg_type === "status" && m.content["execution_state"] === "idle");
  }

  async idle(msgId: string, ms = 10_000): Promise<Msg[]> {
    await this.until(() => this.isIdle(msgId), ms, `idle for ${msgId}`);
    return this.iopubFor(msgId);
  }

  /** Runs a cell to idle; returns the reply and its IOPub messages. */
  async run(code: string, extra: Record<string, unknown> = {}): Promise<{ id: string; reply: Msg; iopub: Msg[] }> {
    const id = await this.execute(code, extra);
    const reply = await this.reply(id);
    const iopub = await this.idle(id);
    return { id, reply, iopub };
  }

  /** Sends kernel_info until IOPub is connected (the PUB/SUB slow joiner) and the kernel answers. */
  async ready(ms = 20_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (this.lostPortRace() && this.relaunches < 3) await this.relaunch();
      const id = await this.send("shell", "kernel_info_request", {});
      try {
        // Both: the idle (IOPub) can arrive before the reply (shell), another socket.
        await this.until(() => this.isIdle(id) && this.replyTo(id) !== undefined, 500, "kernel_info reply and idle");
        return;
      } catch {
        // not yet
      }
    }
    throw new Error(`kernel did not become ready; stderr:\n${this.stderr}`);
  }

  async ping(payload = "ping"): Promise<string> {
    await this.hb.send(payload);
    const [answer] = await this.hb.receive();
    return answer!.toString();
  }

  exited(): Promise<number | null> {
    if (this.process.exitCode !== null) return Promise.resolve(this.process.exitCode);
    return new Promise((resolve) => this.process.once("exit", (code) => resolve(code)));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill("SIGKILL");
      await this.exited();
    }
  }
}

/**
 * Launches a kernel process (`command` gets the connection file appended) and connects a client.
 *
 * @example
 * const client = await launchKernel([process.execPath, compileTestKernel()]);
 * const { reply } = await client.run("1 + 1");
 */
export async function launchKernel(command: string[], env: NodeJS.ProcessEnv = {}): Promise<TestClient> {
  const key = randomUUID();
  const { child, connection } = await spawnKernel(command, env, key);
  return new TestClient(child, connection, key, { command, env });
}

/** Picks free ports, writes the connection file and starts `command` with it. */
async function spawnKernel(command: string[], env: NodeJS.ProcessEnv, key: string): Promise<{ child: ChildProcess; connection: Record<string, number | string> }> {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-kernel-"));
  mkdirSync(dir, { recursive: true });
  const connection: Record<string, number | string> = {
    transport: "tcp",
    ip: "127.0.0.1",
    signature_scheme: "hmac-sha256",
    key,
    shell_port: await freePort(),
    iopub_port: await freePort(),
    stdin_port: await freePort(),
    control_port: await freePort(),
    hb_port: await freePort(),
  };
  const file = join(dir, "kernel.json");
  writeFileSync(file, JSON.stringify(connection));
  const child = spawn(command[0]!, [...command.slice(1), file], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  child.stdout?.resume();
  return { child, connection };
}

/**
 * For a test file whose every test needs a fresh real kernel (`bin/gradlab.js kernel`, the built
 * TypeScript kernel): checks the build once, and closes each test's kernel after it.
 *
 * @example
 * const kernels = kernelPerTest();
 * it("…", async () => { const client = await kernels.launch(); … });
 */
export function kernelPerTest(): { launch(env?: NodeJS.ProcessEnv): Promise<TestClient> } {
  let current: TestClient | undefined;
  beforeAll(() => {
    expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js after the build").toBe(true);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async launch(env = {}) {
      current = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"], env);
      await current.ready(60_000);
      return current;
    },
  };
}

/**
 * One real kernel (`bin/gradlab.js kernel`) shared by all the tests of a file: launched before the
 * first and closed after the last. `client()` is that kernel's client (inside a test).
 *
 * @example
 * const kernel = kernelPerFile();
 * it("…", async () => { const { reply } = await kernel.client().run("1 + 1"); … });
 */
export function kernelPerFile(readyMs = 30_000): { client(): TestClient } {
  let current: TestClient | undefined;
  beforeAll(async () => {
    expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js (npm run build)").toBe(true);
    current = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"]);
    await current.ready(readyMs);
  }, readyMs + 30_000);
  afterAll(async () => {
    await current?.close();
  });
  return {
    client() {
      if (!current) throw new Error("the file's kernel did not launch (see the beforeAll error)");
      return current;
    },
  };
}
