import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../../test/fake-anthropic.js";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load.js";
import type { ReadResult } from "../model/meter.js";
import { formatLapse, oauthReader } from "./oauth.js";
import type { SlotRef } from "./reader.js";

const ALICE = "sk-ant-oat01-FIXTURE-ACCESS-alice";
const UNKNOWN = "sk-ant-oat01-FIXTURE-ACCESS-nobody";
const NOW = new Date("2026-09-20T12:00:00Z");

let fake: FakeAnthropic;
let home: string;
let config: Config;
const outputs: string[] = [];

function slotWith(name: string, token: string, expiresAt: number): SlotRef {
  const path = join(home, `.credentials.json.${name}`);
  writeFileSync(
    path,
    JSON.stringify({
      claudeAiOauth: { accessToken: token, refreshToken: `sk-ant-ort01-FIXTURE-REFRESH-${name}`, expiresAt, scopes: ["user:profile"], subscriptionType: "max" },
    }),
    { mode: 0o600 },
  );
  return { name, credentialsPath: path, active: true };
}

async function read(slot: SlotRef, signal = new AbortController().signal, cfg = config): Promise<ReadResult> {
  const r = await oauthReader.read({ config: cfg, slot, now: NOW }, signal);
  outputs.push(JSON.stringify(r), inspect(r, { depth: 10 }));
  return r;
}

beforeAll(async () => {
  fake = await startFakeAnthropic({ stallMs: 5_000 });
  home = mkdtempSync(join(tmpdir(), "usagetop-oauth-"));
  config = loadConfig({}, { HOME: home, XDG_STATE_HOME: join(home, "state"), XDG_CONFIG_HOME: join(home, "cfg"), USAGETOP_ANTHROPIC_BASE_URL: fake.url, USAGETOP_HTTP_TIMEOUT_MS: "400" });
});
afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});
beforeEach(() => fake.setMode("ok"));

const live = NOW.getTime() + 3600_000;

