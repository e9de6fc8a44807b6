import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { READER_NAMES, type Meter } from "../model/meter.js";
import { parseMeter, serialiseMeter, writeCacheEntry } from "./cache.js";
import { decodeMeter, peekCachedEntries } from "./cache-peek.js";

const root = mkdtempSync(join(tmpdir(), "usagetop-peek-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const now = new Date("2026-12-01T12:00:00Z");

const meterArb: fc.Arbitrary<Meter> = fc.record(
  {
    kind: fc.string({ minLength: 1, maxLength: 20 }),
    label: fc.string({ maxLength: 20 }),
    utilisation: fc.option(fc.double({ min: 0, max: 500, noNaN: true })),
    resetsAt: fc.option(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true })),
    windowSeconds: fc.option(fc.integer({ min: 1, max: 1e7 })),
    used: fc.double({ min: 0, max: 1e6, noNaN: true }),
    limit: fc.double({ min: 0, max: 1e6, noNaN: true }),
    unit: fc.constantFrom("percent", "tokens", "requests", "usd", "credits", "bytes"),
    currency: fc.constantFrom("USD", "EUR"),
    source: fc.constantFrom(...READER_NAMES),
    observedAt: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
    estimated: fc.boolean(),
  },
  { requiredKeys: ["kind", "label", "utilisation", "resetsAt", "windowSeconds", "source", "observedAt", "estimated"] },
) as fc.Arbitrary<Meter>;

describe("cache-peek", () => {
  it("decodes every meter the cache writes exactly as cache.ts does (property)", () => {
    fc.assert(
      fc.property(meterArb, (m) => {
        const json = JSON.parse(JSON.stringify(serialiseMeter(m)));
        expect(decodeMeter(json)).toEqual(parseMeter(json));
      }),
    );
  });

  it("reads a slot's file written by the real cache writer, plus the shared readers' files", () => {
    const stateDir = join(root, "s1");
    const m: Meter = { kind: "five_hour", label: "5h session", utilisation: 62, resetsAt: new Date(now.getTime() + 3600_000), windowSeconds: 18000, source: "oauth", observedAt: now, estimated: false };
    writeCacheEntry(stateDir, "bob", "oauth", { lastGood: { at: now, meters: [m] }, lastAttempt: { at: now, ok: true }, failures: 0, nextAttemptAt: new Date(now.getTime() + 180_000) }, now);
    writeCacheEntry(stateDir, "_usage_screen", "usage_screen", { lastGood: null, lastAttempt: { at: now, ok: false, error: { kind: "timeout", message: "slow" } }, failures: 1, nextAttemptAt: null }, now);
    writeCacheEntry(stateDir, "alice", "oauth", { lastGood: { at: now, meters: [{ ...m, utilisation: 5 }] }, lastAttempt: { at: now, ok: true }, failures: 0, nextAttemptAt: null }, now);
    const entries = peekCachedEntries(stateDir, "bob", 180);
    expect(entries.map((e) => e.name).sort()).toEqual(["oauth", "usage_screen"]);
    const oauth = entries.find((e) => e.name === "oauth")!;
    expect(oauth.slot).toBe("bob");
    expect(oauth.lastGood?.meters).toEqual([m]);
    expect(entries.find((e) => e.name === "usage_screen")!.lastAttempt).toEqual({ at: now, ok: false, error: { kind: "timeout", message: "slow" } });
  });

  it("skips torn, foreign and hostile files without throwing", () => {
    const stateDir = join(root, "s2");
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    writeFileSync(join(stateDir, "cache", "bob.json"), '{"schemaVersion":1,"readers":{"oauth":{"lastGood":');
    writeFileSync(join(stateDir, "cache", "_x.json"), JSON.stringify({ schemaVersion: 1, readers: { __proto__: {}, oauth: { lastAttempt: { at: "nope", ok: true } }, nosuch: {} } }));
    expect(peekCachedEntries(stateDir, "bob", 180)).toEqual([]);
    expect(peekCachedEntries(join(root, "missing"), "bob", 180)).toEqual([]);
    fc.assert(fc.property(fc.jsonValue(), (v) => void decodeMeter(v)));
  });
});
