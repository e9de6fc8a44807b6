// Runs the built CLI (dist/, built by `npm test` before vitest) as a user would, with a private
// HOME and XDG dirs so no test ever reads or writes the real ~/.claude or ~/.config.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type Options } from "execa";

export const BIN = join(import.meta.dirname, "..", "bin", "usagetop.js");

export function tempHome(prefix = "usagetop-test-"): { home: string; env: Record<string, string>; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    CLAUDE_CONFIG_DIR: join(home, ".claude"),
    CODEX_HOME: join(home, ".codex"),
    NO_COLOR: "",
    USAGETOP_CONFIG: "",
  };
  return { home, env, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

export function runCli(args: string[], env: Record<string, string>, options: Options = {}) {
  const clean = { ...env };
  for (const k of Object.keys(clean)) if (clean[k] === "") delete clean[k];
  return execa("node", [BIN, ...args], {
    env: clean,
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    timeout: 60_000,
    ...options,
  });
}

/**
 * A private environment under `root` for report runs: HOME at root/home, state at root/state,
 * Claude's config dir at root/claude (transcripts go in root/claude/projects), UTC.
 */
export function reportEnv(root: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: join(root, "home"),
    XDG_CONFIG_HOME: join(root, "home", ".config"),
    XDG_STATE_HOME: join(root, "state"),
    CLAUDE_CONFIG_DIR: join(root, "claude"),
    CODEX_HOME: join(root, "codex"),
    TZ: "UTC",
  };
}
