import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { keyHash, UsageLedger, type RetiredKeys } from "./usage-ledger.js";
import type { UsageEntry } from "./usage-entry.js";
import { totalTokens } from "./usage-entry.js";

function retiredSet(): RetiredKeys & { set: Set<number> } {
  const set = new Set<number>();
  return {
    set,
    get empty() {
      return set.size === 0;
    },
    has: (h) => set.has(h),
    add: (h) => void set.add(h),
  };
}

function entry(key: string | null, output: number, at = "2026-01-05T10:00:00Z", extra: Partial<UsageEntry> = {}): UsageEntry {
  return {
    key,
    timestamp: Date.parse(at),
    model: "claude-sonnet-4-5",
    sessionId: "s",
    project: "p",
    cwd: null,
    isSidechain: false,
    costUSD: null,
    tokens: { input: 10, output, cacheWrite5m: 1, cacheWrite1h: 2, cacheRead: 3 },
    ...extra,
  };
}

function sums(l: UsageLedger) {
  return l.buckets().reduce(
    (a, b) => ({ calls: a.calls + b.calls, output: a.output + b.tokens.output, total: a.total + totalTokens(b.tokens) }),
    { calls: 0, output: 0, total: 0 },
  );
}

describe("UsageLedger dedup", () => {
  it("keeps the streamed copy with the largest output, whatever the order", () => {
    for (const order of [[1, 250, 250], [250, 1, 250], [1, 1, 250]]) {
      const l = new UsageLedger(retiredSet());
      order.forEach((o, i) => l.add(entry("m:r", o, `2026-01-05T10:00:0${i}Z`), `f:${i}`));
      expect(sums(l)).toMatchObject({ calls: 1, output: 250 });
    }
  });

  it("moves a replaced copy across buckets without leaving an empty bucket", () => {
    const l = new UsageLedger(retiredSet());
    l.add(entry("m:r", 1, "2026-01-05T10:14:59Z"), "x");
    l.add(entry("m:r", 9, "2026-01-05T10:15:01Z"), "y");
    expect(l.buckets()).toHaveLength(1);
    expect(l.buckets()[0]).toMatchObject({ calls: 1, start: Date.parse("2026-01-05T10:15:00Z") });
  });

  it("never merges rows without message.id, except the same bytes read twice", () => {
    const l = new UsageLedger(retiredSet());
    l.add(entry(null, 5), "a.jsonl:0");
    l.add(entry(null, 5), "a.jsonl:100");
    l.add(entry(null, 5), "a.jsonl:0");
    expect(sums(l).calls).toBe(2);
  });

  it("skips copies of retired keys and keeps them out of memory", () => {
    const retired = retiredSet();
    const l = new UsageLedger(retired);
    l.add(entry("old:r", 5, "2026-01-01T00:00:00Z"), "x");
    l.retire(Date.parse("2026-01-03T00:00:00Z"));
    expect(l.recentEntries()).toHaveLength(0);
    expect(retired.set.has(keyHash("old:r"))).toBe(true);
    l.add(entry("old:r", 5, "2026-01-01T00:00:00Z"), "y");
    expect(sums(l).calls).toBe(1);
    expect(l.stats.duplicates).toBe(1);
  });

  it("is idempotent: repeating lines or whole files changes nothing", () => {
    const e = fc.record({ key: fc.constantFrom("a:1", "b:2", "c:3", "d:4"), output: fc.nat(5000), minute: fc.nat(600) });
    fc.assert(
      fc.property(fc.array(e, { maxLength: 40 }), fc.nat(3), (rows, times) => {
        const once = new UsageLedger(retiredSet());
        const many = new UsageLedger(retiredSet());
        const toEntry = (r: { key: string; output: number; minute: number }) => entry(r.key, r.output, new Date(Date.parse("2026-01-05T00:00:00Z") + r.minute * 60_000).toISOString());
        rows.forEach((r, i) => once.add(toEntry(r), `f:${i}`));
        for (let t = 0; t <= times; t++) rows.forEach((r, i) => many.add(toEntry(r), `f:${i}`));
        // Reversed order too: the max rule does not depend on order.
        [...rows].reverse().forEach((r, i) => many.add(toEntry(r), `f:${rows.length - 1 - i}`));
        const a = sums(once);
        const b = sums(many);
        const best = new Map<string, number>();
        for (const r of rows) best.set(r.key, Math.max(best.get(r.key) ?? -1, r.output));
        return a.calls === b.calls && a.output === b.output && a.total === b.total && a.output === [...best.values()].reduce((x, y) => x + y, 0);
      }),
    );
  });

  it("hashes keys to distinct safe integers", () => {
    const hashes = new Set(Array.from({ length: 20000 }, (_, i) => keyHash(`msg_${i}:req_${i}`)));
    expect(hashes.size).toBe(20000);
    expect([...hashes].every((h) => Number.isSafeInteger(h) && h >= 0)).toBe(true);
  });
});

describe("UsageLedger changes", () => {
  it("lists the buckets and recent keys one run touched, removals included", () => {
    const base = new UsageLedger(retiredSet());
    base.add(entry("old:r", 5, "2026-01-05T08:00:00Z"), "x");
    base.add(entry("keep:r", 5, "2026-01-05T09:00:00Z"), "x");
    const l = new UsageLedger(retiredSet(), base.toState());
    expect(l.changes()).toEqual({ buckets: [], recent: [], recentGone: [] });
    l.add(entry("new:r", 1, "2026-01-05T10:14:59Z"), "x");
    l.add(entry("new:r", 9, "2026-01-05T10:15:01Z"), "y"); // moves to the next bucket
    l.retire(Date.parse("2026-01-05T08:30:00Z"));
    const c = l.changes();
    expect(c.buckets.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.calls])).toEqual([
      ["10:00", 0],
      ["10:15", 1],
    ]);
    expect(c.recent.map((e) => [e.key, e.tokens.output])).toEqual([["new:r", 9]]);
    expect(c.recentGone).toEqual(["old:r"]);
  });
});
