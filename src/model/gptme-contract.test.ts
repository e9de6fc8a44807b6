import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseUsageScriptOutput } from "../readers/parse-usage-script.js";
import { gptmeUsage, pacingFor } from "./gptme-contract.js";
import type { Meter, ReaderName } from "./meter.js";
import { planTable } from "./plans.js";
import type { ReaderEntry } from "./reader-state.js";
import { buildSlotView } from "./view.js";

const now = new Date("2026-12-01T12:00:00Z");
const at = (s: number) => new Date(now.getTime() + s * 1000);

const meter = (kind: string, utilisation: number | null, resetInS: number | null, windowSeconds: number | null, extra: Partial<Meter> = {}): Meter => ({
  kind,
  label: kind,
  utilisation,
  resetsAt: resetInS === null ? null : at(resetInS),
  windowSeconds,
  source: "oauth",
  observedAt: at(-10),
  estimated: false,
  ...extra,
});

function view(meters: Meter[], name: ReaderName = "oauth") {
  const entry: ReaderEntry = { name, slot: "a", enabled: true, lastGood: { at: at(-10), meters }, lastAttempt: { at: at(-10), ok: true }, nextAttemptAt: null, freshForSeconds: 180 };
  return buildSlotView("a", [entry], now, { plan: "max", plans: planTable(null), pacing: { paceTarget: 1, band: 5 }, history: () => [] });
}

describe("gptmeUsage", () => {
  it("prints windows as fractions with a relative reset, and skips pools without a cap", () => {
    const v = view([
      // 5h window, 1 h left: target 80 %, at 62 % -> 18 behind.
      meter("five_hour", 62, 3600, 18000),
      // Week, 3.5 days left: target 50 %, at 71 % -> 21 ahead.
      meter("seven_day", 71, 3.5 * 86400, 604800),
      meter("extra_usage", null, null, null, { used: 3, unit: "usd" }),
    ]);
    const out = gptmeUsage(v, now);
    expect(out.five_hour).toEqual({ utilization: 0.62, resets_in_seconds: 3600, resets_at: at(3600).toISOString() });
    expect(out.seven_day).toMatchObject({ utilization: 0.71, resets_in_seconds: 302400 });
    expect(out.extra_usage).toBeUndefined();
    expect(out._pacing).toEqual({
      actual_utilization: 0.71,
      target_utilization: 0.5,
      status: "overusing",
      gap: 0.21,
      window: "seven_day",
      resets_in_seconds: 302400,
    });
    expect(out._source).toBe("usagetop");
  });

  it("maps behind and on pace to underusing and on_track", () => {
    expect(pacingFor(view([meter("five_hour", 10, 3600, 18000)]).meters, now)?.status).toBe("underusing");
    expect(pacingFor(view([meter("five_hour", 81, 3600, 18000)]).meters, now)?.status).toBe("on_track");
    expect(pacingFor(view([meter("five_hour", 81, null, 18000)]).meters, now)).toBeNull();
  });

  it("round-trips through the usage-script reader's parser (0..1 <-> 0..100, relative resets)", () => {
    const kinds = ["five_hour", "seven_day", "seven_day_sonnet", "seven_day_opus", "seven_day_cowork"];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 1500 }), // A reset at `now` has already rolled over (SPEC 2.5): the view shows 0 % with no reset.
        fc.option(fc.integer({ min: 1, max: 600_000 }))), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const unique = new Map(rows.map(([k, u, r]) => [k, meter(k, u / 10, r, 604800)]));
          const v = view([...unique.values()]);
          const text = JSON.stringify(gptmeUsage(v, now));
          const parsed = parseUsageScriptOutput(text, now);
          expect(parsed.ok).toBe(true);
          if (!parsed.ok) return;
          const back = new Map(parsed.meters.map((m) => [m.kind, m]));
          expect(back.size).toBe(unique.size);
          for (const m of unique.values()) {
            const b = back.get(m.kind)!;
            expect(b.utilisation).toBeCloseTo(m.utilisation!, 6);
            expect(b.resetsAt?.getTime() ?? null).toBe(m.resetsAt?.getTime() ?? null);
          }
        },
      ),
    );
  });
});
