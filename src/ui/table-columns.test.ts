import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GAP, layoutColumns, scrollOffset, type ColumnSpec } from "./table-columns.js";

const spec = fc.record({
  width: fc.integer({ min: 1, max: 30 }),
  minWidth: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  grow: fc.boolean(),
  collapse: fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
});

function specs(raw: Array<{ width: number; minWidth?: number; grow: boolean; collapse?: number }>): ColumnSpec[] {
  return raw.map((r, i) => ({ key: `c${i}`, header: `C${i}`, ...r, minWidth: r.minWidth === undefined ? undefined : Math.min(r.minWidth, r.width) }));
}

const used = (cols: Array<{ placed: number }>) => cols.reduce((a, c) => a + c.placed, 0) + Math.max(0, cols.length - 1) * GAP;

describe("layoutColumns", () => {
  it("never exceeds the width once every column could fit at one cell", () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 8 }), fc.integer({ min: 20, max: 250 }), (raw, width) => {
        const cols = layoutColumns(specs(raw), width);
        expect(used(cols)).toBeLessThanOrEqual(width);
        for (const c of cols) expect(c.placed).toBeGreaterThan(0);
      }),
    );
  });

  it("drops collapsible columns lowest rank first, and keeps the rest in order", () => {
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 8 }), fc.integer({ min: 10, max: 120 }), (raw, width) => {
        const all = specs(raw);
        const kept = layoutColumns(all, width).map((c) => c.key);
        expect(kept).toEqual(all.map((c) => c.key).filter((k) => kept.includes(k)));
        const dropped = all.filter((c) => !kept.includes(c.key));
        for (const d of dropped) {
          expect(d.collapse).toBeDefined();
          // Anything kept that was collapsible ranks at or above every dropped column.
          for (const k of all.filter((c) => kept.includes(c.key) && c.collapse !== undefined)) expect(k.collapse!).toBeGreaterThanOrEqual(d.collapse!);
        }
      }),
    );
  });

  it("gives spare room to growing columns and fills the width exactly then", () => {
    const cols = layoutColumns(
      [
        { key: "a", header: "A", width: 5 },
        { key: "b", header: "B", width: 10, grow: true },
      ],
      40,
    );
    expect(cols.map((c) => c.placed)).toEqual([5, 34]);
  });
});

describe("scrollOffset", () => {
  it("keeps the selected row in the window", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 50 }), fc.nat(), fc.nat(), (rows, height, sel, prev) => {
        const selected = rows === 0 ? 0 : sel % rows;
        const top = scrollOffset(rows, height, selected, prev % 300);
        expect(top).toBeGreaterThanOrEqual(0);
        expect(top).toBeLessThanOrEqual(Math.max(0, rows - height));
        if (rows > 0) {
          expect(selected).toBeGreaterThanOrEqual(top);
          expect(selected).toBeLessThan(top + height);
        }
      }),
    );
  });
});
