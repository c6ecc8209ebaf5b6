/**
 * Launch order: kernel_info is answered from the protocol worker before the executor exists, and
 * the kernel then starts the executor by itself (no execute_request needed); requests that need
 * the executor wait for it. kernel_info says the same whenever it is asked: it comes from the
 * language's description, not from whichever executor happens to be loaded.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, compileTestKernel, launchKernel, type Msg } from "./kernel-harness.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

let own: TestClient | undefined;

afterEach(async () => {
  await own?.close();
  own = undefined;
});

/** The first kernel_info_reply this client received (ready() asks until the kernel answers). */
const firstKernelInfo = (client: TestClient): Msg | undefined => client.received.shell.find((m) => m.header.msg_type === "kernel_info_reply");

describe("a launching kernel", () => {
  it("answers kernel_info at once, the same before and after the executor loads, then starts the executor unasked", async () => {
    own = await launchKernel([process.execPath, compileTestKernel()], { GRADLAB_TEST_EXECUTOR_DELAY_MS: "1500" });
    const client = own;
    await client.ready();
    const first = await client.reply(await client.send("shell", "kernel_info_request", {}));
    expect(first.content).toMatchObject({ status: "ok", implementation: "gradlab", language_info: { name: "javascript", file_extension: ".js" } });
    expect(firstKernelInfo(client)!.content).toEqual(first.content);
    await client.until(() => client.stderr.includes("[test] executor factory called"), 5000, "the executor to be started");
    expect(client.received.shell.some((m) => m.header.msg_type === "execute_reply")).toBe(false);

    // A cell sent now waits for the executor, then runs; kernel_info still says the same.
    const { reply } = await client.run("6 * 7");
    expect(reply.content["status"]).toBe("ok");
    const later = await client.reply(await client.send("shell", "kernel_info_request", {}));
    expect(later.content).toEqual(first.content);
    expect(client.stderr.match(/executor factory called/g)).toHaveLength(1);
  });

  it("the gradlab kernel (TypeScript) answers kernel_info identically at launch and after a cell", async () => {
    expect(existsSync(join(root, "dist/kernel/cli.js")), "dist/kernel/cli.js (npm run build)").toBe(true);
    own = await launchKernel([process.execPath, join(root, "bin/gradlab.js"), "kernel"]);
    const client = own;
    await client.ready(30_000);
    const atLaunch = firstKernelInfo(client)!;
    expect(atLaunch.content).toMatchObject({ status: "ok", implementation: "gradlab", language_info: { name: "typescript", file_extension: ".ts" } });
    expect((atLaunch.content["language_info"] as { version: string }).version).toMatch(/^\d+\.\d+/);
    expect(atLaunch.content["banner"]).toMatch(/^gradlab \S+: TypeScript \d/);

    const { reply } = await client.run("const launched = 1 + 1; launched", {});
    expect(reply.content["status"]).toBe("ok");
    const afterCell = await client.reply(await client.send("shell", "kernel_info_request", {}));
    expect(afterCell.content).toEqual(atLaunch.content);
    const onControl = await client.reply(await client.send("control", "kernel_info_request", {}));
    expect(onControl.content).toEqual(atLaunch.content);
  }, 60_000);
});
