/**
 * The bridge's generic request path, in one process over a MessageChannel: ExecutorProxy (what the
 * protocol worker holds) and ExecutorHost (what runs the executor on the main thread). Every
 * request the Executor interface declares reaches the executor by name with its arguments, and its
 * answer or error comes back; nothing per request is written in the bridge.
 */
import { MessageChannel } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { ExecutorHost } from "../../kernel/bridge/executor-host.js";
import { ExecutorProxy } from "../../kernel/bridge/executor-proxy.js";
import type { PortLike } from "../../kernel/bridge/bridge-messages.js";
import { SharedState } from "../../kernel/bridge/shared-state.js";
import { EXECUTOR_REQUESTS, type Executor, type ExecutorRequests } from "../../kernel/executor.js";
import { JS_LANGUAGE_INFO, JsExecutor } from "./fixtures/js-executor.js";

let channel: MessageChannel | undefined;

afterEach(() => {
  channel?.port1.close();
  channel = undefined;
});

function bridge(executor: Executor): ExecutorProxy {
  channel = new MessageChannel();
  const shared = new SharedState();
  new ExecutorHost(channel.port2 as unknown as PortLike, async () => executor, shared);
  return new ExecutorProxy(channel.port1 as unknown as PortLike, shared, JS_LANGUAGE_INFO);
}

/** Arguments for each request (typed by the interface, so a new request must be added here too). */
const ARGS: ExecutorRequests = {
  complete: ["pri", 3],
  inspect: ["print", 5, 0],
  isComplete: ["if (x) {"],
  shutdown: [false],
};

describe("requests across the bridge", () => {
  it("forwards every Executor request by name, with its arguments, and returns the executor's answer", async () => {
    const direct = new JsExecutor();
    const seen: Array<{ name: string; args: unknown[] }> = [];
    const recording = new Proxy(new JsExecutor(), {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== "function" || !(EXECUTOR_REQUESTS as readonly PropertyKey[]).includes(name)) return value;
        return (...args: unknown[]) => (seen.push({ name: String(name), args }), (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    const proxy = bridge(recording);
    for (const name of EXECUTOR_REQUESTS) {
      const args = ARGS[name];
      const expected = await (direct[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      await expect((proxy[name] as (...a: unknown[]) => Promise<unknown>)(...args)).resolves.toEqual(expected);
    }
    expect(seen).toEqual(EXECUTOR_REQUESTS.map((name) => ({ name, args: ARGS[name] })));
    expect(proxy.info()).toBe(JS_LANGUAGE_INFO);
  });

  it("rejects with the executor's error name and message", async () => {
    const failing = new JsExecutor();
    failing.inspect = async () => {
      throw new RangeError("no such position");
    };
    const proxy = bridge(failing);
    await expect(proxy.inspect("x", 99, 0)).rejects.toMatchObject({ name: "RangeError", message: "no such position" });
    await expect(proxy.request("isComplete", ["1 +"])).resolves.toEqual(await new JsExecutor().isComplete("1 +"));
  });
});
