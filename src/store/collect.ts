// Builds the store for a command: one round of reads for every slot and reader (through the shared
// cache, so processes never poll twice per interval), or the demo scenario under --demo.
import type { Config } from "../config/config.js";
import { planTable } from "../model/plans.js";
import type { SlotSummary } from "../model/snapshot-document.js";
import { governingRef } from "../model/snapshot-document.js";
import { demoEntries, demoHistory, loadDemoScenario, type DemoScenario } from "../readers/demo.js";
import type { UsageReader } from "../readers/reader.js";
import { UsageStore, type SlotInfo } from "./store.js";

export type CollectOptions = { now: Date; readers?: UsageReader[] };

export function storeOptions(config: Config, plan: string, slots: SlotInfo[]) {
  const selected = config.slot ?? slots.find((s) => s.active)?.name ?? slots[0]?.name ?? null;
  return { plan, plans: planTable(config), pacing: { paceTarget: config.pacing.target, band: config.pacing.band }, slots, selectedSlot: selected };
}

export function demoStore(config: Config, now: Date): UsageStore {
  const scenario = loadDemoScenario();
  const slots: SlotInfo[] = scenario.slots.map((s) => ({
    name: s.name,
    active: s.name === scenario.activeSlot,
    auth: s.auth,
    plan: scenario.plan,
    email: s.email,
    tokenExpiresAt: new Date(now.getTime() + s.tokenExpiresInHours * 3600_000),
  }));
  const store = new UsageStore({
    ...storeOptions(config, config.plan ?? scenario.plan, slots),
    history: (slot, kind) => demoHistory(scenario, slot, kind, now),
  });
  for (const s of scenario.slots) for (const e of demoEntries(scenario, s.name, now)) store.ingest(e);
  return store;
}

/** Re-reads the demo scenario at a new time (the TUI's refresh tick under --demo). */
export function refreshDemo(store: UsageStore, now: Date, scenario: DemoScenario = loadDemoScenario()): void {
  store.setHistory((slot, kind) => demoHistory(scenario, slot, kind, now));
  for (const s of scenario.slots) for (const e of demoEntries(scenario, s.name, now)) store.ingest(e);
}

/**
 * One round of reads into a new store; under --demo the scenario instead. The live path is a
 * separate module, loaded on use, so the demo and other quick paths never load every reader.
 */
export async function collectStore(config: Config, opts: CollectOptions): Promise<UsageStore> {
  if (config.demo) return demoStore(config, opts.now);
  const { collectLive } = await import("./collect-live.js");
  return collectLive(config, opts);
}

export function slotSummaries(store: UsageStore, now: Date): SlotSummary[] {
  return store.slots.map((s) => ({
    name: s.name,
    active: s.active,
    auth: s.auth,
    governing: governingRef(store.view(s.name, now)),
    ...(s.email !== undefined ? { email: s.email } : {}),
    ...(s.plan !== undefined ? { plan: s.plan } : {}),
  }));
}
