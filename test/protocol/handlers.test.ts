/**
 * Fast tests of the protocol kernel's handlers over the in-memory transport, with the JavaScript
 * test executor on the same thread (no sockets, no worker).
 */
import { describe, expect, it } from "vitest";
import type { JupyterMessage } from "../../kernel/protocol/messages.js";
import { MemoryTransport } from "../../kernel/protocol/memory-transport.js";
import { ProtocolKernel } from "../../kernel/protocol/protocol-kernel.js";
import { JsExecutor } from "./fixtures/js-executor.js";

async function setup() {
  const transport = new MemoryTransport();
  const executor = new JsExecutor();
  const shutdowns: boolean[] = [];
  const kernel = new ProtocolKernel({ transport, executor, onShutdown: (restart) => void shutdowns.push(restart) });
  await kernel.start();
  const execute = async (code: string, extra: Record<string, unknown> = {}) => {
    const request = transport.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: true, ...extra });
    const reply = await transport.reply(request);
    await transport.idle(request);
    return { request, reply, iopub: transport.iopubFor(request) };
  };
  return { transport, executor, kernel, execute, shutdowns };
}

const types = (messages: JupyterMessage[]) => messages.map((m) => m.header.msg_type + (m.header.msg_type === "status" ? `:${String(m.content["execution_state"])}` : ""));

