// gradlab as a teacher installs it for a class: the `npm pack` tarball installed with
// deploy/install-gradlab.sh into a prefix of its own, found by a plain Jupyter and by a real
// JupyterHub whose students each run the whole chapter through their own single-user server.
// Run with `npm run test:classroom` (GRADLAB_CLASSROOM_STUDENTS sets the class size, default 2).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareNotebooks, formatDifferences } from "../notebooks/comparator.js";
import { cellText, errorOutputs, notebookPath, readNotebook, type FullNotebook } from "../notebooks/nbrun.js";
import { jupyter, jupyterEnv, projectRoot, requireSetup, venvPython } from "../support/project.js";
import { packAndInstall, run } from "./install.js";

const STUDENTS = Number(process.env.GRADLAB_CLASSROOM_STUDENTS ?? "2");
const PLOTLY = "application/vnd.plotly.v1+json";

interface StudentReport {
  name: string;
  failure?: string;
  kernelspec_argv: string[];
  cells: Array<{ latency_s: number; status: string }>;
  executed_notebook: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const figures = (nb: FullNotebook) =>
  nb.cells.flatMap((cell) => (cell.outputs ?? []).filter((o) => o.data?.[PLOTLY] !== undefined));

describe("gradlab installed from its npm tarball", () => {
  // A space in the path, as in a teacher's "My Documents".
  const workdir = mkdtempSync(join(tmpdir(), "gradlab class-"));
  let install: Awaited<ReturnType<typeof packAndInstall>>;

  beforeAll(async () => {
    requireSetup();
    install = await packAndInstall(workdir);
  }, 600_000);

  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it("puts only the kernelspec where Jupyter looks, and only the server settings where it reads config", () => {
    expect(filesUnder(join(install.jupyterPrefix, "share", "jupyter"))).toEqual([
      "kernels/gradlab/kernel.json",
      "kernels/gradlab/logo-32x32.png",
      "kernels/gradlab/logo-64x64.png",
      "kernels/gradlab/logo-svg.svg",
    ]);
    expect(filesUnder(join(install.jupyterPrefix, "etc", "jupyter"))).toEqual([
      "jupyter_server_config.d/gradlab-classroom.json",
      "labconfig/page_config.json",
    ]);
  });

  it("is what `jupyter kernelspec list` finds, and runs cells through jupyter_client", async () => {
    const env = jupyterEnv({ JUPYTER_PATH: join(install.jupyterPrefix, "share", "jupyter") });
    const spec = JSON.parse(await run(jupyter, ["kernelspec", "list", "--json"], { env })).kernelspecs.gradlab;
    expect(spec.resource_dir).toBe(join(install.jupyterPrefix, "share", "jupyter", "kernels", "gradlab"));
    const launcher = join(install.npmPrefix, "lib", "node_modules", "gradlab", "bin", "gradlab.js");
    expect(spec.spec.argv).toEqual([process.execPath, launcher, "kernel", "{connection_file}"]);

    const cells = ["process.argv[1]", "const t = torch.tensor([1, 2, 3]);\n(t * 2).sum().item()"];
    const stdout = await run(venvPython, [join(projectRoot, "test", "foundation", "run_cells.py"), JSON.stringify(cells)], { env, timeout: 180_000 });
    const session = JSON.parse(stdout) as { cells: Array<{ reply: { status: string }; iopub: Array<{ type: string; content: any }> }> };
    const result = (i: number) => session.cells[i]!.iopub.find((m) => m.type === "execute_result")?.content.data["text/plain"];
    expect(session.cells.map((c) => c.reply.status)).toEqual(["ok", "ok"]);
    expect(result(0)).toBe(`'${launcher}'`);
    expect(result(1)).toBe("12");
  });

  describe(`a class of ${STUDENTS} on JupyterHub`, () => {
    const committed = readNotebook(notebookPath("pytorch"));
    let report: { students: StudentReport[] };

    beforeAll(async () => {
      const reportFile = join(workdir, "report.json");
      await run(
        venvPython,
        [
          join(projectRoot, "test", "classroom", "classroom.py"),
          "--students", String(STUDENTS),
          "--workdir", join(workdir, "hub"),
          "--jupyter-prefix", install.jupyterPrefix,
          "--notebook", notebookPath("pytorch"),
          "--report", reportFile,
        ],
        { env: jupyterEnv(), timeout: 1_500_000 },
      );
      report = JSON.parse(readFileSync(reportFile, "utf8"));
    }, 1_600_000);

    it("gives every student a server whose gradlab kernel is the installed one", () => {
      expect(report.students.map((s) => s.failure ?? "ok")).toEqual(report.students.map(() => "ok"));
      for (const student of report.students) {
        expect(student.kernelspec_argv[1]).toBe(join(install.npmPrefix, "lib", "node_modules", "gradlab", "bin", "gradlab.js"));
      }
    });

    it("runs every code cell of the chapter over the kernel websocket with the committed outputs", () => {
      const codeCells = committed.cells.filter((c) => c.cell_type === "code").length;
      for (const student of report.students) {
        expect(student.cells.map((c) => c.status)).toEqual(Array(codeCells).fill("ok"));
        const executed = readNotebook(student.executed_notebook);
        expect(errorOutputs(executed)).toEqual([]);
        const diffs = compareNotebooks(committed, executed);
        expect(diffs.length, `${student.name}:\n${formatDifferences(diffs, committed)}`).toBe(0);
        // The chain rule's numbers, and every figure as an interactive plot.
        const text = executed.cells.map(cellText).join("\n");
        expect(text).toContain("df/dw at -1, 0, -2, 1 is -4096");
        expect(text).toContain("df/dz at -1, 0, -2, 1 is -4096");
        expect(figures(executed).length).toBe(figures(committed).length);
        expect(figures(executed).length).toBeGreaterThanOrEqual(3);
      }
    });
  });
});
