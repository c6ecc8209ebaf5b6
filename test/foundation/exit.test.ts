// `exit` and `quit` in a cell behave as IPython's: the execute_reply carries an `ask_exit` payload,
// on which the real jupyter console leaves; the kernel itself keeps running for notebook frontends.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { jupyter, jupyterEnv, projectRoot, requireSetup, runPythonJson } from "../support/project.js";

interface CellRun {
  reply: { status: string; payload?: Array<Record<string, unknown>> };
  iopub: Array<{ type: string; content: Record<string, any> }>;
}

describe("exit and quit", () => {
  beforeAll(requireSetup);

  it("answer with an ask_exit payload and no Out[n]; a cell's own `exit` replaces them", () => {
    const cells = ["exit", "quit(true)", "exit()", "1 + 1", "function exit(code: number) { return code * 2; }\nexit(21)"];
    const { cells: runs } = runPythonJson<{ cells: CellRun[] }>(join(projectRoot, "test", "foundation", "run_cells.py"), [JSON.stringify(cells)]);
    expect(runs.map((r) => r.reply.status)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(runs.map((r) => r.reply.payload)).toEqual([
      [{ source: "ask_exit", keepkernel: false }],
      [{ source: "ask_exit", keepkernel: true }],
      [{ source: "ask_exit", keepkernel: false }],
      [],
      [],
    ]);
    for (const run of runs.slice(0, 3)) expect(run.iopub.filter((m) => m.type === "execute_result")).toEqual([]);
    // The kernel is still there: later cells run, and a cell may declare its own `exit`.
    expect(runs[3]!.iopub.find((m) => m.type === "execute_result")?.content.data["text/plain"]).toBe("2");
    expect(runs[4]!.iopub.find((m) => m.type === "execute_result")?.content.data["text/plain"]).toBe("42");
  });

  it("make jupyter console leave: nothing after `exit` runs", async () => {
    const console_ = spawn(jupyter, ["console", "--kernel", "gradlab", "--simple-prompt"], { env: jupyterEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    console_.stdout.on("data", (chunk) => (output += chunk));
    console_.stderr.on("data", (chunk) => (output += chunk));
    console_.stdin.end('40 + 2\nexit\n"after" + " exit"\n');
    const code = await new Promise<number | null>((resolve) => console_.on("exit", resolve));
    expect(code, output).toBe(0);
    expect(output).toContain("Out[1]: 42");
    expect(output).not.toContain("after exit");
  });
});
