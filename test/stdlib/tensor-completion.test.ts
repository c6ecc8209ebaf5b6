/**
 * What a notebook user sees of a Tensor through the BUILT declarations: `t.` completion lists the
 * API (ops, shape, grad, backward, …) and none of the storage or autodiff bookkeeping, and a cell
 * that reaches for that bookkeeping by name is told it is private.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { openBuiltLibrary, type BuiltLibrary } from "../support/built-library.js";
import { Tensor, tensor } from "../../stdlib/index.js";

const INTERNALS = ["_data", "_strides", "_offset", "_contig", "_op", "_inputs", "_ctx", "_recordOnly", "_gradWrite", "_freed", "_pass", "_gacc"];

let built: BuiltLibrary;
beforeAll(async () => {
  built = await openBuiltLibrary();
}, 60_000);

describe("Tensor members a cell sees", () => {
  it("completion after `t.` lists the API and no internal field", () => {
    const names = built.completions("const t = tensor([1, 2], { requiresGrad: true });\nt.");
    expect(names).toEqual(expect.arrayContaining(["add", "matmul", "shape", "dtype", "grad", "backward", "item", "T", "strides"]));
    expect(names.filter((n) => n.startsWith("_"))).toEqual([]);
  });

  it("also on tensors that ops return and in function parameters annotated with Tensor", () => {
    expect(built.completions("const t = exp(tensor([1]));\nt.").filter((n) => n.startsWith("_"))).toEqual([]);
    expect(built.completions("function f(x: Tensor) {\n  return x.").filter((n) => n.startsWith("_"))).toEqual([]);
  });

  it("reading an internal field by name is a type error (TS2341: private)", () => {
    for (const field of INTERNALS) {
      const errors = built.diagnostics(`const t = tensor([1]);\nconst v = t.${field};`);
      expect(errors.join("\n"), field).toMatch(/^TS2341: Property '_\w+' is private/);
    }
  });

  it("every field the test names really exists at run time (the list tracks the class)", () => {
    const t = tensor([1]) as unknown as Record<string, unknown>;
    for (const field of INTERNALS) expect(field in t, field).toBe(true);
    const own = Object.keys(t).filter((k) => k.startsWith("_"));
    expect(own.sort()).toEqual([...INTERNALS].sort());
    expect(tensor([1]) instanceof Tensor).toBe(true);
  });
});
