/**
 * Every name a cell can reach in the library has documentation where a student looks for it:
 * inspect_request (Shift+Tab, and JupyterLab's completer documentation panel) to the real gradlab
 * kernel over ZeroMQ, on each checker. Walks the built library's exports and every member of the
 * `torch`, `np` and `autograd` namespaces (nested ones too: `torch.linalg.solve`), so a new export
 * or namespace member without a doc comment fails here by name.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient, launchKernel } from "../protocol/kernel-harness.js";
import { ROOT } from "./helpers.js";

/** Dotted paths of the members of a namespace object, nested objects walked (`torch.linalg.solve`). */
function memberPaths(prefix: string, value: object): string[] {
  const paths: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    const path = `${prefix}.${key}`;
    paths.push(path);
    if (member !== null && typeof member === "object" && Object.getPrototypeOf(member) === Object.prototype) paths.push(...memberPaths(path, member));
  }
  return paths;
}

/** The documentation part of an inspection's text: what follows the declaration's code block. */
function documentationOf(markdown: string): string {
  return markdown.replace(/^```typescript\n[\s\S]*?\n```/, "").trim();
}

let library: Record<string, unknown>;
beforeAll(async () => {
  const entry = join(ROOT, "dist/stdlib/index.js");
  expect(existsSync(entry), "dist/stdlib/index.js (npm run build)").toBe(true);
  library = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
});

for (const checker of ["native", "typescript6"] as const) {
  describe(`inspection of the library's names (${checker} checker)`, () => {
    let client: TestClient;
    beforeAll(async () => {
      client = await launchKernel([process.execPath, join(ROOT, "bin/gradlab.js"), "kernel"], checker === "typescript6" ? { GRADLAB_CHECKER: "typescript6" } : {});
      await client.ready(60_000);
    }, 90_000);
    afterAll(async () => {
      await client?.close();
    });

    async function documentation(code: string): Promise<string> {
      const id = await client.send("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
      const reply = await client.reply(id, 30_000);
      if (reply.content["found"] !== true) return "";
      return documentationOf(String((reply.content["data"] as Record<string, unknown>)["text/markdown"] ?? ""));
    }

    async function undocumented(paths: readonly string[]): Promise<string[]> {
      const missing: string[] = [];
      for (const path of paths) if ((await documentation(path)).length === 0) missing.push(path);
      return missing;
    }

    it("documents every member of torch, np and autograd", async () => {
      const paths = ["torch", "np", "autograd"].flatMap((name) => memberPaths(name, library[name] as object));
      expect(paths.length).toBeGreaterThan(150);
      expect(await undocumented(paths)).toEqual([]);
    }, 180_000);

    it("documents every export of the library (values and types)", async () => {
      const values = Object.keys(library).filter((name) => !name.startsWith("__"));
      expect(values).toContain("tensor");
      const types = ["DType", "Flavour", "TensorLike", "Axis", "SliceSpec", "TensorOptions", "MeshgridOptions", "NestedData", "BackwardOptions", "GradOptions", "CheckGradsOptions"];
      // A type is inspected where a type is written.
      expect(await undocumented([...values, ...types.map((name) => `let value: ${name}`)])).toEqual([]);
    }, 180_000);

    it("documents every method of a tensor (a method written beside a library function shows that function's comment)", async () => {
      const prototype = (library["Tensor"] as { prototype: object }).prototype;
      const methods = Object.getOwnPropertyNames(prototype).filter((name) => /^[a-zA-Z]\w*$/.test(name) && name !== "constructor");
      expect(methods).toEqual(expect.arrayContaining(["sum", "exp", "matmul", "reshape", "backward"]));
      expect(await undocumented(methods.map((name) => `tensor([1]).${name}`))).toEqual([]);
      const sum = await documentation("tensor([[1, 2]]).sum(");
      expect(sum).toMatch(/@example/);
      const id = await client.send("shell", "inspect_request", { code: "tensor([1]).sum", cursor_pos: 15, detail_level: 0 });
      const plain = String(((await client.reply(id, 30_000)).content["data"] as Record<string, unknown>)["text/plain"]);
      expect(plain.split("\n")[0], "the method's own signature, without the tensor argument").toMatch(/^\(method\) Tensor\.sum\(axis\?: Axis, keepdims\?: boolean\): Tensor$/);
    }, 180_000);

    it("shows a namespace member's documentation with its own signature, the flavour's name and an example", async () => {
      const subtract = await documentation("np.subtract");
      expect(subtract).toMatch(/NumPy `np\.subtract`/);
      expect(subtract).toMatch(/@example/);
      const mm = await documentation("torch.mm");
      expect(mm).toMatch(/`torch\.mm`/);
      const id = await client.send("shell", "inspect_request", { code: "np.exp", cursor_pos: 6, detail_level: 0 });
      const plain = String(((await client.reply(id, 30_000)).content["data"] as Record<string, unknown>)["text/plain"]);
      expect(plain.split("\n")[0]).toMatch(/exp.*\(a: TensorLike\)/);
    }, 60_000);
  });
}
