import { defineConfig } from "vitest/config";

// `npm run test:live`: the live contract suite alone, against the accounts the environment names
// (test/live/targets.ts). It calls the providers directly, so it needs neither the engine nor the
// packed tarball that the full suite's global setup prepares.
export default defineConfig({
  test: {
    include: ["test/live/**/*.test.ts"],
    pool: "forks",
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
