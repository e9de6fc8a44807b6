import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { READER_NAMES, type Meter } from "../model/meter.js";
import {
  cacheFilePath,
  CacheFileSchema,
  cacheLockPath,
  entryOf,
  loadCache,
  MeterJsonSchema,
  parseEntry,
  parseMeter,
  serialiseEntry,
  serialiseMeter,
  writeCacheEntry,
  type CacheEntry,
} from "./cache.js";

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), "usagetop-cache-"));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const now = new Date("2026-11-22T14:03:22.000Z");

const meter = (p: Partial<Meter> = {}): Meter => ({
  kind: "five_hour",
  label: "5h session",
  utilisation: 62,
  resetsAt: new Date("2026-11-22T17:00:00.000Z"),
  windowSeconds: 18000,
  source: "oauth",
  observedAt: new Date("2026-11-22T14:03:00.000Z"),
  estimated: false,
  ...p,
});

const goodEntry: CacheEntry = {
  lastGood: { at: now, meters: [meter(), meter({ kind: "extra_usage", label: "Extra usage", utilisation: null, used: 12.5, unit: "usd", currency: "USD", resetsAt: null, windowSeconds: null })], warnings: ["w"], notes: ["n"] },
  lastAttempt: { at: now, ok: true },
  failures: 0,
  nextAttemptAt: new Date(now.getTime() + 180_000),
};

// JSON has no -0, NaN or Infinity: utilisation and amounts are finite, and 0 is 0.
const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }).map((x) => (x === 0 ? 0 : x));
const date = fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true });
const arbMeter: fc.Arbitrary<Meter> = fc.record(
  {
    kind: fc.string({ minLength: 1 }),
    label: fc.string(),
    utilisation: fc.option(num, { nil: null }),
    resetsAt: fc.option(date, { nil: null }),
    windowSeconds: fc.option(fc.integer({ min: 0, max: 1e8 }), { nil: null }),
    used: num,
    limit: num,
    unit: fc.constantFrom("percent", "tokens", "requests", "usd", "credits", "bytes" as const),
    currency: fc.string(),
    source: fc.constantFrom(...READER_NAMES),
    observedAt: date,
    estimated: fc.boolean(),
    rolledOver: fc.boolean(),
  },
  { requiredKeys: ["kind", "label", "utilisation", "resetsAt", "windowSeconds", "source", "observedAt", "estimated"] },
);

