import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Meter } from "../model/meter.js";
import { staleSlotMeters } from "./stale-meters.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const meter = (kind: string, u: number, resetIn: number | null): Meter => ({
  kind,
  label: kind,
  utilisation: u,
  resetsAt: resetIn === null ? null : new Date(NOW.getTime() + resetIn * 1000),
  windowSeconds: 18000,
  source: "oauth",
  observedAt: new Date(NOW.getTime() - 3600_000),
  estimated: false,
});

describe("staleSlotMeters", () => {
  it("keeps values as an upper bound with their age; a passed reset rolls the window to 0 %", () => {
    const out = staleSlotMeters([meter("five_hour", 70, -60), meter("seven_day", 40, 3600), meter("x", 5, null)], new Date(NOW.getTime() - 3600_000), NOW);
    expect(out.map((m) => [m.kind, m.utilisation, m.stale, m.ageSeconds, m.rolledOver ?? false])).toEqual([
      ["five_hour", 0, true, 3600, true],
      ["seven_day", 40, true, 3600, false],
      ["x", 5, true, 3600, false],
    ]);
    expect(out[0]?.resetsAt).toBeNull();
    expect(out[0]?.estimated).toBe(true);
  });

  it("never raises a value and never keeps a reset in the past (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 120, noNaN: true }), fc.option(fc.integer({ min: -86400, max: 86400 }), { nil: null }))), (rows) => {
        const input = rows.map(([u, r], i) => meter(`k${i}`, u, r));
        const out = staleSlotMeters(input, new Date(NOW.getTime() - 10_000), NOW);
        out.forEach((m, i) => {
          expect(m.utilisation!).toBeLessThanOrEqual(input[i]!.utilisation!);
          if (m.resetsAt) expect(m.resetsAt.getTime()).toBeGreaterThan(NOW.getTime());
          expect(m.ageSeconds).toBe(10);
        });
      }),
    );
  });
});
