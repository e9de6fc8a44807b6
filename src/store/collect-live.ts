// The live half of collectStore: slot facts from check-auth, then one round of every reader
// through the scheduler and the shared cache.
import type { Config } from "../config/config.js";
import { detectPlan } from "../model/plans.js";
import type { SlotRef } from "../readers/reader.js";
import { READERS } from "../readers/registry.js";
import { checkSlots } from "../slots/check-auth.js";
import { readClaudeJsonAccount } from "../slots/identity.js";
import { storeOptions, type CollectOptions } from "./collect.js";
import { pollRound } from "./scheduler.js";
import { UsageStore, type SlotInfo } from "./store.js";

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

export async function collectLive(config: Config, opts: CollectOptions): Promise<UsageStore> {
  const facts = slotFacts(config, opts.now);
  const store = new UsageStore(storeOptions(config, facts.plan, facts.slots));
  for (const w of facts.warnings) store.warn(w, opts.now);
  await pollRound(store, { config, readers: opts.readers ?? READERS, slots: facts.refs, now: () => opts.now });
  return store;
}

