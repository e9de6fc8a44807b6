// Issue 4 acceptance, end to end through the built binary against the fake Anthropic endpoint:
// every recorded body shows exactly as its expected file says; ten processes started together
// make one request per slot; every fault keeps the last good values, stale, with their age.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic, type FakeMode } from "../fake-anthropic.js";
import { runCli } from "../run-cli.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "oauth");
const root = mkdtempSync(join(tmpdir(), "usagetop-oauth-acc-"));
const creds = join(root, ".claude");
let fake: FakeAnthropic;

const bodies = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".expected.json") && !f.startsWith("error-") && !f.startsWith("malformed-all"))
  .map((f) => f.replace(".expected.json", ""));
const tokenFor = (name: string) => `sk-ant-oat01-FIXTURE-ACCESS-acc-${name}`;
const slotFor = (name: string) => name.replace(/[^a-z0-9]+/g, "-").slice(0, 30);

function writeSlot(slot: string, token: string, expiresAt: number) {
  const body = {
    claudeAiOauth: { accessToken: token, refreshToken: token.replace("oat01-FIXTURE-ACCESS", "ort01-FIXTURE-REFRESH"), expiresAt, scopes: ["user:profile"], subscriptionType: "max" },
  };
  writeFileSync(join(creds, `.credentials.json.${slot}`), JSON.stringify(body), { mode: 0o600 });
}

function env(state: string, now?: string): Record<string, string> {
  return {
    HOME: root,
    XDG_CONFIG_HOME: join(root, "cfg"),
    XDG_STATE_HOME: join(root, state),
    CLAUDE_CONFIG_DIR: creds,
    USAGETOP_ANTHROPIC_BASE_URL: fake.url,
    USAGETOP_HTTP_TIMEOUT_MS: "1500",
    ...(now ? { USAGETOP_NOW: now } : {}),
  };
}

const outputs: string[] = [];
async function once(args: string[], e: Record<string, string>) {
  const r = await runCli(["--once", "--json", ...args], e);
  outputs.push(String(r.stdout), String(r.stderr));
  return { code: r.exitCode, doc: r.stdout ? JSON.parse(String(r.stdout)) : null, stderr: String(r.stderr) };
}

beforeAll(async () => {
  mkdirSync(creds, { recursive: true });
  const tokens: Record<string, { usage: string }> = {};
  for (const b of bodies) {
    tokens[tokenFor(b)] = { usage: b };
    writeSlot(slotFor(b), tokenFor(b), Date.parse("2027-06-01T00:00:00Z"));
  }
  symlinkSync(`.credentials.json.${slotFor(bodies[0]!)}`, join(creds, ".credentials.json"));
  fake = await startFakeAnthropic({ fixturesDir: FIXTURES, tokens });
});

afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe("every recorded body, through --once --json --slot S", () => {
  it.each(bodies)("%s", async (name) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, `${name}.expected.json`), "utf8"));
    // Pin the clock at the body's own observation time so its resets are still ahead.
    const { code, doc } = await once(["--slot", slotFor(name)], env(`state-${name}`, expected.observedAt));
    expect(code).toBe(0);
    expect(doc.slot).toBe(slotFor(name));
    for (const m of expected.meters as Array<{ kind: string; utilisation?: number | null; resetsAt?: string | null }>) {
      const got = doc.meters.find((x: { kind: string }) => x.kind === m.kind);
      expect(got, `${name}: ${m.kind}`).toBeDefined();
      // An expected file states only what its body pins down; absent fields are not compared.
      if ("utilisation" in m) expect(got.utilisation).toBe(m.utilisation === null ? null : Math.round(m.utilisation! * 10) / 10);
      if ("resetsAt" in m) expect(got.resetsAt).toBe(m.resetsAt);
      expect(got.source).toBe("oauth");
    }
  });
});

describe("one request per slot across processes", () => {
  it("10 processes started together make exactly one request per slot", async () => {
    const before = fake.requests.count;
    const results = await Promise.all(Array.from({ length: 10 }, () => once([], env("state-shared", "2026-09-20T12:00:00Z"))));
    for (const r of results) expect(r.code).toBe(0);
    expect(fake.requests.count - before).toBe(bodies.length);
  });
});

describe("faults keep the last good values, stale, with their age", () => {
  const faults: Array<[FakeMode, RegExp, string]> = [
    ["token_expired", /expired/i, "stale"],
    ["429", /rate|429/i, "backoff"],
    ["500", /500/, "backoff"],
    ["html502", /HTML/, "backoff"],
    ["truncated", /JSON|parse|truncat/i, "backoff"],
    ["stall", /no answer .* within/i, "backoff"],
    ["oversize", /1 MiB|too large|over/i, "backoff"],
  ];
  const slot = slotFor("max-2026-09");
  const token = tokenFor("max-2026-09");

  it.each(faults)("%s", async (mode, message, state) => {
    const dir = `state-fault-${mode}`;
    fake.setMode("ok", { token });
    const good = await once(["--slot", slot], env(dir, "2026-09-20T12:00:00Z"));
    expect(good.doc.governing).not.toBeNull();
    fake.setMode(mode, { token, retryAfter: 120, stallMs: 5000 });
    // Ten minutes later, past the poll interval: the source is read again and fails.
    const bad = await once(["--slot", slot], env(dir, "2026-09-20T12:10:00Z"));
    fake.setMode("ok", { token });
    expect(bad.code).toBe(0);
    const reader = bad.doc.readers.find((r: { name: string; slot: string }) => r.name === "oauth" && r.slot === slot);
    expect(reader.state).toBe(state);
    expect(reader.error).toMatch(message);
    expect(reader.error.split("\n")).toHaveLength(1);
    const five = bad.doc.meters.find((m: { kind: string }) => m.kind === "five_hour");
    expect(five).toMatchObject({ utilisation: 62, stale: true });
    expect(five.ageSeconds).toBe(600);
  });

  it("429 with Retry-After: no request before it, even with --no-cache", async () => {
    const dir = "state-retry";
    fake.setMode("ok", { token });
    await once(["--slot", slot], env(dir, "2026-09-20T12:00:00Z"));
    fake.setMode("429", { token, retryAfter: 120 });
    await once(["--slot", slot], env(dir, "2026-09-20T12:10:00Z"));
    const count = fake.requests.forToken(token).length;
    const again = await once(["--slot", slot, "--no-cache"], env(dir, "2026-09-20T12:11:00Z"));
    fake.setMode("ok", { token });
    expect(fake.requests.forToken(token).length).toBe(count);
    expect(again.doc.readers.find((r: { name: string; slot: string }) => r.name === "oauth" && r.slot === slot).state).toBe("backoff");
  });
});

describe("secrets", () => {
  it("no fixture token appears in any output or state file", () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (!e.name.startsWith(".credentials.json")) files.push(readFileSync(p, "utf8"));
      }
    };
    for (const d of readdirSync(root).filter((d) => d.startsWith("state-"))) walk(join(root, d));
    expect(files.length).toBeGreaterThan(0);
    for (const text of [...outputs, ...files]) {
      expect(text).not.toMatch(/FIXTURE-ACCESS|FIXTURE-REFRESH/);
    }
  });
});
