import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NO_DATA_LINE, statuslineText, type LineMeter } from "./statusline-line.js";

const now = new Date("2026-12-01T12:00:00Z");
const m = (kind: string, utilisation: number | null, extra: Partial<LineMeter> = {}): LineMeter => ({
  kind,
  utilisation,
  resetsAt: new Date(now.getTime() + 2 * 3600_000 + 5 * 60_000),
  estimated: false,
  pacing: null,
  forecast: null,
  ageSeconds: 5,
  ...extra,
});

describe("statuslineText", () => {
  it("reads like the SPEC example: pace arrow, time to limit, week, cost today", () => {
    const line = statuslineText({
      meters: [
        m("five_hour", 62, { pacing: { target: 54.1, gap: 7.9, status: "ahead" }, forecast: { timeToLimitSeconds: 6000, hitsLimitBeforeReset: true, method: "slope" } }),
        m("seven_day", 31),
      ],
      governingKind: "five_hour",
      costToday: 4.123,
      now,
    });
    expect(line).toBe("5h 62%↑ 1h40m · wk 31% · $4.12 today");
  });

  it("shows the reset countdown when the window resets first, estimates with ~, stale values with their age", () => {
    const line = statuslineText({
      meters: [m("five_hour", 20.4, { estimated: true, pacing: { target: 50, gap: -30, status: "behind" } }), m("seven_day", 31, { stale: true, ageSeconds: 840 })],
      governingKind: "seven_day",
      costToday: null,
      now,
    });
    expect(line).toBe("5h ~20%↓ ↻2h05m · wk 31% (14m old)");
  });

  it("adds the governing meter when it is another window", () => {
    const line = statuslineText({ meters: [m("five_hour", 10), m("seven_day", 40), m("seven_day_sonnet", 96)], governingKind: "seven_day_sonnet", costToday: 0, now });
    expect(line).toBe("5h 10% ↻2h05m · wk 40% · wk sonnet 96% · $0.00 today");
  });

  it("says no data when there is nothing, never 0%", () => {
    expect(statuslineText({ meters: [], governingKind: null, costToday: null, now })).toBe(NO_DATA_LINE);
    expect(statuslineText({ meters: [m("five_hour", null)], governingKind: null, costToday: null, now })).toBe("5h —");
    expect(statuslineText({ meters: [m("five_hour", 0, { rolledOver: true, resetsAt: null })], governingKind: null, costToday: null, now })).toBe("5h reset");
  });

  it("is always exactly one non-empty line (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.string({ maxLength: 12 }), u: fc.option(fc.double({ min: 0, max: 300, noNaN: true })), est: fc.boolean() }), { maxLength: 6 }),
        fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
        (rows, cost) => {
          const meters = rows.map((r) => m(r.kind, r.u, { estimated: r.est }));
          const line = statuslineText({ meters, governingKind: rows[0]?.kind ?? null, costToday: cost, now });
          expect(line.length).toBeGreaterThan(0);
          expect(line).not.toMatch(/[\r\n]/);
        },
      ),
    );
  });
});
