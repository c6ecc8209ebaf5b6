/**
 * The rewrite on TypeScript 7's native checker (native-rewrite.ts) against the one on
 * TypeScript 6's (rewrite.ts), cell by cell: the same rewritten text (or none), the same operator
 * errors at the same places, and the probe offered to stand for the final text in the same cases.
 * The cells: every code cell of the chapter notebooks, and operands of every shape the rewrite
 * classifies (calls, `this`, element reads, generics, unions, `any`, literals, assertions).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeNative, rewriteOf } from "./harness.js";
import { ROOT } from "../typescript/helpers.js";

const SHAPES = [
  "const w = tensor([1, 2]);\nclass K { t = tensor(1); f() { return this.t * 2 + -this.t; } }\nconst k = new K().f() * w;",
  "const w = tensor([1, 2]);\nconst a = (() => w)() * 2;\nconst b = (w as Tensor) * (<any>w) - (w satisfies Tensor);\nconst c = w! ** 2;",
  "const w = tensor([[1, 2], [3, 4]]);\nconst i = 1;\nconst e = w[i][0] + w[0][i] * (w * 2)[1][1];\nconst f = [w][0] * 3;",
  "function g<T extends Tensor>(a: T, n: number) { const y = a * n; return y * a - 1; }\nconst h = g(tensor(1), 2) * 2;",
  "declare const u: Tensor | number;\ndeclare const v: Tensor | string;\ndeclare const x: any;\nconst r = [u * 2, v * 2, x * 2, x + 'a', -x, +u];",
  "const w = tensor(1);\nlet s: Tensor | number = 0;\nfor (let i = 0; i < 3; i++) s += w * i;\nconst o = { p: w };\no.p -= 1;\nconst xs = [w];\nxs[0] **= 2;",
  "const w = tensor(1);\nconst bad = [w + 'a', w * true, 2n ** w, w < 'b', [1] - w];",
  "const n = 3;\nconst m = [1, 2][0] * n + -n;\nconst d = new Date();\nconst later = +d + 1;\nconst str = 'a' + n;",
  "const w = tensor([1, 2]);\nconst q = w.mul(2).add(1);\nconst big = 2n ** 10n;\nenum E { A = 1 }\nconst z = w * E.A;",
  "const w = tensor([1, 2, 3]);\nconst m = tensor([[1, 2], [3, 4]]);\nlet i = 1;\nw[0] = 1;\nw[0] += 1;\nm[i][0] = 5;\nm[i][0] -= w[1];\nw[2]++;",
  "// ∂f/∂w 😀\nconst w = tensor([1.5], { requiresGrad: true });\nconst f = (w * 3 + 1) ** 2 / (w - 4) % 2;\nf.backward();",
  "const w = tensor([1, 2]);\nconst o = { t: w, n: 0 };\nif (w) {}\nwhile (o.t.sum()) break;\ndo {} while ((w[0]));\nconst a = !o.t ? 1 : o.n ? 2 : 3;\nif (o.n && w || !w.mean()) {}",
  "const w = tensor([1, 2]);\nconst m = w * 2;\nconst y = m || w;\nconst z = m && w || (w.sum() as Tensor)!;\nif (m * 2) {}\nif (-m) {}\nasync function g(p: Promise<Tensor>) { return (await p) ? 1 : 0; }",
  "const xs = [1, 2], t = tensor([1, 2]);\nconst o: Record<string, number> = {};\nconst a = [1 in xs, 'k' in o, 2 in t, xs[-1], t[-1], 'ab'[-1]];\nfor (const i in xs) {}\nfor (const k in o) {}\nfor (const r in t) {}",
  "const a = tensor([1]), b = tensor([2]);\nconst xs = [3, 1], ss = ['b'];\nconst r = [a == b, a != b, a === b, xs == xs, a == null, xs.sort(), ss.sort(), xs.toSorted(), xs.sort((p, q) => p - q)];",
  "const t = tensor([0.5]);\nconst c = [0 < t < 1, (0 < t) < 1, 0 < t && t < 1, 1 > t >= 0];",
  "function f(best: Tensor | undefined, a: any, n: number, b: Tensor | number) { if (best) {} if (a) {} if (n) {} if (b) {} return best || a || b; }\nclass C { t = tensor(1); g() { return this.t && this.t.sum(); } }\nfunction h<T extends Tensor>(x: T) { return x ? 1 : 0; }",
];

function chapterCells(): string[] {
  const dir = path.join(ROOT, "notebooks");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb"))
    .flatMap((name) => {
      const notebook = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { cells: Array<{ cell_type: string; source: string | string[] }> };
      return notebook.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
    });
}

/** What must agree between the checkers. */
function outline(code: string, checker: "typescript6" | "native") {
  const rewrite = rewriteOf(code, checker);
  if (!rewrite) return undefined;
  return {
    text: rewrite.text,
    errors: rewrite.diagnostics.map((d) => ({ start: d.start, length: d.length, message: "messageText" in d ? d.messageText : (d as { message: string }).message })),
    probeStandsIn: rewrite.checked !== undefined,
  };
}

afterAll(closeNative);

describe("the native rewrite decides as TypeScript 6's", () => {
  it.each(SHAPES)("%s", (code) => {
    expect(outline(code, "native")).toEqual(outline(code, "typescript6"));
  });

  it("on every code cell of the chapter notebooks", () => {
    const cells = chapterCells();
    expect(cells.length).toBeGreaterThan(20);
    let rewritten = 0;
    for (const code of cells) {
      const want = outline(code, "typescript6");
      expect(outline(code, "native"), code).toEqual(want);
      if (want) rewritten++;
    }
    expect(rewritten).toBeGreaterThan(10);
  });
});
