/**
 * Re-declaring a name in a later cell with any kind of declaration (const, let, var, function,
 * class, enum, type): the latest definition wins at run time and for the checker; functions are
 * still hoisted within their cell; const-ness is still enforced by the checker.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, startSession, type Session } from "./helpers.js";

describe.each([
  { checking: true, label: "with type checking" },
  { checking: false, label: "without type checking" },
])("declaring a name again across kinds, $label", ({ checking }) => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession({ typeCheck: checking });
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  const pairs: Array<[string, string, string, string]> = [
    // earlier cell, later cell, expression, its text
    ["const x = 1", "let [w, x] = [1, 2]", "x * 10 + w", "21"],
    ["function f() { return 1 }", "let f = 3", "f + 1", "4"],
    ["class C { n = 1 }", "const C = 1", "C + 1", "2"],
    ["let y = 'text'", "function y() { return 7 }", "y() + 1", "8"],
    ["const k = 'first'", "class k { static tag = 'class' }", "k.tag", "'class'"],
    ["var v = 1", "const v = [2]", "v[0]", "2"],
    ["enum Color { Red, Green }", "const Color = { Blue: 'b' }", "Color.Blue", "'b'"],
    ["class Shape { sides = 3 }", "function Shape() { return 'called' }", "Shape()", "'called'"],
  ];
  it.each(pairs)("%s then %s: the latest wins", async (first, second, expression, expected) => {
    expect((await s.run(first)).status).toBe("ok");
    const later = await s.run(second);
    expect(later.status === "error" ? `${later.ename}: ${later.evalue}` : "ok").toBe("ok");
    expect(resultText(await s.run(expression))).toBe(expected);
  });

  it("runs a cell declaring every kind of binding twice in a row", async () => {
    const cell = "const a1 = 1\nlet a2 = 2\nvar a3 = 3\nfunction a4() { return 4 }\nclass A5 { v = 5 }\nenum A6 { six = 6 }\na1 + a2 + a3 + a4() + new A5().v + A6.six";
    expect(resultText(await s.run(cell))).toBe("21");
    expect(resultText(await s.run(cell))).toBe("21");
  });

  it("hoists a function within its cell, and a function sees the current binding of its name", async () => {
    expect(resultText(await s.run("const early = later(2)\nfunction later(n: number) { return n * 3 }\nearly"))).toBe("6");
    expect(resultText(await s.run("function fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1) }\n[fact(5), fact.name]"))).toBe("[ 120, 'fact' ]");
    // Async and generator functions keep their kind.
    expect(resultText(await s.run("async function* count() { yield 1; yield 2 }\nconst seen: number[] = []\nfor await (const n of count()) seen.push(n)\nseen"))).toBe("[ 1, 2 ]");
    // A class keeps its own name inside its body and as .name.
    expect(resultText(await s.run("class Node2 { static make() { return new Node2() } }\n[Node2.make() instanceof Node2, Node2.name]"))).toBe("[ true, 'Node2' ]");
  });

  it("keeps the value of a name from a cell that was only read", async () => {
    expect(resultText(await s.run("let kept = 41"))).toBeUndefined();
    expect(resultText(await s.run("kept + 1"))).toBe("42");
  });
});

describe("the checker's view of re-declared names", () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    await s.executor.shutdown(false);
  });

  it("takes the latest declaration's type", async () => {
    resultText(await s.run("function m(): number { return 1 }"));
    resultText(await s.run("const m = 'now text'"));
    expect(resultText(await s.run("m.toUpperCase()"))).toBe("'NOW TEXT'");
    const wrong = await s.run("m.toFixed(1)");
    expect(wrong.status === "error" && wrong.ename).toBe("TSError");
    expect(wrong.status === "error" && wrong.evalue).toContain("toFixed");
  });

  it("still rejects assigning to a const, in its own cell and later", async () => {
    const same = await s.run("const fixed = 1\nfixed = 2");
    expect(same.status === "error" && [same.ename, same.evalue]).toEqual(["TSError", expect.stringContaining("constant") as string]);
    resultText(await s.run("const fixed2 = 1"));
    const later = await s.run("fixed2 = 2");
    expect(later.status === "error" && later.ename).toBe("TSError");
    expect(resultText(await s.run("fixed2"))).toBe("1");
  });

  it("maps an error thrown in a hoisted function to its own line", async () => {
    const outcome = await s.run("const r = boom()\nfunction boom(): number {\n  throw new Error('hoisted')\n}");
    if (outcome.status !== "error") throw new Error("expected an error");
    expect(outcome.traceback.join("\n")).toMatch(/line 3, in boom\n----> 3   throw new Error\('hoisted'\)/);
    expect(outcome.traceback.join("\n")).toMatch(/line 1\n----> 1 const r = boom\(\)\n {18}\^/);
  });
});
