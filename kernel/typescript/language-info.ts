/**
 * The TypeScript kernel's description (kernel_info's language_info, banner, help links), written
 * once. The composition root hands it to the protocol worker at launch, so kernel_info is
 * answered before TypeScript loads; the executor's info() returns the very same, so the answer
 * does not depend on when it is asked.
 *
 * Runs on the main thread. Cheap on the launch path: it reads two package.json files and loads
 * nothing else (in particular not TypeScript).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LanguageInfo } from "../executor.js";

let described: LanguageInfo | undefined;

/**
 * @example
 * typescriptLanguageInfo().banner; // "gradlab 0.1.0: TypeScript 7.0.2 cells with a preloaded tensor and autodiff library"
 */
export function typescriptLanguageInfo(): LanguageInfo {
  if (described) return described;
  const root = packageRoot();
  const gradlabVersion = (root && readVersion(join(root, "package.json"))) || "unknown";
  const typescriptVersion = checkerVersion();
  described = {
    implementation: "gradlab",
    implementationVersion: gradlabVersion,
    languageInfo: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: "typescript",
    },
    banner: `gradlab ${gradlabVersion}: TypeScript ${typescriptVersion} cells with a preloaded tensor and autodiff library`,
    helpLinks: [{ text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" }],
  };
  return described;
}

/**
 * The version of the TypeScript that checks cells: TypeScript 7's native compiler unless the
 * kernel's environment asks for TypeScript 6 (GRADLAB_CHECKER=typescript6), which also answers
 * when the native package is not installed.
 */
function checkerVersion(): string {
  const require = createRequire(import.meta.url);
  const packages = process.env["GRADLAB_CHECKER"] === "typescript6" ? ["typescript"] : ["typescript7", "typescript"];
  for (const name of packages) {
    try {
      const version = readVersion(require.resolve(`${name}/package.json`));
      if (version) return version;
    } catch {
      // not installed: try the next
    }
  }
  return "unknown";
}

/** The folder of the gradlab package this file belongs to (undefined when run from elsewhere). */
export function packageRoot(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "gradlab") return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readVersion(manifest: string): string | undefined {
  try {
    const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}
