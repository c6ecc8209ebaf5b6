/**
 * The compiler options every cell is checked with, written once as tsconfig JSON: TypeScript 7's
 * native checker reads them as its project's tsconfig, and TypeScript 6's language service (the
 * fallback checker and the operators rewrite) converts the same JSON, so both checkers judge a
 * cell by the same rules. Plain data: no "typescript" import.
 *
 * noImplicitAny is off so `function f(x) {}` stays quick to write in a notebook; the rest of
 * strict mode is on. `types` is empty: @types/node is added as a root file on demand, never by
 * type roots, which would be looked up from the notebook's folder (it may have no node_modules).
 * allowUnreachableCode is left unset: code after a `return` is then only a suggestion (never
 * shown), while a side-effect-free left operand of a comma is an error, which is what catches a
 * Python tuple such as `np.zeros((2, 3))` (JavaScript reads it as `np.zeros(3)`).
 */
export const CELL_COMPILER_OPTIONS = {
  target: "es2022",
  module: "esnext",
  moduleResolution: "bundler",
  lib: ["es2023"],
  types: [],
  strict: true,
  noImplicitAny: false,
  skipLibCheck: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  resolveJsonModule: true,
  allowUnusedLabels: true,
} as const;
