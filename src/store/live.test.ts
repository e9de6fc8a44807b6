import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import type { Meter } from "../model/meter.js";
import { planTable } from "../model/plans.js";
import { followAlerts } from "./live.js";
import { UsageStore } from "./store.js";

const home = mkdtempSync(join(tmpdir(), "usagetop-live-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const now = new Date("2026-12-01T12:00:00Z");

function reading(u: number): Meter {
  return { kind: "five_hour", label: "5h session", utilisation: u, resetsAt: new Date(now.getTime() + 3600_000), windowSeconds: 18000, source: "oauth", observedAt: now, estimated: false };
}

describe("followAlerts", () => {
  it("rings the bell once per upward crossing and logs it", async () => {
    const file = join(home, "config.toml");
    writeFileSync(file, "[alerts]\nthresholds = [50]\nbell = true\n");
    const config = loadConfig({ config: file }, { HOME: home, XDG_STATE_HOME: join(home, "state") });
    const store = new UsageStore({ plan: "max", plans: planTable(config), pacing: { paceTarget: 1, band: 5 }, slots: [{ name: "a", active: true, auth: "ok" }], selectedSlot: "a" });
    const bells: number[] = [];
    const warnings: string[] = [];
    const stop = followAlerts(config, store, { now: () => now, warn: (m) => warnings.push(m), onBell: () => bells.push(1) });
    const ingest = (u: number) =>
      store.ingest({ name: "oauth", slot: "a", enabled: true, lastGood: { at: now, meters: [reading(u)] }, lastAttempt: { at: now, ok: true }, nextAttemptAt: null, freshForSeconds: 180 });
    const settle = () => new Promise((r) => setTimeout(r, 400));
    try {
      ingest(40);
      await settle();
      expect(bells).toHaveLength(0);
      ingest(62);
      await settle();
      expect(bells).toHaveLength(1);
      expect(warnings.some((w) => /five_hour at 62.0% crossed 50%/.test(w))).toBe(true);
      ingest(63);
      await settle();
      expect(bells).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
