import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HISTORY_MAX_AGE_MS, MeterHistory } from "./history.js";

let stateDir: string;
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), "usagetop-history-"));
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const now = new Date("2026-11-22T14:00:00.000Z");
const T = now.getTime();
const MIN = 60_000;
const file = () => join(stateDir, "history", "alice.jsonl");

describe("MeterHistory", () => {
  it("starts empty, appends `{k,t,u}` lines (0600) and loads them back per kind", () => {
    const h = MeterHistory.load(stateDir, "alice", now);
    expect(h.kinds()).toEqual([]);
    expect(h.append("five_hour", T - 20 * MIN, 10, now)).toBe(true);
    expect(h.append("five_hour", T - 10 * MIN, 12.5, now)).toBe(true);
    expect(h.append("seven_day", T - 10 * MIN, 31, now)).toBe(true);
    expect(readFileSync(file(), "utf8")).toBe(
      `{"k":"five_hour","t":${T - 20 * MIN},"u":10}\n{"k":"five_hour","t":${T - 10 * MIN},"u":12.5}\n{"k":"seven_day","t":${T - 10 * MIN},"u":31}\n`,
    );
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(statSync(join(stateDir, "history")).mode & 0o777).toBe(0o700);

    const again = MeterHistory.load(stateDir, "alice", now);
    expect(again.samplesSince("five_hour", 0)).toEqual([
      { t: T - 20 * MIN, u: 10 },
      { t: T - 10 * MIN, u: 12.5 },
    ]);
    expect(again.samplesSince("five_hour", T - 15 * MIN)).toEqual([{ t: T - 10 * MIN, u: 12.5 }]);
    expect(again.samplesSince("seven_day", T)).toEqual([]);
    expect(again.samplesSince("nope", 0)).toEqual([]);
    expect(again.warnings).toEqual([]);
  });

  it("stores a sample once: not newer than the kind's last one is ignored", () => {
    const h = MeterHistory.load(stateDir, "alice", now);
    expect(h.append("five_hour", T, 10, now)).toBe(true);
    expect(h.append("five_hour", T, 10, now)).toBe(false);
    expect(h.append("five_hour", T - 1, 9, now)).toBe(false);
    expect(h.append("five_hour", T + 1, Number.NaN, now)).toBe(false);
    expect(readFileSync(file(), "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("dedups the same observation recorded by two processes, and sorts by time", () => {
    mkdirSync(join(stateDir, "history"), { recursive: true });
    writeFileSync(file(), [`{"k":"five_hour","t":${T - 2000},"u":2}`, `{"k":"five_hour","t":${T - 3000},"u":1}`, `{"k":"five_hour","t":${T - 2000},"u":2}`, ""].join("\n"));
    const h = MeterHistory.load(stateDir, "alice", now);
    expect(h.samplesSince("five_hour", 0)).toEqual([
      { t: T - 3000, u: 1 },
      { t: T - 2000, u: 2 },
    ]);
  });

  it("skips and counts corrupt lines with one warning naming the file and the first line", () => {
    mkdirSync(join(stateDir, "history"), { recursive: true });
    writeFileSync(
      file(),
      [`{"k":"five_hour","t":${T},"u":5}`, "garbage", `{"k":"five_hour","t":"soon","u":5}`, "", `{"k":"","t":1,"u":1}`, `{"k":"seven_day","t":${T},"u":7}`, ""].join("\n"),
    );
    const h = MeterHistory.load(stateDir, "alice", now);
    expect(h.corruptLines).toBe(3);
    expect(h.warnings).toEqual([`${file()}: 3 corrupt line(s) skipped (first at line 2)`]);
    expect(h.kinds().sort()).toEqual(["five_hour", "seven_day"]);
  });

  it("a torn last line does not swallow the next sample", () => {
    mkdirSync(join(stateDir, "history"), { recursive: true });
    writeFileSync(file(), `{"k":"five_hour","t":${T - 1000},"u":5}\n{"k":"five_h`);
    const h = MeterHistory.load(stateDir, "alice", now);
    expect(h.corruptLines).toBe(1);
    h.append("five_hour", T, 6, now);
    const reloaded = MeterHistory.load(stateDir, "alice", now);
    expect(reloaded.samplesSince("five_hour", 0)).toEqual([
      { t: T - 1000, u: 5 },
      { t: T, u: 6 },
    ]);
    expect(reloaded.corruptLines).toBe(1);
  });

  it("forgets samples older than 8 days on load", () => {
    const h = MeterHistory.load(stateDir, "alice", now);
    h.append("seven_day", T - HISTORY_MAX_AGE_MS - 1, 1, now);
    h.append("seven_day", T - HISTORY_MAX_AGE_MS + 1000, 2, now);
    expect(MeterHistory.load(stateDir, "alice", now).samplesSince("seven_day", 0)).toEqual([{ t: T - HISTORY_MAX_AGE_MS + 1000, u: 2 }]);
  });

  it("compacts past the size bound: keeps the last N per kind from the last 8 days, atomically", () => {
    const h = MeterHistory.load(stateDir, "alice", now, { maxPerKind: 50, compactBytes: 4000 });
    h.append("seven_day", T - HISTORY_MAX_AGE_MS - MIN, 1, now); // too old, dropped by the compaction
    for (let i = 0; i < 200; i++) {
      h.append("five_hour", T - (200 - i) * MIN, i / 2, now);
      h.append("seven_day", T - (200 - i) * MIN + 1, i / 4, now);
    }
    const lines = readFileSync(file(), "utf8").trim().split("\n");
    // It compacted at least once (200 samples per kind do not fit in 4000 bytes)...
    expect(statSync(file()).size).toBeLessThan(8000 + 100);
    expect(lines.length).toBeLessThan(400);
    // ...with no temp or lock file left behind.
    expect(readdirSync(join(stateDir, "history"))).toEqual(["alice.jsonl"]);

    const re = MeterHistory.load(stateDir, "alice", now, { maxPerKind: 50, compactBytes: 4000 });
    const five = re.samplesSince("five_hour", 0);
    expect(five.length).toBeGreaterThanOrEqual(50);
    expect(five[five.length - 1]).toEqual({ t: T - MIN, u: 99.5 });
    expect(re.samplesSince("seven_day", 0).every((s) => s.t >= T - HISTORY_MAX_AGE_MS)).toBe(true);
  });

  it("compaction keeps other processes' appended lines", () => {
    const h = MeterHistory.load(stateDir, "alice", now, { maxPerKind: 1000, compactBytes: 1_000_000 });
    h.append("five_hour", T - 2000, 1, now);
    appendFileSync(file(), `{"k":"codex_primary","t":${T - 1000},"u":42}\n`); // another process
    h.compact(now);
    expect(h.samplesSince("codex_primary", 0)).toEqual([{ t: T - 1000, u: 42 }]);
    expect(MeterHistory.load(stateDir, "alice", now).samplesSince("five_hour", 0)).toEqual([{ t: T - 2000, u: 1 }]);
  });

  it("a file over the bound at start is compacted on load", () => {
    mkdirSync(join(stateDir, "history"), { recursive: true });
    let text = "";
    for (let i = 0; i < 300; i++) text += `{"k":"five_hour","t":${T - (300 - i) * 1000},"u":${i}}\n`;
    writeFileSync(file(), text);
    const h = MeterHistory.load(stateDir, "alice", now, { maxPerKind: 10, compactBytes: 1000 });
    expect(h.samplesSince("five_hour", 0)).toHaveLength(10);
    expect(readFileSync(file(), "utf8").trim().split("\n")).toHaveLength(10);
  });

  it("refuses a slot name that is not a safe file name", () => {
    expect(() => MeterHistory.load(stateDir, "../x", now)).toThrow(/invalid slot/);
  });

  it("samplesSince returns exactly the samples at or after `since`, in order (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { maxLength: 60 }), fc.integer({ min: -10, max: 1e6 + 10 }), (ts, since) => {
        const dir = mkdtempSync(join(tmpdir(), "usagetop-history-p-"));
        try {
          const h = MeterHistory.load(dir, "p", new Date(2e6));
          const sorted = [...ts].sort((a, b) => a - b);
          for (const t of sorted) h.append("k", t, t / 1000, new Date(2e6));
          const got = h.samplesSince("k", since).map((s) => s.t);
          expect(got).toEqual(sorted.filter((t) => t >= since));
          const reloaded = MeterHistory.load(dir, "p", new Date(2e6)).samplesSince("k", since).map((s) => s.t);
          expect(reloaded).toEqual(got);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });

  it("never throws on hostile file content", () => {
    mkdirSync(join(stateDir, "history"), { recursive: true });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v)))), (lines) => {
        writeFileSync(file(), lines.join("\n"));
        const h = MeterHistory.load(stateDir, "alice", now);
        expect(h.corruptLines).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 100 },
    );
  });
});
