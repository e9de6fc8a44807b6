import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { encodeHashes, RetiredKeySet } from "./retired-keys.js";
import { keyHash } from "../model/usage-ledger.js";

const hashes = fc.array(fc.string(), { maxLength: 60 }).map((keys) => keys.map(keyHash));

describe("RetiredKeySet", () => {
  it("answers like a Set over its stored blocks and this run's additions", () => {
    fc.assert(
      fc.property(fc.array(hashes, { maxLength: 4 }), hashes, hashes, (stored, added, probes) => {
        // As on disk: the snapshot's block first (from encodeAll: sorted, unique), then journal blocks in retiring order.
        const blocks = stored.map((b, i) => (i === 0 ? [...new Set(b)].sort((x, y) => x - y) : b));
        const set = new RetiredKeySet(blocks.map((b) => encodeHashes(b)));
        for (const h of added) set.add(h);
        const want = new Set([...blocks.flat(), ...added]);
        for (const h of [...probes, ...added, ...blocks.flat()]) expect(set.has(h)).toBe(want.has(h));
        expect(set.empty).toBe(want.size === 0);
        // A snapshot's block: every hash once, sorted.
        const all = Buffer.from(set.encodeAll(), "base64");
        const block = Array.from(new Float64Array(all.buffer.slice(all.byteOffset, all.byteOffset + all.length)));
        expect(new Set(block)).toEqual(want);
        expect(block).toEqual([...block].sort((a, b) => a - b));
        expect(block).toHaveLength(want.size);
      }),
    );
  });

  it("encodes this run's additions alone, and everything sorted for a snapshot", () => {
    const set = new RetiredKeySet([encodeHashes([5, 1]), ""]);
    set.add(3);
    set.add(1); // already stored: not added again
    expect(set.changed).toBe(true);
    expect(new RetiredKeySet([set.encodeAdded()]).has(3)).toBe(true);
    expect(new RetiredKeySet([set.encodeAdded()]).has(1)).toBe(false);
    const all = Buffer.from(set.encodeAll(), "base64");
    expect(Array.from(new Float64Array(all.buffer, all.byteOffset, all.length / 8))).toEqual([1, 3, 5]);
  });

  it("never decodes its blocks when nothing is looked up", () => {
    const set = new RetiredKeySet(["not base64 at all, and never read"]);
    expect(set.empty).toBe(false);
    expect(set.changed).toBe(false);
  });
});
