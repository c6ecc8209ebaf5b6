// What a maintainer's CI does with a notebook: nbconvert --execute with the gradlab kernel.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jupyter, jupyterEnv, projectRoot, requireSetup } from "../support/project.js";

describe("jupyter nbconvert --execute with the gradlab kernel", () => {
  let cells: Array<{ execution_count: number | null; outputs: Array<Record<string, any>> }>;
  beforeAll(() => {
    requireSetup();
    const outDir = mkdtempSync(join(tmpdir(), "gradlab-nbconvert-"));
    const result = spawnSync(
      jupyter,
      ["nbconvert", "--to", "notebook", "--execute", "--output-dir", outDir, "--output", "small.out.ipynb",
        join(projectRoot, "test", "foundation", "fixtures", "small.ipynb")],
      { encoding: "utf8", env: jupyterEnv(), timeout: 120_000 },
    );
    if (result.status !== 0) throw new Error(`nbconvert failed:\n${result.stderr}`);
    cells = JSON.parse(readFileSync(join(outDir, "small.out.ipynb"), "utf8")).cells;
  });

  it("saves execution counts in order", () => {
    expect(cells.map((cell) => cell.execution_count)).toEqual([1, 2, 3]);
  });

  // nbformat may store multi-line text as a list of lines; join it back.
  const text = (value: string | string[]) => (Array.isArray(value) ? value.join("") : value);

  it("saves each cell's outputs", () => {
    expect(cells[0]!.outputs).toHaveLength(1);
    expect(cells[0]!.outputs[0]).toMatchObject({ output_type: "execute_result", execution_count: 1 });
    expect(text(cells[0]!.outputs[0]!.data["text/plain"])).toBe("2");
    expect(cells[1]!.outputs).toHaveLength(1);
    expect(cells[1]!.outputs[0]).toMatchObject({ output_type: "stream", name: "stdout" });
    expect(text(cells[1]!.outputs[0]!.text)).toBe("hello, world\n");
    expect(text(cells[2]!.outputs[0]!.data["text/plain"])).toBe("10");
  });
});
