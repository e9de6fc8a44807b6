import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compareText } from "./compare-text.js";

describe("compareText", () => {
  it("orders by code point, as a total order", () => {
    expect(["b", "B", "a", "é", "claude-opus-4-5", "claude-opus-4"].sort(compareText)).toEqual(["B", "a", "b", "claude-opus-4", "claude-opus-4-5", "é"]);
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const ab = compareText(a, b);
        expect(ab).toBe(-compareText(b, a) || 0);
        expect(ab === 0).toBe(a === b);
      }),
    );
  });
});
