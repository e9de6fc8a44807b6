// `usagetop slots …` end to end (SPEC 5.1–5.4): listing, check-auth with and without probes,
// baseline, adopt, reauth and decide, on the built binary in a sandbox, probes against a local
// Anthropic stand-in. Every output and state file is searched for fixture tokens.
import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Meter } from "../../src/model/meter.js";
import { writeCacheEntry } from "../../src/store/cache.js";
import { startFakeAnthropic, type FakeAnthropic } from "../fake-anthropic.js";
import { credentialsText, fixtureText, makeSandbox, runSandboxCli, type Sandbox } from "../slot-sandbox.js";

const outputs: string[] = [];
const H = 3600_000;

function walkFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(...walkFiles(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

describe("usagetop slots", () => {
  let sb: Sandbox;
  let fake: FakeAnthropic;
  const cli = async (args: string[]) => {
    const r = await runSandboxCli(args, { ...sb.env, USAGETOP_ANTHROPIC_BASE_URL: fake.url, USAGETOP_HTTP_TIMEOUT_MS: "3000" });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await fake.close();
    expect(outputs.join("\n")).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
  });
  beforeEach(() => {
    fake.setMode("ok");
    sb = makeSandbox();
    sb.writeSlot("alice");
    sb.writeSlot("bob", { expiresInMs: -2 * H });
    sb.link(".credentials.json.alice");
  });
  afterEach(() => {
    // State files and sidecars: no token, ever.
    for (const f of walkFiles(sb.root)) {
      if (f.startsWith(join(sb.credsDir, ".credentials.json.")) && !f.endsWith(".identity.json")) continue;
      if (f === join(sb.credsDir, ".credentials.json")) continue;
      expect(readFileSync(f, "utf8"), f).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
    }
    sb.cleanup();
  });

  it("lists slots: active marker, plan, token expiry, auth, identity, probe, governing meter", async () => {
    const now = new Date();
    const meter = (kind: string, u: number): Meter => ({
      kind,
      label: kind === "five_hour" ? "5h session" : "Week (all models)",
      utilisation: u,
      resetsAt: new Date(now.getTime() + 2 * H),
      windowSeconds: kind === "five_hour" ? 18000 : 604800,
      source: "oauth",
      observedAt: new Date(now.getTime() - 120_000),
      estimated: false,
    });
    writeCacheEntry(sb.stateDir, "alice", "oauth", { lastGood: { at: now, meters: [meter("five_hour", 62), meter("seven_day", 31)] }, lastAttempt: { at: now, ok: true }, failures: 0, nextAttemptAt: null }, now);
    const r = await cli(["slots"]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split("\n");
    const alice = lines.find((l) => l.includes("alice"))!;
    expect(alice).toMatch(/^\*\s+alice\s+max\/max_20x\s+in (4h59m|5h00m)\s+ok\s+-\s+-\s+5h session 62% \(2m old\)$/);
    expect(lines.find((l) => l.includes("bob"))).toMatch(/^\s+bob\s+max\/max_5x\s+lapsed 2h0\dm ago\s+stale/);
    expect(r.stdout).toContain("live: .credentials.json -> .credentials.json.alice");

    const j = await cli(["slots", "--json"]);
    const doc = JSON.parse(j.stdout);
    expect(doc.live).toEqual({ state: "link", slot: "alice" });
    expect(doc.slots.map((s: { name: string; auth: string; active: boolean }) => [s.name, s.auth, s.active])).toEqual([
      ["alice", "ok", true],
      ["bob", "stale", false],
    ]);
    expect(doc.slots[0].governing).toMatchObject({ kind: "five_hour", utilisation: 62 });
    expect(doc.slots[1].governing).toBeNull();
  });

  it("check: exit 0 when every slot is ok/stale/old, 1 otherwise, with one line per slot", async () => {
    sb.writeSlot("carol", { ageMs: 9 * 24 * H });
    const ok = await cli(["slots", "check"]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/alice\s+ok\s+expires in (4h59m|5h00m)/);
    expect(ok.stdout).toMatch(/bob\s+stale\s+access token lapsed 2h0\dm ago — refreshed on next use, harmless/);
    expect(ok.stdout).toMatch(/carol\s+old\s+file untouched for 9d0h/);
    sb.writeSlot("dave", { raw: fixtureText("no-refresh.json") });
    const bad = await cli(["slots", "check"]);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/dave\s+malformed\s+claudeAiOauth\.refreshToken must be a non-empty string/);
  });

  it("check flags a live file that is a regular file, and adopt repairs it", async () => {
    const live = join(sb.credsDir, ".credentials.json");
    const text = credentialsText("erin", Date.now() + H);
    writeFileSync(`${live}.new`, text);
    const { renameSync } = await import("node:fs");
    renameSync(`${live}.new`, live);
    const check = await cli(["slots", "check"]);
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain("usagetop slots adopt <slot>");
    const taken = await cli(["slots", "adopt", "alice"]);
    expect(taken.exitCode).toBe(1);
    expect(taken.stderr).toContain("already exists");
    const adopt = await cli(["slots", "adopt", "erin"]);
    expect(adopt.exitCode).toBe(0);
    expect(readlinkSync(live)).toBe(".credentials.json.erin");
    expect(readFileSync(sb.slotPath("erin"), "utf8")).toBe(text);
    expect((await cli(["slots", "check"])).exitCode).toBe(0);
  });

  it("check --probe: ok for a live token, skipped(token lapsed) with the last result for a lapsed one; results persisted 0600", async () => {
    const first = await cli(["slots", "check", "--probe"]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/alice .*probe=ok/);
    expect(first.stdout).toMatch(/bob .*probe=skipped\(token lapsed\)/);
    const probes = join(sb.stateDir, "probes.json");
    expect(statSync(probes).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(probes, "utf8"));
    expect(stored.slots.alice.last).toMatchObject({ ok: true, accountUuid: "11111111-1111-4111-8111-111111111111" });
    expect(stored.slots.bob).toBeUndefined();
    // Bob was probed earlier while his token was valid; now it has lapsed: the old result shows with its age.
    sb.writeSlot("bob", { expiresInMs: H });
    await cli(["slots", "check", "--probe"]);
    sb.writeSlot("bob", { expiresInMs: -H });
    const later = await cli(["slots", "check", "--probe"]);
    expect(later.stdout).toMatch(/bob .*probe=skipped\(token lapsed\), last ok \d+s ago/);
  });

  it("baseline records identity; a probe then reveals drift (another account in the slot) but not rotation", async () => {
    const b = await cli(["slots", "baseline", "alice"]);
    expect(b.exitCode).toBe(0);
    expect(b.stdout).toContain("alice@example.invalid");
    const sidecar = JSON.parse(readFileSync(join(sb.credsDir, ".credentials.json.alice.identity.json"), "utf8"));
    expect(Object.keys(sidecar).sort()).toEqual(
      ["accountUuid", "baselinedAt", "email", "organizationUuid", "rateLimitTier", "refreshTokenSha256", "schemaVersion", "slot", "subscriptionType"].sort(),
    );
    // Rotation: Claude Code refreshed alice; new refresh token, same account.
    fake.setTokens({ "sk-ant-oat01-FIXTURE-ACCESS-alice2": { usage: "max-2026-09", profile: "profile-alice" } });
    const rotated = JSON.parse(credentialsText("alice", Date.now() + H));
    rotated.claudeAiOauth.accessToken = "sk-ant-oat01-FIXTURE-ACCESS-alice2";
    rotated.claudeAiOauth.refreshToken = "sk-ant-ort01-FIXTURE-REFRESH-alice2";
    sb.writeSlot("alice", { raw: JSON.stringify(rotated) });
    const rot = await cli(["slots", "check", "--probe"]);
    expect(rot.exitCode).toBe(0);
    expect(rot.stdout).toMatch(/alice\s+ok .*rotated/);
    // Drift: a stray /login wrote bob's account into slot alice.
    sb.writeSlot("alice", { raw: credentialsText("bob", Date.now() + H, "bob.json") });
    const drift = await cli(["slots", "check", "--probe"]);
    expect(drift.exitCode).toBe(1);
    expect(drift.stdout).toMatch(/alice\s+drift\s+holds account bob@example\.invalid .*baseline is alice@example\.invalid/);
    const sw = await cli(["switch", "bob", "--force"]);
    expect(sw.exitCode).toBe(0);
    const back = await cli(["switch", "alice", "--force"]);
    expect(back.exitCode).toBe(1);
    expect(back.stderr).toContain("drift");
  });

  it("offline drift for the active slot from ~/.claude.json written after the switch", async () => {
    expect((await cli(["slots", "baseline", "alice"])).exitCode).toBe(0);
    const cj = JSON.parse(fixtureText("../oauth/claude-json.json"));
    cj.oauthAccount.accountUuid = "22222222-2222-4222-8222-222222222222";
    cj.oauthAccount.emailAddress = "bob@example.invalid";
    const path = join(sb.credsDir, ".claude.json");
    writeFileSync(path, JSON.stringify(cj));
    const later = new Date(Date.now() + 5000);
    utimesSync(path, later, later);
    const r = await cli(["slots", "check"]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/alice\s+drift .*per ~\/\.claude\.json/);
  });

  it("reauth prints the steps with real paths", async () => {
    const r = await cli(["slots", "reauth", "bob"]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`ln -sfn .credentials.json.bob ${join(sb.credsDir, ".credentials.json")}`);
    expect(r.stdout).toContain("usagetop slots baseline bob");
    expect((await cli(["slots", "reauth", "zed"])).exitCode).toBe(1);
    expect((await cli(["slots", "reauth"])).exitCode).toBe(1);
  });

  it("decide recommends from cached meters, and --execute switches through the switch (by: decide)", async () => {
    const now = new Date();
    const week = (u: number): Meter => ({ kind: "seven_day", label: "Week (all models)", utilisation: u, resetsAt: new Date(now.getTime() + 3 * 24 * H), windowSeconds: 604800, source: "oauth", observedAt: now, estimated: false });
    for (const [slot, u] of [["alice", 91], ["bob", 20]] as const) {
      writeCacheEntry(sb.stateDir, slot, "oauth", { lastGood: { at: now, meters: [week(u)] }, lastAttempt: { at: now, ok: true }, failures: 0, nextAttemptAt: null }, now);
    }
    sb.config('[slots]\nprimary = "alice"\nfallback_order = ["bob"]\n');
    const dry = await cli(["slots", "decide", "--json"]);
    expect(dry.exitCode).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ active: "alice", action: "switch", target: "bob" });
    expect(JSON.parse(dry.stdout).reason).toContain("week at 91%");
    expect(readlinkSync(join(sb.credsDir, ".credentials.json"))).toBe(".credentials.json.alice");
    const run = await cli(["slots", "decide", "--execute"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("switched from alice to bob");
    const entry = JSON.parse(readFileSync(join(sb.stateDir, "switches.jsonl"), "utf8").trim());
    expect(entry).toMatchObject({ from: "alice", to: "bob", by: "decide" });
    // Primary still exhausted: stay on bob.
    const again = await cli(["slots", "decide"]);
    expect(again.stdout, again.stderr).toMatch(/^stay on bob/);
  });

  it("rejects unknown subcommands and missing arguments with exit 1", async () => {
    expect((await cli(["slots", "frobnicate"])).exitCode).toBe(1);
    expect((await cli(["slots", "adopt"])).exitCode).toBe(1);
    expect((await cli(["slots", "baseline", "../x"])).exitCode).toBe(1);
  });
});
