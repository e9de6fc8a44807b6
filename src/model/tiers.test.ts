import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { BUILTIN_TIERS, resolveTiers, tierFor } from "./tiers.js";

describe("cost tiers", () => {
  it("bands output prices per 1M tokens", () => {
    expect(tierFor(0)).toBe("low");
    expect(tierFor(0.99)).toBe("low");
    expect(tierFor(1)).toBe("medium");
    expect(tierFor(4.4)).toBe("medium");
    expect(tierFor(5)).toBe("high");
    expect(tierFor(15)).toBe("high");
    expect(tierFor(20)).toBe("premium");
    expect(tierFor(75)).toBe("premium");
  });

  it("puts every non-negative price in exactly one built-in tier", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (price) => {
        const hits = BUILTIN_TIERS.filter((t) => price >= t.priceRangeMin && (t.priceRangeMax === null || price < t.priceRangeMax));
        return hits.length === 1 && tierFor(price) === hits[0]!.id;
      }),
    );
  });

  it("lets config add, modify and remove tiers by id", () => {
    const tiers = resolveTiers([
      { id: "premium", remove: true },
      { id: "high", price_range_max: 50, color: "red" },
      { id: "free", display_name: "Free", price_range_min: 0, price_range_max: 0.0001, color: "gray" },
    ]);
    expect(tiers.map((t) => t.id)).toEqual(["free", "low", "medium", "high"]);
    expect(tiers.find((t) => t.id === "high")).toMatchObject({ displayName: "High", priceRangeMin: 5, priceRangeMax: 50, color: "red" });
    expect(tierFor(0, tiers)).toBe("free");
    expect(tierFor(25, tiers)).toBe("high");
    expect(tierFor(75, tiers)).toBeNull();
  });
});