describe("Meter (de)serialisation", () => {
  it("turns Dates into ISO strings and back", () => {
    const j = serialiseMeter(meter());
    expect(j.resetsAt).toBe("2026-11-22T17:00:00.000Z");
    expect(j.observedAt).toBe("2026-11-22T14:03:00.000Z");
    expect(parseMeter(j)).toEqual(meter());
  });

  it("round-trips any meter through JSON text and the schema", () => {
    fc.assert(
      fc.property(arbMeter, (m) => {
        const back = parseMeter(MeterJsonSchema.parse(JSON.parse(JSON.stringify(serialiseMeter(m)))));
        expect(back).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  it("the schema rejects a meter with a bad date or an unknown source, naming the field", () => {
    const bad = { ...serialiseMeter(meter()), resetsAt: "tomorrow" };
    expect(MeterJsonSchema.safeParse(bad).error?.issues[0]?.path).toEqual(["resetsAt"]);
    const bad2 = { ...serialiseMeter(meter()), source: "nope" };
    expect(MeterJsonSchema.safeParse(bad2).error?.issues[0]?.path).toEqual(["source"]);
  });
});

describe("CacheEntry (de)serialisation", () => {
  it("round-trips a good entry and a failed one", () => {
    expect(parseEntry(serialiseEntry(goodEntry))).toEqual(goodEntry);
    const failed: CacheEntry = {
      lastGood: goodEntry.lastGood,
      lastAttempt: { at: now, ok: false, error: { kind: "rate_limited", message: "429 from /api/oauth/usage", retryAfterSeconds: 0 } },
      failures: 3,
      nextAttemptAt: new Date(now.getTime() + 300_000),
    };
    expect(parseEntry(serialiseEntry(failed))).toEqual(failed);
  });

  it("keeps the last good value and its time apart from the last attempt", () => {
    const j = serialiseEntry({ ...goodEntry, lastAttempt: { at: new Date(now.getTime() + 1000), ok: false, error: { kind: "network", message: "ECONNRESET" } }, failures: 1 });
    expect(j.lastGood?.at).toBe(now.toISOString());
    expect(j.lastGood?.result.meters).toHaveLength(2);
    expect(j.lastAttempt).toEqual({ at: new Date(now.getTime() + 1000).toISOString(), ok: false, error: { kind: "network", message: "ECONNRESET" } });
  });
});

describe("cache file", () => {
  it("lives at cache/<slot>.json with its lock beside it; bad slot names are refused", () => {
    expect(cacheFilePath(stateDir, "alice")).toBe(join(stateDir, "cache", "alice.json"));
    expect(cacheLockPath(stateDir, "alice")).toBe(join(stateDir, "cache", "alice.lock"));
    expect(cacheFilePath(stateDir, "_active")).toBe(join(stateDir, "cache", "_active.json"));
    for (const bad of ["../etc", "a/b", "", ".hidden", "A"]) expect(() => cacheFilePath(stateDir, bad)).toThrow(/invalid slot/);
  });

  it("writes an entry per reader, 0600 in a 0700 dir, and keeps other readers' entries", () => {
    writeCacheEntry(stateDir, "alice", "oauth", goodEntry, now);
    const other: CacheEntry = { ...goodEntry, lastGood: null, lastAttempt: { at: now, ok: false, error: { kind: "unavailable", message: "no binary" } }, failures: 1 };
    writeCacheEntry(stateDir, "alice", "usage_screen", other, now);
    const p = cacheFilePath(stateDir, "alice");
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, "cache")).mode & 0o777).toBe(0o700);
    const parsed = CacheFileSchema.parse(JSON.parse(readFileSync(p, "utf8")));
    expect(parsed.slot).toBe("alice");
    expect(Object.keys(parsed.readers).sort()).toEqual(["oauth", "usage_screen"]);
    const loaded = loadCache(stateDir, "alice", { now, moveAside: false });
    expect(entryOf(loaded.file, "oauth")).toEqual(goodEntry);
    expect(entryOf(loaded.file, "usage_screen")).toEqual(other);
    expect(entryOf(loaded.file, "codex")).toBeNull();
    expect(readdirSync(join(stateDir, "cache"))).toEqual(["alice.json"]);
  });

  it("stores no raw body and no secrets", () => {
    // A reader's raw body never reaches the cache: only the typed fields are serialised.
    const withRaw = { ...goodEntry, lastGood: { ...goodEntry.lastGood!, raw: { token: "sk-ant-oat01-FIXTURE-ACCESS-cache" } } } as CacheEntry;
    writeCacheEntry(stateDir, "alice", "oauth", withRaw, now);
    expect(readFileSync(cacheFilePath(stateDir, "alice"), "utf8")).not.toContain("FIXTURE-ACCESS");
  });

  it("a missing file is an empty cache, without a warning", () => {
    const r = loadCache(stateDir, "bob", { now, moveAside: true });
    expect(r).toEqual({ file: { schemaVersion: 1, slot: "bob", readers: {} }, corrupt: false, warning: null });
  });

  it("a corrupt file is moved aside once, with one warning, and rebuilt by the next write", () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    const p = cacheFilePath(stateDir, "alice");
    writeFileSync(p, '{"schemaVersion":1,"slot":"alice","readers":{"oauth":{"lastGood":null');
    const peek = loadCache(stateDir, "alice", { now, moveAside: false });
    expect(peek.corrupt).toBe(true);
    expect(peek.warning).toBeNull();
    expect(readdirSync(join(stateDir, "cache"))).toEqual(["alice.json"]);

    const r = loadCache(stateDir, "alice", { now, moveAside: true });
    expect(r.corrupt).toBe(true);
    expect(r.warning).toMatch(/alice\.json was corrupt \(not JSON.*\): moved aside to alice\.json\.corrupt-2026-11-22T14-03-22\.000Z/);
    expect(readdirSync(join(stateDir, "cache"))).toEqual(["alice.json.corrupt-2026-11-22T14-03-22.000Z"]);

    writeCacheEntry(stateDir, "alice", "oauth", goodEntry, now);
    const again = loadCache(stateDir, "alice", { now, moveAside: true });
    expect(again.warning).toBeNull();
    expect(entryOf(again.file, "oauth")).toEqual(goodEntry);
  });

  it("a file that is JSON but the wrong shape is corrupt and names the field", () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    writeFileSync(cacheFilePath(stateDir, "alice"), JSON.stringify({ schemaVersion: 1, slot: "alice", readers: { oauth: { failures: -1 } } }));
    const r = loadCache(stateDir, "alice", { now, moveAside: true });
    expect(r.warning).toMatch(/field readers\.oauth\./);
  });

  it("keeps an entry of a reader this version does not know (a newer usagetop sharing the dir)", () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    const future = { schemaVersion: 1, slot: "alice", readers: { future_reader: serialiseEntry(goodEntry) } };
    writeFileSync(cacheFilePath(stateDir, "alice"), JSON.stringify(future));
    writeCacheEntry(stateDir, "alice", "oauth", goodEntry, now);
    const back = CacheFileSchema.parse(JSON.parse(readFileSync(cacheFilePath(stateDir, "alice"), "utf8")));
    expect(Object.keys(back.readers).sort()).toEqual(["future_reader", "oauth"]);
  });

  it("never throws on hostile file content", () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    const p = cacheFilePath(stateDir, "fuzz");
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        writeFileSync(p, text);
        const r = loadCache(stateDir, "fuzz", { now, moveAside: false });
        expect(r.file.readers).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});
