/**
 * The native compiler binary of the pinned TypeScript 7 package (npm alias `typescript7`): npm
 * installs it in a per-platform package beside it (`@typescript/typescript-linux-x64`, …, an
 * optional dependency, so it is simply absent on a platform without a build), as `lib/tsc`.
 *
 * The kernel looks for it itself rather than letting the API do so: the API finds it relative to
 * its own module's URL, which is not the package's folder once the API is bundled into the
 * kernel's language bundle.
 *
 * Boundary: a path, or an error saying why there is none; never starts the binary.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The binary's path, for this platform and architecture.
 *
 * @throws Error naming the platform package that is missing, or the file that is
 * @example nativeExecutable() // "/…/node_modules/@typescript/typescript-linux-x64/lib/tsc"
 */
export function nativeExecutable(platform: string = process.platform, arch: string = process.arch): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("typescript7/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { name: string; bin?: Record<string, string> };
  const binary = Object.keys(manifest.bin ?? {})[0] ?? "tsc";
  const platformPackage = `@typescript/${manifest.name.replace(/^@[^/]+\//, "")}-${platform}-${arch}`;
  let platformDir: string;
  try {
    platformDir = dirname(createRequire(manifestPath).resolve(`${platformPackage}/package.json`));
  } catch {
    throw new Error(`npm installed no ${platformPackage} (TypeScript 7 publishes no native compiler for ${platform}-${arch})`);
  }
  const executable = join(platformDir, "lib", platform === "win32" ? `${binary}.exe` : binary);
  if (!existsSync(executable)) throw new Error(`${executable} is missing from ${platformPackage}`);
  return executable;
}
