import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempHome } from "../run-cli.js";

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "schema", "snapshot.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const t = tempHome();
afterAll(() => t.cleanup());

describe("usagetop --demo --once --json", () => {
  it("validates against the shipped schema and names a governing meter", async () => {
    const r = await runCli(["--demo", "--once", "--json"], t.env);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(String(r.stdout));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.governing).not.toBeNull();
    expect(doc.plan).toBe("max");
    expect(doc.slots.map((s: { name: string }) => s.name)).toEqual(["alice", "bob", "carol"]);
  });

  it("answers --json alone with the same document as --once --json (there is no live JSON)", async () => {
    const env = { ...t.env, USAGETOP_NOW: "2026-11-22T14:03:22Z" };
    const alone = await runCli(["--demo", "--json"], env);
    expect(alone.exitCode).toBe(0);
    expect(String(alone.stdout)).toBe(String((await runCli(["--demo", "--once", "--json"], env)).stdout));
  });

  it("carries the unknown kind through and marks the backoff reader", async () => {
    const doc = JSON.parse(String((await runCli(["--demo", "--once", "--json"], t.env)).stdout));
    const cowork = doc.meters.find((m: { kind: string }) => m.kind === "seven_day_cowork");
    expect(cowork).toMatchObject({ label: "Week (cowork)", applicable: true });
    expect(doc.readers.find((r: { name: string }) => r.name === "usage_screen")).toMatchObject({ state: "backoff" });
    // Pools are shown but never govern.
    expect(doc.meters.find((m: { kind: string }) => m.kind === "extra_usage")).toMatchObject({ applicable: false, used: 12.5, limit: 50 });
  });

  it("shows another slot's meters with --slot, and a stale slot keeps its values with their age", async () => {
    const doc = JSON.parse(String((await runCli(["--demo", "--once", "--json", "--slot", "carol"], t.env)).stdout));
    expect(doc.slot).toBe("carol");
    const week = doc.meters.find((m: { kind: string }) => m.kind === "seven_day");
    expect(week.stale).toBe(true);
    expect(week.ageSeconds).toBeGreaterThan(3600);
    expect(doc.readers[0]).toMatchObject({ name: "oauth", state: "stale" });
  });

  it("changes the meter set and governing meter with --plan", async () => {
    const pro = JSON.parse(String((await runCli(["--demo", "--once", "--json", "--plan", "pro"], t.env)).stdout));
    expect(pro.meters.find((m: { kind: string }) => m.kind === "seven_day_opus")).toMatchObject({ applicable: false, group: "other" });
    const api = JSON.parse(String((await runCli(["--demo", "--once", "--json", "--plan", "api"], t.env)).stdout));
    expect(api.governing).toBeNull();
  });
});

