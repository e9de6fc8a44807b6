import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meterColumns } from "./meter-layout.js";

const total = (c: ReturnType<typeof meterColumns>) => {
  const cols = [c.label, c.bar + 2, c.percent, c.reset, c.pacing, c.forecast, c.origin].filter((w) => w > 0);
  return cols.reduce((a, b) => a + b, 0) + cols.length - 1;
};

describe("meterColumns", () => {
  it("keeps every column at 80 columns", () => {
    const c = meterColumns(80);
    expect(c.forecast).toBeGreaterThan(0);
    expect(c.pacing).toBeGreaterThan(0);
    expect(c.bar).toBeGreaterThanOrEqual(10);
  });

  it("drops forecast, then pacing, then the reset clock as the width shrinks", () => {
    expect(meterColumns(70).forecast).toBe(0);
    expect(meterColumns(70).pacing).toBeGreaterThan(0);
    expect(meterColumns(60).pacing).toBe(0);
    expect(meterColumns(45).resetClock).toBe(false);
  });

  it("adds the source and age column and a longer bar on wide terminals only", () => {
    expect(meterColumns(120).origin).toBe(0);
    expect(meterColumns(120).bar).toBe(40);
    const wide = meterColumns(200);
    expect(wide.origin).toBeGreaterThan(0);
    expect(wide.bar).toBeGreaterThan(40);
    // From 80 columns (every column shown) the bar only grows with the width.
    fc.assert(fc.property(fc.integer({ min: 80, max: 299 }), (w) => meterColumns(w + 1).bar >= meterColumns(w).bar));
  });

  it("never exceeds the width from 40 to 250 columns", () => {
    fc.assert(fc.property(fc.integer({ min: 40, max: 250 }), (w) => total(meterColumns(w)) <= w));
  });
});
