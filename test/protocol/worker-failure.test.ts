/**
 * A failing protocol worker must not leave a silent or half-alive kernel: the cause is logged
 * with its stack on the kernel's stderr, and the process exits with code 1.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TestClient, compileTestKernel, launchKernel } from "./kernel-harness.js";

let own: TestClient | undefined;

afterEach(async () => {
  await own?.close();
  own = undefined;
});

describe("a protocol worker that fails", () => {
  for (const [how, logged] of [
    ["throw", /protocol worker: uncaught exception: Error: planned crash in the protocol worker/],
    ["reject", /protocol worker: unhandled promise rejection: Error: planned rejection in the protocol worker/],
  ] as const) {
    it(`(${how}) is logged with its stack, and the kernel process exits with code 1`, async () => {
      own = await launchKernel([process.execPath, compileTestKernel()], { GRADLAB_TEST_PROTOCOL_WORKER: "crashing", GRADLAB_TEST_WORKER_CRASH: how });
      await own.ready();
      expect(own.stderr).not.toMatch(/planned/);
      own.process.kill("SIGINT"); // forwarded to the worker, which then fails
      expect(await own.exited()).toBe(1);
      expect(own.stderr).toMatch(logged);
      expect(own.stderr).toMatch(/\n\s+at .*plannedFailure \(.*crashing-worker\.js/);
      expect(own.stderr).toMatch(/protocol worker exited with code 1; the kernel exits too/);
    });
  }
});

describe("a kernel whose ports are taken", () => {
  it("logs which socket could not bind and exits with code 1 (no crash, no lingering process)", async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "127.0.0.1", resolve));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      // Four ports the system calls free (held together, so they differ, then released); a guess
      // such as `free + 1` may be another process's.
      const probes = await Promise.all(
        [0, 1, 2, 3].map(() => new Promise<ReturnType<typeof createServer>>((resolve) => { const probe = createServer().listen(0, "127.0.0.1", () => resolve(probe)); })),
      );
      const [shell, iopub, stdin, control] = probes.map((probe) => (probe.address() as AddressInfo).port);
      await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
      const file = join(mkdtempSync(join(tmpdir(), "gradlab-kernel-")), "kernel.json");
      // Only the heartbeat port is taken; the others bind (and must be closed again before exit).
      writeFileSync(file, JSON.stringify({ transport: "tcp", ip: "127.0.0.1", key: "k", signature_scheme: "hmac-sha256", shell_port: shell, iopub_port: iopub, stdin_port: stdin, control_port: control, hb_port: taken }));
      const child = spawn(process.execPath, [compileTestKernel(), file], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
      expect(signal).toBeNull();
      expect(code).toBe(1);
      expect(stderr).toContain(`could not bind hb (tcp://127.0.0.1:${taken})`);
      expect(stderr).toMatch(/\n\s+at .*ZmqTransport\.bindAll/); // the stack, not just the message
      expect(stderr).toMatch(/protocol worker exited with code 1; the kernel exits too/);
    } finally {
      squatter.close();
    }
  });
});