describe("execute_request", () => {
  it("publishes busy, execute_input, outputs, execute_result, then idle, and replies with the count", async () => {
    const { execute } = await setup();
    const { reply, iopub } = await execute('print("hi"); eprint("oops"); display({"text/html": "<b>x</b>"}); 6 * 7');
    expect(types(iopub)).toEqual(["status:busy", "execute_input", "stream", "stream", "display_data", "execute_result", "status:idle"]);
    expect(iopub[1]!.content).toEqual({ code: 'print("hi"); eprint("oops"); display({"text/html": "<b>x</b>"}); 6 * 7', execution_count: 1 });
    expect(iopub[2]!.content).toEqual({ name: "stdout", text: "hi\n" });
    expect(iopub[3]!.content).toEqual({ name: "stderr", text: "oops\n" });
    expect(iopub[4]!.content).toEqual({ data: { "text/html": "<b>x</b>" }, metadata: {}, transient: {} });
    expect(iopub[5]!.content).toEqual({ execution_count: 1, data: { "text/plain": "42" }, metadata: {} });
    expect(reply.content).toMatchObject({ status: "ok", execution_count: 1, user_expressions: {}, payload: [] });
    expect(reply.metadata["status"]).toBe("ok");
    for (const m of iopub) expect(m.parent_header.msg_id).toBe(reply.parent_header.msg_id);
  });

  it("coalesces many stream calls into few messages with every line intact", async () => {
    const { execute } = await setup();
    const { iopub } = await execute('for (let i = 0; i < 100000; i++) print("line " + i)');
    const streams = iopub.filter((m) => m.header.msg_type === "stream");
    const text = streams.map((m) => m.content["text"]).join("");
    expect(text.split("\n").length - 1).toBe(100000);
    expect(text.startsWith("line 0\nline 1\n")).toBe(true);
    expect(text.endsWith("line 99999\n")).toBe(true);
    expect(streams.length).toBeLessThan(100);
  });

  it("keeps stdout/stderr interleaving order", async () => {
    const { execute } = await setup();
    const { iopub } = await execute('print("a"); print("b"); eprint("c"); print("d")');
    // As a frontend shows them: consecutive messages of one stream joined (how text is cut into
    // messages is the executor's batching, not this test's subject).
    const streams = iopub
      .filter((m) => m.header.msg_type === "stream")
      .reduce<string[][]>((runs, m) => {
        const [name, text] = [String(m.content["name"]), String(m.content["text"])];
        const last = runs[runs.length - 1];
        if (last && last[0] === name) last[1] += text;
        else runs.push([name, text]);
        return runs;
      }, []);
    expect(streams).toEqual([["stdout", "a\nb\n"], ["stderr", "c\n"], ["stdout", "d\n"]]);
  });

  it("counts only stored executions and, when silent, shows no input nor result", async () => {
    const { execute } = await setup();
    expect((await execute("1")).reply.content["execution_count"]).toBe(1);
    const silent = await execute('print("s"); 2', { silent: true });
    expect(types(silent.iopub)).toEqual(["status:busy", "stream", "status:idle"]);
    expect(silent.reply.content["execution_count"]).toBe(1);
    const unstored = await execute("3", { store_history: false });
    expect(unstored.reply.content["execution_count"]).toBe(1);
    expect(unstored.iopub.find((m) => m.header.msg_type === "execute_result")!.content["execution_count"]).toBe(1);
    expect((await execute("4")).reply.content["execution_count"]).toBe(2);
  });

  it("evaluates user_expressions", async () => {
    const { execute } = await setup();
    const { reply } = await execute("globalThis.x = 5", { user_expressions: { double: "x * 2", bad: "nope()" } });
    const ue = reply.content["user_expressions"] as Record<string, Record<string, unknown>>;
    expect(ue["double"]).toEqual({ status: "ok", data: { "text/plain": "10" }, metadata: {} });
    expect(ue["bad"]!["status"]).toBe("error");
    expect(ue["bad"]!["ename"]).toBe("ReferenceError");
  });

  it("reports errors with ename/evalue/traceback on IOPub and in the reply", async () => {
    const { execute } = await setup();
    const { reply, iopub } = await execute('throw new TypeError("bad thing")');
    expect(types(iopub)).toEqual(["status:busy", "execute_input", "error", "status:idle"]);
    expect(iopub[2]!.content).toMatchObject({ ename: "TypeError", evalue: "bad thing" });
    expect(reply.content).toMatchObject({ status: "error", ename: "TypeError", evalue: "bad thing", execution_count: 1 });
    expect(reply.metadata["status"]).toBe("error");
  });

  it("stop_on_error aborts only requests already queued, later ones run", async () => {
    const { transport } = await setup();
    const content = (code: string) => ({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const failing = transport.request("shell", "execute_request", content('sleep(20).then(() => { throw new Error("x") })'));
    const queued1 = transport.request("shell", "execute_request", content("1"));
    const queuedComplete = transport.request("shell", "complete_request", { code: "pri", cursor_pos: 3 });
    const queued2 = transport.request("shell", "execute_request", content("2"));
    expect((await transport.reply(failing)).content["status"]).toBe("error");
    expect((await transport.reply(queued1)).content).toEqual({ status: "aborted" });
    expect((await transport.reply(queuedComplete)).content["status"]).toBe("ok");
    expect((await transport.reply(queued2)).content).toEqual({ status: "aborted" });
    await transport.idle(queued2);
    expect(types(transport.iopubFor(queued1))).toEqual(["status:busy", "status:idle"]);
    const later = transport.request("shell", "execute_request", content("3"));
    expect((await transport.reply(later)).content).toMatchObject({ status: "ok", execution_count: 2 });
  });

  it("with stop_on_error false nothing is aborted", async () => {
    const { transport } = await setup();
    const content = (code: string) => ({ code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false });
    const failing = transport.request("shell", "execute_request", content('throw new Error("x")'));
    const next = transport.request("shell", "execute_request", content("1"));
    expect((await transport.reply(failing)).content["status"]).toBe("error");
    expect((await transport.reply(next)).content["status"]).toBe("ok");
  });

  it("late output of a finished cell goes out with the latest execute_request as parent", async () => {
    const { transport, execute } = await setup();
    const first = await execute("globalThis.first = sink(); 0");
    const second = await execute("1");
    transport.sent.length = 0;
    const firstSinkPrint = await execute('first.stream("stdout", "late\\n")', { silent: true });
    const late = transport.sent.find((m) => m.message.header.msg_type === "stream");
    expect(late!.message.content["text"]).toBe("late\n");
    expect(late!.message.parent_header.msg_id).toBe(firstSinkPrint.request.header.msg_id);
    expect(late!.message.parent_header.msg_id).not.toBe(first.request.header.msg_id);
    expect(second.reply.content["status"]).toBe("ok");
  });

  it("routes input through stdin and rejects it when allow_stdin is false", async () => {
    const { transport, execute } = await setup();
    const request = transport.request("shell", "execute_request", { code: 'input("name? ").then((v) => "hello " + v)', allow_stdin: true });
    const ask = await transport.waitFor((m) => m.channel === "stdin");
    expect(ask.message.header.msg_type).toBe("input_request");
    expect(ask.message.content).toEqual({ prompt: "name? ", password: false });
    expect(ask.message.parent_header.msg_id).toBe(request.header.msg_id);
    transport.request("stdin", "input_reply", { value: "Ada" }, ask.message);
    await transport.reply(request);
    expect(transport.iopubFor(request).find((m) => m.header.msg_type === "execute_result")!.content["data"]).toEqual({ "text/plain": "'hello Ada'" });

    const refused = await execute('input("x")', { allow_stdin: false });
    expect(refused.reply.content["status"]).toBe("error");
    expect(String(refused.reply.content["evalue"])).toMatch(/allow_stdin is false/);
  });

  it("an input_reply to an earlier, interrupted prompt does not answer the current one", async () => {
    const { transport } = await setup();
    const first = transport.request("shell", "execute_request", { code: 'input("first? ")', allow_stdin: true });
    const firstAsk = await transport.waitFor((m) => m.channel === "stdin" && m.message.parent_header.msg_id === first.header.msg_id);
    transport.request("control", "interrupt_request", {});
    expect((await transport.reply(first)).content["ename"]).toBe("KeyboardInterrupt");
    const second = transport.request("shell", "execute_request", { code: 'input("second? ").then((v) => "hello " + v)', allow_stdin: true });
    const secondAsk = await transport.waitFor((m) => m.channel === "stdin" && m.message.parent_header.msg_id === second.header.msg_id);
    // The frontend answers the first prompt's box late, after the second prompt went out.
    transport.request("stdin", "input_reply", { value: "stale" }, firstAsk.message);
    transport.request("stdin", "input_reply", { value: "Bob" }, secondAsk.message);
    await transport.reply(second);
    expect(transport.iopubFor(second).find((m) => m.header.msg_type === "execute_result")!.content["data"]).toEqual({ "text/plain": "'hello Bob'" });
  });

  it("interrupt_request on control abandons a pending await and the kernel keeps its state", async () => {
    const { transport, execute } = await setup();
    await execute("globalThis.kept = 41");
    const hanging = transport.request("shell", "execute_request", { code: "new Promise(() => {})" });
    await transport.waitFor((m) => m.message.header.msg_type === "execute_input" && m.message.parent_header.msg_id === hanging.header.msg_id);
    const interrupt = transport.request("control", "interrupt_request", {});
    expect((await transport.reply(interrupt)).content).toEqual({ status: "ok" });
    expect((await transport.reply(hanging)).content).toMatchObject({ status: "error", ename: "KeyboardInterrupt" });
    const after = await execute("kept + 1");
    expect(after.iopub.find((m) => m.header.msg_type === "execute_result")!.content["data"]).toEqual({ "text/plain": "42" });
  });

  it("display ids travel in transient; update_display_data and clear_output pass through", async () => {
    const { execute } = await setup();
    const { iopub } = await execute('display({"text/plain": "a"}, "d1"); update({"text/plain": "b"}, "d1"); clear(true)');
    expect(iopub[2]!.content).toEqual({ data: { "text/plain": "a" }, metadata: {}, transient: { display_id: "d1" } });
    expect(iopub[3]!.header.msg_type).toBe("update_display_data");
    expect(iopub[3]!.content).toEqual({ data: { "text/plain": "b" }, metadata: {}, transient: { display_id: "d1" } });
    expect(iopub[4]!.content).toEqual({ wait: true });
  });
});

describe("other requests", () => {
  it("kernel_info answers on shell and control with the executor's info", async () => {
    const { transport } = await setup();
    for (const channel of ["shell", "control"] as const) {
      const request = transport.request(channel, "kernel_info_request", {});
      const reply = await transport.reply(request);
      expect(transport.sent.find((m) => m.message === reply)!.channel).toBe(channel);
      expect(reply.content).toMatchObject({ status: "ok", protocol_version: "5.3", implementation: "gradlab", language_info: { name: "javascript" } });
      await transport.idle(request);
      expect(types(transport.iopubFor(request))).toEqual(["status:busy", "status:idle"]);
    }
  });

  it("complete, inspect and is_complete map the executor's answers", async () => {
    const { transport, execute } = await setup();
    await execute("globalThis.alpha = 1; globalThis.alphabet = 2");
    const complete = await transport.reply(transport.request("shell", "complete_request", { code: "x = alp", cursor_pos: 7 }));
    expect(complete.content).toMatchObject({ status: "ok", matches: ["alpha", "alphabet"], cursor_start: 4, cursor_end: 7 });
    expect((complete.content["metadata"] as Record<string, unknown[]>)["_jupyter_types_experimental"]).toHaveLength(2);
    const inspect = await transport.reply(transport.request("shell", "inspect_request", { code: "alpha", cursor_pos: 5, detail_level: 0 }));
    expect(inspect.content).toMatchObject({ status: "ok", found: true, data: { "text/plain": "alpha: number = 1" } });
    const missing = await transport.reply(transport.request("shell", "inspect_request", { code: "zzz", cursor_pos: 3, detail_level: 0 }));
    expect(missing.content).toEqual({ status: "ok", found: false, data: {}, metadata: {} });
    const incomplete = await transport.reply(transport.request("shell", "is_complete_request", { code: "function f() {" }));
    expect(incomplete.content).toEqual({ status: "incomplete", indent: "  " });
    const complete2 = await transport.reply(transport.request("shell", "is_complete_request", { code: "1 + 1" }));
    expect(complete2.content).toEqual({ status: "complete" });
    const invalid = await transport.reply(transport.request("shell", "is_complete_request", { code: "1 +* 1)" }));
    expect(invalid.content).toEqual({ status: "invalid" });
  });

  it("cursor positions on the wire count code points, so text after an emoji completes and inspects in place", async () => {
    // JupyterLab and Notebook 7 send cursor_pos in code points and read cursor_start/end the same
    // way (messaging spec 5.2+); '🎉' is one code point but two UTF-16 units in JavaScript.
    const { transport, execute } = await setup();
    await execute("globalThis.alpha = 1; globalThis.alphabet = 2");
    const code = "s = '🎉🎉'; alp";
    const end = [...code].length; // 14 code points (16 UTF-16 units)
    const complete = await transport.reply(transport.request("shell", "complete_request", { code, cursor_pos: end }));
    expect(complete.content).toMatchObject({ status: "ok", matches: ["alpha", "alphabet"], cursor_start: end - 3, cursor_end: end });
    const types = (complete.content["metadata"] as Record<string, Array<{ start: number; end: number }>>)["_jupyter_types_experimental"]!;
    for (const t of types) expect([t.start, t.end]).toEqual([end - 3, end]);
    // Code point 15 is right after "alpha"; read as a UTF-16 offset it would be after "alp".
    const inspectCode = "s = '🎉🎉'; alpha + 1";
    const inspect = await transport.reply(transport.request("shell", "inspect_request", { code: inspectCode, cursor_pos: 15, detail_level: 0 }));
    expect(inspect.content).toMatchObject({ status: "ok", found: true, data: { "text/plain": "alpha: number = 1" } });
    // A cursor past the end, counted in code points, still lands at the end.
    const far = await transport.reply(transport.request("shell", "complete_request", { code, cursor_pos: end + 1 }));
    expect(far.content).toMatchObject({ cursor_start: end - 3, cursor_end: end });
  });

  it("a failing executor makes complete/inspect/is_complete answer empty or unknown, never malformed", async () => {
    const { transport, executor } = await setup();
    const broken = () => Promise.reject(new Error("language service down"));
    Object.assign(executor, { complete: broken, inspect: broken, isComplete: broken });
    const complete = await transport.reply(transport.request("shell", "complete_request", { code: "ab", cursor_pos: 2 }));
    expect(complete.content).toEqual({ status: "ok", matches: [], cursor_start: 2, cursor_end: 2, metadata: {} });
    const inspect = await transport.reply(transport.request("shell", "inspect_request", { code: "ab", cursor_pos: 2 }));
    expect(inspect.content).toEqual({ status: "ok", found: false, data: {}, metadata: {} });
    const isComplete = await transport.reply(transport.request("shell", "is_complete_request", { code: "ab" }));
    expect(isComplete.content).toEqual({ status: "unknown" });
  });

  it("history answers tail, range and search", async () => {
    const { transport, execute } = await setup();
    for (const code of ["1 + 1", "2 + 2", "1 + 1", "print(3)"]) await execute(code);
    await execute("5", { store_history: false });
    const history = async (content: Record<string, unknown>) =>
      (await transport.reply(transport.request("shell", "history_request", { raw: true, output: false, ...content }))).content["history"];
    expect(await history({ hist_access_type: "tail", n: 2 })).toEqual([[1, 3, "1 + 1"], [1, 4, "print(3)"]]);
    expect(await history({ hist_access_type: "tail", n: 1, output: true })).toEqual([[1, 4, ["print(3)", null]]]);
    expect(await history({ hist_access_type: "range", session: 0, start: 2, stop: 3, output: true })).toEqual([[1, 2, ["2 + 2", "4"]]]);
    expect(await history({ hist_access_type: "search", pattern: "1 ?*" })).toEqual([[1, 1, "1 + 1"], [1, 3, "1 + 1"]]);
    expect(await history({ hist_access_type: "search", pattern: "1 ?*", unique: true })).toEqual([[1, 3, "1 + 1"]]);
    expect(await history({ hist_access_type: "search", pattern: "*", n: 3 })).toHaveLength(3);
  });

  it("comms: info is empty, an unknown comm_open is closed, comm_msg/comm_close are ignored", async () => {
    const { transport } = await setup();
    const info = await transport.reply(transport.request("shell", "comm_info_request", {}));
    expect(info.content).toEqual({ status: "ok", comms: {} });
    const open = transport.request("shell", "comm_open", { comm_id: "c1", target_name: "nobody", data: {} });
    await transport.idle(open);
    expect(types(transport.iopubFor(open))).toEqual(["status:busy", "comm_close", "status:idle"]);
    expect(transport.iopubFor(open)[1]!.content).toEqual({ comm_id: "c1", data: {} });
    for (const type of ["comm_msg", "comm_close"]) {
      const msg = transport.request("shell", type, { comm_id: "c1", data: {} });
      await transport.idle(msg);
      expect(transport.sent.filter((m) => m.channel === "shell" && m.message.parent_header.msg_id === msg.header.msg_id)).toEqual([]);
    }
  });

  it("shutdown replies, then shuts the executor down and calls onShutdown", async () => {
    const { transport, executor, shutdowns } = await setup();
    const request = transport.request("control", "shutdown_request", { restart: true });
    expect((await transport.reply(request)).content).toEqual({ status: "ok", restart: true });
    await transport.idle(request);
    await new Promise((r) => setTimeout(r, 10));
    expect(executor.shutdownCalls).toEqual([true]);
    expect(shutdowns).toEqual([true]);
  });

  it("an unknown request type gets busy/idle and no reply", async () => {
    const { transport } = await setup();
    const request = transport.request("shell", "frobnicate_request", {});
    await transport.idle(request);
    expect(transport.sent.filter((m) => m.channel === "shell")).toEqual([]);
  });
});