describe("oauth reader against the fake Anthropic server", () => {
  it("reads meters with the slot's own token and the documented headers", async () => {
    const before = fake.requests.count;
    const r = await read(slotWith("alice", ALICE, live));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meters.map((m) => m.kind).sort()).toEqual(["five_hour", "seven_day", "seven_day_sonnet"]);
    expect(r.meters.every((m) => m.source === "oauth" && m.observedAt.getTime() === NOW.getTime())).toBe(true);
    expect(r.notes).toContain("extra usage disabled: overage_not_provisioned");
    expect(fake.requests.count).toBe(before + 1);
    const req = fake.requests.log.at(-1)!;
    expect(req).toMatchObject({ path: "/api/oauth/usage", tokenHash: fake.tokenHash(ALICE), beta: "oauth-2025-04-20" });
    expect(req.userAgent).toMatch(/^usagetop\/\d+\.\d+\.\d+/);
  });

  it("reports a lapsed token as stale without any request", async () => {
    const before = fake.requests.count;
    const r = await read(slotWith("lapsed", ALICE, NOW.getTime() - 12 * 60_000 - 5_000));
    expect(r).toEqual({ ok: false, error: { kind: "auth", stale: true, message: "token expired 12m ago: Claude Code refreshes it on next use" } });
    expect(fake.requests.count).toBe(before);
  });

  it("maps 401 token_expired to a stale auth error", async () => {
    fake.setMode("token_expired");
    const r = await read(slotWith("alice", ALICE, live));
    expect(r).toMatchObject({ ok: false, error: { kind: "auth", stale: true } });
  });

  it("maps another 401 to a plain auth error", async () => {
    const r = await read(slotWith("nobody", UNKNOWN, live));
    expect(r).toMatchObject({ ok: false, error: { kind: "auth", message: expect.stringContaining("HTTP 401") } });
    expect(!r.ok && r.error.stale).toBeFalsy();
  });

  it("maps 403 scope user:profile to unavailable with the setup-token hint", async () => {
    fake.setMode("scope");
    const r = await read(slotWith("alice", ALICE, live));
    expect(r).toEqual({
      ok: false,
      error: { kind: "unavailable", message: "this token cannot read usage: log in with `claude` instead of a setup-token" },
    });
  });

  it.each([
    [120, 120],
    [0, 0],
    [null, undefined],
  ])("maps 429 with Retry-After %s to rate_limited", async (header, expected) => {
    fake.setMode("429", { retryAfter: header });
    const r = await read(slotWith("alice", ALICE, live));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe("rate_limited");
    expect(r.error.retryAfterSeconds).toBe(expected);
  });

  it("maps 500 to network", async () => {
    fake.setMode("500");
    const r = await read(slotWith("alice", ALICE, live));
    expect(r).toMatchObject({ ok: false, error: { kind: "network", message: expect.stringContaining("HTTP 500") } });
  });

  it("names an HTML 502 page instead of dumping it", async () => {
    fake.setMode("html502");
    const r = await read(slotWith("alice", ALICE, live));
    const host = new URL(fake.url).host;
    expect(r).toEqual({ ok: false, error: { kind: "parse", message: `HTTP 502: HTML error page from ${host}` } });
  });

  it("maps truncated JSON to parse", async () => {
    fake.setMode("truncated");
    const r = await read(slotWith("alice", ALICE, live));
    expect(r).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringContaining("truncated JSON") } });
  });

  it("times out on a stalled server with the injected timeout", async () => {
    fake.setMode("stall");
    const r = await read(slotWith("alice", ALICE, live));
    expect(r).toMatchObject({ ok: false, error: { kind: "timeout", message: expect.stringContaining("within 0.4s") } });
  });

  it.each(["oversize", "oversize-chunked"] as const)("refuses a body over 1 MiB (%s)", async (mode) => {
    fake.setMode(mode);
    const r = await read(slotWith("alice", ALICE, live));
    expect(r).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringContaining("refused (limit 1 MiB)") } });
  });

  it("stops when the caller aborts", async () => {
    fake.setMode("stall");
    const ac = new AbortController();
    const pending = read(slotWith("alice", ALICE, live), ac.signal);
    setTimeout(() => ac.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: { kind: "network", message: expect.stringContaining("aborted") } });
  });

  it("maps a closed port to network", async () => {
    const closed = await startFakeAnthropic();
    const url = closed.url;
    await closed.close();
    const cfg = { ...config, oauthBaseUrl: url };
    const r = await read(slotWith("alice", ALICE, live), undefined, cfg);
    expect(r).toMatchObject({ ok: false, error: { kind: "network", message: expect.stringContaining("ECONNREFUSED") } });
  });

  it("reports a missing credentials file as auth, naming the file", async () => {
    const r = await read({ name: "ghost", credentialsPath: join(home, ".credentials.json.ghost"), active: false });
    expect(r).toMatchObject({ ok: false, error: { kind: "auth", message: expect.stringContaining(".credentials.json.ghost") } });
  });

  it("never shows a fixture token in any result", () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) {
      expect(text).not.toContain("FIXTURE-ACCESS");
      expect(text).not.toContain("FIXTURE-REFRESH");
    }
  });
});

describe("formatLapse", () => {
  it("reads like the spec's message", () => {
    expect(formatLapse(0)).toBe("0m");
    expect(formatLapse(90 * 60_000)).toBe("90m");
    expect(formatLapse(3 * 3600_000 + 5 * 60_000)).toBe("3h05m");
    expect(formatLapse(5 * 86400_000)).toBe("5d");
  });
});

describe("oauth poll interval", () => {
  it("is 180 s by default, never under 120 s, and 60 s for the active slot at 80 % or more", () => {
    const cfg = loadConfig({}, { HOME: home, XDG_CONFIG_HOME: join(home, "none") });
    expect(oauthReader.intervalSeconds(cfg)).toBe(180);
    expect(oauthReader.intervalSeconds(loadConfig({ interval: 30 }, { HOME: home, XDG_CONFIG_HOME: join(home, "none") }))).toBe(120);
    expect(oauthReader.intervalSeconds(cfg, { active: true, governingUtilisation: 79.9 })).toBe(180);
    expect(oauthReader.intervalSeconds(cfg, { active: true, governingUtilisation: 80 })).toBe(60);
    expect(oauthReader.intervalSeconds(cfg, { active: false, governingUtilisation: 95 })).toBe(180);
  });
});
