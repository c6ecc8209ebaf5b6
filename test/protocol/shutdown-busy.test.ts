/**
 * shutdown_request while the main thread is busy with code no cell is running (a timer's callback
 * or an I/O callback that loops after its cell ended), against the real kernel (`bin/gradlab.js
 * kernel`, ZeroMQ): the kernel replies and its process ends within seconds, as it does when a
 * cell is running. (Before, it replied and then stayed, busy, until the frontend killed it.)
 * Each case runs in a kernel of its own.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchKernel, type TestClient } from "./kernel-harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
/** Generous for a loaded machine; a kernel that does not exit at all never gets there. */
const EXIT_MS = 30_000;
let client: TestClient | undefined;

beforeAll(() => {
  expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js after the build").toBe(true);
});

afterEach(async () => {
  await client?.close();
  client = undefined;
});

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
        client = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"]);
        await client.ready(60_000);
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
