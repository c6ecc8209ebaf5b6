/**
 * The per-request stream budget: StreamBudget on its own, then through the protocol kernel over the
 * in-memory transport with the JavaScript test executor (same thread, no sockets).
 */
import { describe, expect, it } from "vitest";
import type { JupyterMessage } from "../../kernel/protocol/messages.js";
import { MemoryTransport } from "../../kernel/protocol/memory-transport.js";
import { ProtocolKernel } from "../../kernel/protocol/protocol-kernel.js";
import { DEFAULT_MAX_OUTPUT_MB, StreamBudget, TAIL_CHARS, formatSize, outputLimitFromEnv } from "../../kernel/protocol/stream-budget.js";
import { JsExecutor } from "./fixtures/js-executor.js";

const MB = 1024 * 1024;
const lines = (from: number, to: number, prefix = "line ") => Array.from({ length: to - from }, (_, k) => `${prefix}${from + k}\n`).join("");

describe("outputLimitFromEnv", () => {
  it("reads GRADLAB_MAX_OUTPUT_MB, 0 for unlimited, and falls back to the default with a reason", () => {
    expect(outputLimitFromEnv({})).toEqual({ megabytes: DEFAULT_MAX_OUTPUT_MB });
    expect(outputLimitFromEnv({ GRADLAB_MAX_OUTPUT_MB: " " })).toEqual({ megabytes: DEFAULT_MAX_OUTPUT_MB });
    expect(outputLimitFromEnv({ GRADLAB_MAX_OUTPUT_MB: "0.5" })).toEqual({ megabytes: 0.5 });
    expect(outputLimitFromEnv({ GRADLAB_MAX_OUTPUT_MB: "0" })).toEqual({ megabytes: 0 });
    for (const bad of ["-1", "lots", "Infinity"]) {
      const parsed = outputLimitFromEnv({ GRADLAB_MAX_OUTPUT_MB: bad });
      expect(parsed.megabytes).toBe(DEFAULT_MAX_OUTPUT_MB);
      expect(parsed.problem).toContain(`GRADLAB_MAX_OUTPUT_MB=${bad}`);
    }
  });

  it("keeps the default well above the 100,000-line test's ~1.1 MB", () => {
    expect(DEFAULT_MAX_OUTPUT_MB * MB).toBeGreaterThan(1.8 * lines(0, 100000).length);
  });
});

describe("formatSize", () => {
  it("names sizes in bytes, KB and MB", () => {
    expect(formatSize(1)).toBe("1 byte");
    expect(formatSize(312)).toBe("312 bytes");
    expect(formatSize(4096)).toBe("4 KB");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(2 * MB)).toBe("2 MB");
    expect(formatSize(118.34 * MB)).toBe("118 MB");
    expect(formatSize(21.44 * MB)).toBe("21.4 MB");
  });
});

