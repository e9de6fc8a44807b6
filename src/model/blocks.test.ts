import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BLOCK_MS, fiveHourEstimate, identifyBlocks, p90BlockTokens, type BlockPoint } from "./blocks.js";

const H = 3600_000;
const T0 = Date.parse("2026-01-05T00:00:00Z");
function point(ms: number, total = 100, model = "claude-sonnet-4-5"): BlockPoint {
  return { minTs: ms, maxTs: ms, model, calls: 1, tokens: { input: total, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, cost: total / 1000, unpriced: false };
}

describe("identifyBlocks", () => {
  it("floors the start to the hour and starts a new block after 5 h", () => {
    const blocks = identifyBlocks([point(T0 + 10 * 60_000), point(T0 + 4.9 * H), point(T0 + 5.1 * H)], T0 + 100 * H);
    expect(blocks.map((b) => [new Date(b.start).toISOString(), b.calls])).toEqual([
      ["2026-01-05T00:00:00.000Z", 2],
      ["2026-01-05T05:00:00.000Z", 1],
    ]);
  });

  it("starts a new block after a gap of more than 5 h", () => {
    const blocks = identifyBlocks([point(T0), point(T0 + 6 * H + 30 * 60_000)], T0 + 100 * H);
    expect(blocks.map((b) => b.start)).toEqual([T0, T0 + 6 * H]);
  });

  it("marks the last block active while it is open and recent, with a projection", () => {
    const now = T0 + 2 * H;
    const blocks = identifyBlocks([point(T0), point(T0 + H, 300)], now);
    expect(blocks[0]).toMatchObject({ isActive: true, totalTokens: 400, burnRate: { tokensPerMinute: 400 / 60 } });
    expect(blocks[0]!.projection!.totalTokens).toBe(400 + Math.round((400 / 60) * 180));
    expect(identifyBlocks([point(T0)], T0 + 5 * H)[0]!.isActive).toBe(false);
  });

  it("keeps its invariants for any points", () => {
    const pts = fc.array(fc.record({ at: fc.integer({ min: 0, max: 300 * H }), n: fc.nat(1e6) }), { maxLength: 60 });
    fc.assert(
      fc.property(pts, fc.integer({ min: 0, max: 400 * H }), (raw, nowOffset) => {
        const points = raw.map((p) => point(T0 + p.at, p.n));
        const blocks = identifyBlocks(points, T0 + nowOffset);
        const calls = blocks.reduce((a, b) => a + b.calls, 0);
        const tokens = blocks.reduce((a, b) => a + b.totalTokens, 0);
        const ordered = blocks.every((b, i) => i === 0 || b.start >= blocks[i - 1]!.end || b.start > blocks[i - 1]!.lastActivity);
        const shaped = blocks.every(
          (b) => b.start % H === 0 && b.end === b.start + BLOCK_MS && b.firstActivity >= b.start && b.lastActivity - b.start <= BLOCK_MS && b.firstActivity <= b.lastActivity,
        );
        const oneActive = blocks.filter((b) => b.isActive).length <= 1 && blocks.slice(0, -1).every((b) => !b.isActive || b.end > T0 + nowOffset);
        return calls === points.length && tokens === points.reduce((a, p) => a + p.tokens.input, 0) && ordered && shaped && oneActive;
      }),
    );
  });
});

describe("five_hour estimate", () => {
  const past = Array.from({ length: 10 }, (_, i) => point(T0 + i * 10 * H, (i + 1) * 1000));

  it("uses the P90 of finished blocks when no limit is configured", () => {
    const blocks = identifyBlocks(past, T0 + 1000 * H);
    expect(p90BlockTokens(blocks)).toBe(9000);
    expect(p90BlockTokens(blocks.slice(0, 4))).toBeNull();
  });

  it("measures the active block against the limit, estimated", () => {
    const now = T0 + 100 * H + 30 * 60_000;
    const blocks = identifyBlocks([...past, point(T0 + 100 * H, 4500)], now);
    const m = fiveHourEstimate(blocks, new Date(now), null)!;
    expect(m).toMatchObject({ kind: "five_hour", utilisation: 50, used: 4500, limit: 9000, estimated: true, source: "transcripts", unit: "tokens", windowSeconds: 18000 });
    expect(m.resetsAt?.toISOString()).toBe(new Date(T0 + 105 * H).toISOString());
    expect(fiveHourEstimate(blocks, new Date(now), 45000)!.utilisation).toBe(10);
  });

  it("shows 0 % with no reset when no block is active, and nothing without a limit", () => {
    const blocks = identifyBlocks(past, T0 + 1000 * H);
    expect(fiveHourEstimate(blocks, new Date(T0 + 1000 * H), null)).toMatchObject({ utilisation: 0, resetsAt: null });
    expect(fiveHourEstimate(blocks.slice(0, 2), new Date(T0 + 1000 * H), null)).toBeNull();
  });
});
