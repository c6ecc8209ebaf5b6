/**
 * The protocol over real ZeroMQ sockets: a kernel process (real startKernel: worker thread,
 * sockets, bridge) running the JavaScript test executor, driven by a client with its own signer.
 */
import { spawn } from "node:child_process";
import * as zmq from "zeromq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, compileTestKernel, launchKernel, type Msg } from "./kernel-harness.js";

let entry: string;
let client: TestClient;

beforeAll(async () => {
  entry = compileTestKernel();
  client = await launchKernel([process.execPath, entry]);
  await client.ready();
});

afterAll(async () => {
  await client?.close();
});

const result = (iopub: Msg[]) => iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a kernel over ZeroMQ", () => {
  it("answers kernel_info with the protocol version and executor info", async () => {
    const id = await client.send("shell", "kernel_info_request", {});
    const reply = await client.reply(id);
    expect(reply.content).toMatchObject({ status: "ok", protocol_version: "5.3", implementation: "gradlab" });
  });

  it("welcomes every IOPub subscriber with a signed iopub_welcome in the kernel's session, at once", async () => {
    const id = await client.send("shell", "kernel_info_request", {});
    const reply = await client.reply(id);
    const welcome = client.received.iopub.find((m) => m.header.msg_type === "iopub_welcome");
    expect(welcome?.content).toEqual({ subscription: "" });
    expect(welcome?.parent_header).toEqual({});
    expect(welcome?.header["session"]).toBe(reply.header["session"]);
    // A second subscriber, to a topic prefix, is welcomed on that topic.
    const late = new zmq.Subscriber();
    late.linger = 0;
    late.connect(`tcp://127.0.0.1:${String(client.connection["iopub_port"])}`);
    late.subscribe("kernel.");
    const [topic, ...frames] = await late.receive();
    late.close();
    expect(topic!.toString()).toBe("kernel.");
    const delimiter = frames.findIndex((f) => f.toString() === "<IDS|MSG>");
    const parts = frames.slice(delimiter + 2, delimiter + 6);
    expect(client.sign(parts).equals(frames[delimiter + 1]!)).toBe(true);
    expect(JSON.parse(parts[0]!.toString()).msg_type).toBe("iopub_welcome");
    expect(JSON.parse(parts[3]!.toString())).toEqual({ subscription: "kernel." });
  });

  it("answers heartbeats and control requests while a cell runs a 3 s synchronous loop", async () => {
    const id = await client.execute("const t0 = Date.now(); while (Date.now() - t0 < 3000) {} 'done'");
    await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), 10_000, "execute_input");
    const pings: string[] = [];
    for (let i = 0; i < 4; i++) {
      pings.push(await client.ping(`beat ${i}`)); // each has a 1 s receive timeout
      await sleep(300);
    }
    expect(pings).toEqual(["beat 0", "beat 1", "beat 2", "beat 3"]);
    const info = await client.send("control", "kernel_info_request", {});
    await client.reply(info, 1000);
    expect(client.replyTo(id)).toBeUndefined(); // the loop was still running throughout
    const { 0: reply } = [await client.reply(id)];
    expect(reply.content["status"]).toBe("ok");
    expect(result(await client.idle(id))).toEqual({ "text/plain": "'done'" });
  });

  it("streams output live while a cell is still inside a synchronous loop", async () => {
    const id = await client.execute('print("tick"); const t3 = Date.now(); while (Date.now() - t3 < 1500) {} print("tock")');
    await client.until(() => client.iopubFor(id).some((m) => m.content["text"] === "tick\n"), 5000, "tick");
    expect(client.replyTo(id)).toBeUndefined(); // still looping when "tick" arrived
    await client.reply(id);
    const texts = (await client.idle(id)).filter((m) => m.header.msg_type === "stream").map((m) => m.content["text"]);
    expect(texts).toEqual(["tick\n", "tock\n"]);
  });

  it("drops wrongly signed and unsigned requests without answering, and keeps working", async () => {
    const before = client.received.iopub.length;
    const forged = client.message("execute_request", { code: "globalThis.pwned = 1" });
    forged.frames[1] = Buffer.from("0".repeat(64));
    await client.shell.send(forged.frames);
    const unsigned = client.message("execute_request", { code: "globalThis.pwned = 2" });
    unsigned.frames[1] = Buffer.alloc(0);
    await client.shell.send(unsigned.frames);
    await client.until(() => (client.stderr.match(/dropped a message on shell/g) ?? []).length >= 2, 5000, "two drop logs");
    await sleep(200);
    expect(client.received.iopub.length).toBe(before);
    expect(client.replyTo(forged.header.msg_id)).toBeUndefined();
    expect(client.replyTo(unsigned.header.msg_id)).toBeUndefined();
    expect(client.stderr).toMatch(/invalid signature/);
    expect(client.stderr).toMatch(/unsigned message/);
    const { iopub } = await client.run("typeof globalThis.pwned");
    expect(result(iopub)).toEqual({ "text/plain": "'undefined'" });
  });

  it("interrupts a busy loop within a second and keeps the state", async () => {
    await client.run("globalThis.kept = 7");
    const id = await client.execute("while (true) {}");
    await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), 10_000, "execute_input");
    await sleep(100);
    const interrupt = await client.send("control", "interrupt_request", {});
    const started = Date.now();
    expect((await client.reply(interrupt)).content["status"]).toBe("ok");
    const reply = await client.reply(id, 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(reply.content).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
    await client.idle(id);
    expect(result((await client.run("kept * 6")).iopub)).toEqual({ "text/plain": "42" });
  });

  it("interrupts a pending await within a second and keeps the state", async () => {
    const id = await client.execute("new Promise(() => {})");
    await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), 10_000, "execute_input");
    await client.send("control", "interrupt_request", {});
    const reply = await client.reply(id, 1000);
    expect(reply.content).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
    expect(result((await client.run("kept + 1")).iopub)).toEqual({ "text/plain": "8" });
  });

  it("an interrupt never reaches the next cell", async () => {
    // stop_on_error false: an interrupted cell would otherwise (rightly) abort the queued one.
    const busy = await client.execute("const t1 = Date.now(); while (Date.now() - t1 < 150) {} 1", { stop_on_error: false });
    await client.send("control", "interrupt_request", {});
    const next = await client.execute("const t2 = Date.now(); while (Date.now() - t2 < 400) {} 'next ran'");
    await client.reply(busy);
    const { content } = await client.reply(next);
    expect(content["status"]).toBe("ok");
    expect(result(await client.idle(next))).toEqual({ "text/plain": "'next ran'" });
  });

  it("interrupts landing near the end of busy cells never hit the following cells (20 rounds)", async () => {
    await client.run("globalThis.counter = 0");
    for (let round = 0; round < 20; round++) {
      // The cell ends 60–160 ms in; the interrupt arrives 40–160 ms in: around the 100 ms ack timeout.
      const busyMs = 60 + ((round * 37) % 100);
      const busy = await client.execute(`const b${round} = Date.now(); while (Date.now() - b${round} < ${busyMs}) {} "busy"`, { stop_on_error: false });
      await sleep(40 + ((round * 53) % 120));
      await client.send("control", "interrupt_request", {});
      const next = await client.execute("counter += 1; counter", { stop_on_error: false });
      expect(["ok", "error"]).toContain((await client.reply(busy, 5000)).content["status"]);
      const reply = await client.reply(next, 5000);
      expect(reply.content["status"], `round ${round}`).toBe("ok");
      expect(result(await client.idle(next))).toEqual({ "text/plain": String(round + 1) });
    }
  });

  it("interrupts racing the end of short busy cells, ms apart, never hit the following cells (30 rounds)", async () => {
    // The worker terminates a busy cell within a few ms of the main thread's CPU time, so the race
    // between "the cell ends" and "the terminate is claimed" is ms wide: sweep the interrupt across it.
    await client.run("globalThis.tally = 0");
    for (let round = 0; round < 30; round++) {
      const busy = await client.execute(`const r${round} = Date.now(); while (Date.now() - r${round} < 25) {} "busy"`, { stop_on_error: false });
      await client.until(() => client.iopubFor(busy).some((m) => m.header.msg_type === "execute_input"), 10_000, "execute_input");
      await sleep(10 + (round % 30));
      await client.send("control", "interrupt_request", {});
      const next = await client.execute("tally += 1; tally", { stop_on_error: false });
      const busyReply = await client.reply(busy, 5000);
      if (busyReply.content["status"] === "error") expect(busyReply.content["ename"]).toBe("KeyboardInterrupt");
      else expect(busyReply.content["status"]).toBe("ok");
      const reply = await client.reply(next, 5000);
      expect(reply.content["status"], `round ${round}`).toBe("ok");
      expect(result(await client.idle(next))).toEqual({ "text/plain": String(round + 1) });
    }
  });

  it("SIGINT interrupts like interrupt_request and never kills the kernel", async () => {
    const id = await client.execute("new Promise(() => {})");
    await client.until(() => client.iopubFor(id).some((m) => m.header.msg_type === "execute_input"), 10_000, "execute_input");
    client.process.kill("SIGINT");
    expect((await client.reply(id, 2000)).content["ename"]).toBe("KeyboardInterrupt");
    expect(result((await client.run("1 + 1")).iopub)).toEqual({ "text/plain": "2" });
  });

  it("keeps busy → execute_input → outputs → result → idle order over 50 runs", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const { id } = await client.run(`print("out ${i}"); eprint("err ${i}"); display({"text/plain": "d${i}"}); ${i}`, { store_history: false });
      ids.push(id);
    }
    await sleep(100);
    ids.forEach((id, i) => {
      const seq = client.iopubFor(id).map((m) => m.header.msg_type);
      expect(seq).toEqual(["status", "execute_input", "stream", "stream", "display_data", "execute_result", "status"]);
      const iopub = client.iopubFor(id);
      expect(iopub[2]!.content).toEqual({ name: "stdout", text: `out ${i}\n` });
      expect(iopub[5]!.content["data"]).toEqual({ "text/plain": String(i) });
    });
  });

  it("round-trips stdin for a synchronous and an asynchronous prompt", async () => {
    for (const code of ['"got " + inputSync("sync? ")', 'input("async? ").then((v) => "got " + v)']) {
      const id = await client.execute(code);
      await client.until(() => client.received.stdin.some((m) => m.parent_header.msg_id === id), 5000, "input_request");
      const ask = client.received.stdin.find((m) => m.parent_header.msg_id === id)!;
      expect(ask.header.msg_type).toBe("input_request");
      await client.send("stdin", "input_reply", { value: "yes ✓", status: "ok" }, ask.header);
      await client.reply(id);
      expect(result(await client.idle(id))).toEqual({ "text/plain": "'got yes ✓'" });
    }
    const refused = await client.run('inputSync("x")', { allow_stdin: false });
    expect(refused.reply.content).toMatchObject({ status: "error" });
    expect(String(refused.reply.content["evalue"])).toMatch(/allow_stdin is false/);
  });

  it("an interrupt wakes a cell blocked in a synchronous prompt", async () => {
    const id = await client.execute('inputSync("never answered")');
    await client.until(() => client.received.stdin.some((m) => m.parent_header.msg_id === id), 5000, "input_request");
    await client.send("control", "interrupt_request", {});
    expect((await client.reply(id, 2000)).content["ename"]).toBe("KeyboardInterrupt");
  });

  it("delivers 100,000 printed lines complete, in few messages, before idle", async () => {
    const { iopub } = await client.run('for (let i = 0; i < 100000; i++) print("line " + i)');
    const streams = iopub.filter((m) => m.header.msg_type === "stream");
    const text = streams.map((m) => String(m.content["text"])).join("");
    const lines = text.split("\n");
    expect(lines.length).toBe(100001);
    expect(lines[0]).toBe("line 0");
    expect(lines[99999]).toBe("line 99999");
    expect(streams.length).toBeLessThan(200);
    expect(iopub.at(-1)!.content["execution_state"]).toBe("idle");
  });

  it("publishes output from a finished cell's timer under the latest execute_request", async () => {
    const first = await client.run('setTimeout(((s) => () => s.stream("stdout", "late\\n"))(sink()), 300); 0');
    const second = await client.run("1");
    await client.until(() => client.received.iopub.some((m) => m.content["text"] === "late\n"), 3000, "late output");
    const late = client.received.iopub.find((m) => m.content["text"] === "late\n")!;
    expect(late.parent_header.msg_id).toBe(second.id);
    expect(late.parent_header.msg_id).not.toBe(first.id);
  });

  it("starts and runs cells when node is given heap-size flags (which a worker would reject)", async () => {
    const own = await launchKernel([process.execPath, "--max-semi-space-size=4", "--max-old-space-size=512", entry]);
    try {
      await own.ready();
      expect(result((await own.run("6 * 7")).iopub)).toEqual({ "text/plain": "42" });
    } finally {
      await own.close();
    }
  });

  it("shuts down cleanly on shutdown_request", async () => {
    const own = await launchKernel([process.execPath, entry]);
    try {
      await own.ready();
      const id = await own.send("control", "shutdown_request", { restart: false });
      expect((await own.reply(id)).content).toEqual({ status: "ok", restart: false });
      expect(await own.exited()).toBe(0);
    } finally {
      await own.close();
    }
  });

  it("exits without Node's 'Waiting for the debugger to disconnect' after cells have run", async () => {
    const own = await launchKernel([process.execPath, entry]);
    try {
      await own.ready();
      // The first cell opens the protocol thread's inspector session (used to stop busy loops).
      expect((await own.run("1 + 1")).reply.content.status).toBe("ok");
      const id = await own.send("control", "shutdown_request", { restart: false });
      expect((await own.reply(id)).content).toEqual({ status: "ok", restart: false });
      expect(await own.exited()).toBe(0);
      expect(own.stderr).not.toContain("Waiting for the debugger");
    } finally {
      await own.close();
    }
  });

  it("shuts down on a shell-channel shutdown_request too, replying on shell", async () => {
    const own = await launchKernel([process.execPath, entry]);
    try {
      await own.ready();
      const id = await own.send("shell", "shutdown_request", { restart: true });
      await own.until(() => own.received.shell.some((m) => m.parent_header.msg_id === id), 5000, "shutdown_reply on shell");
      expect((await own.reply(id)).content).toEqual({ status: "ok", restart: true });
      expect(await own.exited()).toBe(0);
    } finally {
      await own.close();
    }
  });

  it("exits when the process named by JPY_PARENT_PID is gone", async () => {
    const parent = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    const own = await launchKernel([process.execPath, entry], { JPY_PARENT_PID: String(parent.pid) });
    try {
      await own.ready();
      parent.kill("SIGKILL");
      expect(await own.exited()).toBe(0);
      expect(own.stderr).toMatch(/launched this kernel is gone/);
    } finally {
      parent.kill("SIGKILL");
      await own.close();
    }
  });
});
