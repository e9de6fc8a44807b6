import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KINDS } from "./kinds.js";
import { compareGoverning, governingMeter, type Governable } from "./governing.js";

const t = (iso: string) => new Date(iso);
const g = (kind: string, utilisation: number | null, resetsAt: Date | null = null, applicable = true): Governable => ({
  kind,
  utilisation,
  resetsAt,
  applicable,
});

describe("governingMeter", () => {
  it("picks the highest utilisation", () => {
    const m = governingMeter([g("five_hour", 62), g("seven_day", 31), g("seven_day_opus", 70)]);
    expect(m?.kind).toBe("seven_day_opus");
  });

  it("ignores meters that do not apply and unknown utilisation", () => {
    const m = governingMeter([g("extra_usage", 99, null, false), g("five_hour", null), g("seven_day", 10)]);
    expect(m?.kind).toBe("seven_day");
  });

  it("is null when nothing can govern, never a 0 % meter", () => {
    expect(governingMeter([])).toBeNull();
    expect(governingMeter([g("five_hour", null), g("spend", 50, null, false)])).toBeNull();
  });

  it("breaks ties within 0.1 by the later reset, unknown reset latest", () => {
    const early = g("five_hour", 50.04, t("2026-12-01T15:00:00Z"));
    const late = g("seven_day", 50.0, t("2026-12-05T15:00:00Z"));
    expect(governingMeter([early, late])?.kind).toBe("seven_day");
    const unknown = g("seven_day_sonnet", 49.96, null);
    expect(governingMeter([early, late, unknown])?.kind).toBe("seven_day_sonnet");
  });

  it("then by registry order, then kind name with unknown kinds last", () => {
    expect(governingMeter([g("seven_day", 40), g("five_hour", 40)])?.kind).toBe("five_hour");
    expect(governingMeter([g("zeta_window", 40), g("alpha_window", 40), g("codex_primary", 40)])?.kind).toBe(
      "codex_primary",
    );
    expect(governingMeter([g("zeta_window", 40), g("alpha_window", 40)])?.kind).toBe("alpha_window");
  });
});

const kindArb = fc.oneof(fc.constantFrom(...KINDS.map((k) => k.kind)), fc.stringMatching(/^[a-z_]{1,12}$/));
const meterArb = fc.record({
  kind: kindArb,
  utilisation: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 150, noNaN: true })),
  resetsAt: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms))),
  applicable: fc.boolean(),
});

describe("governingMeter properties", () => {
  it("governs with the maximum rounded utilisation among applicable meters", () => {
    fc.assert(
      fc.property(fc.array(meterArb, { maxLength: 20 }), (meters) => {
        const pick = governingMeter(meters);
        const eligible = meters.filter((m) => m.applicable && m.utilisation !== null);
        if (eligible.length === 0) return pick === null;
        const max = Math.max(...eligible.map((m) => Math.round(m.utilisation! * 10)));
        return pick !== null && Math.round(pick.utilisation! * 10) === max;
      }),
    );
  });

  it("is the same meter under any permutation of the input", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(meterArb, { maxLength: 12, selector: (m) => m.kind }),
        fc.integer(),
        (meters, seed) => {
          const shuffled = [...meters].sort((a, b) => ((a.kind.length * 31 + seed) % 7) - ((b.kind.length * 31 + seed) % 7)).reverse();
          return governingMeter(meters)?.kind === governingMeter(shuffled)?.kind;
        },
      ),
    );
  });

  it("compareGoverning is a consistent order (antisymmetric)", () => {
    fc.assert(
      fc.property(meterArb, meterArb, (a, b) => {
        if (a.kind === b.kind) return true;
        return Math.sign(compareGoverning(a, b)) === -Math.sign(compareGoverning(b, a));
      }),
    );
  });
});
