/**
 * What a client sends cannot hang or break the protocol kernel: prototype-named and unknown
 * message types, content of the wrong shape, absurd cursor positions and history arguments, and
 * a completion that never answers (in-memory transport, JavaScript test executor).
 */
import { describe, expect, it } from "vitest";
import { HistoryStore } from "../../kernel/protocol/history.js";
import { MAX_HISTORY_ROWS, MAX_QUERY_CODE_CHARS } from "../../kernel/protocol/limits.js";
import { MemoryTransport } from "../../kernel/protocol/memory-transport.js";
import type { JupyterMessage } from "../../kernel/protocol/messages.js";
import { ProtocolKernel } from "../../kernel/protocol/protocol-kernel.js";
import { checkRequest } from "../../kernel/protocol/request-checks.js";
import { JsExecutor } from "./fixtures/js-executor.js";

async function setup(options: { queryTimeoutMs?: number } = {}) {
  const transport = new MemoryTransport();
  const executor = new JsExecutor();
  const calls: Array<[string, unknown[]]> = [];
  for (const method of ["execute", "complete", "inspect", "isComplete"] as const) {
    const original = executor[method].bind(executor) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(executor, { [method]: (...args: unknown[]) => (calls.push([method, args]), original(...args)) });
  }
  const kernel = new ProtocolKernel({ transport, executor, ...options });
  await kernel.start();
  const answered = (request: JupyterMessage) => transport.sent.filter((m) => m.message.parent_header.msg_id === request.header.msg_id).map((m) => m.message.header.msg_type);
  return { transport, executor, kernel, calls, answered };
}

const valid = { code: "1", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true };

describe("message types", () => {
  for (const msgType of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "__defineGetter__", "frobnicate_request"]) {
    it(`"${msgType}" is ignored: busy and idle only, no reply of any type`, async () => {
      const { transport, answered } = await setup();
      const request = transport.request("shell", msgType, { code: "1", echo: "me" });
      await transport.idle(request);
      expect(answered(request)).toEqual(["status", "status"]);
      // The kernel still works afterwards.
      const info = transport.request("shell", "kernel_info_request", {});
      expect((await transport.reply(info)).content["status"]).toBe("ok");
    });
  }
});

describe("content of the wrong shape", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["execute_request", { ...valid, code: 5 }],
    ["execute_request", { ...valid, code: undefined }],
    ["execute_request", { ...valid, silent: "no" }],
    ["execute_request", { ...valid, user_expressions: { a: 1 } }],
    ["execute_request", { ...valid, user_expressions: [] }],
    ["complete_request", { code: "ab", cursor_pos: "2" }],
    ["complete_request", { code: ["ab"], cursor_pos: 2 }],
    ["inspect_request", { code: "ab", cursor_pos: {} }],
    ["is_complete_request", { code: null }],
    ["history_request", { hist_access_type: "everything" }],
    ["history_request", { hist_access_type: "tail", n: "10" }],
    ["history_request", { hist_access_type: "search", pattern: 7 }],
    ["history_request", { hist_access_type: "search", pattern: "*".repeat(5000) }],
    ["comm_open", { comm_id: 1, target_name: "x" }],
    ["shutdown_request", { restart: "yes" }],
  ];
  for (const [msgType, content] of cases) {
    it(`${msgType} with ${JSON.stringify(content).slice(0, 60)} is neither run nor answered`, async () => {
      const { transport, calls, answered } = await setup();
      const request = transport.request("shell", msgType, content);
      await transport.idle(request);
      expect(answered(request)).toEqual(["status", "status"]);
      expect(calls).toEqual([]);
    });
  }

  it("absent and null optional fields are accepted", async () => {
    const { transport } = await setup();
    const request = transport.request("shell", "execute_request", { code: "6 * 7", silent: null, user_expressions: null });
    expect((await transport.reply(request)).content["status"]).toBe("ok");
  });
});

describe("numbers are clamped before the executor sees them", () => {
  it("cursor positions past either end of the code land at the nearest end", async () => {
    const { transport, calls } = await setup();
    for (const cursor_pos of [1e12, -5, 2.7, Number.MAX_VALUE, -Number.MAX_VALUE]) {
      const reply = await transport.reply(transport.request("shell", "complete_request", { code: "abc", cursor_pos }));
      expect(reply.content["status"]).toBe("ok");
    }
    await transport.reply(transport.request("shell", "inspect_request", { code: "abc", cursor_pos: 1e300 }));
    await transport.reply(transport.request("shell", "complete_request", { code: "abc" }));
    expect(calls.map(([, args]) => args[1])).toEqual([3, 0, 2, 3, 0, 3, 3]);
  });

  it("checkRequest keeps the other fields and clamps history numbers", () => {
    expect(checkRequest("complete_request", { code: "ab", cursor_pos: 1e12, extra: true })).toEqual({ ok: true, content: { code: "ab", cursor_pos: 2, extra: true } });
    expect(checkRequest("history_request", { hist_access_type: "tail", n: 1e15, start: 1e300 })).toEqual({
      ok: true,
      content: { hist_access_type: "tail", n: MAX_HISTORY_ROWS, start: Number.MAX_SAFE_INTEGER },
    });
    expect(checkRequest("history_request", { hist_access_type: "tail", n: -3 })).toMatchObject({ ok: true, content: { n: 0 } });
  });

  it("code too long to query is answered empty without asking the executor", async () => {
    const { transport, calls } = await setup();
    const code = "x".repeat(MAX_QUERY_CODE_CHARS + 1);
    const reply = await transport.reply(transport.request("shell", "complete_request", { code, cursor_pos: code.length }));
    expect(reply.content).toMatchObject({ status: "ok", matches: [] });
    expect(calls).toEqual([]);
  });
});

