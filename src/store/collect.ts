// Builds the store for a command: one round of reads for every slot and reader (through the shared
// cache, so processes never poll twice per interval), or the demo scenario under --demo.
import type { Config } from "../config/config.js";
import { planTable } from "../model/plans.js";
import type { ReaderEntry } from "../model/reader-state.js";
import type { SlotSummary } from "../model/snapshot-document.js";
import { governingRef } from "../model/snapshot-document.js";
import { demoEntries, demoHistory, loadDemoScenario } from "../readers/demo.js";
import type { SlotRef, UsageReader } from "../readers/reader.js";
import { READERS } from "../readers/registry.js";
import { discoverSlots } from "../slots/layout.js";
import { UsageStore, type SlotInfo } from "./store.js";

export type CollectOptions = { now: Date; readers?: UsageReader[] };

function storeOptions(config: Config, plan: string, slots: SlotInfo[]) {
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
export function refreshDemo(store: UsageStore, now: Date): void {
  const scenario = loadDemoScenario();
  store.setHistory((slot, kind) => demoHistory(scenario, slot, kind, now));
  for (const s of scenario.slots) for (const e of demoEntries(scenario, s.name, now)) store.ingest(e);
}

async function readEntry(reader: UsageReader, config: Config, slot: SlotRef | null, slotKey: string | null, now: Date): Promise<ReaderEntry> {
  const base = { name: reader.name, slot: slotKey, freshForSeconds: Math.max(reader.intervalSeconds(config), 60) };
  if (!reader.enabled(config)) return { ...base, enabled: false, lastGood: null, lastAttempt: null, nextAttemptAt: null };
  const controller = new AbortController();
  const result = await reader.read({ config, slot, now }, controller.signal).catch((err: unknown) => ({
    ok: false as const,
    error: { kind: "unavailable" as const, message: `reader crashed: ${err instanceof Error ? err.message : String(err)}` },
  }));
  if (result.ok) {
    return {
      ...base,
      enabled: true,
      lastGood: { at: now, meters: result.meters, warnings: result.warnings, notes: result.notes },
      lastAttempt: { at: now, ok: true },
      nextAttemptAt: null,
    };
  }
  return { ...base, enabled: true, lastGood: null, lastAttempt: { at: now, ok: false, error: result.error }, nextAttemptAt: null };
}

export async function collectStore(config: Config, opts: CollectOptions): Promise<UsageStore> {
  if (config.demo) return demoStore(config, opts.now);
  const refs = discoverSlots(config);
  const active = refs.find((r) => r.active) ?? refs[0] ?? null;
  const slots: SlotInfo[] = refs.map((r) => ({ name: r.name, active: r.active, auth: "unknown" }));
  const store = new UsageStore(storeOptions(config, config.plan ?? "max", slots));
  const readers = opts.readers ?? READERS;
  const jobs: Promise<ReaderEntry>[] = [];
  for (const reader of readers) {
    if (reader.perSlot) for (const ref of refs) jobs.push(readEntry(reader, config, ref, ref.name, opts.now));
    else jobs.push(readEntry(reader, config, active, active?.name ?? null, opts.now));
  }
  for (const entry of await Promise.all(jobs)) store.ingest(entry);
  return store;
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