describe("StreamBudget", () => {
  it("returns the very same text while under the limit, exactly up to it", () => {
    const budget = new StreamBudget(1 / 1024); // 1024 units
    const a = "x".repeat(1000);
    const b = "y".repeat(24);
    expect(budget.admit("stdout", a)).toBe(a);
    expect(budget.admit("stderr", b)).toBe(b);
    expect(budget.takeNotice()).toBe(false);
    expect(budget.takeReport()).toBeUndefined();
    expect(budget.admit("stdout", "z")).toBe("");
    expect(budget.takeNotice()).toBe(true);
    expect(budget.takeNotice()).toBe(false);
    expect(budget.takeReport()?.summary).toContain("1 byte of output from this cell not shown");
  });

  it("cuts the crossing text after its last line break that fits, and drops the rest", () => {
    const budget = new StreamBudget(1 / 1024);
    budget.admit("stdout", "a".repeat(1000));
    const crossing = "0123456789\n0123456789\n0123456789\n";
    const shown = budget.admit("stdout", crossing);
    expect(shown).toBe("0123456789\n0123456789\n"); // 22 of the 24 units left; the third line would not fit
    expect(budget.admit("stdout", "more\n")).toBe("");
    expect(budget.admit("stderr", "and more\n")).toBe("");
    const report = budget.takeReport()!;
    const dropped = crossing.length - shown.length + "more\n".length + "and more\n".length;
    expect(report.summary).toBe(`[gradlab] ${formatSize(dropped)} of output from this cell not shown; its last ${formatSize(dropped)} follow:\n`);
    expect(report.tail).toEqual([
      { name: "stdout", text: "0123456789\nmore\n" },
      { name: "stderr", text: "and more\n" },
    ]);
    expect(budget.takeReport()).toBeUndefined(); // reported once
  });

  it("drops a line that does not fit whole, but cuts a long one (never inside a surrogate pair)", () => {
    const short = new StreamBudget(1 / 1024);
    short.admit("stdout", "a".repeat(1020));
    expect(short.admit("stdout", "line 12345\n")).toBe("");
    expect(short.takeNotice()).toBe(true);
    expect(short.takeReport()!.tail).toEqual([{ name: "stdout", text: "line 12345\n" }]);

    const long = new StreamBudget(1 / 1024);
    const line = "b".repeat(1023) + "😀😀\n";
    expect(long.admit("stdout", line)).toBe("b".repeat(1023)); // 1024 would end inside the first emoji
    expect(long.takeReport()!.tail).toEqual([{ name: "stdout", text: "😀😀\n" }]);
  });

  it("keeps at most the last TAIL_CHARS of dropped text, starting at a line start", () => {
    const budget = new StreamBudget(1 / 1024);
    budget.admit("stdout", "x".repeat(1024));
    const dropped = lines(0, 5000);
    for (let k = 0; k < dropped.length; k += 700) budget.admit("stdout", dropped.slice(k, k + 700));
    const { summary, tail } = budget.takeReport()!;
    expect(tail).toHaveLength(1);
    const text = tail[0]!.text;
    expect(text.length).toBeLessThanOrEqual(TAIL_CHARS);
    expect(text.length).toBeGreaterThan(TAIL_CHARS - 20);
    expect(dropped.endsWith(text)).toBe(true);
    expect(text.startsWith("line ")).toBe(true);
    expect(summary).toContain(`${formatSize(dropped.length)} of output`);
    expect(summary).toContain(`its last ${formatSize(text.length)} follow`);
  });

  it("keeps the tail of one huge dropped text", () => {
    const budget = new StreamBudget(1 / 1024);
    budget.admit("stdout", "x".repeat(1024));
    const huge = lines(0, 200000);
    budget.admit("stderr", huge);
    const { tail } = budget.takeReport()!;
    expect(tail[0]!.name).toBe("stderr");
    expect(huge.endsWith(tail[0]!.text)).toBe(true);
    expect(tail[0]!.text.length).toBeLessThanOrEqual(TAIL_CHARS);
  });

  it("starts afresh after restart() (the output area was cleared)", () => {
    const budget = new StreamBudget(1 / 1024);
    budget.admit("stdout", "x".repeat(2000));
    expect(budget.takeNotice()).toBe(true);
    budget.restart();
    expect(budget.takeReport()).toBeUndefined();
    const again = "y".repeat(1024);
    expect(budget.admit("stdout", again)).toBe(again);
  });

  it("with 0 MB, never limits", () => {
    const budget = new StreamBudget(0);
    const big = "z".repeat(3 * MB);
    for (let k = 0; k < 4; k++) expect(budget.admit("stdout", big)).toBe(big);
    expect(budget.takeNotice()).toBe(false);
    expect(budget.takeReport()).toBeUndefined();
  });
});

async function setup(outputLimitMb?: number) {
  const transport = new MemoryTransport();
  const kernel = new ProtocolKernel({ transport, executor: new JsExecutor(), ...(outputLimitMb === undefined ? {} : { outputLimitMb }) });
  await kernel.start();
  const execute = async (code: string) => {
    const request = transport.request("shell", "execute_request", { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: true, stop_on_error: false });
    const reply = await transport.reply(request);
    await transport.idle(request);
    return { request, reply, iopub: transport.iopubFor(request) };
  };
  return { transport, execute };
}

