/**
 * Launch order: kernel_info is answered from the protocol worker before the executor exists, and
 * the kernel then starts the executor by itself (no execute_request needed); requests that need
 * the executor wait for it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, compileTestKernel, launchKernel } from "./kernel-harness.js";

let own: TestClient | undefined;

afterEach(async () => {
  await own?.close();
  own = undefined;
});

describe("a launching kernel", () => {
  it("answers kernel_info with provisional info while the executor loads, then starts it unasked", async () => {
    own = await launchKernel([process.execPath, compileTestKernel()], { GRADLAB_TEST_EXECUTOR_DELAY_MS: "1500" });
    const client = own;
    await client.ready();
    const first = await client.reply(await client.send("shell", "kernel_info_request", {}));
    // Provisional (read from package.json files): TypeScript, although this kernel's executor is the JavaScript test one.
    expect(first.content).toMatchObject({ status: "ok", implementation: "gradlab", language_info: { name: "typescript", file_extension: ".ts" } });
    expect((first.content["language_info"] as { version: string }).version).toMatch(/^\d+\.\d+/);
    await client.until(() => client.stderr.includes("[test] executor factory called"), 5000, "the executor to be started");
    expect(client.received.shell.some((m) => m.header.msg_type === "execute_reply")).toBe(false);

    // A cell sent now waits for the executor, then runs; afterwards kernel_info reports the executor's own info.
    const { reply } = await client.run("6 * 7");
    expect(reply.content["status"]).toBe("ok");
    const later = await client.reply(await client.send("shell", "kernel_info_request", {}));
    expect(later.content).toMatchObject({ language_info: { name: "javascript" } });
    expect(client.stderr.match(/executor factory called/g)).toHaveLength(1);
  });
});
