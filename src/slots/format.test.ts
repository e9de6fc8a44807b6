import { describe, expect, it } from "vitest";
import type { SlotCheck } from "./check-auth.js";
import { checkLines, decisionLines, planText, probeText, tokenText } from "./format.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const check = (over: Partial<SlotCheck> = {}): SlotCheck => ({
  name: "alice",
  active: false,
  path: "/x",
  state: "ok",
  detail: "expires in 5h00m",
  expiresAt: new Date(NOW.getTime() + 5 * 3600_000),
  lapsed: false,
  subscriptionType: "max",
  rateLimitTier: "default_claude_max_20x",
  fileMtime: NOW,
  identity: null,
  identityNote: null,
  account: null,
  rotated: false,
  refreshTokenSha256: null,
  probe: null,
  probeFailed: null,
  ...over,
});

describe("slot text", () => {
  it.each([
    [{ subscriptionType: "max", rateLimitTier: "default_claude_max_20x" }, "max/max_20x"],
    [{ subscriptionType: "pro", rateLimitTier: "default_claude_ai" }, "pro/ai"],
    [{ subscriptionType: "pro", rateLimitTier: null }, "pro"],
    [{ subscriptionType: null, rateLimitTier: null }, "-"],
  ])("plan %j -> %s", (c, want) => expect(planText(c)).toBe(want));

  it("token expiry in the future and in the past", () => {
    expect(tokenText(check(), NOW)).toBe("in 5h00m");
    expect(tokenText(check({ expiresAt: new Date(NOW.getTime() - 23 * 60_000) }), NOW)).toBe("lapsed 23m ago");
    expect(tokenText(check({ expiresAt: null }), NOW)).toBe("-");
  });

  it("probe results with their age", () => {
    const at = new Date(NOW.getTime() - 7200_000).toISOString();
    expect(probeText({ at, ok: true, reason: null, conclusive: true, accountUuid: null, email: null, refreshTokenSha256: null }, NOW)).toBe("ok 2h00m ago");
    expect(probeText({ at, ok: false, reason: "HTTP 401", conclusive: true, accountUuid: null, email: null, refreshTokenSha256: null }, NOW)).toBe("FAIL(HTTP 401) 2h00m ago");
    expect(probeText(null, NOW)).toBe("-");
  });

  it("check lines align names and states and carry the probe display", () => {
    const lines = checkLines([check({ active: true }), check({ name: "bob", state: "stale", detail: "access token lapsed 1h00m ago — refreshed on next use, harmless" })], NOW, new Map([["alice", "ok"], ["bob", "skipped(token lapsed)"]]));
    expect(lines).toEqual([
      "* alice  ok     expires in 5h00m · probe=ok",
      "  bob    stale  access token lapsed 1h00m ago — refreshed on next use, harmless · probe=skipped(token lapsed)",
    ]);
  });

  it("decision lines", () => {
    expect(decisionLines({ action: "forward_route", target: "bob", reason: "r", holdUntil: new Date(NOW.getTime() + 8 * 3600_000) }, "alice", NOW)).toEqual([
      "forward-route alice -> bob",
      "reason: r",
      "hold until 2026-11-22T20:00:00.000Z (8h00m)",
    ]);
    expect(decisionLines({ action: "stay", target: "alice", reason: "fine", holdUntil: null }, "alice", NOW)[0]).toBe("stay on alice");
  });
});
