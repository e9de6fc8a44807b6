// One slot's view (SPEC 2, 6.2, 6.3): the merged meters annotated with applicability, pacing,
// forecast and age, plus the governing meter. Every view (text, JSON, TUI, wave, serve) reads this.
import { kindInfo, registryOrder } from "./kinds.js";
import type { HistorySample, ReaderStatus } from "./meter.js";
import { governingMeter } from "./governing.js";
import { pacing, type Pacing, type PacingOptions } from "./pacing.js";
import { timeToLimit, type Forecast } from "./forecast.js";
import { inPlanSet, isApplicable, type PlanTable } from "./plans.js";
import { rollover } from "./rollover.js";
import { mergeMeters, type MergedMeter } from "./merge.js";
import { readerStatus, type ReaderEntry } from "./reader-state.js";
import { compareText } from "./compare-text.js";

export type MeterView = MergedMeter & {
  applicable: boolean;
  /** "plan": the plan's meters (pools included); "other": outside the plan or another provider. */
  group: "plan" | "other";
  ageSeconds: number;
  pacing: Pacing | null;
  forecast: Forecast | null;
};

export type SlotView = {
  slot: string | null;
  plan: string;
  takenAt: Date;
  meters: MeterView[];
  governing: MeterView | null;
  readers: ReaderStatus[];
};

export type ViewOptions = {
  plan: string;
  plans: PlanTable;
  pacing: PacingOptions;
  history: (kind: string) => readonly HistorySample[];
};

function order(a: MeterView, b: MeterView): number {
  if (a.group !== b.group) return a.group === "plan" ? -1 : 1;
  const oa = registryOrder(a.kind);
  const ob = registryOrder(b.kind);
  return oa !== ob ? oa - ob : compareText(a.kind, b.kind);
}

export function buildSlotView(slot: string | null, entries: readonly ReaderEntry[], now: Date, opts: ViewOptions): SlotView {
  const meters = mergeMeters(entries, now).map((merged): MeterView => {
    const m = rollover(merged, now) as MergedMeter;
    const applicable = isApplicable(m, opts.plan, opts.plans);
    const known = kindInfo(m.kind) !== undefined;
    const group = applicable || (known && inPlanSet(m.kind, opts.plan, opts.plans)) ? "plan" : "other";
    return {
      ...m,
      applicable,
      group,
      ageSeconds: Math.max(0, Math.round((now.getTime() - m.observedAt.getTime()) / 1000)),
      pacing: pacing(m, now, opts.pacing),
      forecast: timeToLimit(m, opts.history(m.kind), now),
    };
  });
  meters.sort(order);
  return {
    slot,
    plan: opts.plan,
    takenAt: now,
    meters,
    governing: governingMeter(meters),
    readers: entries.map((e) => readerStatus(e, now)),
  };
}
