// `usagetop wave --wait` against the fake Anthropic OAuth server: a 5h window at 85 % that resets
// in 3 s holds the wave until reset + resume_delay, and the gate reads no more often than the
// poll interval while it waits. No token appears in any output.
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../fake-anthropic.js";
import { runCli } from "../run-cli.js";

const TOKEN = "sk-ant-oat01-FIXTURE-ACCESS-wave-alice";
const REFRESH = "sk-ant-ort01-FIXTURE-REFRESH-wave-alice";
const BOB = "sk-ant-oat01-FIXTURE-ACCESS-wave-bob";

const root = mkdtempSync(join(tmpdir(), "usagetop-wave-oauth-"));
const home = join(root, "home");
const credsDir = join(home, ".claude");
const fixtures = join(root, "fixtures");
let fake: FakeAnthropic;

/** Shaped like fixtures/oauth/max-2026-09.json (FORMATS §1), with resets relative to the real clock. */
function writeBody(now: number, fiveHour: number, resetInMs: number, name = "wave-85"): void {
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000+00:00");
  const body = {
    five_hour: { utilization: fiveHour, resets_at: iso(now + resetInMs) },
    seven_day: { utilization: 10, resets_at: iso(now + 3 * 86_400_000) },
    seven_day_opus: null,
    seven_day_sonnet: { utilization: 4, resets_at: iso(now + 3 * 86_400_000) },
    extra_usage: { is_enabled: false },
  };
  writeFileSync(join(fixtures, `${name}.json`), JSON.stringify(body));
}

beforeAll(async () => {
  mkdirSync(credsDir, { recursive: true });
  mkdirSync(fixtures);
  writeFileSync(join(fixtures, "tokens.json"), JSON.stringify({ [TOKEN]: { usage: "wave-85" }, [BOB]: { usage: "wave-bob" } }));
  for (const [slot, token] of [["alice", TOKEN], ["bob", BOB]] as const) {
    const creds = {
      claudeAiOauth: {
        accessToken: token,
        refreshToken: slot === "alice" ? REFRESH : "sk-ant-ort01-FIXTURE-REFRESH-wave-bob",
        expiresAt: Date.now() + 3600_000,
        scopes: ["user:inference", "user:profile"],
        subscriptionType: "max",
      },
    };
    writeFileSync(join(credsDir, `.credentials.json.${slot}`), JSON.stringify(creds), { mode: 0o600 });
  }
  writeBody(Date.now(), 20, 3600_000, "wave-bob");
  symlinkSync(".credentials.json.alice", join(credsDir, ".credentials.json"));
  writeFileSync(join(root, "config.toml"), "[wave]\nresume_delay = 2\n");
  fake = await startFakeAnthropic({ fixturesDir: fixtures });
});

afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

function env(stateName: string): Record<string, string> {
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(root, "cfg"),
    XDG_STATE_HOME: join(root, stateName),
    CLAUDE_CONFIG_DIR: credsDir,
    CODEX_HOME: join(home, ".codex"),
    USAGETOP_ANTHROPIC_BASE_URL: fake.url,
    USAGETOP_HTTP_TIMEOUT_MS: "2000",
    NO_COLOR: "1",
  };
}

describe("wave against the fake OAuth server", () => {
  it("pauses at 85 % (exit 75) with resumeAt = reset + resume_delay", async () => {
    const now = Date.now();
    writeBody(now, 85, 60_000);
    const r = await runCli(["--config", join(root, "config.toml"), "wave", "--json"], env("state-once"));
    expect(r.exitCode, String(r.stderr)).toBe(75);
    const d = JSON.parse(String(r.stdout));
    expect(d).toMatchObject({ action: "pause", concurrency: 0, governing: { kind: "five_hour", utilisation: 85 }, targetSlot: null });
    expect(Date.parse(d.resumeAt)).toBe(now + 60_000 + 2000);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
  });

  it("--wait exits 0 about reset + resume_delay later, reading no more often than the interval", async () => {
    const start = Date.now();
    writeBody(start, 85, 3000);
    const before = fake.requests.log.length;
    const r = await runCli(["--config", join(root, "config.toml"), "--interval", "1", "--debug", "wave", "--wait", "--json"], env("state-wait"));
    const took = Date.now() - start;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const d = JSON.parse(String(r.stdout));
    expect(d.action).toBe("go");
    // Reset in 3 s + resume_delay 2 s; allow for process start-up on a busy machine.
    expect(took).toBeGreaterThanOrEqual(5000);
    expect(took).toBeLessThan(12_000);
    // The gate's own reads (shown by --debug) are at least the interval apart...
    const gateReads = [...String(r.stderr).matchAll(/wave read at (\S+)/g)].map((m) => Date.parse(m[1]!));
    expect(gateReads.length).toBeGreaterThanOrEqual(2);
    expect(gateReads.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < gateReads.length; i++) expect(gateReads[i]! - gateReads[i - 1]!).toBeGreaterThanOrEqual(1000);
    // ...and the network saw no more per slot: the shared cache answers within the oauth reader's own interval.
    const hash = fake.tokenHash(TOKEN);
    const reads = fake.requests.log.slice(before).filter((e) => e.path === "/api/oauth/usage" && e.tokenHash === hash);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.length).toBeLessThanOrEqual(gateReads.length);
    const times = reads.map((e) => Date.parse(e.at));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
  });

  it("switches to a slot with room through the safe switch, logged by wave, and defers while an agent runs", async () => {
    const now = Date.now();
    writeBody(now, 85, 3600_000);
    const locks = join(root, "agents");
    mkdirSync(locks, { recursive: true });
    const cfg = join(root, "switch.toml");
    writeFileSync(cfg, `[wave]\nswitch = true\n\n[slots]\nlock_glob = "${locks}/*.lock"\n`);

    // An agent holding a lock (this test process is alive): the switch is deferred, the wave pauses.
    writeFileSync(join(locks, "agent.lock"), `${process.pid}\n`);
    const held = await runCli(["--config", cfg, "wave", "--json"], env("state-switch"));
    expect(held.exitCode, String(held.stderr)).toBe(75);
    expect(JSON.parse(String(held.stdout)).reason).toMatch(/switching to bob .*but the switch did not happen: switch deferred: agent lock/);
    expect(readlinkSync(join(credsDir, ".credentials.json"))).toBe(".credentials.json.alice");

    unlinkSync(join(locks, "agent.lock"));
    const r = await runCli(["--config", cfg, "wave", "--", "sh", "-c", 'echo "$USAGETOP_CONCURRENCY $USAGETOP_GOVERNING"'], env("state-switch"));
    expect(r.exitCode, String(r.stderr)).toBe(0);
    expect(String(r.stdout).trim()).toBe("3 five_hour:20.0");
    expect(String(r.stderr)).toMatch(/switch to bob: concurrency 3 · alice: five_hour at 85\.0% ≥ pause line 80%; switching to bob/);
    expect(readlinkSync(join(credsDir, ".credentials.json"))).toBe(".credentials.json.bob");
    const log = readFileSync(join(root, "state-switch", "usagetop", "switches.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(log.at(-1)).toMatchObject({ from: "alice", to: "bob", by: "wave", forced: false });
    expect(`${held.stdout}${held.stderr}${r.stdout}${r.stderr}`).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
    // Put alice back live for the other tests.
    unlinkSync(join(credsDir, ".credentials.json"));
    symlinkSync(".credentials.json.alice", join(credsDir, ".credentials.json"));
  });
});
