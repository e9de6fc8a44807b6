// What the Models, Blocks and Sessions views show, derived once per transcript read and local day
// (the App memoises it; the 1 s tick must not re-aggregate every bucket). Pure.
import type { Block } from "../model/blocks.js";
import type { CostTierDefinition } from "../model/tiers.js";
import { dayKeyIn, modelReport, sessionReport, type ModelRow, type SessionRow } from "../model/usage-report.js";
import type { TranscriptUsage } from "../readers/transcripts.js";

export type CostViews = {
  /** "today", or "all recorded days" when nothing was used today. */
  period: string;
  models: ModelRow[];
  modelTotals: { cost: number; tokens: number };
  todayCost: number;
  blocks: Block[];
  sessions: SessionRow[];
  window: { cost: number; tokens: number; calls: number };
  burn: { tokensPerMinute: number; costPerHour: number };
  unpriced: string[];
};

export function costViews(usage: TranscriptUsage | null, tiers: readonly CostTierDefinition[], timeZone: string, now: Date): CostViews | null {
  if (!usage || usage.data.buckets.length === 0) return null;
  // Under --demo, "today" is the demo's last recorded day, as its blocks and 5-hour window are.
  const today = dayKeyIn(timeZone)((usage.fixedNow ?? now).getTime());
  const base = { prices: usage.prices, timeZone, tiers };
  const todays = modelReport(usage.data.buckets, { ...base, since: today, until: today });
  const shown = todays.models.length > 0 ? todays : modelReport(usage.data.buckets, base);
  const r = usage.runtime;
  return {
    period: todays.models.length > 0 ? "today" : "all recorded days",
    models: shown.models,
    modelTotals: { cost: shown.totals.totalCost, tokens: shown.totals.totalTokens },
    todayCost: todays.totals.totalCost,
    // Newest first: the active block is what a glance looks for.
    blocks: [...usage.blocks].reverse(),
    sessions: sessionReport(usage.data.buckets, base).sessions,
    window: { cost: r.current.cost, tokens: r.current.tokens, calls: r.current.calls },
    burn: { tokensPerMinute: r.burn_rate.tokens_per_minute, costPerHour: r.burn_rate.cost_per_minute * 60 },
    unpriced: [...new Set(shown.models.filter((m) => m.unpriced).map((m) => m.model))],
  };
}