describe("a query that does not answer", () => {
  it("is answered empty after the timeout, and the next cell runs", async () => {
    const { transport, executor } = await setup({ queryTimeoutMs: 100 });
    const never = () => new Promise<never>(() => undefined);
    Object.assign(executor, { complete: never, inspect: never, isComplete: never });
    const complete = await transport.reply(transport.request("shell", "complete_request", { code: "ab", cursor_pos: 2 }));
    expect(complete.content).toEqual({ status: "ok", matches: [], cursor_start: 2, cursor_end: 2, metadata: {} });
    const inspect = await transport.reply(transport.request("shell", "inspect_request", { code: "ab", cursor_pos: 2 }));
    expect(inspect.content).toEqual({ status: "ok", found: false, data: {}, metadata: {} });
    const isComplete = await transport.reply(transport.request("shell", "is_complete_request", { code: "ab" }));
    expect(isComplete.content).toEqual({ status: "unknown" });
    const cell = await transport.reply(transport.request("shell", "execute_request", { ...valid, code: "1 + 1" }));
    expect(cell.content["status"]).toBe("ok");
  });
});

describe("history", () => {
  it("keeps the newest cells within its limits", () => {
    const history = new HistoryStore(1, { entries: 3, chars: 10 });
    for (let line = 1; line <= 5; line++) history.add(line, `${line}`);
    expect(history.query({ hist_access_type: "tail" })).toEqual([[1, 3, "3"], [1, 4, "4"], [1, 5, "5"]]);
    history.add(6, "123456789");
    expect(history.query({ hist_access_type: "tail" })).toEqual([[1, 5, "5"], [1, 6, "123456789"]]);
    history.add(7, "x".repeat(50)); // larger than the limit alone: kept, as the newest always is
    expect(history.query({ hist_access_type: "tail" })).toEqual([[1, 7, "x".repeat(50)]]);
  });

  it("searches from the newest cell, with unique inputs and n", () => {
    const history = new HistoryStore();
    ["a1", "b", "a2", "a1", "a3"].forEach((input, i) => history.add(i + 1, input));
    expect(history.query({ hist_access_type: "search", pattern: "a*" })).toEqual([[1, 1, "a1"], [1, 3, "a2"], [1, 4, "a1"], [1, 5, "a3"]]);
    expect(history.query({ hist_access_type: "search", pattern: "a*", n: 2 })).toEqual([[1, 4, "a1"], [1, 5, "a3"]]);
    expect(history.query({ hist_access_type: "search", pattern: "a*", unique: true })).toEqual([[1, 3, "a2"], [1, 4, "a1"], [1, 5, "a3"]]);
  });

  it("answers a many-star pattern over long inputs (no backtracking regex)", async () => {
    const { transport } = await setup();
    const code = "a".repeat(30_000);
    await transport.reply(transport.request("shell", "execute_request", { ...valid, code: `"${code}".length` }));
    const reply = await transport.reply(transport.request("shell", "history_request", { hist_access_type: "search", pattern: "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab" }));
    expect(reply.content).toEqual({ status: "ok", history: [] });
  });
});

describe("a flood of valid requests behind a running cell", () => {
  it("makes the kernel ask its transport to stop reading until half the queue has run", async () => {
    let deliver!: (channel: "shell", message: JupyterMessage) => void | Promise<void>;
    const sent: JupyterMessage[] = [];
    const transport = {
      start: async (onRequest: typeof deliver) => void (deliver = onRequest),
      send: (_channel: string, message: JupyterMessage) => void sent.push(message),
      flush: async () => undefined,
      close: async () => undefined,
    };
    const kernel = new ProtocolKernel({ transport, executor: new JsExecutor() });
    await kernel.start();
    const request = (code: string): JupyterMessage => ({
      identities: [],
      header: { msg_id: `m-${code}`, session: "s", username: "u", date: "", msg_type: "execute_request", version: "5.3" },
      parent_header: {},
      metadata: {},
      content: { ...valid, code, stop_on_error: false },
      buffers: [],
    });
    expect(deliver("shell", request("sleep(200)"))).toBeUndefined();
    let paused: void | Promise<void> = undefined;
    let accepted = 1;
    while (!paused && accepted < 5000) paused = deliver("shell", request(String(accepted++)));
    expect(paused).toBeInstanceOf(Promise);
    expect(accepted).toBeLessThan(1100); // about MAX_QUEUED_REQUESTS, not everything offered
    await paused;
    const replies = sent.filter((m) => m.header.msg_type === "execute_reply").length;
    expect(replies).toBeGreaterThan(accepted / 3); // resumed once the queue had drained to half
    expect(sent.find((m) => m.header.msg_type === "execute_reply")?.content["status"]).toBe("ok");
  });
});
