import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { findExecutable, scrapeUsageScreen, usageScreenReader } from "./usage-screen.js";

const ROOT = join(import.meta.dirname, "../..");
const FAKE = join(ROOT, "test/fake-claude.mjs");
const SCREENS = join(ROOT, "fixtures/usage-screen");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-usage-screen-"));
  chmodSync(FAKE, 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(toml: string, env: Record<string, string> = {}, debug = false) {
  const configFile = join(dir, "config.toml");
  writeFileSync(configFile, toml);
  const fullEnv = { PATH: process.env.PATH ?? "", HOME: dir, XDG_STATE_HOME: join(dir, "state"), ...env };
  return loadConfig({ config: configFile, debug }, fullEnv);
}

const headless = (bin = FAKE) => `[readers.usage_screen]\nmode = "headless"\nclaude_bin = ${JSON.stringify(bin)}\n`;

describe("usage-screen reader, headless", () => {
  it("runs `claude -p /usage` without a shell and reads the meters", async () => {
    const logFile = join(dir, "calls.jsonl");
    const config = setup(headless(), {
      FAKE_CLAUDE_SCREEN: join(SCREENS, "02-headless-2.1.x-madrid.txt"),
      FAKE_CLAUDE_LOG: logFile,
    });
    const now = new Date("2026-08-18T00:30:00Z");
    const { result, scrape } = await scrapeUsageScreen({ config, slot: null, now }, new AbortController().signal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.meters.map((m) => [m.kind, m.utilisation, m.resetsAt?.toISOString() ?? null])).toEqual([
      ["five_hour", 11, "2026-08-18T02:59:00.000Z"],
      ["seven_day", 3, "2026-08-22T07:00:00.000Z"],
      ["seven_day_sonnet", 0, null],
    ]);
    expect(scrape).toMatchObject({ provider: "anthropic", mode: "headless", fresh: true, error: null, freshness_ttl_seconds: 300 });
    expect(scrape.scraped_at).toBe(now.toISOString());
    expect(scrape.raw_text).toBeUndefined();
    const calls = readFileSync(logFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { args: string[] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual(["-p", "/usage"]);
  });

  it("keeps the raw text only with --debug", async () => {
    const config = setup(headless(), { FAKE_CLAUDE_SCREEN: join(SCREENS, "02-headless-2.1.x-madrid.txt") }, true);
    const { scrape } = await scrapeUsageScreen({ config, slot: null, now: new Date("2026-08-18T00:30:00Z") }, new AbortController().signal);
    expect(scrape.raw_text).toContain("Current session: 11% used");
  });

  it("finds a claude_bin given as a bare name in PATH, even with spaces in the directory", async () => {
    const binDir = join(dir, "my bin");
    const { mkdirSync, copyFileSync } = await import("node:fs");
    mkdirSync(binDir);
    copyFileSync(FAKE, join(binDir, "claude"));
    chmodSync(join(binDir, "claude"), 0o755);
    const config = setup("", {
      PATH: `${binDir}:${process.env.PATH ?? ""}`,
      FAKE_CLAUDE_SCREEN: join(SCREENS, "02-headless-2.1.x-madrid.txt"),
    });
    expect(findExecutable("claude", config.env.PATH)).toBe(join(binDir, "claude"));
    const result = await usageScreenReader.read({ config, slot: null, now: new Date("2026-08-18T00:30:00Z") }, new AbortController().signal);
    expect(result.ok).toBe(true);
  });

  it("reports a missing binary as unavailable, naming it", async () => {
    const missing = join(dir, "nope", "claude");
    const config = setup(headless(missing));
    const result = await usageScreenReader.read({ config, slot: null, now: new Date() }, new AbortController().signal);
    expect(result).toEqual({ ok: false, error: { kind: "unavailable", message: `claude not found at ${missing}` } });
  });

  it("reports a claude that does not answer in time as a timeout", async () => {
    const config = setup(headless(), { FAKE_CLAUDE_SCREEN: join(SCREENS, "02-headless-2.1.x-madrid.txt"), FAKE_CLAUDE_DELAY_MS: "5000" });
    const { result } = await scrapeUsageScreen({ config, slot: null, now: new Date() }, new AbortController().signal, {
      headlessTimeoutMs: 300,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe("timeout");
  });

  it.each([
    ["13-not-a-subscription.txt", "auth"],
    ["14-setup-token-cost-summary.txt", "auth"],
    ["15-not-available-here.txt", "unavailable"],
    ["12-error-failed-to-load.txt", "rate_limited"],
  ])("turns the non-data screen %s into a %s error, with no meters", async (file, kind) => {
    const config = setup(headless(), { FAKE_CLAUDE_SCREEN: join(SCREENS, file) });
    const { result, scrape } = await scrapeUsageScreen({ config, slot: null, now: new Date("2026-09-20T10:00:00Z") }, new AbortController().signal);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe(kind);
    expect(scrape.fresh).toBe(false);
    expect(scrape.meters).toEqual([]);
    expect(scrape.error).toBeTruthy();
  });

  it("reads the error from stderr when stdout is empty", async () => {
    const config = setup(headless(), {
      FAKE_CLAUDE_SCREEN: join(dir, "empty.txt"),
      FAKE_CLAUDE_STDERR: "/usage isn't available in this environment.\n",
      FAKE_CLAUDE_EXIT: "1",
    });
    writeFileSync(join(dir, "empty.txt"), "");
    const result = await usageScreenReader.read({ config, slot: null, now: new Date() }, new AbortController().signal);
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable" } });
  });

  it("lists what the screen did not show for certain as warnings", async () => {
    const config = setup(headless(), { FAKE_CLAUDE_SCREEN: join(SCREENS, "10-partial-capture-london.txt") });
    const result = await usageScreenReader.read({ config, slot: null, now: new Date("2026-07-01T09:00:00Z") }, new AbortController().signal);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.warnings?.join("\n")).toContain("not shown for certain: seven_day, five_hour.resetsAt");
  });

  it("is a non-slot reader polled every 300 s unless configured", () => {
    const config = setup("[readers.usage_screen]\ninterval = 600\nenabled = false\n");
    expect(usageScreenReader.perSlot).toBe(false);
    expect(usageScreenReader.intervalSeconds(config)).toBe(600);
    expect(usageScreenReader.enabled(config)).toBe(false);
    expect(usageScreenReader.intervalSeconds(setup(""))).toBe(300);
  });
});
