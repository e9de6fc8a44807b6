import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../../test/fake-anthropic.js";
import { fixtureText, makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import { baselineSlot } from "./baseline.js";
import { readIdentity } from "./identity.js";

describe("baselineSlot", () => {
  let fake: FakeAnthropic;
  let sb: Sandbox;
  const run = (slot: string) => baselineSlot({ ...sb.config(), oauthBaseUrl: fake.url }, slot, { now: new Date(), timeoutMs: 2000, signal: new AbortController().signal });
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    sb = makeSandbox();
    fake.setMode("ok");
  });
  afterEach(() => sb.cleanup());

  it("records the account from /api/oauth/profile, no token, mode 0600", async () => {
    sb.writeSlot("bob");
    const o = await run("bob");
    expect(o.ok).toBe(true);
    if (!o.ok) return;
    expect(o.source).toBe("/api/oauth/profile");
    const text = readFileSync(o.path, "utf8");
    expect(text).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
    expect(statSync(o.path).mode & 0o777).toBe(0o600);
    const read = readIdentity(sb.credsDir, "bob");
    expect(read.ok && read.identity).toMatchObject({
      schemaVersion: 1,
      slot: "bob",
      accountUuid: "22222222-2222-4222-8222-222222222222",
      email: "bob@example.invalid",
      organizationUuid: "bbbbbbbb-2222-4222-8222-222222222222",
      subscriptionType: "max",
      rateLimitTier: "default_claude_max_5x",
    });
    expect(read.ok && read.identity.refreshTokenSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("for the active slot with a lapsed token, falls back to ~/.claude.json written after the switch", async () => {
    sb.writeSlot("alice", { expiresInMs: -3600_000 });
    sb.link(".credentials.json.alice");
    const cj = join(sb.credsDir, ".claude.json");
    writeFileSync(cj, fixtureText("../oauth/claude-json.json"));
    const later = new Date(Date.now() + 5000);
    utimesSync(cj, later, later);
    const before = fake.requests.count;
    const o = await run("alice");
    expect(fake.requests.count).toBe(before);
    expect(o.ok && o.source).toBe(cj);
    expect(o.ok && o.identity.email).toBe("alice@example.invalid");
  });

  it("refuses when nothing can tell the account, saying how to fix it", async () => {
    sb.writeSlot("bob", { expiresInMs: -3600_000 });
    const o = await run("bob");
    expect(o.ok).toBe(false);
    expect(!o.ok && o.problem).toContain("usagetop switch bob");
  });

  it("refuses a malformed slot and a bad name", async () => {
    sb.writeSlot("carol", { raw: "{" });
    expect(await run("carol")).toMatchObject({ ok: false });
    expect(await run("../x")).toMatchObject({ ok: false });
  });
});
