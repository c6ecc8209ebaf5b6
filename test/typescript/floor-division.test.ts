/**
 * Python's floor division `a // b` (and `n //= 2`) in a cell is refused with an error at the `//`
 * (floor-division.ts): to TypeScript it starts a comment and the value is silently wrong. Comments
 * in words after code are left alone. The rule on TypeScript 6's syntax tree directly, then through
 * the real executor on both checkers.
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { floorDivisionDiagnostics } from "../../kernel/typescript/compiler/floor-division.js";
import { errorText, plain, startKernelSession, type KernelSession } from "../operators/kernel-session.js";

const ts = createRequire(import.meta.url)("typescript") as typeof TS;

/** The rule's errors for `code`, as `line:column message`. */
function errors(code: string): string[] {
  const source = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.ES2022, true);
  const toUser = (pos: number) => {
    const { line, character } = source.getLineAndCharacterOfPosition(pos);
    return { line, column: character };
  };
  return floorDivisionDiagnostics(ts, source, toUser).map((d) => `${d.line + 1}:${d.column + 1} ${d.message}`);
}

describe("floor division written Python's way", () => {
  it("`(lo + hi) // 2` is refused at the `//`, naming what to write", () => {
    expect(errors("const lo = 0, hi = 9;\nconst mid = (lo + hi) // 2;")).toEqual([
      "2:23 `(lo + hi) // 2` is not floor division in TypeScript: `//` starts a comment, so the line ends at `(lo + hi)` and `2` is never read. Write `Math.floor((lo + hi) / 2)` (for a tensor: `floor((lo + hi) / 2)`).",
    ]);
  });

  it("in an assignment, a return, an arrow's body, after a name the cell uses, and `a + b // 2` is `a + (b // 2)`", () => {
    const found = errors("let n = 7, k = 2, total = 0;\nn = total // k\nfunction half(x: number) {\n  return x // 2\n}\nconst third = (x: number) => x // 3\nconst y = n + total // 4");
    expect(found.map((e) => e.split(" is not")[0])).toEqual(["2:11 `total // k`", "4:12 `x // 2`", "6:32 `x // 3`", "7:21 `total // 4`"]);
  });

  it("`n //= 2` is refused: it is `n` alone", () => {
    expect(errors("let n = 9;\nn //= 2")).toEqual([
      "2:3 `n //= 2` is not floor division in TypeScript: `//` starts a comment, so the line is `n` alone and changes nothing. Write `n = Math.floor(n / 2)`.",
    ]);
  });

  it("comments in words, names the code does not use, comments on their own line, and URLs in strings are left alone", () => {
    expect(
      errors("// 2\nconst limit = 100 // max\nconst wait = 3 // seconds\nconst url = 'https://example.com' // the docs\nlet n = 1 // n is one\nconst s = `a//b` + '//2'\nfoo() // 2 retries\n/* x // 2 */"),
    ).toEqual([]);
  });
});

describe.each(["native", "typescript6"] as const)("through the executor (%s checker)", (checker) => {
  let session: KernelSession;

  beforeAll(async () => {
    session = await startKernelSession({ checker });
  });

  afterAll(async () => {
    await session?.executor.shutdown(false);
  });

  it("the cell is refused at the user's line and column, and what the message says to write works", async () => {
    const text = errorText(await session.run("const xs = [1, 2, 3, 4, 5];\nconst mid = xs.length // 2;\nxs[mid]"));
    expect(text).toContain("line 2, column 23: `xs.length // 2` is not floor division in TypeScript");
    expect(plain(await session.run("const ys = [1, 2, 3, 4, 5];\nconst mid2 = Math.floor(ys.length / 2);\nys[mid2]"))).toBe("3");
    // An ordinary comment after code still runs.
    expect(plain(await session.run("const limit = 100 // max\nlimit"))).toBe("100");
  });
});
