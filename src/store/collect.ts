// Builds the store for a command: one round of reads for every slot and reader (through the shared
// cache, so processes never poll twice per interval), or the demo scenario under --demo.
import type { Config } from "../config/config.js";
import { detectPlan, planTable } from "../model/plans.js";
import type { SlotSummary } from "../model/snapshot-document.js";
import { governingRef } from "../model/snapshot-document.js";
import { demoEntries, demoHistory, loadDemoScenario, type DemoScenario } from "../readers/demo.js";
import type { SlotRef, UsageReader } from "../readers/reader.js";
import { READERS } from "../readers/registry.js";
import { checkSlots } from "../slots/check-auth.js";
import { readClaudeJsonAccount } from "../slots/identity.js";
import { pollRound } from "./scheduler.js";
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
export function refreshDemo(store: UsageStore, now: Date, scenario: DemoScenario = loadDemoScenario()): void {
  store.setHistory((slot, kind) => demoHistory(scenario, slot, kind, now));
  for (const s of scenario.slots) for (const e of demoEntries(scenario, s.name, now)) store.ingest(e);
}

/**
 * Slot facts for the views: auth state, plan and e-mail from check-auth (files only, no network).
 * The plan is config's, else the active slot's credentials, else ~/.claude.json's account (SPEC 2.3).
 */
function slotFacts(config: Config, now: Date): { slots: SlotInfo[]; refs: SlotRef[]; plan: string; warnings: string[] } {
  const report = checkSlots(config, now);
  const refs: SlotRef[] = report.slots.map((s) => ({ name: s.name, credentialsPath: s.path, active: s.active }));
  const slots: SlotInfo[] = report.slots.map((s) => ({
    name: s.name,
    active: s.active,
    auth: s.state,
    plan: detectPlan({ subscriptionType: s.subscriptionType, rateLimitTier: s.rateLimitTier }),
    email: s.identity?.email ?? s.account?.email ?? null,
    tokenExpiresAt: s.expiresAt,
    probeFailed: s.probeFailed !== null,
    credentialsPath: s.path,
  }));
  const active = report.slots.find((s) => s.active) ?? report.slots[0];
  const detected = active
    ? detectPlan({ subscriptionType: active.subscriptionType, rateLimitTier: active.rateLimitTier })
    : null;
  const plan = config.plan ?? detected ?? accountPlan(config) ?? "max";
  const warnings = [...report.warnings, ...(report.liveProblem ? [report.liveProblem] : [])];
  return { slots, refs, plan, warnings };
}

function accountPlan(config: Config): string | null {
  const account = readClaudeJsonAccount(config.paths.claudeJson);
  return account?.organizationType ? detectPlan({ organizationType: account.organizationType }) : null;
}

export async function collectStore(config: Config, opts: CollectOptions): Promise<UsageStore> {
  if (config.demo) return demoStore(config, opts.now);
  const facts = slotFacts(config, opts.now);
  const store = new UsageStore(storeOptions(config, facts.plan, facts.slots));
  for (const w of facts.warnings) store.warn(w, opts.now);
  await pollRound(store, { config, readers: opts.readers ?? READERS, slots: facts.refs, now: () => opts.now });
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