const streams = (iopub: JupyterMessage[]) =>
  iopub.filter((m) => m.header.msg_type === "stream").map((m) => ({ name: m.content["name"] as string, text: m.content["text"] as string }));
/** Stream text as a frontend shows it: consecutive messages of one stream joined. */
const segments = (iopub: JupyterMessage[]) =>
  streams(iopub).reduce<Array<{ name: string; text: string }>>((out, p) => {
    const last = out[out.length - 1];
    if (last && last.name === p.name) last.text += p.text;
    else out.push({ ...p });
    return out;
  }, []);
const NOTICE = /\[gradlab\] output truncated: [^\n]*\n/g;
const SUMMARY = /\[gradlab\] (\S+ \S+) of output from this cell not shown[^\n]*\n/g;
const count = (re: RegExp, text: string) => [...text.matchAll(re)].length;
const allText = (iopub: JupyterMessage[]) => streams(iopub).map((p) => p.text).join("");

describe("a kernel with a stream budget", () => {
  const LIMIT_MB = 1 / 16; // 64 KB
  const LOOP = 'for (let i = 0; i < 100000; i++) print("line " + i)';
  const full = lines(0, 100000);

  it("shows output up to the limit, one notice there, then at the end how much was dropped and its last lines", async () => {
    const { execute } = await setup(LIMIT_MB);
    const { reply, iopub } = await execute(LOOP);
    expect(reply.content["status"]).toBe("ok");
    const [shown, notice, tail, ...more] = segments(iopub);
    expect(more).toEqual([]);

    expect(shown!.name).toBe("stdout");
    expect(shown!.text.length).toBeLessThanOrEqual(LIMIT_MB * MB);
    expect(shown!.text.length).toBeGreaterThan(LIMIT_MB * MB - 20); // cut after the last whole line that fits
    expect(full.startsWith(shown!.text)).toBe(true);
    expect(shown!.text.endsWith("\n")).toBe(true);

    // Everything after the cut was dropped, so the notice and the end-of-request summary are adjacent.
    expect(notice!.name).toBe("stderr");
    expect(count(NOTICE, notice!.text)).toBe(1);
    expect(count(SUMMARY, notice!.text)).toBe(1);
    expect(notice!.text.search(NOTICE)).toBe(0);
    expect(notice!.text).toContain(`this cell printed more than ${formatSize(LIMIT_MB * MB)}`);
    expect(notice!.text).toContain("GRADLAB_MAX_OUTPUT_MB");
    expect(notice!.text).toContain(`${formatSize(full.length - shown!.text.length)} of output from this cell not shown`);

    expect(tail!.name).toBe("stdout");
    expect(tail!.text.endsWith("line 99999\n")).toBe(true);
    expect(tail!.text.length).toBeLessThanOrEqual(TAIL_CHARS);
    expect(full.endsWith(tail!.text)).toBe(true);
    expect(/^line \d+\n/.test(tail!.text)).toBe(true);
    expect(notice!.text).toContain(`its last ${formatSize(tail!.text.length)} follow`);

    // The report comes before idle.
    const kinds = iopub.map((m) => m.header.msg_type);
    expect(kinds.slice(-2)).toEqual(["stream", "status"]);
  });

  it("cuts a line longer than the limit, puts the notice on a line of its own, and ends with the tail", async () => {
    const { execute } = await setup(LIMIT_MB);
    const { iopub } = await execute('eprint("e".repeat(70000)); print("after the long line")');
    const [shown, tail, ...more] = segments(iopub);
    expect(more).toEqual([]);
    expect(shown!.name).toBe("stderr");
    expect(shown!.text.startsWith("e".repeat(LIMIT_MB * MB) + "\n[gradlab] output truncated")).toBe(true);
    expect(count(SUMMARY, shown!.text)).toBe(1);
    // The tail starts at a line start: the rest of the long line is not in it.
    expect(tail).toEqual({ name: "stdout", text: "after the long line\n" });
  });

  it("never drops display_data, execute_result or error", async () => {
    const { execute } = await setup(LIMIT_MB);
    const shown = await execute(`${LOOP}; display({"text/plain": "a display"}); print("after"); 6 * 7`);
    const kinds = shown.iopub.map((m) => m.header.msg_type);
    expect(shown.iopub.find((m) => m.header.msg_type === "display_data")!.content["data"]).toEqual({ "text/plain": "a display" });
    expect(shown.iopub.find((m) => m.header.msg_type === "execute_result")!.content["data"]).toEqual({ "text/plain": "42" });
    // The result follows the end-of-request report.
    expect(kinds.indexOf("execute_result")).toBeGreaterThan(kinds.lastIndexOf("stream"));
    expect(count(NOTICE, allText(shown.iopub))).toBe(1);
    expect(count(SUMMARY, allText(shown.iopub))).toBe(1);

    const failed = await execute(`${LOOP}; throw new RangeError("after much output")`);
    expect(failed.reply.content).toMatchObject({ status: "error", ename: "RangeError", evalue: "after much output" });
    expect(failed.iopub.find((m) => m.header.msg_type === "error")!.content["evalue"]).toBe("after much output");
    expect(count(SUMMARY, allText(failed.iopub))).toBe(1);
  });

  it("gives the next request a fresh budget", async () => {
    const { execute } = await setup(LIMIT_MB);
    await execute(LOOP);
    const { iopub } = await execute('for (let i = 0; i < 5000; i++) print("next " + i)');
    const parts = streams(iopub);
    expect(parts.every((p) => p.name === "stdout")).toBe(true);
    expect(parts.map((p) => p.text).join("")).toBe(lines(0, 5000, "next "));
  });

  it("counts stdout and stderr together", async () => {
    const { execute } = await setup(LIMIT_MB);
    const { iopub } = await execute('for (let i = 0; i < 50000; i++) { print("o" + i); eprint("e" + i) }');
    const text = allText(iopub);
    const at = text.search(NOTICE);
    expect(at).toBeGreaterThan(0);
    const shownLength = at;
    expect(shownLength).toBeLessThanOrEqual(LIMIT_MB * MB);
    expect(shownLength).toBeGreaterThan(LIMIT_MB * MB / 2);
  });

  it("restarts the budget at clear_output, so a long-running progress display keeps updating", async () => {
    const { execute } = await setup(LIMIT_MB);
    // 20,000 updates of a 100-character line: 2 MB in all, never more than one line on screen.
    const { iopub } = await execute('for (let i = 0; i < 20000; i++) { clear(true); print(String(i).padStart(99, ".")) }');
    const parts = streams(iopub);
    expect(allText(iopub)).not.toContain("[gradlab]");
    expect(parts[parts.length - 1]!.text).toBe("19999".padStart(99, ".") + "\n");
  });

  it("reports what a finished cell's timer printed past the limit at the start of the next request", async () => {
    const { execute, transport } = await setup(LIMIT_MB);
    const first = await execute('const s = sink(); setTimeout(() => { for (let i = 0; i < 20000; i++) s.stream("stdout", "late " + i + "\\n") }, 0); 1');
    await transport.waitFor((m) => m.message.parent_header.msg_id === first.request.header.msg_id && String(m.message.content["text"]).includes("output truncated"));
    const second = await execute("2");
    const late = allText(transport.iopubFor(first.request));
    expect(count(NOTICE, late)).toBe(1);
    expect(count(SUMMARY, late)).toBe(1);
    expect(late.indexOf("of output from this cell not shown")).toBeGreaterThan(late.indexOf("output truncated"));
    expect(late.endsWith("late 19999\n")).toBe(true);
    expect(streams(second.iopub)).toEqual([]);
  });

  it("with the default limit, 100,000 lines arrive complete; with 0, 3 MB do", async () => {
    const byDefault = await (await setup()).execute(LOOP);
    expect(streams(byDefault.iopub).map((p) => p.text).join("")).toBe(full);
    const unlimited = await (await setup(0)).execute('for (let i = 0; i < 3; i++) print("w".repeat(1024 * 1024))');
    expect(streams(unlimited.iopub).reduce((n, p) => n + p.text.length, 0)).toBe(3 * (1024 * 1024 + 1));
  });
});
