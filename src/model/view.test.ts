import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Meter, ReaderName } from "./meter.js";
import { planTable } from "./plans.js";
import type { ReaderEntry } from "./reader-state.js";
import { buildSlotView, type ViewOptions } from "./view.js";

const now = new Date("2026-12-01T12:00:00Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000);
const ahead = (s: number) => new Date(now.getTime() + s * 1000);
const opts = (plan = "max"): ViewOptions => ({ plan, plans: planTable(null), pacing: { paceTarget: 1, band: 5 }, history: () => [] });

const meter = (kind: string, utilisation: number | null, source: ReaderName = "oauth", extra: Partial<Meter> = {}): Meter => ({
  kind,
  label: kind,
  utilisation,
  resetsAt: ahead(3600),
  windowSeconds: 18000,
  source,
  observedAt: ago(30),
  estimated: false,
  ...extra,
});

const entry = (name: ReaderName, meters: Meter[], extra: Partial<ReaderEntry> = {}): ReaderEntry => ({
  name,
  slot: "a",
  enabled: true,
  lastGood: { at: ago(30), meters },
  lastAttempt: { at: ago(30), ok: true },
  nextAttemptAt: null,
  freshForSeconds: 180,
  ...extra,
});

describe("buildSlotView", () => {
  it("prefers a healthy higher-priority source over a fresher lower one", () => {
    const v = buildSlotView(
      "a",
      [entry("oauth", [meter("five_hour", 40)]), entry("statusline", [meter("five_hour", 45, "statusline", { observedAt: ago(1) })])],
      now,
      opts(),
    );
    expect(v.meters.find((m) => m.kind === "five_hour")?.utilisation).toBe(40);
  });

  it("keeps a stale value with its age when no source is healthy, and uses a healthy lower one when present", () => {
    const failed = { lastAttempt: { at: ago(5), ok: false, error: { kind: "network" as const, message: "down" } } };
    const onlyStale = buildSlotView("a", [entry("oauth", [meter("five_hour", 40, "oauth", { observedAt: ago(900) })], failed)], now, opts());
    const fh = onlyStale.meters.find((m) => m.kind === "five_hour");
    expect(fh?.stale).toBe(true);
    expect(fh?.ageSeconds).toBe(900);
    const withBackup = buildSlotView(
      "a",
      [entry("oauth", [meter("five_hour", 40)], failed), entry("usage_screen", [meter("five_hour", 44, "usage_screen")])],
      now,
      opts(),
    );
    expect(withBackup.meters.find((m) => m.kind === "five_hour")?.source).toBe("usage_screen");
  });

  it("rolls over a meter whose reset passed to 0 % estimated", () => {
    const v = buildSlotView("a", [entry("oauth", [meter("five_hour", 90, "oauth", { resetsAt: ago(10) })])], now, opts());
    const fh = v.meters[0]!;
    expect(fh).toMatchObject({ utilisation: 0, resetsAt: null, estimated: true, rolledOver: true });
  });

  it("puts registry meters outside the plan under Other without dropping them", () => {
    const v = buildSlotView("a", [entry("oauth", [meter("five_hour", 10), meter("seven_day_opus", 99)])], now, opts("pro"));
    const opus = v.meters.find((m) => m.kind === "seven_day_opus");
    expect(opus).toMatchObject({ applicable: false, group: "other" });
    expect(v.governing?.kind).toBe("five_hour");
  });

  it("governing is null when every reader is down, never 0 %", () => {
    const v = buildSlotView(
      "a",
      [entry("oauth", [], { lastGood: null, lastAttempt: { at: ago(1), ok: false, error: { kind: "network", message: "x" } } })],
      now,
      opts(),
    );
    expect(v.governing).toBeNull();
    expect(v.readers[0]?.state).toBe("backoff");
  });

  it("never drops an unknown kind", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-z][a-z_]{0,15}$/), { maxLength: 10 }), fc.constantFrom("pro", "max", "api", "codex"), (kinds, plan) => {
        const meters = kinds.map((k, i) => meter(k, i * 7));
        const v = buildSlotView("a", [entry("oauth", meters)], now, opts(plan));
        return kinds.every((k) => v.meters.some((m) => m.kind === k));
      }),
    );
  });
});
