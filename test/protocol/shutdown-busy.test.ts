/**
 * shutdown_request while the main thread is busy with code no cell is running (a timer's callback
 * or an I/O callback that loops after its cell ended), against the real kernel (`bin/gradlab.js
 * kernel`, ZeroMQ): the kernel replies and its process ends within seconds, as it does when a
 * cell is running. (Before, it replied and then stayed, busy, until the frontend killed it.)
 * Each case runs in a kernel of its own.
 */
import { describe, expect, it } from "vitest";
import { kernelPerTest, type TestClient } from "./kernel-harness.js";

/** Generous for a loaded machine; a kernel that does not exit at all never gets there. */
const EXIT_MS = 30_000;
const kernels = kernelPerTest();

async function exitsWithin(kernel: TestClient, ms: number): Promise<number | null | "still running"> {
  return Promise.race([kernel.exited(), new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms))]);
}

describe("shutdown_request while code outside any cell keeps the main thread busy", () => {
  for (const [name, code] of [
    ["a timer's callback", "setTimeout(() => { while (true) {} }, 10);\n'scheduled'"],
    ["a file read's callback", "require('node:fs').readFile(process.execPath, () => { while (true) {} });\n'scheduled'"],
  ] as const) {
    for (const restart of [false, true]) {
      it(`${name}, restart ${String(restart)}: replies and the process ends`, async () => {
        const client = await kernels.launch();
        const { reply } = await client.run(code);
        expect(reply.content["status"]).toBe("ok");
        await new Promise((resolve) => setTimeout(resolve, 300)); // the callback loops from now on
        const id = await client.send("control", "shutdown_request", { restart });
        expect((await client.reply(id)).content).toEqual({ status: "ok", restart });
        expect(await exitsWithin(client, EXIT_MS)).not.toBe("still running");
      });
    }
  }
});
