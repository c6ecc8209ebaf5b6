/**
 * A cell that ends or stops the kernel's own process (`process.abort()`, `process.kill(process.pid,
 * …)`), against the real kernel (`bin/gradlab.js kernel`, ZeroMQ): one that would end it ends it as
 * process.exit does, cleanly and with a line saying so under the cell (before, the process died
 * without a word, or dumped core); one that would freeze it (SIGSTOP) is refused with an error, and
 * the session's variables survive. Each case runs in a kernel of its own.
 */
import { describe, expect, it } from "vitest";
import { kernelPerTest, type Msg, type TestClient } from "./kernel-harness.js";

const CELL_MS = 90_000;
const kernels = kernelPerTest();

async function kernelWithState(): Promise<TestClient> {
  const client = await kernels.launch();
  expect((await client.run("const kept: number = 41;")).reply.content["status"]).toBe("ok");
  return client;
}

/** The text/plain of a cell's execute_result. */
const resultData = (iopub: Msg[]) => iopub.find((m) => m.header.msg_type === "execute_result")?.content["data"];

/** The variable kernelWithState defined is still there (41 + 1). */
async function expectStateKept(kernel: TestClient, code = "kept + 1"): Promise<void> {
  const after = await kernel.run(code);
  expect(after.reply.content["status"]).toBe("ok");
  expect(resultData(after.iopub)).toEqual({ "text/plain": "42" });
}

const streamText = (iopub: Msg[]) => iopub.filter((m) => m.header.msg_type === "stream").map((m) => String(m.content["text"])).join("");

describe("a cell that ends the kernel's process", () => {
  for (const [code, status, shown] of [
    ["process.abort()", 134, "process.abort()"],
    ["process.kill(process.pid)", 143, 'process.kill(process.pid, "SIGTERM")'],
    ['process.kill(process.pid, "SIGKILL")', 137, 'process.kill(process.pid, "SIGKILL")'],
    ["process.kill(process.pid, 1)", 129, 'process.kill(process.pid, "SIGHUP")'],
  ] as const) {
    it(`${code} exits cleanly with code ${status} and says so under the cell`, async () => {
      const kernel = await kernelWithState();
      const id = await kernel.execute(`console.log("before");\n${code};\nconsole.log("not reached")`);
      expect(await kernel.exited()).toBe(status);
      expect(kernel.process.signalCode).toBeNull();
      expect(kernel.stderr).not.toMatch(/Napi::Error|terminate called|Waiting for the debugger|core dumped/);
      const text = streamText(kernel.iopubFor(id));
      expect(text).toContain("before\n");
      expect(text).toContain(`${shown}: the kernel exits; Jupyter starts a new one`);
      expect(text).not.toContain("not reached");
    });
  }
});

describe("a cell that would freeze the kernel's process", () => {
  it('process.kill(process.pid, "SIGSTOP") fails with an error saying why, and the kernel keeps its state', async () => {
    const kernel = await kernelWithState();
    const id = await kernel.execute('process.kill(process.pid, "SIGSTOP")');
    const reply = await kernel.reply(id, CELL_MS);
    expect(reply.content["status"]).toBe("error");
    expect(String(reply.content["evalue"])).toMatch(/SIGSTOP would stop the kernel's process/);
    await kernel.idle(id, CELL_MS);
    await expectStateKept(kernel);
  });
});

describe("signals the kernel handles itself", () => {
  it("process.kill(process.pid, \"SIGINT\") and signal 0 leave the kernel running", async () => {
    const kernel = await kernelWithState();
    const { reply } = await kernel.run('process.kill(process.pid, 0);\nprocess.kill(process.pid, "SIGINT");\n"still here"');
    expect(reply.content["status"]).toBe("ok");
    await expectStateKept(kernel);
  });
});

describe("SIGUSR1, which makes Node start its debugger", () => {
  // Before, the kernel's process opened a debugger on 127.0.0.1:9229 (any user of a shared server
  // can connect to it and run code as the student), printed "Debugger listening" on stderr, and
  // every later cell failed with "Inspector error -32000: Cannot find context with specified id".
  it("from a cell is ignored with a line in the kernel's log, and later cells run with the state kept", async () => {
    const kernel = await kernelWithState();
    const { reply } = await kernel.run('process.kill(process.pid, "SIGUSR1");\n"sent"');
    expect(reply.content["status"]).toBe("ok");
    await expectStateKept(kernel, "await new Promise((resolve) => setTimeout(resolve, 200));\nkept + 1");
    expect(resultData((await kernel.run("(await import('node:inspector')).url() ?? 'no debugger'")).iopub)).toEqual({ "text/plain": "'no debugger'" });
    expect(kernel.stderr).not.toMatch(/Debugger listening/);
    expect(kernel.stderr).toMatch(/SIGUSR1/);
  });

  it("from outside the kernel (kill -USR1) is ignored too", async () => {
    const kernel = await kernelWithState();
    kernel.process.kill("SIGUSR1");
    await kernel.until(() => /SIGUSR1/.test(kernel.stderr), CELL_MS, "the log line about SIGUSR1");
    await expectStateKept(kernel);
    expect(kernel.stderr).not.toMatch(/Debugger listening/);
  });
});
