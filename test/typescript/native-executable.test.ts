/**
 * nativeExecutable (kernel/typescript/compiler/native-executable.ts): the kernel finds TypeScript
 * 7's native binary in npm's per-platform package itself, since the API's own lookup is relative to
 * a module that the kernel's bundle moves.
 */
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nativeExecutable } from "../../kernel/typescript/compiler/native-executable.js";
import { ROOT } from "./helpers.js";

describe("the native compiler's binary", () => {
  it("is the platform package's lib/tsc, an executable file of TypeScript 7's version", () => {
    const executable = nativeExecutable();
    const platformPackage = `@typescript/typescript-${process.platform}-${process.arch}`;
    expect(executable).toBe(join(ROOT, "node_modules", platformPackage, "lib", process.platform === "win32" ? "tsc.exe" : "tsc"));
    accessSync(executable, constants.X_OK);
    const version = (path: string) => (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
    expect(version(join(ROOT, "node_modules", platformPackage, "package.json"))).toBe(version(join(ROOT, "node_modules", "typescript7", "package.json")));
  });

  it("is missing, with the platform package named, where npm installed no build", () => {
    expect(() => nativeExecutable("plan9", "mips")).toThrow("npm installed no @typescript/typescript-plan9-mips (TypeScript 7 publishes no native compiler for plan9-mips)");
  });
});
