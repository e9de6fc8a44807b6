import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import type { Meter } from "../model/meter.js";
import { writeCacheEntry } from "../store/cache.js";
import { readSlotMeters, slotGoverning } from "./slot-meters.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const meter = (kind: string, u: number | null, resetIn: number, ageS: number, source: Meter["source"] = "oauth"): Meter => ({
  kind,
  label: kind,
  utilisation: u,
  resetsAt: new Date(NOW.getTime() + resetIn * 1000),
  windowSeconds: 18000,
  source,
  observedAt: new Date(NOW.getTime() - ageS * 1000),
  estimated: false,
});

describe("readSlotMeters", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox(NOW);
  });
  afterEach(() => sb.cleanup());

  it("no cache file: no meters, not an error", () => {
    expect(readSlotMeters(sb.stateDir, "alice", NOW)).toEqual({ meters: [], observedAt: null, stale: false, warning: null });
  });

  it("takes the freshest value per kind across readers and rolls over passed resets", () => {
    const at = new Date(NOW.getTime() - 60_000);
    writeCacheEntry(sb.stateDir, "alice", "oauth", { lastGood: { at, meters: [meter("five_hour", 40, 3600, 300), meter("seven_day", 20, -10, 300)] }, lastAttempt: { at, ok: true }, failures: 0, nextAttemptAt: null }, NOW);
    writeCacheEntry(sb.stateDir, "alice", "claude_cache", { lastGood: { at, meters: [meter("five_hour", 55, 3600, 60, "claude_cache")] }, lastAttempt: { at, ok: true }, failures: 0, nextAttemptAt: null }, NOW);
    const r = readSlotMeters(sb.stateDir, "alice", NOW);
    expect(r.meters.map((m) => [m.kind, m.utilisation, m.source, m.ageSeconds])).toEqual([
      ["five_hour", 55, "claude_cache", 60],
      ["seven_day", 0, "oauth", 300],
    ]);
    expect(r.stale).toBe(false);
    expect(slotGoverning(r.meters)?.kind).toBe("five_hour");
  });

  it("an old reading or a failing last attempt is stale", () => {
    const at = new Date(NOW.getTime() - 3600_000);
    writeCacheEntry(sb.stateDir, "bob", "oauth", { lastGood: { at, meters: [meter("five_hour", 40, 3600, 3600)] }, lastAttempt: { at: NOW, ok: false, error: { kind: "auth", message: "token expired", stale: true } }, failures: 1, nextAttemptAt: null }, NOW);
    expect(readSlotMeters(sb.stateDir, "bob", NOW)).toMatchObject({ stale: true });
  });

  it("a corrupt cache file is no meters (the polling side moves it aside)", () => {
    mkdirSync(join(sb.stateDir, "cache"), { recursive: true });
    writeFileSync(join(sb.stateDir, "cache", "carol.json"), "{oops");
    expect(readSlotMeters(sb.stateDir, "carol", NOW).meters).toEqual([]);
  });

  it("pools never govern", () => {
    expect(slotGoverning([{ ...meter("extra_usage", 99, 3600, 0), stale: true as const, ageSeconds: 0 }])).toBeNull();
  });
});
