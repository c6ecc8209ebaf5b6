import { defineConfig } from "vitest/config";

// `npm run test:classroom`: gradlab installed from its npm tarball and a real JupyterHub with a
// class of students (minutes, not seconds; kept out of `npm test`'s file pattern).
export default defineConfig({
  test: {
    include: ["test/classroom/**/*.classroom.ts"],
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
  },
});
