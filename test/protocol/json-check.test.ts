/**
 * jsonReady: what a cell outputs is checked on the main thread before it crosses to the protocol
 * worker, and a value that cannot become JSON is refused with the place and the reason.
 */
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, jsonReady } from "../../kernel/bridge/json-check.js";

describe("jsonReady", () => {
  it("passes JSON-ready values through unchanged, shared references included", () => {
    const shared = { x: 1 };
    const value = { a: [1, "two", null, true, { b: shared }], c: shared, d: undefined, when: new Date(0) };
    expect(jsonReady(value, "display_data", "data")).toBe(value);
  });

  it.each([
    ["a cycle", () => { const c: Record<string, unknown> = {}; c["self"] = c; return { "application/json": c }; }, /data\["application\/json"\]\.self is a circular reference/],
    ["a BigInt", () => ({ "application/json": { n: [1, 10n] } }), /data\["application\/json"\]\.n\[1\] is a BigInt \(10n\)/],
    ["a function", () => ({ f: () => 1 }), /data\.f is a function/],
    ["a symbol", () => ({ s: Symbol("s") }), /data\.s is a symbol/],
  ])("refuses %s, naming the output and the place", (_what, make, message) => {
    expect(() => jsonReady(make(), "display_data", "data")).toThrow(message);
    expect(() => jsonReady(make(), "display_data", "data")).toThrow(/this display_data cannot be sent to the notebook/);
  });

  it("refuses nesting deeper than the limit without overflowing the stack", () => {
    let deep: unknown[] = [];
    for (let i = 0; i < MAX_JSON_DEPTH * 20; i++) deep = [deep];
    expect(() => jsonReady(deep, "display_data", "data")).toThrow(/nested more than 1000 levels deep/);
  });

  it("applies toJSON methods, which structured cloning would drop, by sending a plain copy", () => {
    class Point {
      constructor(readonly x: number, readonly parent?: Point) {}
      toJSON() { return { x: this.x }; }
    }
    const root = new Point(1);
    const child = new Point(2, root);
    const sent = jsonReady({ p: child }, "display_data", "metadata");
    expect(sent).toEqual({ p: { x: 2 } });
    expect(Object.getPrototypeOf(sent.p)).toBe(Object.prototype);
  });
});
