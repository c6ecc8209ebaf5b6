/**
 * A package installed while the kernel runs: a cell that imported it before it existed fails
 * with TypeScript's "Cannot find module", and once it is in the notebook's node_modules the same
 * cell checks and runs, without restarting the kernel (the native checker remembers missing
 * modules, so the kernel has it read the disk again after such an error).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resultText, startSession, type Session } from "./helpers.js";

for (const checker of ["native", "typescript6"] as const) {
  describe(`a package installed after a cell imported it (${checker} checker)`, () => {
    let s: Session;
    let notebookDir: string;
    beforeAll(async () => {
      notebookDir = mkdtempSync(join(tmpdir(), "gradlab late install "));
      s = await startSession({ cwd: notebookDir, checker });
    });
    afterAll(async () => {
      await s.executor.shutdown(false);
      rmSync(notebookDir, { recursive: true, force: true });
    });

    it("is found by the next run of the cell", async () => {
      const cell = 'import { greet } from "late-greeter"\ngreet("class")';
      const missing = await s.run(cell);
      expect(missing.status === "error" && missing.evalue).toMatch(/Cannot find module 'late-greeter'/);
      const pkg = join(notebookDir, "node_modules", "late-greeter");
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "late-greeter", version: "1.0.0", type: "module", main: "index.js", types: "index.d.ts" }));
      writeFileSync(join(pkg, "index.js"), "export function greet(who) { return `hello, ${who}`; }\n");
      writeFileSync(join(pkg, "index.d.ts"), "export declare function greet(who: string): string;\n");
      expect(resultText(await s.run(cell))).toBe("'hello, class'");
      // Its types came along: a wrong argument is a type error.
      const wrong = await s.run("greet(42)");
      expect(wrong.status === "error" && wrong.ename).toBe("TSError");
    });
  });
}
