import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { closestKey, editDistance } from "./closest-word.js";

describe("closestKey", () => {
  it("suggests near misses and nothing for strangers", () => {
    expect(closestKey("intervall", ["plan", "slot", "interval", "timezone"])).toBe("interval");
    expect(closestKey("oauht", ["oauth", "codex"])).toBe("oauth");
    expect(closestKey("Plan", ["plan"])).toBe("plan");
    expect(closestKey("banana", ["plan", "slot"])).toBeNull();
    expect(closestKey("x", [])).toBeNull();
  });

  it("editDistance is a symmetric distance that is zero only for equal strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});
