// Issue 5: the live TUI follows a Codex rollout: an appended token_count event shows on screen
// without waiting for a poll (chokidar change event -> local readers -> render). Real tmux, the
// real binary, a real file. The latency is printed; bench/tui-follow.mjs measures it properly.
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tokenCountLine } from "../codex-rollout.js";
import { BIN } from "../run-cli.js";

const SOCKET = `usagetop-follow-${process.pid}`;
const home = mkdtempSync(join(tmpdir(), "usagetop-follow-"));
const tmux = (...args: string[]) => execFileSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
const screen = () => tmux("capture-pane", "-p", "-t", "follow");

async function until(what: string, probe: () => boolean, ms: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (probe()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

afterAll(() => {
  try {
    tmux("kill-server");
  } catch {
    // already gone
  }
  rmSync(home, { recursive: true, force: true });
});

describe("the TUI follows a Codex rollout", () => {
  it("shows an appended token_count event without waiting for a poll", async () => {
    const day = join(home, ".codex", "sessions", "2026", "12", "01");
    mkdirSync(day, { recursive: true });
    const rollout = join(day, "rollout-2026-12-01T09-00-00-0199aaaa-0000-7000-8000-000000000001.jsonl");
    appendFileSync(rollout, tokenCountLine(new Date(), 12, 30));
    const env = [
      `HOME=${home}`,
      `XDG_CONFIG_HOME=${join(home, ".config")}`,
      `XDG_STATE_HOME=${join(home, ".state")}`,
      `CLAUDE_CONFIG_DIR=${join(home, ".claude")}`,
      `CODEX_HOME=${join(home, ".codex")}`,
      "NO_COLOR=1",
    ];
    tmux("new-session", "-d", "-s", "follow", "-x", "100", "-y", "30", "env", ...env, process.execPath, BIN, "--plan", "codex");
    await until("the first Codex reading", () => /Codex 5h .*12%/.test(screen()), 15_000);
    // Settled (watcher ready, no poll due for minutes): from here only a change event can update it.
    await new Promise((r) => setTimeout(r, 1500));
    const latencies: number[] = [];
    for (const [p, q] of [[41, 33], [57, 34]] as const) {
      appendFileSync(rollout, tokenCountLine(new Date(), p, q));
      latencies.push(await until(`${p}% on screen`, () => new RegExp(`Codex 5h .*${p}%`).test(screen()), 5_000));
      expect(screen()).toMatch(new RegExp(`Codex week .*${q}%`));
    }
    console.log(`tui-follow: appended events on screen after ${latencies.join(", ")} ms`);
  });
});
