import { defineConfig } from "vitest/config";

// Two cores on the CI machine: two workers, and generous timeouts for the end-to-end
// tests that start real processes, servers and tmux sessions.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
