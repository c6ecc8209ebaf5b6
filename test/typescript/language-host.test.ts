/**
 * The language service host: a new program per cell must not read the files on disk again.
 */
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { describe, expect, it, vi } from "vitest";
import { CellLanguageHost } from "../../kernel/typescript/compiler/language-host.js";
import { NOTEBOOK_DIR } from "./helpers.js";

const ts = createRequire(import.meta.url)("typescript") as typeof TS;

describe("CellLanguageHost", () => {
  it("reads each file on disk once across programs, and still sees every new cell", () => {
    const host = new CellLanguageHost(ts, NOTEBOOK_DIR, undefined, []);
    for (const name of Object.values(host.names)) host.setFile(name, "export {};\n");
    const reads = vi.spyOn(ts.sys, "readFile");
    try {
      host.setFile(host.names.cell, "const a: number = 1;\nexport {};\n");
      host.program();
      const firstReads = reads.mock.calls.filter(([name]) => name.endsWith(".d.ts")).length;
      expect(firstReads).toBeGreaterThan(0); // the lib files
      host.setFile(host.names.cell, "const b: string = 'x';\nexport {};\n");
      const program = host.program();
      expect(reads.mock.calls.filter(([name]) => name.endsWith(".d.ts")).length).toBe(firstReads);
      expect(program.getSourceFile(host.names.cell)!.text).toContain("const b");
      expect(host.service.getSemanticDiagnostics(host.names.cell)).toHaveLength(0);
    } finally {
      reads.mockRestore();
    }
  });
});
