/**
 * `npm run test:unit`: the inner-loop subset of the suite. Only tests that run in this process
 * on plain data: the tensor library, the plot package's figure JSON, the wire format and the
 * protocol kernel over the in-memory transport, the display API, the operator rewrite's pure
 * parts and its type decisions (on both checkers: TypeScript 7's native checker is a child process
 * of the test, no kernel), and the notebook comparator. Nothing here starts a kernel, Jupyter,
 * Python or a browser, and nothing reads dist/, so it needs no build. `npm test` runs everything,
 * these included.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "test/stdlib/**/*.test.ts",
      "test/plot/figure.test.ts",
      "test/plot/export-needs-math.test.ts",
      "test/protocol/wire.test.ts",
      "test/protocol/handlers.test.ts",
      "test/protocol/client-input.test.ts",
      "test/protocol/interrupt-watch.test.ts",
      "test/protocol/json-check.test.ts",
      "test/protocol/bridge-requests.test.ts",
      "test/protocol/memory-limit.test.ts",
      "test/display/display-api.test.ts",
      "test/operators/splice.test.ts",
      "test/operators/operators-types.test.ts",
      "test/notebooks/comparator.test.ts",
      "test/typescript/source-map.test.ts",
      "test/typescript/word-start.test.ts",
      "test/typescript/output-router.test.ts",
      "test/typescript/strip-emit.test.ts",
    ],
    // Reads the built declarations (dist/), which `npm test` builds first.
    exclude: ["test/stdlib/tensor-completion.test.ts"],
    // The first type check builds a TypeScript program from cold, which takes seconds on a busy
    // machine: the same generous limit as the full suite, so only a hang fails.
    testTimeout: 120_000,
  },
});
