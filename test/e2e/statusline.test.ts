// `usagetop statusline` end to end (SPEC 3.2.2, 6.5): Claude Code's status JSON on stdin, one line
// out, exit 0 whatever stdin holds, its rate limits and cost recorded for the statusline reader,
// and never the network: with credentials present and the OAuth base URL pointed at the fake
// Anthropic server, that server's request counter stays at 0. No token in any output.
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../fake-anthropic.js";
import { BIN, tempHome } from "../run-cli.js";

const TOKENS = /FIXTURE-(ACCESS|REFRESH)/;
const t = tempHome("usagetop-statusline-e2e-");
let fake: FakeAnthropic;
const outputs: string[] = [];
const nowS = Math.floor(Date.now() / 1000);
const stateDir = join(t.env.XDG_STATE_HOME!, "usagetop");

function status(session: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    hook_event_name: "Status",
    session_id: session,
    transcript_path: "/tmp/x.jsonl",
    cwd: "/tmp",
    model: { id: "claude-opus-4-6[1m]", display_name: "Opus 4.6 (1M context)" },
    version: "2.1.90",
    cost: { total_cost_usd: 1.5, total_duration_ms: 60_000 },
    context_window: { used_percentage: 97, remaining_percentage: 3 },
    ...extra,
  });
}

async function statusline(input: string | null, args: string[] = [], env: Record<string, string> = {}) {
  const e = Object.fromEntries(Object.entries({ ...t.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url, ...env }).filter(([, v]) => v !== ""));
  const r = await execa(process.execPath, [BIN, ...args, "statusline"], {
    env: e,
    extendEnv: false,
    reject: false,
    timeout: 20_000,
    stripFinalNewline: false,
    ...(input === null ? { stdin: "ignore" as const } : { input }),
  });
  outputs.push(String(r.stdout), String(r.stderr));
  return r;
}

beforeAll(async () => {
  fake = await startFakeAnthropic();
  // A real slot layout with fixture tokens the fake server would answer: the status line must not ask.
  const creds = t.env.CLAUDE_CONFIG_DIR!;
  mkdirSync(creds, { recursive: true });
  const file = { claudeAiOauth: { accessToken: "sk-ant-oat01-FIXTURE-ACCESS-alice", refreshToken: "sk-ant-ort01-FIXTURE-REFRESH-alice", expiresAt: Date.now() + 3600_000, scopes: ["user:inference", "user:profile"], subscriptionType: "max" } };
  writeFileSync(join(creds, ".credentials.json.alice"), JSON.stringify(file), { mode: 0o600 });
  symlinkSync(".credentials.json.alice", join(creds, ".credentials.json"));
});

afterAll(async () => {
  await fake.close();
  t.cleanup();
});

