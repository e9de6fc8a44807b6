import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { runtimeUsage } from "./runtime-usage.js";
import { buildPriceTable } from "./cost.js";
import type { UsageEntry } from "./usage-entry.js";

const NOW = new Date("2026-01-05T12:00:00Z");
const prices = buildPriceTable();
function e(minutesAgo: number, output: number, extra: Partial<UsageEntry> = {}): UsageEntry {
  return {
    key: `k${minutesAgo}:${output}`,
    timestamp: NOW.getTime() - minutesAgo * 60_000,
    model: "claude-sonnet-4-5-20250929",
    sessionId: "s1",
    project: "-home-a",
    cwd: null,
    isSidechain: false,
    costUSD: null,
    tokens: { input: 0, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    ...extra,
  };
}

describe("runtimeUsage", () => {
  it("sums the rolling 5 h window and says when its oldest call ages out", () => {
    const r = runtimeUsage({ entries: [e(400, 999), e(240, 1000), e(30, 2000)], prices, now: NOW });
    expect(r.current).toMatchObject({ tokens: 3000, calls: 2, token_limit: null, token_percent: null });
    expect(r.current.cost).toBeCloseTo(3000 * 15e-6, 12);
    expect(r.window).toEqual({
      duration_ms: 5 * 3600_000,
      started_at: "2026-01-05T08:00:00.000Z",
      resets_at: "2026-01-05T13:00:00.000Z",
      reset_in_ms: 3600_000,
    });
    expect(r.burn_rate).toMatchObject({ window_ms: 3600_000, tokens_per_minute: 2000 / 60 });
    expect(r.predictions).toEqual({ time_to_limit_ms: null, limit_kind: null, safe: true });
  });

  it("predicts the time to the nearer limit at the last hour's pace", () => {
    const r = runtimeUsage({ entries: [e(240, 1000), e(30, 2000)], prices, now: NOW, limits: { tokens: 5000 } });
    // 2000 tokens left at 2000/60 per minute: 60 minutes, which is before the reset (60 min): not earlier -> safe
    expect(r.predictions.time_to_limit_ms).toBeCloseTo(3600_000, 3);
    expect(r.current.token_percent).toBeCloseTo(60, 10);
    const tight = runtimeUsage({ entries: [e(240, 1000), e(30, 2000)], prices, now: NOW, limits: { tokens: 4000 } });
    expect(tight.predictions).toMatchObject({ limit_kind: "tokens", safe: false });
    const over = runtimeUsage({ entries: [e(30, 2000)], prices, now: NOW, limits: { tokens: 1000 } });
    expect(over.predictions).toMatchObject({ time_to_limit_ms: 0, safe: false });
  });

  it("keys per-model rows by provider/model and flags unpriced models", () => {
    const r = runtimeUsage({
      entries: [e(10, 100), e(20, 50, { model: "mystery-9", sessionId: "s2" }), e(5, 10, { model: "ollama/llama3", sessionId: "s3" })],
      prices,
      now: NOW,
      accountKey: "bob",
    });
    expect(Object.keys(r.per_model).sort()).toEqual(["anthropic/claude-sonnet-4-5", "local/llama3", "unknown/mystery-9"]);
    expect(r.per_model["anthropic/claude-sonnet-4-5"]).toMatchObject({ provider: "anthropic", account_key: "bob", output: 100, total: 100, calls: 1, unpriced: false });
    expect(r.per_model["unknown/mystery-9"]!.unpriced).toBe(true);
    expect(r.per_model["local/llama3"]!.unpriced).toBe(false);
    expect(r.current.unpriced_models).toEqual(["mystery-9"]);
    expect(r.top_sessions.map((s) => s.session_id)).toEqual(["s1", "s2", "s3"]);
  });

  it("has an empty window with no calls", () => {
    const r = runtimeUsage({ entries: [], prices, now: NOW });
    expect(r.window).toMatchObject({ started_at: null, resets_at: null, reset_in_ms: null });
    expect(r.current.calls).toBe(0);
    expect(r.top_sessions).toEqual([]);
  });

  it("never reports negative or non-finite figures", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ ago: fc.integer({ min: -60, max: 600 }), out: fc.nat(1e7) })), fc.option(fc.nat(1e8)), (rows, limit) => {
        const r = runtimeUsage({ entries: rows.map((x, i) => ({ ...e(x.ago, x.out), key: `k${i}` })), prices, now: NOW, limits: { tokens: limit } });
        const nums = [r.current.cost, r.current.tokens, r.burn_rate.tokens_per_minute, r.window.reset_in_ms ?? 0, r.predictions.time_to_limit_ms ?? 0];
        return nums.every((n) => Number.isFinite(n) && n >= 0);
      }),
    );
  });
});
