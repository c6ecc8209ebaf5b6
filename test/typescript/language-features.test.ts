/**
 * complete / inspect / isComplete through the executor: members after a dot, names from earlier
 * cells and from the preloaded library, keywords, docs and signatures, brackets left open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, startSession, type Session } from "./helpers.js";

let s: Session;
beforeAll(async () => {
  s = await startSession();
  resultText(await s.run("/** How far the ball flew, in metres. */\nfunction distance(speed: number, seconds: number): number { return speed * seconds }\nconst velocityOfBall = { x: 1, y: 2 }"));
});
afterAll(async () => {
  await s.executor.shutdown(false);
});

describe("complete", () => {
  it("offers members after a dot with the cursor range and kinds", async () => {
    const code = "velocityOfBall.";
    const r = await s.executor.complete(code, code.length);
    expect(r.matches).toEqual(expect.arrayContaining(["x", "y"]));
    expect([r.cursorStart, r.cursorEnd]).toEqual([code.length, code.length]);
    const partial = "'text'.toUpp";
    const m = await s.executor.complete(partial, partial.length);
    expect(m.matches).toContain("toUpperCase");
    expect(m.cursorStart).toBe(partial.length - 5);
    expect(m.types?.find((t) => t.text === "toUpperCase")?.type).toBe("function");
  });

  it("offers names from earlier cells, the library, globals and keywords", async () => {
    expect((await s.executor.complete("veloc", 5)).matches).toContain("velocityOfBall");
    expect((await s.executor.complete("dista", 5)).matches).toContain("distance");
    expect((await s.executor.complete("tens", 4)).matches).toContain("tensor");
    expect((await s.executor.complete("Mat", 3)).matches).toContain("Math");
    expect((await s.executor.complete("displ", 5)).matches).toContain("display");
    const keywords = await s.executor.complete("retu", 4);
    expect(keywords.types?.find((t) => t.text === "return")?.type).toBe("keyword");
    expect((await s.executor.complete("tensor([1]).su", 14)).matches).toContain("sum");
  });

  it("hides `_` internals until `_` is typed, and ranks by sortText then name", async () => {
    resultText(await s.run("const length = new Meter(2)"));
    const members = await s.executor.complete("length.", 7);
    expect(members.matches).toEqual(["toFeet", "unit", "value"]);
    const internals = await s.executor.complete("length._", 8);
    expect(internals.matches).toEqual(["_raw", "_scale"]);
    expect(internals.cursorStart).toBe(7);
    // A cell's own names come before the globals (TypeScript's sortText), each group by name.
    const names = (await s.executor.complete("le", 2)).matches;
    expect(names[0]).toBe("length");
  });

  it("reports the kind a user expects: function, class, module, variable, keyword", async () => {
    const kinds = async (code: string) => Object.fromEntries(((await s.executor.complete(code, code.length)).types ?? []).map((t) => [t.text, t.type]));
    expect(await kinds("units.")).toEqual({ feet: "function", inches: "function", meters: "function", metric: "variable", names: "variable" });
    const member = await kinds("length.");
    expect(member).toEqual({ toFeet: "function", unit: "variable", value: "variable" });
    const globals = await kinds("");
    expect(globals["units"]).toBe("module");
    expect(globals["Meter"]).toBe("class");
    expect(globals["tensor"]).toBe("function");
    expect(globals["distance"]).toBe("function");
    expect(globals["velocityOfBall"]).toBe("variable");
    expect(globals["Math"]).toBe("variable");
    expect(globals["if"]).toBe("keyword");
  });

  it("completes in the middle of a cell", async () => {
    const code = "const a = 1\nMath.fl\nconst b = 2";
    const r = await s.executor.complete(code, code.indexOf("fl") + 2);
    expect(r.matches).toContain("floor");
  });
});

describe("inspect", () => {
  it("shows the signature and doc comment of a function from an earlier cell", async () => {
    const r = await s.executor.inspect("distance(3, 4)", 3, 0);
    expect(r.found).toBe(true);
    expect(r.data["text/plain"]).toContain("distance(speed: number, seconds: number): number");
    expect(r.data["text/plain"]).toContain("How far the ball flew");
    expect(r.data["text/markdown"]).toContain("```typescript");
  });

  it("shows library docs and types of variables", async () => {
    const library = await s.executor.inspect("tensor", 6, 0);
    expect(library.data["text/plain"]).toContain("Makes a tensor from numbers");
    const variable = await s.executor.inspect("velocityOfBall", 3, 0);
    expect(variable.data["text/plain"]).toContain("x: number");
  });

  it("shows a library function's overloads simplest first, without alias artefacts, then its doc", async () => {
    const r = await s.executor.inspect("scale", 5, 0);
    const text = String(r.data["text/plain"]);
    expect(text.split("\n").slice(0, 2)).toEqual(["function scale(x: number): number", "function scale(x: number, options: { factor: number; offset: number; }): number"]);
    expect(text).toContain("\n\nScales a number");
    expect(text.indexOf("@example scale(2) // 4")).toBeGreaterThan(text.indexOf("Scales a number"));
    const single = String((await s.executor.inspect("tensor", 3, 0)).data["text/plain"]);
    expect(single.startsWith("function tensor(values: Iterable<number>): Tensor")).toBe(true);
    for (const shown of [text, single]) expect(shown).not.toMatch(/\(alias\)|^import /m);
  });

  it("shows the call's signature inside its arguments, and nothing on blank space", async () => {
    const code = "distance(1, ";
    const inside = await s.executor.inspect(code, code.length, 0);
    expect(inside.data["text/plain"]).toContain("speed: number");
    expect((await s.executor.inspect("   ", 1, 0)).found).toBe(false);
  });
});

describe("isComplete", () => {
  const cases: Array<[string, string]> = [
    ["1 + 1", "complete"],
    ["", "complete"],
    ["function f() {", "incomplete"],
    ["const a = [1,\n  2,", "incomplete"],
    ["const total = 1 +", "incomplete"],
    ["const s = `open template ${1}", "incomplete"],
    ["call(1, (x) => {\n  return x", "incomplete"],
    ["const = )", "invalid"],
    ["let x = 1 }", "invalid"],
  ];
  for (const [code, status] of cases) {
    it(`${JSON.stringify(code)} is ${status}`, async () => {
      const r = await s.executor.isComplete(code);
      expect(r.status).toBe(status);
      if (r.status === "incomplete") expect(r.indent).toMatch(/^ *$/);
    });
  }
  it("indents one level inside an open block", async () => {
    expect(await s.executor.isComplete("if (true) {\n  for (;;) {")).toEqual({ status: "incomplete", indent: "    " });
  });
});
