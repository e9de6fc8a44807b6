import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recentSlope, timeToLimit } from "./forecast.js";

const now = new Date("2026-12-01T12:00:00Z");
const ms = now.getTime();
const min = 60_000;

describe("timeToLimit", () => {
  it("uses the recent slope when there are enough samples", () => {
    // 1 point per minute over 30 minutes, now at 40 %: 60 minutes to go.
    const history = [0, 10, 20, 30].map((m) => ({ t: ms - (30 - m) * min, u: 10 + m }));
    const f = timeToLimit({ utilisation: 40, resetsAt: new Date(ms + 2 * 3600_000), windowSeconds: 18000 }, history, now);
    expect(f?.method).toBe("slope");
    expect(f?.timeToLimitSeconds).toBe(3600);
    expect(f?.hitsLimitBeforeReset).toBe(true);
  });

  it("falls back to the window average", () => {
    // 3h elapsed at 60 %: 20 %/h, 40 % left = 2h, reset in 2h: does not hit before reset.
    const f = timeToLimit({ utilisation: 60, resetsAt: new Date(ms + 2 * 3600_000 - 1000), windowSeconds: 18000 }, [], now);
    expect(f?.method).toBe("average");
    expect(f?.timeToLimitSeconds).toBeCloseTo(7200, -2);
    expect(f?.hitsLimitBeforeReset).toBe(false);
  });

  it("says the limit is reached at 100 %", () => {
    const f = timeToLimit({ utilisation: 100, resetsAt: new Date(ms + 60_000), windowSeconds: 18000 }, [], now);
    expect(f).toEqual({ timeToLimitSeconds: 0, hitsLimitBeforeReset: true, method: "reached" });
  });

  it("is null with too few samples, too short a span, or a falling slope and no window", () => {
    const two = [{ t: ms - 20 * min, u: 10 }, { t: ms, u: 20 }];
    expect(recentSlope(two, ms)).toBeNull();
    const short = [0, 1, 2, 3].map((m) => ({ t: ms - m * min, u: 10 + m }));
    expect(recentSlope(short, ms)).toBeNull();
    const falling = [0, 10, 20].map((m) => ({ t: ms - (20 - m) * min, u: 50 - m }));
    expect(timeToLimit({ utilisation: 30, resetsAt: null, windowSeconds: null }, falling, now)).toBeNull();
  });

  it("is null (not a number) whenever the data is insufficient", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: ms - 3 * 3600_000, max: ms }), u: fc.double({ min: 0, max: 100, noNaN: true }) }), {
          maxLength: 2,
        }),
        fc.double({ min: 0, max: 99.9, noNaN: true }),
        fc.integer({ min: 0, max: 9 * 60 }),
        (history, u, elapsedSeconds) => {
          // Fewer than 3 samples and under 10 minutes of window elapsed: nothing supports a rate.
          const f = timeToLimit({ utilisation: u, resetsAt: new Date(ms + (18000 - elapsedSeconds) * 1000), windowSeconds: 18000 }, history, now);
          return f === null;
        },
      ),
    );
  });

  it("never returns a non-finite or negative figure", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ t: fc.integer({ min: ms - 3 * 3600_000, max: ms }), u: fc.double({ min: 0, max: 100, noNaN: true }) }), {
          maxLength: 30,
        }),
        fc.oneof(fc.constant(null), fc.double({ min: 0, max: 150, noNaN: true })),
        fc.option(fc.integer({ min: -3600, max: 8 * 86400 })),
        (history, u, resetIn) => {
          const f = timeToLimit(
            { utilisation: u, resetsAt: resetIn === null ? null : new Date(ms + resetIn * 1000), windowSeconds: 18000 },
            history,
            now,
          );
          return f === null || (Number.isFinite(f.timeToLimitSeconds) && f.timeToLimitSeconds >= 0);
        },
      ),
    );
  });
});
