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
    // Ink draws nothing until exit when it believes it runs under CI (is-in-ci reads CI at import).
    // The TUI clears this itself on a real terminal (src/commands/tui.ts); the tests that render
    // through Ink's own render() need the same, or CI=true (as .ci/run sets) blanks their frames.
    env: { CI: "false", CONTINUOUS_INTEGRATION: "false" },
  },
});
