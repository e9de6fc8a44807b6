import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { prefixesWidth, shortModel, uniquePrefixes } from "./short-names.js";

describe("shortModel", () => {
  it("drops the vendor prefix and date of a model", () => {
    expect(shortModel("claude-sonnet-4-5-20250929")).toBe("sonnet-4-5");
    expect(shortModel("gpt-5-codex")).toBe("gpt-5-codex");
  });
});

describe("uniquePrefixes", () => {
  it("keeps 8 characters where they tell ids apart", () => {
    const p = uniquePrefixes(["3a7c9e12-6f1b-4d2a", "b41d0f6a-2c8e-4a57"]);
    expect([...p.values()]).toEqual(["3a7c9e12", "b41d0f6a"]);
    expect(prefixesWidth(p)).toBe(8);
    expect(prefixesWidth(uniquePrefixes(["5f0c1a2e-3b", "5f0c1a2e-3c"]))).toBe(11);
    expect(prefixesWidth(new Map())).toBe(8);
  });

  it("lengthens ids that share their first 8 characters, and only those", () => {
    const p = uniquePrefixes(["5f0c1a2e-3b4d-01", "5f0c1a2e-3b4d-02", "6c0fa7d4-9b2e"]);
    expect(p.get("5f0c1a2e-3b4d-01")).toBe("5f0c1a2e-3b4d-01");
    expect(p.get("5f0c1a2e-3b4d-02")).toBe("5f0c1a2e-3b4d-02");
    expect(p.get("6c0fa7d4-9b2e")).toBe("6c0fa7d4");
  });

  it("gives a short or prefix-of-another id whole", () => {
    const p = uniquePrefixes(["abc", "abcdefghij", "abcdefghijk"]);
    expect(p.get("abc")).toBe("abc");
    expect(p.get("abcdefghij")).toBe("abcdefghij");
    expect(p.get("abcdefghijk")).toBe("abcdefghijk");
  });

  it("property: every abbreviation is a prefix of its id, at least min long (or whole), and names no other id", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom("a", "b", "0", "-"), maxLength: 12 }), { maxLength: 30 }), fc.integer({ min: 1, max: 10 }), (ids, min) => {
        const p = uniquePrefixes(ids, min);
        expect(p.size).toBe(new Set(ids).size);
        for (const [id, short] of p) {
          expect(id.startsWith(short)).toBe(true);
          expect(short.length).toBe(Math.min(id.length, Math.max(min, short.length)));
          // Unique: no other id starts with it, unless that id has this whole id as its prefix.
          for (const other of p.keys()) if (other !== id && other.startsWith(short)) expect(short).toBe(id);
          // Shortest: one character less would name another id too.
          if (short.length > min) expect([...p.keys()].some((o) => o !== id && o.startsWith(short.slice(0, -1)))).toBe(true);
        }
      }),
    );
  });
});
