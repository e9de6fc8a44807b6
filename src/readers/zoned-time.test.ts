import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, isKnownZone, wallTimeIn, zonedWallTimeToUtc, zoneOffsetMs } from "./zoned-time.js";

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("zonedWallTimeToUtc", () => {
  it("converts in the named zone, not UTC or the machine's zone", () => {
    expect(iso(zonedWallTimeToUtc(2026, 9, 11, 15, 10, "America/Chicago"))).toBe("2026-09-11T20:10:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 1, 2, 22, 59, "Asia/Kolkata"))).toBe("2026-01-02T17:29:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 1, 2, 22, 59, "UTC"))).toBe("2026-01-02T22:59:00.000Z");
  });

  it("accepts legacy aliases such as Asia/Calcutta", () => {
    expect(isKnownZone("Asia/Calcutta")).toBe(true);
    expect(iso(zonedWallTimeToUtc(2026, 1, 2, 22, 59, "Asia/Calcutta"))).toBe("2026-01-02T17:29:00.000Z");
  });

  it("uses the offset in force at the wall time across the spring change (Europe/Berlin, 2026-03-29)", () => {
    // Saturday: CET (+1). Sunday 03:00 onwards: CEST (+2).
    expect(iso(zonedWallTimeToUtc(2026, 3, 28, 12, 0, "Europe/Berlin"))).toBe("2026-03-28T11:00:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 3, 29, 3, 0, "Europe/Berlin"))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 3, 29, 1, 59, "Europe/Berlin"))).toBe("2026-03-29T00:59:00.000Z");
  });

  it("pushes a time inside the spring gap forward by the gap", () => {
    // 02:30 never happens in Berlin on 2026-03-29; it reads as 03:30 CEST.
    expect(iso(zonedWallTimeToUtc(2026, 3, 29, 2, 30, "Europe/Berlin"))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 3, 8, 2, 15, "America/New_York"))).toBe("2026-03-08T07:15:00.000Z");
  });

  it("takes the earlier instant of an autumn overlap (America/New_York, 2026-11-01)", () => {
    // 01:30 happens twice: EDT (05:30Z) then EST (06:30Z).
    expect(iso(zonedWallTimeToUtc(2026, 11, 1, 1, 30, "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 11, 1, 2, 0, "America/New_York"))).toBe("2026-11-01T07:00:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 10, 25, 2, 30, "Europe/Berlin"))).toBe("2026-10-25T00:30:00.000Z");
  });

  it("handles the southern hemisphere and half-hour zones", () => {
    // Australia/Adelaide: ACDT (+10:30) until 2026-04-05 03:00, then ACST (+9:30).
    expect(iso(zonedWallTimeToUtc(2026, 4, 4, 12, 0, "Australia/Adelaide"))).toBe("2026-04-04T01:30:00.000Z");
    expect(iso(zonedWallTimeToUtc(2026, 4, 6, 12, 0, "Australia/Adelaide"))).toBe("2026-04-06T02:30:00.000Z");
  });

  it("refuses unknown zones and impossible dates", () => {
    expect(zonedWallTimeToUtc(2026, 1, 1, 0, 0, "Mars/Olympus_Mons")).toBeNull();
    expect(zonedWallTimeToUtc(2026, 2, 31, 0, 0, "UTC")).toBeNull();
    expect(zonedWallTimeToUtc(2026, 13, 1, 0, 0, "UTC")).toBeNull();
    expect(zonedWallTimeToUtc(2026, 1, 1, 24, 0, "UTC")).toBeNull();
    expect(zoneOffsetMs(0, "Nope/Nope")).toBeNull();
  });

  it("round-trips: the result reads as the requested wall time, or the gap was skipped forward", () => {
    const zones = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "UTC"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 2000, max: 2037 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (zone, y, m, d, h, min) => {
          const out = zonedWallTimeToUtc(y, m, d, h, min, zone);
          expect(out).not.toBeNull();
          const w = wallTimeIn(out!.getTime(), zone)!;
          const got = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
          const want = Date.UTC(y, m - 1, d, h, min);
          // Exact, or pushed forward by at most a (Lord Howe: 30 min) gap of up to 2 h.
          expect(got - want).toBeGreaterThanOrEqual(0);
          expect(got - want).toBeLessThanOrEqual(2 * 3600_000);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("adds calendar days across month and year ends", () => {
    expect(addDays(2026, 12, 31, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays(2028, 2, 28, 1)).toEqual({ year: 2028, month: 2, day: 29 });
  });
});
