import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  buildPriceTable,
  costForModel,
  costOf,
  estimateSessionCost,
  estimateTokensFromDuration,
  harnessTps,
  normaliseModel,
  providerOf,
  resolvePrice,
} from "./cost.js";
import { PRICES_DATE } from "./prices.js";
import { loadConfig } from "../config/load.js";

describe("normaliseModel", () => {
  it.each([
    ["claude-sonnet-4-5-20250929", "claude-sonnet-4-5"],
    ["anthropic/claude-opus-4-5", "claude-opus-4-5"],
    ["bedrock/us.anthropic.claude-opus-4-5-20251101-v1:0", "claude-opus-4-5"],
    ["claude-opus-4-6[1m]", "claude-opus-4-6"],
    ["openrouter/anthropic/claude-sonnet-4.5", "claude-sonnet-4-5"],
    ["vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5"],
    ["openai/gpt-4.1-2025-04-14", "gpt-4.1"],
    ["GPT-5-Codex", "gpt-5-codex"],
    ["claude-3-5-sonnet-20241022", "claude-3-5-sonnet"],
  ])("%s -> %s", (raw, want) => {
    expect(normaliseModel(raw)).toBe(want);
  });
});

describe("prices", () => {
  const table = buildPriceTable();

  it("is dated", () => {
    expect(PRICES_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("applies the cache multipliers to Anthropic rows", () => {
    const t = { input: 1e6, output: 1e6, cacheWrite5m: 1e6, cacheWrite1h: 1e6, cacheRead: 1e6 };
    // sonnet 4.5: 3 + 15 + 3.75 + 6 + 0.3
    expect(costForModel("claude-sonnet-4-5-20250929", t, table).cost).toBeCloseTo(28.05, 10);
  });

  it("uses OpenAI's own cached-input price", () => {
    const p = resolvePrice("openai/gpt-5", table);
    expect(p.unpriced).toBe(false);
    expect(costOf({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 1e6 }, p.price!)).toBeCloseTo(0.125, 10);
    expect(providerOf("openai/gpt-5")).toBe("openai");
    expect(providerOf("o4-mini")).toBe("openai");
  });

  it("flags unknown models and prices local ones at 0 without a flag", () => {
    const tokens = { input: 10, output: 10, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    expect(costForModel("mystery-model-7", tokens, table)).toEqual({ cost: 0, unpriced: true });
    expect(costForModel("ollama/qwen2.5-coder:7b", tokens, table)).toEqual({ cost: 0, unpriced: false });
    expect(resolvePrice("lmstudio/llama-3", table).local).toBe(true);
    expect(providerOf("ollama/llama3")).toBe("local");
  });

  it("lets config override and add rows, by any spelling of the id", () => {
    const custom = buildPriceTable({
      "anthropic/claude-sonnet-4-5-20250929": { input: 1, output: 2 },
      "my-model": { input: 4, output: 8, cache_read: 1 },
    });
    expect(resolvePrice("claude-sonnet-4-5", custom).price).toMatchObject({ input: 1, output: 2 });
    const mine = resolvePrice("my-model", custom);
    expect(mine.unpriced).toBe(false);
    expect(costOf({ input: 0, output: 0, cacheWrite5m: 1e6, cacheWrite1h: 0, cacheRead: 1e6 }, mine.price!)).toBeCloseTo(5 + 1, 10);
  });

  it("is monotone in every token count", () => {
    const count = fc.integer({ min: 0, max: 1e9 });
    const tokens = fc.record({ input: count, output: count, cacheWrite5m: count, cacheWrite1h: count, cacheRead: count });
    const field = fc.constantFrom("input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead" as const);
    const model = fc.constantFrom("claude-opus-4-5", "claude-haiku-4-5-20251001", "gpt-5", "o3", "unknown-x", "ollama/x");
    fc.assert(
      fc.property(tokens, field, fc.integer({ min: 1, max: 1e6 }), model, (t, f, more, m) => {
        const a = costForModel(m, t, table).cost;
        const b = costForModel(m, { ...t, [f]: t[f] + more }, table).cost;
        return b >= a && Number.isFinite(b);
      }),
    );
  });
});

describe("harness estimates", () => {
  it("degrade to null with an empty config, never throw", () => {
    expect(estimateSessionCost("gptme", "claude-sonnet-4-5", { input: 1, output: 1 }, {})).toBeNull();
    expect(estimateSessionCost("gptme", "claude-sonnet-4-5", { input: 1, output: 1 }, undefined)).toBeNull();
    expect(harnessTps("gptme", "x", null)).toBeNull();
  });

  it("take the resolved Config's harness tables as they are", () => {
    const config = loadConfig({}, { HOME: "/nonexistent-usagetop-home", XDG_CONFIG_HOME: "/nonexistent-usagetop-home/.config" });
    expect(estimateSessionCost("gptme", "claude-sonnet-4-5", { input: 1, output: 1 }, config)).toBeNull();
    const withTables = { ...config, harnessPrices: { gptme: { "claude-sonnet-4-5": { input: 3, output: 15 } } } };
    expect(estimateSessionCost("gptme", "claude-sonnet-4-5", { input: 1e6, output: 1e6 }, withTables)).toBeCloseTo(18, 10);
  });

  it("price a session from the harness table", () => {
    const config = { harnessPrices: { gptme: { "claude-sonnet-4-5": [3, 15] } }, harnessTps: { gptme: { "claude-sonnet-4-5": 50 } } };
    expect(estimateSessionCost("gptme", "anthropic/claude-sonnet-4-5-20250929", { input: 1e6, output: 2e6 }, config)).toBeCloseTo(33, 10);
    expect(estimateSessionCost("codex", "claude-sonnet-4-5", { input: 1, output: 1 }, config)).toBeNull();
    expect(harnessTps("gptme", "claude-sonnet-4-5", config)).toBe(50);
  });

  it("estimate tokens from a duration", () => {
    expect(estimateTokensFromDuration(60, 50)).toBe(3000);
    expect(estimateTokensFromDuration(60, null)).toBeNull();
    expect(estimateTokensFromDuration(60, 0)).toBeNull();
    expect(estimateTokensFromDuration(Number.NaN, 5)).toBeNull();
    expect(estimateTokensFromDuration(-1, 5)).toBeNull();
  });
});