describe("usagetop --demo --once (text)", () => {
  it("fits 80 columns and carries no escape codes under NO_COLOR", async () => {
    const r = await runCli(["--demo", "--once"], { ...t.env, NO_COLOR: "1", COLUMNS: "80" });
    expect(r.exitCode).toBe(0);
    const out = String(r.stdout);
    expect(out).not.toMatch(/\x1b/);
    for (const line of out.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
    for (const label of ["5h session", "Week (all models)", "Week (Opus)", "Week (Sonnet)", "Extra usage", "Agent SDK credit"]) {
      expect(out).toContain(label);
    }
    expect(out).toMatch(/Governing: /);
    expect(out).toMatch(/usage_screen\s+backoff/);
  });
});

describe("no data", () => {
  it("exits 3 with governing null when no reader produced a meter", async () => {
    const r = await runCli(["--once", "--json"], t.env);
    expect(r.exitCode).toBe(3);
    const doc = JSON.parse(String(r.stdout));
    expect(doc.governing).toBeNull();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(String(r.stderr)).toMatch(/no usable data/);
  });
});

/** A home with no credentials file, only Claude Code's ~/.claude.json and its cached usage (fetched 2026-09-20T12:00Z). */
function homeWithClaudeJson() {
  const k = tempHome();
  mkdirSync(join(k.home, ".claude"));
  copyFileSync(join(import.meta.dirname, "..", "..", "fixtures", "oauth", "claude-json.json"), join(k.home, ".claude", ".claude.json"));
  return k;
}

describe("no credentials file (a macOS Keychain login)", () => {
  it("shows the account logged in from Claude Code's cached usage, and says why oauth has nothing", async () => {
    const k = homeWithClaudeJson();
    try {
      const r = await runCli(["--once", "--json"], { ...k.env, USAGETOP_NOW: "2026-09-20T12:05:00Z" });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      const doc = JSON.parse(String(r.stdout));
      expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
      expect(doc.slot).toBeNull();
      expect(doc.governing).toMatchObject({ kind: "five_hour" });
      expect(doc.meters.find((m: { kind: string }) => m.kind === "five_hour")).toMatchObject({ source: "claude_cache", ageSeconds: 300 });
      const oauth = doc.readers.find((x: { name: string }) => x.name === "oauth");
      expect(oauth.error).toContain(`no Claude Code credentials file at ${join(k.home, ".claude", ".credentials.json")}`);
    } finally {
      k.cleanup();
    }
  });
});

describe("an unwritable state dir", () => {
  it("still shows the data, with one warning on stderr, and exit 0", async () => {
    const k = homeWithClaudeJson();
    try {
      // A file where the state dir would be: no mkdir can succeed (as with a read-only home).
      writeFileSync(join(k.home, "state-file"), "");
      const r = await runCli(["--once", "--json"], { ...k.env, XDG_STATE_HOME: join(k.home, "state-file"), USAGETOP_NOW: "2026-09-20T12:05:00Z", USAGETOP_ANTHROPIC_BASE_URL: "http://127.0.0.1:9" });
      expect(r.exitCode, String(r.stderr)).toBe(0);
      expect(JSON.parse(String(r.stdout)).governing).toMatchObject({ kind: "five_hour" });
      const warnings = String(r.stderr).split("\n").filter((l) => l.includes("is not writable"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^usagetop: warning: state dir .*state-file\/usagetop is not writable \(ENOTDIR\): reading without the shared cache/);
    } finally {
      k.cleanup();
    }
  });
});

describe("--demo never touches the user's files", () => {
  it("ignores a real ~/.claude and lists the scenario's slots instead", async () => {
    const { mkdirSync, writeFileSync, symlinkSync, statSync } = await import("node:fs");
    const claude = join(t.home, ".claude");
    mkdirSync(claude, { recursive: true });
    const cred = join(claude, ".credentials.json.realuser");
    writeFileSync(cred, JSON.stringify({ claudeAiOauth: { accessToken: "sk-ant-oat01-FIXTURE-ACCESS-real", refreshToken: "sk-ant-ort01-FIXTURE-REFRESH-real", expiresAt: 1 } }));
    symlinkSync(".credentials.json.realuser", join(claude, ".credentials.json"));
    const atimeBefore = statSync(cred).atimeMs;
    const slots = await runCli(["--demo", "slots"], t.env);
    expect(slots.exitCode).toBe(0);
    expect(String(slots.stdout)).toMatch(/alice[\s\S]*bob[\s\S]*carol/);
    expect(String(slots.stdout)).not.toMatch(/realuser/);
    const sw = await runCli(["--demo", "switch", "bob"], t.env);
    expect(sw.exitCode).toBe(0);
    expect(String(sw.stdout)).toMatch(/no credentials are touched/);
    // Checking and deciding read the demo's slots too; what would write credentials only says so.
    const check = await runCli(["--demo", "slots", "check"], t.env);
    expect(check.exitCode).toBe(0);
    expect(String(check.stdout)).toMatch(/alice[\s\S]*bob[\s\S]*carol[\s\S]*demo data: no credentials were read/);
    const decide = await runCli(["--demo", "slots", "decide", "--execute"], t.env);
    expect(decide.exitCode).toBe(0);
    expect(String(decide.stdout)).toMatch(/^(stay on alice|(switch|forward-route|rebalance) alice -> (bob|carol))\nreason: /);
    const decideJson = JSON.parse(String((await runCli(["--demo", "slots", "decide", "--json"], t.env)).stdout));
    expect(decideJson).toMatchObject({ demo: true, active: "alice" });
    for (const args of [["adopt", "x"], ["baseline", "alice"], ["reauth", "alice"]]) {
      const r = await runCli(["--demo", "slots", ...args], t.env);
      expect(r.exitCode, args.join(" ")).toBe(0);
      expect(String(r.stdout)).toMatch(/^demo: would .* no credentials are touched$/);
    }
    const { readlinkSync, readdirSync } = await import("node:fs");
    expect(readdirSync(claude).sort()).toEqual([".credentials.json", ".credentials.json.realuser"]);
    expect(readlinkSync(join(claude, ".credentials.json"))).toBe(".credentials.json.realuser");
    expect(statSync(cred).atimeMs).toBe(atimeBefore);
  });
});
