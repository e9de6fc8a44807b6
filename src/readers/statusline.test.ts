import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load.js";
import { statuslineReader } from "./statusline.js";
import { bankedBefore, checkStatusRecord, recordStatus, sessionSpend, statusRecordDir } from "./statusline-record.js";
import fc from "fast-check";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "statusline");
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.json`), "utf8");
const root = mkdtempSync(join(tmpdir(), "usagetop-statusline-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const signal = new AbortController().signal;
const T0 = new Date("2026-09-20T12:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

let stateDir: string;
let config: Config;
let run = 0;
beforeEach(() => {
  run += 1;
  const home = join(root, `h${run}`);
  config = loadConfig({}, { HOME: home, XDG_CONFIG_HOME: join(home, "cfg"), XDG_STATE_HOME: join(home, "state") });
  stateDir = config.paths.stateDir;
});

/** Records as the statusline command would at `at`, and dates the file like a real write then. */
function recordAt(text: string, at: Date) {
  const out = recordStatus(stateDir, text, at);
  if (out.recorded) utimesSync(out.path, at, at);
  return out;
}

describe("recordStatus", () => {
  it("stores the session's record atomically, 0600 in a 0700 dir", () => {
    const out = recordAt(fixture("pro-rate-limits"), T0);
    expect(out.recorded).toBe(true);
    if (!out.recorded) return;
    const dir = statusRecordDir(stateDir);
    expect(out.path).toBe(join(dir, "6f1c2a9e-1b2c-4d3e-8f40-0a1b2c3d4e5f.json"));
    expect(statSync(out.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(["6f1c2a9e-1b2c-4d3e-8f40-0a1b2c3d4e5f.json"]);
    expect(JSON.parse(readFileSync(out.path, "utf8"))).toEqual({
      schemaVersion: 1,
      recordedAt: T0.toISOString(),
      sessionId: "6f1c2a9e-1b2c-4d3e-8f40-0a1b2c3d4e5f",
      model: "claude-opus-4-6[1m]",
      costUsd: 4.1234,
      windows: { five_hour: { usedPercentage: 62.5, resetsAt: 1789916400 }, seven_day: { usedPercentage: 31, resetsAt: 1790157600 } },
    });
  });

  it("uses latest.json without a usable session id (no path tricks)", () => {
    const a = recordAt(JSON.stringify({ rate_limits: { five_hour: { used_percentage: 1, resets_at: 0 } } }), T0);
    const b = recordAt(JSON.stringify({ session_id: "../../etc/passwd", rate_limits: {} }), T0);
    expect(a.recorded && a.path).toBe(join(statusRecordDir(stateDir), "latest.json"));
    expect(b.recorded && b.path).toBe(join(statusRecordDir(stateDir), "latest.json"));
  });

  it("records nothing for empty, non-JSON or oversized stdin", () => {
    for (const text of ["", "   \n", "not json", `{"pad":"${"x".repeat(1024 * 1024)}"}`]) {
      expect(recordStatus(stateDir, text, T0).recorded).toBe(false);
    }
    expect(existsSync(statusRecordDir(stateDir))).toBe(false);
  });

  it("prunes records older than a day when writing", () => {
    recordAt(fixture("resets-zero"), minutes(-25 * 60));
    recordAt(fixture("pro-rate-limits"), T0);
    expect(readdirSync(statusRecordDir(stateDir))).toEqual(["6f1c2a9e-1b2c-4d3e-8f40-0a1b2c3d4e5f.json"]);
  });
});

describe("statusline reader", () => {
  it("serves a record younger than 10 minutes, observed when recorded", async () => {
    recordAt(fixture("pro-rate-limits"), T0);
    const r = await statuslineReader.read({ config, slot: null, now: minutes(9) }, signal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meters.map((m) => [m.kind, m.utilisation, m.source, m.observedAt.toISOString()]).sort()).toEqual([
      ["five_hour", 62.5, "statusline", T0.toISOString()],
      ["seven_day", 31, "statusline", T0.toISOString()],
    ]);
    expect(r.raw).toMatchObject({ costUsd: 4.1234 });
  });

  it("drops records older than max_age, configurable", async () => {
    recordAt(fixture("pro-rate-limits"), T0);
    const r = await statuslineReader.read({ config, slot: null, now: minutes(11) }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("younger than 10m") } });
    const longer: Config = { ...config, file: { ...config.file, readers: { statusline: { max_age: 900 } } } };
    const r2 = await statuslineReader.read({ config: longer, slot: null, now: minutes(11) }, signal);
    expect(r2.ok).toBe(true);
  });

  it("lets the newest session's values win", async () => {
    recordAt(fixture("pro-rate-limits"), minutes(-5)); // five_hour 62.5
    recordAt(fixture("resets-zero"), minutes(-1)); // five_hour 0.4
    const r = await statuslineReader.read({ config, slot: null, now: T0 }, signal);
    expect(r.ok && r.meters.find((m) => m.kind === "five_hour")?.utilisation).toBe(0.4);
  });

  it("says why when the status line carries no rate limits", async () => {
    recordAt(fixture("no-rate-limits"), T0);
    const r = await statuslineReader.read({ config, slot: null, now: T0 }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("no rate_limits") } });
  });

  it("skips a corrupt record with a warning and serves the others", async () => {
    recordAt(fixture("pro-rate-limits"), T0);
    writeFileSync(join(statusRecordDir(stateDir), "torn.json"), '{"schemaVersion":1,"recordedAt":"2026-09-');
    const r = await statuslineReader.read({ config, slot: null, now: T0 }, signal);
    expect(r.ok).toBe(true);
    expect(r.ok && r.warnings?.[0]).toContain("torn.json");
  });
});

describe("a session's spend across /clear (cost.total_cost_usd resets since 2.1.211)", () => {
  const input = (session: string | null, cost: number) => JSON.stringify({ session_id: session ?? undefined, model: { id: "claude-opus-4-5" }, cost: { total_cost_usd: cost } });

  it("banks the figure before each reset, so costToday keeps what the session spent", async () => {
    const { costToday } = await import("../commands/statusline.js");
    recordAt(input("s1", 2), minutes(1));
    recordAt(input("s1", 3.5), minutes(2));
    recordAt(input("s1", 0.4), minutes(3)); // /clear, then a little more work
    recordAt(input("s2", 1), minutes(3));
    expect(costToday(stateDir, minutes(4))).toBeCloseTo(3.5 + 0.4 + 1, 10);
    // This refresh's own figure, newer than the record, after a second reset.
    expect(costToday(stateDir, minutes(4), { sessionId: "s1", model: null, costUsd: 0.1, windows: {} } as never)).toBeCloseTo(3.5 + 0.4 + 0.1 + 1, 10);
    // A figure that only grew banks nothing.
    expect(costToday(stateDir, minutes(4), { sessionId: "s1", model: null, costUsd: 0.9, windows: {} } as never)).toBeCloseTo(3.5 + 0.9 + 1, 10);
  });

  it("property: recorded figure by figure, the spend is the sum of each segment's last figure", () => {
    // Segments of non-decreasing cumulative costs; each new segment starts lower than the last figure (a reset).
    const segment = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 5 }).map((xs) => xs.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const figures: number[] = [];
        const kept: number[] = [];
        for (const seg of segments) {
          // Each segment after the first starts below the last figure (the reset); from 0 none can.
          const last = figures.at(-1);
          if (last === 0) break;
          const start = last === undefined ? seg[0]! : seg[0]! % last;
          const shifted = seg.map((v) => start + (v - seg[0]!));
          figures.push(...shifted);
          kept.push(shifted.at(-1)!);
        }
        let prev: { costUsd: number | null; costBeforeResetUsd?: number } | null = null;
        for (const f of figures) prev = { costUsd: f, costBeforeResetUsd: bankedBefore(prev, f) };
        expect(sessionSpend(prev!)).toBe(kept.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it("keeps records written before the field readable, and refuses a bad one", () => {
    const base = { schemaVersion: 1, recordedAt: T0.toISOString(), sessionId: "s", model: null, costUsd: 1, windows: {} };
    expect(checkStatusRecord(base).ok).toBe(true);
    expect(checkStatusRecord({ ...base, costBeforeResetUsd: 2 }).ok).toBe(true);
    expect(checkStatusRecord({ ...base, costBeforeResetUsd: -1 })).toEqual({ ok: false, reason: "field costBeforeResetUsd: invalid" });
    expect(checkStatusRecord({ ...base, costBeforeResetUsd: "2" })).toEqual({ ok: false, reason: "field costBeforeResetUsd: invalid" });
  });
});
