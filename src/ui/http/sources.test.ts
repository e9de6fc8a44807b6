import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/load.js";
import { buildPriceTable } from "../../model/cost.js";
import { planTable } from "../../model/plans.js";
import { runtimeUsage, type RuntimeUsageResponse } from "../../model/runtime-usage.js";
import type { UsageEntry } from "../../model/usage-entry.js";
import { UsageStore } from "../../store/store.js";
import { providerUsage, serveSources } from "./sources.js";

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "..", "schema", "runtime-usage.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const now = new Date("2026-12-01T12:00:00Z");
const config = loadConfig({}, { HOME: "/nonexistent-usagetop-home" });

const entryArb: fc.Arbitrary<UsageEntry> = fc.record({
  key: fc.option(fc.string({ maxLength: 8 })),
  timestamp: fc.integer({ min: now.getTime() - 6 * 3600_000, max: now.getTime() }),
  model: fc.constantFrom("claude-sonnet-4-5-20250929", "claude-opus-4-6", "gpt-5", "llama3:8b", "mystery-model"),
  sessionId: fc.constantFrom("s1", "s2", "s3"),
  project: fc.constantFrom("-home-a", "-home-b"),
  cwd: fc.constant(null),
  isSidechain: fc.boolean(),
  costUSD: fc.option(fc.double({ min: 0, max: 5, noNaN: true })),
  tokens: fc.record({
    input: fc.nat(100_000),
    output: fc.nat(100_000),
    cacheWrite5m: fc.nat(100_000),
    cacheWrite1h: fc.nat(100_000),
    cacheRead: fc.nat(100_000),
  }),
});

describe("/runtime-usage document", () => {
  it("validates against schema/runtime-usage.schema.json for any transcript calls (property)", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 30 }), fc.option(fc.integer({ min: 1, max: 1e7 })), (entries, tokenLimit) => {
        const doc = runtimeUsage({ entries, prices: buildPriceTable(), now, limits: { tokens: tokenLimit, cost_usd: 10 } });
        expect(validate(JSON.parse(JSON.stringify(doc))), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe("serveSources", () => {
  it("renders from memory, re-rendering only when the store changes or the second turns", () => {
    let t = now.getTime();
    const store = new UsageStore({ plan: "max", plans: planTable(null), pacing: { paceTarget: 1, band: 5 }, slots: [], selectedSlot: null });
    const s = serveSources({ store, config, now: () => new Date(t), startedAt: now });
    const a = s.snapshot();
    expect(s.snapshot()).toBe(a);
    t += 1000;
    const b = s.snapshot();
    expect(b).not.toBe(a);
    store.warn("x", new Date(t));
    expect(s.snapshot()).not.toBe(b);
    expect(s.runtimeUsage()).toBeNull();
    expect(s.metrics()).toContain("# TYPE usagetop_governing_utilisation_ratio gauge");
  });

  it("reads the demo's transcripts as of the demo's own moment, as the TUI does", async () => {
    const { demoConfig, FIXED_NOW } = await import("../../../test/tui-fixture.js");
    const { readTranscriptUsage } = await import("../../readers/transcripts.js");
    const store = new UsageStore({ plan: "max", plans: planTable(null), pacing: { paceTarget: 1, band: 5 }, slots: [], selectedSlot: null });
    const usage = readTranscriptUsage(demoConfig(), FIXED_NOW);
    expect(usage.fixedNow).not.toBeNull();
    store.setTranscripts(usage);
    const doc = serveSources({ store, config, now: () => FIXED_NOW, startedAt: FIXED_NOW }).runtimeUsage() as RuntimeUsageResponse;
    expect(doc.generated_at).toBe(usage.fixedNow!.toISOString());
    expect(doc.current.calls).toBeGreaterThan(0);
    expect(doc.current.cost).toBeCloseTo(usage.runtime.current.cost, 9);
  });

  it("reports the usage screen's latest outcome in the seed's shape", () => {
    const at = new Date(now.getTime() - 30_000);
    const doc = providerUsage(
      [
        {
          name: "usage_screen",
          slot: "a",
          enabled: true,
          lastGood: { at, meters: [{ kind: "five_hour", label: "5h session", utilisation: 22, resetsAt: null, windowSeconds: 18000, source: "usage_screen", observedAt: at, estimated: false }], warnings: ["w"] },
          lastAttempt: { at, ok: true },
          nextAttemptAt: null,
          freshForSeconds: 300,
        },
      ],
      config,
      now,
    );
    expect(doc.providers).toEqual([
      {
        provider: "anthropic",
        mode: "headless",
        fresh: true,
        freshness_ttl_seconds: 300,
        scraped_at: at.toISOString(),
        error: null,
        meters: [{ kind: "five_hour", label: "5h session", utilisation: 22, resetsAt: null, windowSeconds: 18000, observedAt: at.toISOString(), estimated: false }],
        warnings: ["w"],
        missing: [],
      },
    ]);
    expect(providerUsage([], config, now)).toEqual({ generated_at: now.toISOString(), providers: [] });
  });
});
