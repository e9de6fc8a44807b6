import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compactCount, paint, renderBlocks, renderModels, renderPeriods, renderSessions, usd } from "./report-tables.js";
import { BUILTIN_TIERS } from "../../model/tiers.js";

const big = fc.integer({ min: 0, max: 9e14 });
const totals = fc.record({ inputTokens: big, outputTokens: big, cacheCreationTokens: big, cacheReadTokens: big, totalTokens: big, totalCost: fc.double({ min: 0, max: 1e7, noNaN: true }) });
const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));

describe("report tables", () => {
  it("formats counts and money compactly", () => {
    expect([compactCount(950), compactCount(45_600), compactCount(1_234_567), compactCount(2.5e9)]).toEqual(["950", "45.6k", "1.23M", "2.50B"]);
    expect(usd(1234.5)).toBe("$1,234.50");
    // The hand-made format is exactly Intl's, rounding, grouping and signs included.
    const intl = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    for (const n of [0, -0, 0.005, 0.125, -0.125, -0.004, 999.995, 1e20, Number.NaN, Number.POSITIVE_INFINITY]) expect(usd(n)).toBe(intl(n));
    fc.assert(fc.property(fc.oneof(fc.double({ min: -1e16, max: 1e16, noNaN: true }), fc.integer().map((i) => i / 1000)), (n) => usd(n) === intl(n)));
    expect(paint("x", "red", false)).toBe("x");
    expect(paint("x", "red", true)).toBe("\u001b[31mx\u001b[39m");
  });

  it("fit 80 columns whatever the figures and names", () => {
    const name = fc.string({ minLength: 1, maxLength: 120 });
    fc.assert(
      fc.property(totals, fc.array(name, { maxLength: 6 }), name, (t, models, id) => {
        const breakdowns = models.map((modelName) => ({ modelName, inputTokens: t.inputTokens, outputTokens: t.outputTokens, cacheCreationTokens: t.cacheCreationTokens, cacheReadTokens: t.cacheReadTokens, cost: t.totalCost }));
        const day = { date: "2026-01-05", ...t, modelsUsed: models, modelBreakdowns: breakdowns, unpricedModels: models.slice(0, 1) };
        const daily = renderPeriods("Date", [day], t) + renderPeriods("Date", [day], t, true);
        const sessions = renderSessions([{ sessionId: id, projectPath: id, lastActivity: "", firstActivity: "", calls: 123456, sidechainCalls: 0, modelsUsed: [], unpriced: true, ...t }], () => "2026-01-05 10:00");
        const models2 = renderModels(
          [{ model: id, provider: "anthropic", calls: 1, tier: "premium", outputPrice: 75, unpriced: false, local: false, ...t }],
          BUILTIN_TIERS,
          false,
        );
        const blocks = renderBlocks(
          [{ start: 0, end: 18e6, firstActivity: 0, lastActivity: 1, isActive: true, calls: 9, tokens: { input: 1, output: 1, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, totalTokens: t.totalTokens, cost: t.totalCost, unpriced: true, models: [], burnRate: { tokensPerMinute: t.totalTokens, costPerHour: 1 }, projection: { totalTokens: t.totalTokens, cost: t.totalCost } }],
          () => "2026-01-05 10:00",
        );
        return [daily, sessions, models2, blocks].every((text) => widest(text) <= 80);
      }),
      { numRuns: 50 },
    );
  });

  it("with --breakdown, lists each model's tokens and cost under its period, unpriced ones starred", () => {
    const m = (modelName: string, cost: number) => ({ modelName, inputTokens: 1000, outputTokens: 2000, cacheCreationTokens: 0, cacheReadTokens: 0, cost });
    const t = { inputTokens: 2000, outputTokens: 4000, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 6000, totalCost: 1.5 };
    const text = renderPeriods("Date", [{ date: "2026-01-05", ...t, modelsUsed: ["claude-opus-4-5-20251101", "my-local"], modelBreakdowns: [m("claude-opus-4-5-20251101", 1.5), m("my-local", 0)], unpricedModels: ["my-local"] }], t, true);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^Date {11}/);
    expect(lines[2]).toMatch(/^2026-01-05 .* 6\.00k +\$1\.50\*$/);
    expect(lines[3]).toMatch(/^ {2}opus-4-5 +1\.00k +2\.00k +0 +0 +3\.00k +\$1\.50$/);
    expect(lines[4]).toMatch(/^ {2}my-local .* \$0\.00\*$/);
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it("shows sessions whose ids share 8 characters by longer, distinct prefixes", () => {
    const t = { inputTokens: 1, outputTokens: 2, cacheCreationTokens: 3, cacheReadTokens: 4, totalTokens: 10, totalCost: 1 };
    const row = (sessionId: string) => ({ sessionId, projectPath: "-home-alice-app", lastActivity: "", firstActivity: "", calls: 1, sidechainCalls: 0, modelsUsed: [], unpriced: false, ...t });
    const text = renderSessions([row("5f0c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a01"), row("5f0c1a2e-3c11-4e5f-8a9b-0c1d2e3f4a02"), row("6c0fa7d4-9b2e-4c18-b5a3-2e7f1d0c8b04")], () => "2026-01-05 10:00");
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^5f0c1a2e-3b +app /);
    expect(lines[3]).toMatch(/^5f0c1a2e-3c +app /);
    expect(lines[4]).toMatch(/^6c0fa7d4 +app /);
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it("colours the tier cell without shifting columns", () => {
    const row = { model: "claude-opus-4-5", provider: "anthropic", calls: 1, tier: "premium", outputPrice: 25, unpriced: false, local: false, inputTokens: 1, outputTokens: 2, cacheCreationTokens: 3, cacheReadTokens: 4, totalTokens: 10, totalCost: 1 };
    const plain = renderModels([row], BUILTIN_TIERS, false);
    const coloured = renderModels([row], BUILTIN_TIERS, true);
    expect(coloured).toContain("\u001b[35m");
    expect(coloured.replace(/\u001b\[\d+m/g, "")).toBe(plain);
  });
});
