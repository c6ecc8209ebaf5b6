/**
 * An exception on the protocol thread ends the handling of one message, not the thread: outputs
 * that cannot become JSON (a cycle, a BigInt) never take the kernel down (real ZeroMQ, JavaScript
 * test executor), and each place where the protocol thread takes in a message (the main thread's
 * port, the request queue) catches, logs with the stack and goes on (in memory).
 */
import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortLike } from "../../kernel/bridge/bridge-messages.js";
import { ExecutorProxy } from "../../kernel/bridge/executor-proxy.js";
import { SharedState } from "../../kernel/bridge/shared-state.js";
import { MemoryTransport } from "../../kernel/protocol/memory-transport.js";
import type { Channel, JupyterMessage } from "../../kernel/protocol/messages.js";
import { ProtocolKernel } from "../../kernel/protocol/protocol-kernel.js";
import { JsExecutor } from "./fixtures/js-executor.js";
import { compileTestKernel, launchKernel, type TestClient } from "./kernel-harness.js";

let client: TestClient;

beforeAll(async () => {
  client = await launchKernel([process.execPath, compileTestKernel()]);
  await client.ready();
});

afterAll(async () => {
  await client?.close();
});

describe("the protocol thread", () => {
  it("survives outputs that cannot become JSON and runs the next cells with their state", async () => {
    await client.run("globalThis.kept = 41");
    for (const code of [
      'const c = {}; c.self = c; display({"application/json": c}); 1',
      'display({"application/json": {n: 10n}}); 2',
      'const d = {}; d.d = d; sink().displayData({"text/plain": "x"}, d); 3',
    ]) {
      // Whether the cell reports the bad output (ok or error) is the executor's business; it is answered.
      const { reply } = await client.run(code);
      expect(["ok", "error"]).toContain(reply.content["status"]);
    }
    const { iopub } = await client.run("kept + 1");
    expect(iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"]).toEqual({ "text/plain": "42" });
    expect(await client.ping("still here")).toBe("still here");
  });

  it("logs a throwing handler of a main-thread message with its stack and handles the next one", async () => {
    const port = Object.assign(new EventEmitter(), { postMessage: () => undefined });
    const proxy = new ExecutorProxy(port as unknown as PortLike, new SharedState(), new JsExecutor().info());
    // A sink message for a cell whose sink throws (as an encoding failure would).
    const throwing = { stream: () => { throw new TypeError("planned failure in a sink"); } };
    const outcome = proxy.execute({ code: "", silent: false, storeHistory: false, executionCount: 1, userExpressions: {}, allowStdin: false }, throwing as never);
    expect(() => port.emit("message", { kind: "sink", id: 1, method: "stream", args: ["stdout", "x"] })).not.toThrow();
    port.emit("message", { kind: "result", id: 1, value: { status: "ok", userExpressions: { after: "the failure" } } });
    await expect(outcome).resolves.toEqual({ status: "ok", userExpressions: { after: "the failure" } });
  });

  it("answers a request whose reply cannot be sent with an error reply, and handles the next request", async () => {
    class FailingOnce extends MemoryTransport {
      failed = false;
      override send(channel: Channel, message: JupyterMessage): void {
        if (!this.failed && message.header.msg_type === "execute_result") {
          this.failed = true;
          throw new TypeError("planned: this output does not encode");
        }
        super.send(channel, message);
      }
    }
    const transport = new FailingOnce();
    const kernel = new ProtocolKernel({ transport, executor: new JsExecutor() });
    await kernel.start();
    const content = { code: "6 * 7", silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false };
    const first = await transport.reply(transport.request("shell", "execute_request", content));
    expect(first.content).toMatchObject({ status: "error", ename: "TypeError", evalue: "planned: this output does not encode" });
    const second = transport.request("shell", "execute_request", content);
    expect((await transport.reply(second)).content["status"]).toBe("ok");
    await transport.idle(second);
  });
});
