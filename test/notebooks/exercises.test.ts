// The exercise checks of the chapter notebooks, run as a student who jumps straight to one exercise
// would: the notebook's first code cell, then only that exercise's answer cell (with a right, a wrong
// or a nearly right answer written in) and its check cell, through nbconvert and the gradlab kernel.
// Each check must run alone (no helper from another cell), say Right / Not yet with a hint for every
// part, and print nothing else: no expected values.
import { describe, expect, it } from "vitest";
import { cellText, errorOutputs, executeNotebook, notebookPath, readNotebook, type FullNotebook, type OutputCell } from "./nbrun.js";

// Students may answer with a function declaration or an arrow function bound with let/const (the
// kernel lets a cell re-declare a name with any kind of declaration); both forms appear below.
const right = [
  "function answer1g(beta: Tensor, x: Tensor): Tensor | undefined {\n    return beta.T;\n}\n" +
    "const answer1h = (beta: Tensor, x: Tensor): Tensor | undefined => 2 * matmul(beta, x) * beta.T;",
  "const answer2 = (v: Tensor): Tensor | undefined => v / norm(v);\nlet answer2length: number | undefined = 1;",
  "function answer3(x: Tensor): Tensor | undefined {\n    return exp(x) / exp(x).sum();\n}\nlet answer3sum: number | undefined = 1;",
  "function answer4gradient(x: number, y: number): [number, number] | undefined {\n    return [2 * x * y + y ** 2, x ** 2 + 2 * x * y];\n}\n" +
    'let answer4hessian: number[][] | undefined = [[0, 0], [0, 0]];\nlet answer4kind: "maximum" | "minimum" | "neither" | undefined = "neither";',
  'let answer5: [number, number] | undefined = [1 / 3, 4 / 3];\nlet answer5relation: "equal" | "opposite" | "orthogonal" | undefined = "opposite";',
];
const wrong = [
  // right numbers in the wrong shape; a factor 2 missing
  "function answer1g(beta: Tensor, x: Tensor): Tensor | undefined {\n    return beta;\n}\n" +
    "const answer1h = (beta: Tensor, x: Tensor): Tensor | undefined => matmul(beta, x) * beta.T;",
  "let answer2 = (v: Tensor): Tensor | undefined => v;\nlet answer2length: number | undefined = 2;",
  "function answer3(x: Tensor): Tensor | undefined {\n    return exp(x);\n}\nlet answer3sum: number | undefined = 2;",
  "function answer4gradient(x: number, y: number): [number, number] | undefined {\n    return [2 * x * y, 2 * x * y];\n}\n" +
    'let answer4hessian: number[][] | undefined = [[1, 0], [0, 1]];\nlet answer4kind: "maximum" | "minimum" | "neither" | undefined = "minimum";',
  // a decimal answer rounded too coarsely: "close", with the precision the check wants
  'let answer5: [number, number] | undefined = [0.3, 1.3];\nlet answer5relation: "equal" | "opposite" | "orthogonal" | undefined = "equal";',
];
const parts = [
  ["answer1g", "answer1h"], ["answer2", "answer2length"], ["answer3", "answer3sum"],
  ["answer4gradient", "answer4hessian", "answer4kind"], ["answer5", "answer5relation"],
];

const source = (c: OutputCell) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const committed = readNotebook(notebookPath("mxnet"));

/** The notebook's first code cell (the setup every other cell may assume), then exercise k's answer cell with `answer` and its check. */
function exerciseAlone(k: number, answer: string): FullNotebook {
  const setup = committed.cells.find((c) => c.cell_type === "code")!;
  const answerCells = committed.cells.flatMap((c, i) => (c.metadata?.tags?.includes("answer") ? [i] : []));
  expect(answerCells).toHaveLength(5);
  const at = answerCells[k]!;
  const cells = [setup, { ...committed.cells[at]!, source: answer }, committed.cells[at + 1]!].map((c) => ({ ...c, outputs: [] }));
  return { ...committed, cells };
}

/** The lines the check cell printed. */
async function checkLines(k: number, answer: string): Promise<string[]> {
  const executed = await executeNotebook(exerciseAlone(k, answer));
  expect(errorOutputs(executed)).toEqual([]);
  return cellText(executed.cells[2]!).trimEnd().split("\n");
}

const label = (k: number, part: string) => `Exercise ${k + 1} \\(${part}\\)`;
const notYet = (k: number, part: string) => new RegExp(`^${label(k, part)}: (Not yet|Close, not yet: off by about \\S+% \\(0\\.1% is accepted\\))\\. Hint: [^\\n]+$`);

describe("exercise checks", () => {
  it("say Not yet, with a hint, for every part of the committed (empty) answers", () => {
    const checks = committed.cells.flatMap((c, i) => (i > 0 && committed.cells[i - 1]!.metadata?.tags?.includes("answer") ? [c] : []));
    expect(checks).toHaveLength(5);
    checks.forEach((cell, k) => {
      const lines = cellText(cell).trimEnd().split("\n");
      expect(lines).toHaveLength(parts[k]!.length);
      lines.forEach((line, j) => expect(line).toMatch(notYet(k, parts[k]![j]!)));
    });
  });

  it("use no helper defined outside their own cell", () => {
    const checks = committed.cells.flatMap((c, i) => (i > 0 && committed.cells[i - 1]!.metadata?.tags?.includes("answer") ? [source(c)] : []));
    for (const check of checks) expect(check).not.toMatch(/\b(maxAbsDiff|checkPoints|report)\b/);
  });

  describe.each([1, 2, 3, 4, 5])("exercise %i run alone after the setup cell", (number) => {
    const k = number - 1;
    it("says Right for every part of a right answer", async () => {
      const lines = await checkLines(k, right[k]!);
      expect(lines).toEqual(parts[k]!.map((part) => `Exercise ${k + 1} (${part}): Right.`));
    }, 300_000);

    it("says Not yet, with only a hint, for every part of a wrong answer", async () => {
      const lines = await checkLines(k, wrong[k]!);
      expect(lines).toHaveLength(parts[k]!.length);
      lines.forEach((line, j) => expect(line).toMatch(notYet(k, parts[k]![j]!)));
      // A result of the wrong shape is named as such, with the shape wanted and not the values.
      if (k === 0) expect(lines[0]).toBe("Exercise 1 (answer1g): Not yet. Hint: your result has shape 1×4; in denominator layout the derivative has the shape of x, 4×1 here.");
      // An answer within a few per cent is called close, with the precision the check accepts.
      if (k === 4) expect(lines[0]).toMatch(/^Exercise 5 \(answer5\): Close, not yet: off by about 2% \(0\.1% is accepted\)\. Hint: /);
    }, 300_000);
  });

  it("accepts a decimal answer to three digits and says how many agree", async () => {
    const lines = await checkLines(4, 'let answer5: [number, number] | undefined = [0.333, 1.333];\nlet answer5relation: "equal" | "opposite" | "orthogonal" | undefined = "opposite";');
    expect(lines).toEqual([
      "Exercise 5 (answer5): Right to about 3 digits (3 are needed; exact fractions such as 1 / 3 give all).",
      "Exercise 5 (answer5relation): Right.",
    ]);
  }, 300_000);

});
