/**
 * The test harness's launch (kernel-harness.ts): free ports are picked first and bound by the kernel
 * a moment later, so on a busy machine another job can take one in between and the kernel exits
 * with EADDRINUSE. The harness then launches the kernel again on new ports, so such a race fails
 * no test. Here the race is forced: the heartbeat port handed over is already bound.
 */
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
import * as project from "../support/project.js";

it("launches the kernel again on new ports when a port picked for it was taken before it bound it", async () => {
  const squatter = createServer();
  await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", () => r()));
  const taken = (squatter.address() as AddressInfo).port;
  let calls = 0;
  const real = project.freePort;
  vi.spyOn(project, "freePort").mockImplementation(async () => (++calls === 5 ? taken : real()));
  const { launchKernel } = await import("./kernel-harness.js");
  const client = await launchKernel([process.execPath, join(project.projectRoot, "bin", "gradlab.js"), "kernel"]);
  await client.ready(30_000);
  const { reply } = await client.run("1 + 1", {});
  expect(reply.content["status"]).toBe("ok");
  expect(client.connection["hb_port"]).not.toBe(taken);
  expect(calls).toBeGreaterThan(5);
  await client.close();
  squatter.close();
}, 60_000);
