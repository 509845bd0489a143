import { defineConfig } from "vitest/config";

// Engine tests drive the real pulumi CLI and share two cores with it, so test files run one at a
// time. The JSON report lets CI prove that the engine tests ran rather than skipped.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/global-setup.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
  },
});
