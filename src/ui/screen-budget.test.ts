import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MeterView } from "../model/view.js";
import { MIN_BODY, otherLines, screenBudget, type MeterGroups } from "./screen-budget.js";

const meter = (kind: string, u: number): MeterView => ({ kind, utilisation: u }) as MeterView;
const groups = (plan: number, other: number, idle: number): MeterGroups => ({
  plan: Array.from({ length: plan }, (_, i) => meter(`p${i}`, (i * 37) % 100)),
  other: Array.from({ length: other }, (_, i) => meter(`o${i}`, 10)),
  idle: Array.from({ length: idle }, (_, i) => meter(`i${i}`, 0)),
});

describe("screenBudget", () => {
  it("never uses more than rows - 1 lines", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), fc.nat(12), fc.nat(6), fc.nat(6), fc.boolean(), (rows, p, o, i, message) => {
        const g = groups(p, o, i);
        const b = screenBudget(rows, g, g.plan[0] ?? null, { message });
        expect(b.total).toBeLessThanOrEqual(Math.max(1, rows - 1));
      }),
    );
  });

  it("gives way in order: body, then Other, then folds meters; header, governing line and key bar stay from 4 rows up", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 80 }), fc.integer({ min: 1, max: 10 }), fc.nat(5), fc.nat(5), (rows, p, o, i) => {
        const g = groups(p, o, i);
        const b = screenBudget(rows, g, g.plan[0]!, { message: false });
        expect(b.header && b.governing && b.keyBar).toBe(true);
        if (b.body > 0) {
          expect(b.body).toBeGreaterThanOrEqual(MIN_BODY);
          expect(b.other === "full" || otherLines(g, "full") === 0).toBe(true);
          expect(b.folded).toHaveLength(0);
        }
        if (b.other !== "full" && otherLines(g, "full") > 0) expect(b.body).toBe(0);
        if (b.folded.length > 0) {
          expect(b.body).toBe(0);
          expect(b.other).toBe("none");
          // The governing meter is the last to be folded away.
          if (b.meters.length > 0) expect(b.meters).toContain(g.plan[0]);
        }
      }),
    );
  });

  it("uses every remaining line for the body", () => {
    const g = groups(3, 1, 1);
    const b = screenBudget(30, g, null, { message: true });
    expect(b.total).toBe(29);
  });
});
