// The kernel as a user's Jupyter meets it: started by jupyter_client from the project's .venv
// through the installed kernelspec, over real ZeroMQ sockets.
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { projectRoot, requireSetup, runPythonJson } from "../support/project.js";

interface CellRun {
  reply: { status: string; execution_count?: number; ename?: string; evalue?: string };
  iopub: Array<{ type: string; content: Record<string, any> }>;
}
interface Session {
  kernel_info: Record<string, any>;
  cells: CellRun[];
}

describe("gradlab kernel through jupyter_client", () => {
  let session: Session;
  beforeAll(() => {
    requireSetup();
    const cells = ["1 + 1", 'throw new RangeError("out of range")', "const answer: number = 40 + 2;\nanswer"];
    session = runPythonJson<Session>(join(projectRoot, "test", "foundation", "run_cells.py"), [JSON.stringify(cells)]);
  });

  it("answers kernel_info as gradlab speaking TypeScript", () => {
    expect(session.kernel_info.implementation).toBe("gradlab");
    expect(session.kernel_info.language_info.name).toBe("typescript");
    expect(session.kernel_info.language_info.file_extension).toBe(".ts");
    expect(Number.parseFloat(session.kernel_info.protocol_version)).toBeGreaterThanOrEqual(5.3);
  });

  it("shows `1 + 1` as Out[1]: 2", () => {
    const [first] = session.cells;
    expect(first!.reply.status).toBe("ok");
    const result = first!.iopub.find((m) => m.type === "execute_result");
    expect(result?.content.data["text/plain"]).toBe("2");
    expect(result?.content.execution_count).toBe(1);
    expect(first!.iopub.map((m) => m.type)).toEqual(["status", "execute_input", "execute_result"]);
  });

  it("reports a thrown error as an error message with ename and evalue", () => {
    const second = session.cells[1]!;
    expect(second.reply.status).toBe("error");
    expect(second.reply.ename).toBe("RangeError");
    const error = second.iopub.find((m) => m.type === "error");
    expect(error?.content.ename).toBe("RangeError");
    expect(error?.content.evalue).toBe("out of range");
    expect(error?.content.traceback.join("\n")).toContain("out of range");
  });

  it("keeps running after an error, with typed declarations", () => {
    const third = session.cells[2]!;
    expect(third.reply.status).toBe("ok");
    expect(third.iopub.find((m) => m.type === "execute_result")?.content.data["text/plain"]).toBe("42");
  });
});
