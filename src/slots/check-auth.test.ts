import { chmodSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { credentialsText, fixtureText, makeSandbox, permissionsAreBypassed, type Sandbox } from "../../test/slot-sandbox.js";
import { Secret } from "./secret.js";
import { allHealthy, assessSlot, checkSlots, type AssessInputs } from "./check-auth.js";
import { refreshTokenSha256 } from "./credentials.js";
import type { Identity } from "./identity.js";
import { foldProbe, recordProbes, type ProbeRecord } from "./probe-store.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const H = 3600_000;
const ALICE = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";
const aliceHash = refreshTokenSha256(new Secret("sk-ant-ort01-FIXTURE-REFRESH-alice"));

const identity = (over: Partial<Identity> = {}): Identity => ({
  schemaVersion: 1,
  slot: "alice",
  accountUuid: ALICE,
  email: "alice@example.invalid",
  organizationUuid: null,
  subscriptionType: "max",
  rateLimitTier: null,
  refreshTokenSha256: aliceHash,
  baselinedAt: "2026-11-01T00:00:00Z",
  ...over,
});

function inputs(over: Partial<AssessInputs> & { expiresInMs?: number; ageMs?: number; text?: string } = {}): AssessInputs {
  const { expiresInMs = 5 * H, ageMs = H, text, ...rest } = over;
  return {
    name: "alice",
    active: false,
    path: "/x/.credentials.json.alice",
    read: { ok: true, text: text ?? credentialsText("alice", NOW.getTime() + expiresInMs), mtime: new Date(NOW.getTime() - ageMs), size: 1 },
    sidecar: { ok: true, identity: identity() },
    claudeJson: null,
    liveLinkMtime: null,
    probe: undefined,
    now: NOW,
    ...rest,
  };
}

const probe = (over: Partial<ProbeRecord> = {}): ProbeRecord => ({
  at: new Date(NOW.getTime() - H).toISOString(),
  ok: true,
  reason: null,
  conclusive: true,
  accountUuid: ALICE,
  email: "alice@example.invalid",
  refreshTokenSha256: aliceHash,
  ...over,
});

describe("assessSlot: one state per case (SPEC 5.2)", () => {
  it("ok: expires in Nh", () => {
    const c = assessSlot(inputs());
    expect(c.state).toBe("ok");
    expect(c.detail).toBe("expires in 5h00m");
    expect(c.subscriptionType).toBe("max");
    expect(c.rotated).toBe(false);
  });

  it("stale: lapsed access token, harmless", () => {
    const c = assessSlot(inputs({ expiresInMs: -23 * 60_000 }));
    expect(c.state).toBe("stale");
    expect(c.detail).toBe("access token lapsed 23m ago — refreshed on next use, harmless");
    expect(c.lapsed).toBe(true);
  });

  it("old: untouched for over 7 days, beats stale", () => {
    const c = assessSlot(inputs({ ageMs: 8 * 24 * H, expiresInMs: -H }));
    expect(c.state).toBe("old");
    expect(c.detail).toContain("untouched for 8d0h");
    expect(c.detail).toContain("slots check --probe");
  });

  it("exactly 7 days is not old yet", () => {
    expect(assessSlot(inputs({ ageMs: 7 * 24 * H })).state).toBe("ok");
  });

  it.each([
    ["mcp-only.json", "missing"],
    ["truncated.json", "malformed"],
    ["expires-string.json", "malformed"],
    ["no-refresh.json", "malformed"],
  ])("%s -> %s", (file, state) => {
    expect(assessSlot(inputs({ text: fixtureText(file) })).state).toBe(state);
  });

  it("missing and unreadable come from the read", () => {
    expect(assessSlot(inputs({ read: { ok: false, state: "missing", problem: "no credentials file" } }))).toMatchObject({ state: "missing", detail: "no credentials file" });
    expect(assessSlot(inputs({ read: { ok: false, state: "unreadable", problem: "permission denied" } }))).toMatchObject({ state: "unreadable" });
  });

  it("drift: the active slot's ~/.claude.json account differs from the baseline", () => {
    const c = assessSlot(
      inputs({
        active: true,
        claudeJson: { account: { accountUuid: BOB, email: "bob@example.invalid", organizationUuid: null }, mtime: new Date(NOW.getTime() - 60_000) },
        liveLinkMtime: new Date(NOW.getTime() - H),
      }),
    );
    expect(c.state).toBe("drift");
    expect(c.detail).toContain("bob@example.invalid");
    expect(c.detail).toContain("alice@example.invalid");
    expect(c.detail).toContain("slots reauth alice");
  });

  it("no drift when ~/.claude.json predates the last switch (it describes the previous slot)", () => {
    const c = assessSlot(
      inputs({
        active: true,
        claudeJson: { account: { accountUuid: BOB, email: null, organizationUuid: null }, mtime: new Date(NOW.getTime() - 2 * H) },
        liveLinkMtime: new Date(NOW.getTime() - H),
      }),
    );
    expect(c.state).toBe("ok");
    expect(c.account).toBeNull();
    expect(c.identityNote).toContain("predates the last switch");
  });

  it("~/.claude.json is not consulted for a slot that is not live", () => {
    const c = assessSlot(inputs({ claudeJson: { account: { accountUuid: BOB, email: null, organizationUuid: null }, mtime: NOW } }));
    expect(c.state).toBe("ok");
  });

  it("drift from a probe of these very credentials; a probe of older credentials says nothing", () => {
    const seenBob = foldProbe(undefined, probe({ accountUuid: BOB, email: "bob@example.invalid" }));
    expect(assessSlot(inputs({ probe: seenBob })).state).toBe("drift");
    const olderCreds = foldProbe(undefined, probe({ accountUuid: BOB, refreshTokenSha256: "f".repeat(64) }));
    expect(assessSlot(inputs({ probe: olderCreds })).state).toBe("ok");
  });

  it("rotated: new refresh token, same account, is normal (never drift)", () => {
    const c = assessSlot(inputs({ sidecar: { ok: true, identity: identity({ refreshTokenSha256: "e".repeat(64) }) }, probe: foldProbe(undefined, probe()) }));
    expect(c.state).toBe("ok");
    expect(c.rotated).toBe(true);
    expect(c.account?.source).toBe("probe");
  });

  it("without a baseline there is no drift, and the note says how to make one", () => {
    const c = assessSlot(inputs({ sidecar: { ok: false, missing: true, problem: "no identity baseline (usagetop slots baseline alice)" }, probe: foldProbe(undefined, probe({ accountUuid: BOB })) }));
    expect(c.state).toBe("ok");
    expect(c.identityNote).toContain("slots baseline alice");
  });

  it("a failed conclusive probe is carried for the switch to refuse", () => {
    const dead = foldProbe(undefined, probe({ ok: false, reason: "HTTP 401 from x: authentication_error", accountUuid: null }));
    expect(assessSlot(inputs({ probe: dead })).probeFailed?.reason).toContain("401");
    // Claude Code rotated the token since: the old verdict no longer describes the file.
    expect(assessSlot(inputs({ probe: foldProbe(undefined, probe({ ok: false, refreshTokenSha256: "d".repeat(64) })) })).probeFailed).toBeNull();
  });

  it("no detail ever contains a token", () => {
    for (const file of ["alice.json", "bob.json", "truncated.json", "expires-string.json", "empty-access.json", "no-refresh.json", "not-object.json", "mcp-only.json"]) {
      const c = assessSlot(inputs({ text: fixtureText(file) }));
      expect(JSON.stringify(c)).not.toMatch(/FIXTURE-(ACCESS|REFRESH)/);
    }
  });
});

describe("checkSlots on a real credentials dir", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  it("reports every slot and a healthy live link", () => {
    sb.writeSlot("alice");
    sb.writeSlot("bob", { expiresInMs: -H });
    sb.writeSlot("carol", { ageMs: 10 * 24 * H });
    sb.link(".credentials.json.alice");
    const r = checkSlots(sb.config(), new Date());
    expect(r.slots.map((s) => [s.name, s.state, s.active])).toEqual([
      ["alice", "ok", true],
      ["bob", "stale", false],
      ["carol", "old", false],
    ]);
    expect(r.liveProblem).toBeNull();
    expect(allHealthy(r)).toBe(true);
  });

  it("is unhealthy with a malformed slot, a config slot without a file, or a broken live link", () => {
    sb.writeSlot("alice");
    sb.writeSlot("zed", { raw: fixtureText("truncated.json") });
    sb.link(".credentials.json.alice");
    expect(allHealthy(checkSlots(sb.config(), new Date()))).toBe(false);
    const withGhost = checkSlots(sb.config('[slots]\nnames = ["alice", "ghost"]\n'), new Date());
    expect(withGhost.slots.find((s) => s.name === "ghost")?.state).toBe("missing");
  });

  it.each([
    ["regular file", (sb: Sandbox) => writeFileSync(join(sb.credsDir, ".credentials.json"), credentialsText("alice", Date.now() + H)), "slots adopt"],
    ["dangling", (sb: Sandbox) => sb.link(".credentials.json.nobody"), "dangling"],
    ["outside", (sb: Sandbox) => sb.link("/tmp/.credentials.json.alice"), "outside"],
    [
      "loop",
      (sb: Sandbox) => {
        symlinkSync(".credentials.json.loopb", join(sb.credsDir, ".credentials.json.loopa"));
        symlinkSync(".credentials.json.loopa", join(sb.credsDir, ".credentials.json.loopb"));
        sb.link(".credentials.json.loopa");
      },
      "loop",
    ],
  ])("live link problem: %s", (_, setup, words) => {
    sb.writeSlot("alice");
    setup(sb);
    const r = checkSlots(sb.config(), new Date());
    expect(r.liveProblem).toContain(words);
    expect(allHealthy(r)).toBe(false);
  });

  it("a slot file that is a symlink loop is unreadable", () => {
    symlinkSync(".credentials.json.y", join(sb.credsDir, ".credentials.json.x"));
    symlinkSync(".credentials.json.x", join(sb.credsDir, ".credentials.json.y"));
    const r = checkSlots(sb.config(), new Date());
    expect(r.slots.map((s) => [s.name, s.state, s.detail])).toEqual([
      ["x", "unreadable", "symlink loop"],
      ["y", "unreadable", "symlink loop"],
    ]);
  });

  it("a directory in place of a slot file is unreadable (works as root too)", () => {
    mkdirSync(sb.slotPath("dir"));
    expect(checkSlots(sb.config(), new Date()).slots[0]).toMatchObject({ state: "unreadable" });
  });

  it.skipIf(permissionsAreBypassed())("a mode-000 slot file is unreadable [skipped when run as root: root reads mode-000 files]", () => {
    chmodSync(sb.writeSlot("alice"), 0);
    expect(checkSlots(sb.config(), new Date()).slots[0]).toMatchObject({ state: "unreadable", detail: "permission denied" });
  });

  it("drift of the active slot from ~/.claude.json written after the switch", () => {
    sb.writeSlot("alice");
    sb.link(".credentials.json.alice");
    writeFileSync(join(sb.credsDir, ".credentials.json.alice.identity.json"), JSON.stringify(identity({ refreshTokenSha256: null })));
    const cj = JSON.parse(fixtureText("../oauth/claude-json.json"));
    cj.oauthAccount.accountUuid = BOB;
    cj.oauthAccount.emailAddress = "bob@example.invalid";
    const cjPath = join(sb.credsDir, ".claude.json");
    writeFileSync(cjPath, JSON.stringify(cj));
    const later = new Date(Date.now() + 5000);
    utimesSync(cjPath, later, later);
    const r = checkSlots(sb.config(), new Date());
    expect(r.slots[0]).toMatchObject({ state: "drift" });
    expect(allHealthy(r)).toBe(false);
  });

  it("a recorded failed probe makes the check fail", async () => {
    sb.writeSlot("alice");
    sb.link(".credentials.json.alice");
    await recordProbes(sb.stateDir, { alice: probe({ ok: false, reason: "HTTP 401", at: new Date().toISOString() }) }, new Date());
    const r = checkSlots(sb.config(), new Date());
    expect(r.slots[0]?.probeFailed).not.toBeNull();
    expect(allHealthy(r)).toBe(false);
  });
});
