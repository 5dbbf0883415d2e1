/**
 * `npm run test:fuzz`: only the fuzz suite, 10,000 cases per endpoint (FUZZ_RUNS overrides;
 * FUZZ_SEED, FUZZ_ONLY and FUZZ_REPORT as described in test/fuzz/endpoints.fuzz.test.ts).
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 300_000,
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? "10000" },
  },
});
