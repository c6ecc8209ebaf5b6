// The exercise checks of the chapter notebooks: run through the gradlab kernel with right and with
// wrong answers in the answer cells, each check must say Right / Not yet (with a hint), and print
// nothing else: no expected values.
import { describe, expect, it } from "vitest";
import { cellText, errorOutputs, executeNotebook, notebookPath, readNotebook, type FullNotebook, type OutputCell } from "./nbrun.js";

// Students may answer with a function declaration or an arrow function bound with let/const (the
// kernel lets a cell re-declare a name with any kind of declaration); both forms appear below.
const right = [
  "function answer1(beta: Tensor, x: Tensor): Tensor | undefined {\n    return beta.T;\n}",
  "const answer2 = (v: Tensor): Tensor | undefined => v / norm(v);",
  "function answer3(x: number, y: number): [number, number] | undefined {\n" +
    "    return [Math.exp(x) / (Math.exp(x) + Math.exp(y)), Math.exp(y) / (Math.exp(x) + Math.exp(y))];\n}\n" +
    "let answer3sum: number | undefined = 1;",
  'let answer4points: number[][] = [[0, 0]];\nlet answer4kind: "maximum" | "minimum" | "neither" | undefined = "neither";',
  'let answer5: [number, number] | undefined = [1 / 3, 4 / 3];\nlet answer5relation: "equal" | "opposite" | "orthogonal" | undefined = "opposite";',
];
const wrong = [
  "function answer1(beta: Tensor, x: Tensor): Tensor | undefined {\n    return beta;\n}",   // right numbers, wrong shape
  "let answer2 = (v: Tensor): Tensor | undefined => v;",
  "function answer3(x: number, y: number): [number, number] | undefined {\n    return [Math.exp(y), Math.exp(x)];\n}\nlet answer3sum: number | undefined = 2;",
  'let answer4points: number[][] = [[0, 0], [1, 1]];\nlet answer4kind: "maximum" | "minimum" | "neither" | undefined = "minimum";',
  'let answer5: [number, number] | undefined = [1 / 3, 4 / 3];\nlet answer5relation: "equal" | "opposite" | "orthogonal" | undefined = "equal";',
];

const source = (c: OutputCell) => (Array.isArray(c.source) ? c.source.join("") : c.source);

/** The exercises section plus the helper cell it uses, with the answer cells replaced. */
function exercisesWith(answers: string[]): FullNotebook {
  const nb = readNotebook(notebookPath("mxnet"));
  const start = nb.cells.findIndex((c) => c.cell_type === "markdown" && source(c).startsWith("## Exercises"));
  const helper = nb.cells.find((c) => c.cell_type === "code" && /\b(let|const|function) maxAbsDiff\b/.test(source(c)));
  expect(start).toBeGreaterThan(0);
  expect(helper).toBeDefined();
  let k = 0;
  const cells = [helper!, ...nb.cells.slice(start)].map((c) =>
    c.metadata?.tags?.includes("answer") ? { ...c, source: answers[k++], outputs: [] } : { ...c, outputs: [] },
  );
  expect(k).toBe(5);
  return { ...nb, cells };
}

/** The printed lines of the check cells (the code cells right after an answer cell). */
function checkOutputs(nb: FullNotebook): string[] {
  return nb.cells.flatMap((c, i) => (i > 0 && nb.cells[i - 1].metadata?.tags?.includes("answer") ? [cellText(c)] : []));
}

describe("exercise checks", () => {
  it("say Not yet, with a hint, for the committed (empty) answers", () => {
    const outputs = checkOutputs(readNotebook(notebookPath("mxnet")));
    expect(outputs).toHaveLength(5);
    outputs.forEach((text, k) => expect(text).toMatch(new RegExp(`^Exercise ${k + 1}: Not yet\\. Hint: [^\\n]+\\n$`)));
  });

  it("say Right for right answers", async () => {
    const executed = await executeNotebook(exercisesWith(right));
    expect(errorOutputs(executed)).toEqual([]);
    checkOutputs(executed).forEach((text, k) => expect(text).toBe(`Exercise ${k + 1}: Right.\n`));
  }, 300_000);

  it("say Not yet, with only a hint, for wrong answers", async () => {
    const executed = await executeNotebook(exercisesWith(wrong));
    expect(errorOutputs(executed)).toEqual([]);
    const outputs = checkOutputs(executed);
    expect(outputs).toHaveLength(5);
    outputs.forEach((text, k) => expect(text).toMatch(new RegExp(`^Exercise ${k + 1}: Not yet\\. Hint: [^\\n]+\\n$`)));
  }, 300_000);
});
