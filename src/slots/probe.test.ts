import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../../test/fake-anthropic.js";
import { makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import { accountFromProfile, probeSlotFile, type ProbeOptions } from "./probe.js";

describe("probeSlotFile against a local Anthropic stand-in", () => {
  let fake: FakeAnthropic;
  let sb: Sandbox;
  const opts = (over: Partial<ProbeOptions> = {}): ProbeOptions => ({ baseUrl: fake.url, timeoutMs: 2000, now: new Date(), signal: new AbortController().signal, ...over });
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    sb = makeSandbox();
    fake.setMode("ok");
  });
  afterEach(() => sb.cleanup());

  it("ok: reads the profile (identity) and one usage body, with the right headers", async () => {
    const before = fake.requests.count;
    const o = await probeSlotFile(sb.writeSlot("alice"), opts());
    expect(o.kind).toBe("done");
    if (o.kind !== "done") return;
    expect(o.record).toMatchObject({ ok: true, conclusive: true, accountUuid: "11111111-1111-4111-8111-111111111111", email: "alice@example.invalid" });
    const sent = fake.requests.log.slice(before);
    expect(sent.map((r) => r.path)).toEqual(["/api/oauth/profile", "/api/oauth/usage"]);
    expect(sent.every((r) => r.beta === "oauth-2025-04-20" && r.userAgent?.startsWith("usagetop/"))).toBe(true);
  });

  it("a lapsed access token is never sent: skipped", async () => {
    const before = fake.requests.count;
    const o = await probeSlotFile(sb.writeSlot("alice", { expiresInMs: -60_000 }), opts());
    expect(o).toEqual({ kind: "skipped", why: "token lapsed" });
    expect(fake.requests.count).toBe(before);
  });

  it("a rejected token is a conclusive FAIL", async () => {
    fake.setMode("invalid_token");
    const o = await probeSlotFile(sb.writeSlot("alice"), opts());
    expect(o.kind === "done" && o.record).toMatchObject({ ok: false, conclusive: true });
    expect(o.kind === "done" && o.record.reason).toContain("401");
  });

  it.each([
    ["429", "rate limited"],
    ["500", "500"],
    ["html502", "HTML"],
    ["token_expired", "expired"],
  ] as const)("%s is a FAIL that proves nothing about the slot", async (mode, words) => {
    fake.setMode(mode);
    const o = await probeSlotFile(sb.writeSlot("alice"), opts());
    expect(o.kind === "done" && o.record).toMatchObject({ ok: false, conclusive: false });
    expect(o.kind === "done" && o.record.reason).toContain(words);
  });

  it("a stalled server times out: inconclusive", async () => {
    fake.setMode("stall", { stallMs: 5000 });
    const o = await probeSlotFile(sb.writeSlot("alice"), opts({ timeoutMs: 200 }));
    expect(o.kind === "done" && o.record).toMatchObject({ ok: false, conclusive: false });
  });

  it("an unreachable host is inconclusive", async () => {
    const o = await probeSlotFile(sb.writeSlot("alice"), opts({ baseUrl: "http://127.0.0.1:9" }));
    expect(o.kind === "done" && o.record).toMatchObject({ ok: false, conclusive: false });
  });

  it("malformed files are skipped, never sent", async () => {
    const before = fake.requests.count;
    expect(await probeSlotFile(sb.writeSlot("x", { raw: "{" }), opts())).toMatchObject({ kind: "skipped" });
    expect(fake.requests.count).toBe(before);
  });

  it("records never carry a token", async () => {
    fake.setMode("invalid_token");
    const o = await probeSlotFile(sb.writeSlot("bob"), opts());
    expect(JSON.stringify(o)).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
  });
});

describe("accountFromProfile", () => {
  it.each([null, 3, "x", {}, { account: {} }, { account: { uuid: "" } }, { account: { uuid: 5 } }])("%j has no account", (b) => {
    expect(accountFromProfile(b)).toBeNull();
  });
  it("maps the FORMATS 6 shape", () => {
    expect(accountFromProfile({ account: { uuid: "u", email: "e" }, organization: { uuid: "o", organization_type: "claude_max", rate_limit_tier: "default_claude_max_5x" } })).toEqual({
      accountUuid: "u",
      email: "e",
      organizationUuid: "o",
      subscriptionType: "max",
      rateLimitTier: "default_claude_max_5x",
    });
  });
});
