// `usagetop --once --json` with the usage-screen reader on the fake `claude`, in both modes, and the
// codex reader on a fixture home: the built binary, real child processes, a real tmux server.
// Assumes `npm run build` ran (the lead's `npm test` builds first).
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/usagetop.js");
const FAKE = join(ROOT, "test/fake-claude.mjs");

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  chmodSync(FAKE, 0o755);
  dir = mkdtempSync(join(tmpdir(), "usagetop-cli-screen-"));
  cpSync(join(ROOT, "fixtures/codex/home-plus"), join(dir, "codex"), { recursive: true });
  env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, "cfg"),
    XDG_STATE_HOME: join(dir, "state"),
    CODEX_HOME: join(dir, "codex"),
    TMUX_TMPDIR: dir,
    USAGETOP_TMUX_SOCKET: `usagetop-cli-${process.pid}`,
    TERM: "xterm-256color",
    FAKE_CLAUDE_SCREEN: join(ROOT, "fixtures/usage-screen/01-wide-2.1.150-berlin.txt"),
    FAKE_CLAUDE_LOG: join(dir, "fake.jsonl"),
    FAKE_CLAUDE_LOADING_MS: "300",
  };
});
afterEach(async () => {
  await execa("tmux", ["-L", env.USAGETOP_TMUX_SOCKET!, "kill-server"], { env, extendEnv: false, reject: false });
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(mode: "headless" | "tmux") {
  mkdirSync(join(dir, "cfg", "usagetop"), { recursive: true });
  writeFileSync(
    join(dir, "cfg", "usagetop", "config.toml"),
    `[general]\nplan = "max"\n[readers.usage_screen]\nmode = "${mode}"\nclaude_bin = ${JSON.stringify(FAKE)}\n[readers.ollama]\nenabled = false\n`,
  );
}

type Doc = { meters: Array<{ kind: string; source: string; utilisation: number; applicable: boolean }>; readers: Array<{ name: string; state: string }> };

async function once(): Promise<Doc> {
  const r = await execa("node", [BIN, "--once", "--json"], { env, extendEnv: false, cwd: dir, reject: false, timeout: 25_000 });
  expect(r.exitCode, String(r.stderr)).toBe(0);
  return JSON.parse(String(r.stdout)) as Doc;
}

describe("usagetop --once --json with the usage-screen and codex readers", () => {
  it.each(["headless", "tmux"] as const)("%s mode", async (mode) => {
    writeConfig(mode);
    const doc = await once();
    const screen = doc.meters.filter((m) => m.source === "usage_screen").map((m) => [m.kind, m.utilisation, m.applicable]);
    expect(screen).toEqual([
      ["five_hour", 53, true],
      ["seven_day", 31, true],
      ["seven_day_sonnet", 12, true],
      ["extra_usage", 1, false],
    ]);
    expect(doc.readers.find((r) => r.name === "usage_screen")?.state).toBe("ok");
    expect(doc.readers.find((r) => r.name === "codex")?.state).toBe("ok");
    expect(doc.meters.filter((m) => m.source === "codex").map((m) => m.kind)).toEqual([
      "codex_primary",
      "codex_secondary",
      "codex_primary_bengalfox",
      "codex_secondary_bengalfox",
    ]);
    const starts = readFileSync(join(dir, "fake.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { event: string; args?: string[] });
    expect(starts.filter((s) => s.event === "start").map((s) => s.args)).toEqual([mode === "headless" ? ["-p", "/usage"] : []]);
    const ls = await execa("tmux", ["-L", env.USAGETOP_TMUX_SOCKET!, "ls"], { env, extendEnv: false, reject: false });
    expect(String(ls.stdout)).not.toContain("usagetop-scrape");
  });
});
