import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pacing } from "./pacing.js";

const now = new Date("2026-12-01T12:00:00Z");
const inSeconds = (s: number) => new Date(now.getTime() + s * 1000);

describe("pacing", () => {
  it("computes target and gap from the elapsed share of the window", () => {
    // 5h window with 2h left: 3h elapsed = 60 % target.
    const p = pacing({ utilisation: 70, resetsAt: inSeconds(2 * 3600), windowSeconds: 18000 }, now);
    expect(p).toEqual({ target: 60, gap: 10, status: "ahead" });
  });

  it("uses the band for on_pace and behind", () => {
    expect(pacing({ utilisation: 63, resetsAt: inSeconds(7200), windowSeconds: 18000 }, now)?.status).toBe("on_pace");
    expect(pacing({ utilisation: 40, resetsAt: inSeconds(7200), windowSeconds: 18000 }, now)?.status).toBe("behind");
    expect(pacing({ utilisation: 63, resetsAt: inSeconds(7200), windowSeconds: 18000 }, now, { paceTarget: 1, band: 2 })?.status).toBe(
      "ahead",
    );
  });

  it("scales the target with paceTarget", () => {
    const p = pacing({ utilisation: 30, resetsAt: inSeconds(7200), windowSeconds: 18000 }, now, { paceTarget: 0.5, band: 5 });
    expect(p?.target).toBe(30);
  });

  it("is null without a reset, a window or a utilisation", () => {
    expect(pacing({ utilisation: 30, resetsAt: null, windowSeconds: 18000 }, now)).toBeNull();
    expect(pacing({ utilisation: 30, resetsAt: inSeconds(60), windowSeconds: null }, now)).toBeNull();
    expect(pacing({ utilisation: null, resetsAt: inSeconds(60), windowSeconds: 18000 }, now)).toBeNull();
  });

  it("keeps the target within 0..100 for any reset inside the window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 * 86400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        (window, frac, u) => {
          const p = pacing({ utilisation: u, resetsAt: inSeconds(window * frac), windowSeconds: window }, now);
          return p !== null && p.target >= 0 && p.target <= 100;
        },
      ),
    );
  });
});