describe("usagetop statusline", () => {
  it("prints one line from stdin's rate limits and records them, exit 0", async () => {
    const r = await statusline(status("sess-a", { rate_limits: { five_hour: { used_percentage: 62, resets_at: nowS + 6000 }, seven_day: { used_percentage: 31, resets_at: nowS + 5 * 86400 } } }));
    expect(r.exitCode).toBe(0);
    const lines = String(r.stdout).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe("");
    expect(lines[0]).toMatch(/^5h 62%\S* (↻1h(39|40)m|\d+h\d+m) · wk 31%\S* · \$1\.50 today$/);
    const record = JSON.parse(readFileSync(join(stateDir, "statusline", "sess-a.json"), "utf8"));
    expect(record).toMatchObject({ sessionId: "sess-a", costUsd: 1.5, windows: { five_hour: { usedPercentage: 62, resetsAt: nowS + 6000 } } });
  });

  it("uses another session's young record when stdin has no rate_limits, and sums today's sessions' cost", async () => {
    const r = await statusline(status("sess-b", { cost: { total_cost_usd: 2.25 } }));
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout).trim()).toMatch(/^5h 62%.* · wk 31%.* · \$3\.75 today$/);
  });

  it("honours a plan defined in the config's [plans] on the fast path", async () => {
    // A config of its own in a separate XDG_CONFIG_HOME: the other cases keep theirs.
    const configHome = join(t.home, "plans-config");
    mkdirSync(join(configHome, "usagetop"), { recursive: true });
    writeFileSync(join(configHome, "usagetop", "config.toml"), '[general]\nplan = "weekly_only"\n\n[plans.weekly_only]\nmeters = ["seven_day"]\n');
    const r = await statusline(status("sess-p", { rate_limits: { five_hour: { used_percentage: 62, resets_at: nowS + 6000 }, seven_day: { used_percentage: 31, resets_at: nowS + 5 * 86400 } } }), [], { XDG_CONFIG_HOME: configHome });
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout).trim()).toMatch(/^wk 31%/);
    expect(String(r.stdout)).not.toContain("5h");
  });

  it("still prints a line for empty, non-JSON, non-object and oversized stdin, and records nothing from them", async () => {
    const before = readdirSync(join(stateDir, "statusline")).sort();
    for (const input of ["", "not json {", "[1,2,3]", `{"session_id":"big","pad":"${"x".repeat(1024 * 1024)}"}`]) {
      const r = await statusline(input);
      expect(r.exitCode).toBe(0);
      expect(String(r.stdout).trim().split("\n")).toHaveLength(1);
      expect(String(r.stdout)).toMatch(/^5h 62%/);
    }
    expect(readdirSync(join(stateDir, "statusline")).sort()).toEqual(before);
  });

  it("says `usagetop: no data` at worst, and never breaks on a broken config file", async () => {
    const empty = tempHome("usagetop-statusline-empty-");
    try {
      const r = await statusline("", [], { ...empty.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url });
      expect(String(r.stdout)).toBe("usagetop: no data\n");
      mkdirSync(join(empty.env.XDG_CONFIG_HOME!, "usagetop"), { recursive: true });
      writeFileSync(join(empty.env.XDG_CONFIG_HOME!, "usagetop", "config.toml"), "[general\nplan = \n");
      for (const args of [[], ["--debug"]]) {
        const bad = await statusline(status("sess-c"), args, { ...empty.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url });
        expect(bad.exitCode).toBe(0);
        // Its cost was recorded and is the only fact there is.
        expect(String(bad.stdout)).toBe("$1.50 today\n");
      }
    } finally {
      empty.cleanup();
    }
  });

  it("reads the shared cache for the active slot when no status-line record is young", async () => {
    const other = tempHome("usagetop-statusline-cache-");
    try {
      const creds = other.env.CLAUDE_CONFIG_DIR!;
      mkdirSync(creds, { recursive: true });
      writeFileSync(join(creds, ".credentials.json.bob"), "{}");
      symlinkSync(".credentials.json.bob", join(creds, ".credentials.json"));
      const cache = join(other.env.XDG_STATE_HOME!, "usagetop", "cache");
      mkdirSync(cache, { recursive: true });
      const iso = (s: number) => new Date((nowS + s) * 1000).toISOString();
      const meter = (kind: string, u: number) => ({ kind, label: kind, utilisation: u, resetsAt: iso(3 * 86400), windowSeconds: 604800, source: "oauth", observedAt: iso(-60), estimated: false });
      writeFileSync(
        join(cache, "bob.json"),
        JSON.stringify({ schemaVersion: 1, slot: "bob", readers: { oauth: { lastGood: { at: iso(-60), result: { meters: [meter("seven_day", 44), meter("seven_day_sonnet", 97)] } }, lastAttempt: { at: iso(-60), ok: true }, failures: 0, nextAttemptAt: null } } }),
      );
      const r = await statusline("", [], { ...other.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url });
      expect(String(r.stdout).trim()).toBe("wk 44%↓ · wk sonnet 97%↑");
    } finally {
      other.cleanup();
    }
  });

  it("takes the flag path too (meow + full config), and --demo", async () => {
    const r = await statusline(status("sess-d", { rate_limits: { five_hour: { used_percentage: 10, resets_at: nowS + 600 } } }), ["--debug"]);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout)).toMatch(/^5h 10%/);
    // A pinned clock: in the demo's readings (8–42 s old), the first seconds after a 5-hour
    // boundary rightly read "5h reset", which made this line fail at those moments.
    const demo = await statusline("", ["--demo"], { USAGETOP_NOW: "2026-06-10T16:00:00.000Z" });
    expect(demo.exitCode).toBe(0);
    expect(String(demo.stdout)).toMatch(/^5h \d+%/);
  });

  it("never touched the network, and never printed a token", () => {
    expect(fake.requests.count).toBe(0);
    for (const o of outputs) expect(o).not.toMatch(TOKENS);
  });
});
