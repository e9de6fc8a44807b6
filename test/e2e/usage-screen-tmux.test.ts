// The tmux mode end to end: a real tmux server (private socket per test, in a temp TMUX_TMPDIR),
// the fake `claude` TUI in it, and usagetop's reader driving it.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/config.js";
import { scrapeUsageScreen } from "../../src/readers/usage-screen.js";

const ROOT = join(import.meta.dirname, "../..");
const FAKE = join(ROOT, "test/fake-claude.mjs");
const SCREENS = join(ROOT, "fixtures/usage-screen");
const FAST = { pollMs: 100, maxMs: 8_000 };

let dir: string;
let env: Record<string, string>;
let socket: string;
let counter = 0;

beforeAll(async () => {
  chmodSync(FAKE, 0o755);
  const which = await execa("tmux", ["-V"], { reject: false });
  if (which.exitCode !== 0) throw new Error("tmux is required for this test (apt-get install -y tmux)");
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-tmux-"));
  socket = `usagetop-test-${process.pid}-${++counter}`;
  env = {
    PATH: process.env.PATH ?? "",
    HOME: dir,
    XDG_STATE_HOME: join(dir, "state"),
    // The tmux socket lives in the temp dir: nothing here can reach the user's own tmux server.
    TMUX_TMPDIR: dir,
    USAGETOP_TMUX_SOCKET: socket,
    TERM: "xterm-256color",
    FAKE_CLAUDE_SCREEN: join(SCREENS, "01-wide-2.1.150-berlin.txt"),
    FAKE_CLAUDE_LOG: join(dir, "fake.jsonl"),
    FAKE_CLAUDE_LOADING_MS: "400",
  };
});

afterEach(async () => {
  // Prove nothing usagetop created is left behind, then drop the test's own server if any.
  const left = await sessions();
  await execa("tmux", ["-L", socket, "kill-server"], { env, extendEnv: false, reject: false });
  rmSync(dir, { recursive: true, force: true });
  expect(left.filter((s) => s.startsWith("usagetop-scrape"))).toEqual([]);
});

async function sessions(): Promise<string[]> {
  const r = await execa("tmux", ["-L", socket, "ls", "-F", "#{session_name}"], { env, extendEnv: false, reject: false });
  return r.exitCode === 0 ? String(r.stdout).split("\n").filter(Boolean) : [];
}

function config(section: string): Config {
  const file = join(dir, "config.toml");
  writeFileSync(file, `[readers.usage_screen]\nmode = "tmux"\n${section}`);
  return loadConfig({ config: file }, env);
}

type LogLine = { event: string; key?: string; line?: string; view?: string; args?: string[] };
function fakeLog(): LogLine[] {
  const file = env.FAKE_CLAUDE_LOG!;
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as LogLine);
}

