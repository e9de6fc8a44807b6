import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { uniqueHex } from "./unique-hex.js";

describe("uniqueHex", () => {
  it("gives two lowercase hex digits per byte", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), (n) => {
        expect(uniqueHex(n)).toMatch(new RegExp(`^[0-9a-f]{${n * 2}}$`));
      }),
    );
  });

  it("does not repeat itself over many draws", () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => uniqueHex(8)));
    expect(seen.size).toBe(10_000);
  });
});
