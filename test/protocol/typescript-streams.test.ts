/**
 * Stream output of the real gradlab kernel (bin/gradlab.js kernel, TypeScript executor) over
 * ZeroMQ: what a cell prints with console.log reaches the client while the cell still computes
 * synchronously, in few messages, and in order with its displays.
 */
import { describe, expect, it } from "vitest";
import { type Msg, kernelPerFile } from "./kernel-harness.js";

const kernel = kernelPerFile();

const outputs = (iopub: Msg[]) =>
  iopub
    .filter((m) => m.header.msg_type === "stream" || m.header.msg_type === "display_data")
    .map((m) => (m.header.msg_type === "stream" ? `${String(m.content["name"])}:${String(m.content["text"])}` : "display"));

describe("console output of a TypeScript cell over ZeroMQ", () => {
  it("arrives while the cell is still inside a synchronous loop, also right after a cell that printed", async () => {
    await kernel.client().run('console.log("the cell before")');
    const id = await kernel.client().execute('console.log("tick"); const t0 = Date.now(); while (Date.now() - t0 < 3000) {} console.log("tock")');
    await kernel.client().until(() => kernel.client().iopubFor(id).some((m) => m.content["text"] === "tick\n"), 20_000, "tick");
    expect(kernel.client().replyTo(id)).toBeUndefined(); // still looping when "tick" arrived
    expect((await kernel.client().reply(id, 20_000)).content["status"]).toBe("ok");
    expect(outputs(await kernel.client().idle(id))).toEqual(["stdout:tick\n", "stdout:tock\n"]);
  }, 60_000);

  it("keeps stdout, stderr and displays in the order the cell made them, in few messages", async () => {
    const { reply, iopub } = await kernel.client().run(
      'for (let i = 0; i < 20000; i++) console.log(i); console.error("e"); display(html("<b>d</b>")); console.log("after")',
    );
    expect(reply.content["status"]).toBe("ok");
    const shown = outputs(iopub);
    const stdoutBefore = shown.slice(0, shown.indexOf("stderr:e\n"));
    expect(stdoutBefore.length).toBeLessThan(20);
    expect(stdoutBefore.map((s) => s.slice("stdout:".length)).join("")).toBe(Array.from({ length: 20000 }, (_, i) => `${i}\n`).join(""));
    expect(shown.slice(stdoutBefore.length)).toEqual(["stderr:e\n", "display", "stdout:after\n"]);
  }, 60_000);
});