describe("usage-screen reader in tmux mode", () => {
  it("opens a private session, types /usage, waits past the loading and half-painted frames, sends Escape and closes it", async () => {
    const before = await sessions();
    const cfg = config(`claude_bin = ${JSON.stringify(FAKE)}\n`);
    const now = new Date("2026-09-20T10:00:00Z");
    const { result, scrape } = await scrapeUsageScreen({ config: cfg, slot: null, now }, new AbortController().signal, FAST);
    expect(scrape.error).toBeNull();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.meters.map((m) => [m.kind, m.utilisation, m.resetsAt?.toISOString()])).toEqual([
      ["five_hour", 53, "2026-09-20T13:00:00.000Z"],
      ["seven_day", 31, "2026-09-26T07:00:00.000Z"],
      ["seven_day_sonnet", 12, "2026-09-26T07:00:00.000Z"],
      ["extra_usage", 1, "2026-09-30T22:00:00.000Z"],
    ]);
    expect(scrape).toMatchObject({ mode: "tmux", fresh: true });
    const log = fakeLog();
    expect(log.find((l) => l.event === "start")?.args).toEqual([]);
    expect(log.filter((l) => l.event === "key").map((l) => [l.key, l.line ?? l.view])).toEqual([
      ["Enter", "/usage"],
      ["Escape", "usage"],
    ]);
    expect(await sessions()).toEqual(before);
  });

  it("reads a pane the user names without typing into it", async () => {
    // The user's own Claude Code, already showing /usage in a session the test owns.
    await execa("tmux", ["-L", socket, "new-session", "-d", "-s", "mine", "-x", "100", "-y", "40", "--", "env", FAKE], {
      env,
      extendEnv: false,
    });
    await sleep(400);
    await execa("tmux", ["-L", socket, "send-keys", "-t", "=mine:", "-l", "/usage"], { env, extendEnv: false });
    await execa("tmux", ["-L", socket, "send-keys", "-t", "=mine:", "Enter"], { env, extendEnv: false });
    await sleep(900);
    const keysBefore = fakeLog().filter((l) => l.event === "key").length;
    const cfg = config(`tmux_target = "=mine:"\n`);
    const { result } = await scrapeUsageScreen({ config: cfg, slot: null, now: new Date("2026-09-20T10:00:00Z") }, new AbortController().signal, FAST);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.meters.map((m) => m.kind)).toEqual(["five_hour", "seven_day", "seven_day_sonnet", "extra_usage"]);
    expect(fakeLog().filter((l) => l.event === "key").length).toBe(keysBefore);
    expect(await sessions()).toEqual(["mine"]);
    await execa("tmux", ["-L", socket, "kill-session", "-t", "=mine"], { env, extendEnv: false });
  });

  it("gives up with a timeout when the screen never leaves 'Loading usage data…', and still closes the session", async () => {
    env.FAKE_CLAUDE_LOADING_MS = "60000";
    const cfg = config(`claude_bin = ${JSON.stringify(FAKE)}\n`);
    const { result } = await scrapeUsageScreen({ config: cfg, slot: null, now: new Date() }, new AbortController().signal, {
      pollMs: 100,
      maxMs: 2_000,
    });
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
    if (!result.ok) expect(result.error.message).toContain("loading usage data");
    expect(await sessions()).toEqual([]);
  });

  it("closes the session when the scrape is aborted", async () => {
    env.FAKE_CLAUDE_LOADING_MS = "60000";
    const cfg = config(`claude_bin = ${JSON.stringify(FAKE)}\n`);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 800);
    const { result } = await scrapeUsageScreen({ config: cfg, slot: null, now: new Date() }, abort.signal, FAST);
    expect(result.ok).toBe(false);
    expect(await sessions()).toEqual([]);
  });

  it("reports a program that exits at once", async () => {
    const cfg = config(`claude_bin = "/bin/true"\n`);
    const { result } = await scrapeUsageScreen({ config: cfg, slot: null, now: new Date() }, new AbortController().signal, FAST);
    expect(result.ok).toBe(false);
    expect(await sessions()).toEqual([]);
  });

  it("reports missing tmux and missing claude as unavailable", async () => {
    const noTmux = config(`claude_bin = ${JSON.stringify(FAKE)}\ntmux_bin = "${join(dir, "no-tmux")}"\n`);
    const a = await scrapeUsageScreen({ config: noTmux, slot: null, now: new Date() }, new AbortController().signal, FAST);
    expect(a.result).toEqual({ ok: false, error: { kind: "unavailable", message: `tmux not found at ${join(dir, "no-tmux")}` } });
    const noClaude = config(`claude_bin = "${join(dir, "no-claude")}"\n`);
    const b = await scrapeUsageScreen({ config: noClaude, slot: null, now: new Date() }, new AbortController().signal, FAST);
    expect(b.result).toEqual({ ok: false, error: { kind: "unavailable", message: `claude not found at ${join(dir, "no-claude")}` } });
  });
});
