// Regression test of the chapter notebooks: each is executed with the gradlab kernel (twice, to
// catch output-ordering races) and compared with its committed outputs, numbers with tolerance.
// Re-record the committed outputs with `npm run notebooks:accept` and review them with `git diff`.
import { describe, expect, it } from "vitest";
import { compareNotebooks, formatDifferences } from "./comparator.js";
import { errorOutputs, executeNotebook, flavours, notebookPath, readNotebook } from "./nbrun.js";

const RUNS = 2;

describe.each(flavours)("notebook %s", (flavour) => {
  const committed = readNotebook(notebookPath(flavour));

  it("was recorded: every code cell has run, without an error output", () => {
    const notRun = committed.cells
      .map((c, i) => [c, i] as const)
      .filter(([c]) => c.cell_type === "code" && (c as { execution_count?: number | null }).execution_count == null)
      .map(([, i]) => i);
    expect(notRun, "cells never executed: run `npm run notebooks:accept`").toEqual([]);
    expect(errorOutputs(committed)).toEqual([]);
  });

  for (let run = 1; run <= RUNS; run++) {
    it(`reproduces its committed outputs (run ${run} of ${RUNS})`, async () => {
      const executed = await executeNotebook(notebookPath(flavour));
      expect(errorOutputs(executed)).toEqual([]);
      const diffs = compareNotebooks(committed, executed);
      expect(diffs.length, `\n${formatDifferences(diffs, committed)}\n\n(if the change is intended: npm run notebooks:accept, then review git diff)`).toBe(0);
    }, 600_000);
  }
});
