// The decision engine (SPEC 5.4): gptme-subscription's slot policy, as a pure function of every
// slot's meters and auth state, the active slot, config and the clock. It recommends; the caller
// (`slots decide --execute`, a TUI key press) applies it through the switch.
import type { Meter } from "../model/meter.js";
import { isPool } from "../model/kinds.js";
import { pacing } from "../model/pacing.js";
import { rollover } from "../model/rollover.js";
import type { AuthState } from "./check-auth.js";
import { compareText } from "../model/compare-text.js";

export type DecideMeter = Pick<Meter, "kind" | "utilisation" | "resetsAt" | "windowSeconds">;

export type DecideSlot = {
  name: string;
  auth: AuthState;
  /** The slot's newest conclusive probe failed for its current credentials. */
  probeFailed: boolean;
  meters: readonly DecideMeter[];
};

export type DecideThresholds = { weekly: number; fiveHour: number; sonnet: number };

export type DecideInput = {
  slots: readonly DecideSlot[];
  active: string | null;
  primary: string | null;
  /** Null: every slot but the primary, in name order. */
  fallbackOrder: readonly string[] | null;
  thresholds: DecideThresholds;
  pacing: { paceTarget: number; band: number };
  returnCooldownSeconds: number;
  /** The newest switch-log entry: its time drives the cooldown, its holdUntil the hold. */
  lastSwitch: { at: Date; to: string; holdUntil: Date | null } | null;
  now: Date;
};

export type DecisionAction = "stay" | "switch" | "forward_route" | "rebalance";
export type Decision = { action: DecisionAction; target: string | null; reason: string; holdUntil: Date | null };

const HOUR = 3600;
const WEEK = 7 * 24 * HOUR;
/** gptme-subscription's numbers (config.py): forward-routing hold, rebalance hold bounds and trigger. */
export const FORWARD_ROUTE_HOLD_SECONDS = 8 * HOUR;
export const REBALANCE_MIN_HOLD_SECONDS = 6 * HOUR;
export const REBALANCE_MAX_HOLD_SECONDS = 48 * HOUR;
/** Weekly pacing gap (percentage points) that triggers a rebalance. */
export const REBALANCE_AHEAD_POINTS = 10;
const REBALANCE_TARGET_UTILISATION = 0.9;
/** A 5h window at its threshold only exhausts a slot when its reset is further away than this. */
const FIVE_HOUR_RESET_GUARD_SECONDS = 2 * HOUR;

export const DEFAULT_THRESHOLDS: DecideThresholds = { weekly: 85, fiveHour: 90, sonnet: 95 };

const pct = (u: number) => `${Math.round(u * 10) / 10}%`;
const hours = (s: number) => (s >= 2 * HOUR ? `${Math.round(s / HOUR)}h` : `${Math.round(s / 60)}m`);

function meterOf(slot: DecideSlot, kind: string): DecideMeter | undefined {
  return slot.meters.find((m) => m.kind === kind && m.utilisation !== null);
}

/** Why the slot is exhausted (SPEC 5.4), or null. Meters are already rolled over. */
export function exhaustion(slot: DecideSlot, t: DecideThresholds, now: Date): string | null {
  const week = meterOf(slot, "seven_day");
  if (week && week.utilisation! >= t.weekly) return `week at ${pct(week.utilisation!)} (≥ ${t.weekly}%)`;
  const five = meterOf(slot, "five_hour");
  if (five && five.utilisation! >= t.fiveHour && five.resetsAt) {
    const left = (five.resetsAt.getTime() - now.getTime()) / 1000;
    if (left > FIVE_HOUR_RESET_GUARD_SECONDS) return `5h at ${pct(five.utilisation!)} (≥ ${t.fiveHour}%), resets in ${hours(left)}`;
  }
  const sonnet = meterOf(slot, "seven_day_sonnet");
  if (sonnet && sonnet.utilisation! >= t.sonnet) return `Sonnet week at ${pct(sonnet.utilisation!)} (≥ ${t.sonnet}%)`;
  return null;
}

/** Why the slot cannot be switched to (broken, drift, old), or null when it can. */
export function unfit(slot: DecideSlot): string | null {
  if (slot.probeFailed) return "last probe failed";
  if (slot.auth === "ok" || slot.auth === "stale") return null;
  return slot.auth;
}

/** Largest pacing gap over the slot's window meters (pools never govern), or null when none has pace. */
function largestGap(slot: DecideSlot, input: DecideInput, kinds?: string[]): number | null {
  let best: number | null = null;
  for (const m of slot.meters) {
    if (isPool(m.kind) || (kinds && !kinds.includes(m.kind))) continue;
    const p = pacing(m, input.now, { paceTarget: input.pacing.paceTarget, band: input.pacing.band });
    if (p && (best === null || p.gap > best)) best = p.gap;
  }
  return best;
}

function normalise(input: DecideInput): DecideSlot[] {
  const seen = new Set<string>();
  return [...input.slots]
    .sort((a, b) => compareText(a.name, b.name))
    .filter((s) => (seen.has(s.name) ? false : (seen.add(s.name), true)))
    .map((s) => ({ ...s, meters: s.meters.map((m) => rollover(m as Meter, input.now)) }));
}

export function decide(input: DecideInput): Decision {
  const { now, thresholds } = input;
  const slots = normalise(input);
  const byName = new Map(slots.map((s) => [s.name, s]));
  const primary = input.primary !== null && byName.has(input.primary) ? input.primary : null;
  const fallbacks = (input.fallbackOrder ?? slots.map((s) => s.name)).filter((n, i, all) => byName.has(n) && n !== primary && all.indexOf(n) === i);
  const preference = primary ? [primary, ...fallbacks] : fallbacks;
  // Slots outside the configured order still count, after it, in name order.
  const order = [...preference, ...slots.map((s) => s.name).filter((n) => !preference.includes(n))];
  const at = (hold: number) => new Date(now.getTime() + hold * 1000);

  const healthy = (exclude: string | null): { pick: DecideSlot | null; skipped: string[] } => {
    const skipped: string[] = [];
    for (const name of order) {
      if (name === exclude) continue;
      const s = byName.get(name)!;
      const why = unfit(s) ?? exhaustion(s, thresholds, now);
      if (why === null) return { pick: s, skipped };
      skipped.push(`${name}: ${why}`);
    }
    return { pick: null, skipped };
  };
  const none = (skipped: string[]) => (skipped.length > 0 ? ` (${skipped.join("; ")})` : "");

  const active = input.active !== null ? byName.get(input.active) : undefined;
  if (!active) {
    const { pick, skipped } = healthy(null);
    const what = input.active === null ? "no slot is live" : `live slot "${input.active}" is not a known slot`;
    if (pick) return { action: "switch", target: pick.name, reason: `${what}: ${pick.name} is healthy`, holdUntil: null };
    return { action: "stay", target: null, reason: `${what}, and no slot is healthy${none(skipped)}`, holdUntil: null };
  }

  const broken = unfit(active);
  const exhausted = exhaustion(active, thresholds, now);
  if ((broken !== null && broken !== "old") || exhausted !== null) {
    const why = broken !== null && broken !== "old" ? `${active.name} is ${broken}` : `${active.name} exhausted: ${exhausted}`;
    const { pick, skipped } = healthy(active.name);
    if (pick) return { action: "switch", target: pick.name, reason: `${why}; ${pick.name} is healthy`, holdUntil: null };
    return { action: "stay", target: active.name, reason: `${why}; no healthy fallback${none(skipped)}`, holdUntil: null };
  }

  const last = input.lastSwitch;
  if (last && last.to === active.name && last.holdUntil && last.holdUntil.getTime() > now.getTime()) {
    const left = (last.holdUntil.getTime() - now.getTime()) / 1000;
    return { action: "stay", target: active.name, reason: `holding ${active.name} for ${hours(left)} more`, holdUntil: last.holdUntil };
  }

  if (primary && active.name !== primary) {
    const p = byName.get(primary)!;
    const pWhy = unfit(p) ?? exhaustion(p, thresholds, now);
    if (pWhy === null) {
      const since = last ? (now.getTime() - last.at.getTime()) / 1000 : Infinity;
      if (since >= input.returnCooldownSeconds) {
        return { action: "switch", target: primary, reason: `primary ${primary} is no longer exhausted: returning to it`, holdUntil: null };
      }
      const wait = input.returnCooldownSeconds - since;
      return { action: "stay", target: active.name, reason: `primary ${primary} is healthy again; returning after the cooldown (${hours(wait)} left)`, holdUntil: null };
    }
  }

  const band = input.pacing.band;
  const eligible = order
    .filter((n) => n !== active.name)
    .map((n) => byName.get(n)!)
    .filter((s) => unfit(s) === null && exhaustion(s, thresholds, now) === null);

  const activeGap = largestGap(active, input);
  if (activeGap !== null && activeGap > band) {
    let best: { slot: DecideSlot; gap: number } | null = null;
    for (const s of eligible) {
      const g = largestGap(s, input);
      if (g !== null && g < -band && (best === null || g < best.gap)) best = { slot: s, gap: g };
    }
    if (best) {
      return {
        action: "forward_route",
        target: best.slot.name,
        reason: `${active.name} is ${pct(activeGap)} ahead of pace, ${best.slot.name} ${pct(-best.gap)} behind: route new work there`,
        holdUntil: at(FORWARD_ROUTE_HOLD_SECONDS),
      };
    }
  }

  const weeklyGap = largestGap(active, input, ["seven_day"]);
  const activeWeek = meterOf(active, "seven_day")?.utilisation ?? null;
  if (weeklyGap !== null && weeklyGap >= REBALANCE_AHEAD_POINTS && activeWeek !== null) {
    let best: { slot: DecideSlot; week: number } | null = null;
    for (const s of eligible) {
      const w = meterOf(s, "seven_day")?.utilisation;
      if (w !== undefined && w !== null && w < activeWeek && (best === null || w < best.week)) best = { slot: s, week: w };
    }
    if (best) {
      const hold = Math.max(
        REBALANCE_MIN_HOLD_SECONDS,
        Math.min(REBALANCE_MAX_HOLD_SECONDS, Math.round(((weeklyGap / 100) * WEEK) / REBALANCE_TARGET_UTILISATION)),
      );
      return {
        action: "rebalance",
        target: best.slot.name,
        reason: `${active.name} is ${pct(weeklyGap)} ahead of weekly pace (week ${pct(activeWeek)}); ${best.slot.name} is at ${pct(best.week)}: spread the week`,
        holdUntil: at(hold),
      };
    }
  }

  return { action: "stay", target: active.name, reason: `${active.name} is healthy${summary(active)}`, holdUntil: null };
}

function summary(slot: DecideSlot): string {
  const parts: string[] = [];
  for (const [kind, label] of [
    ["five_hour", "5h"],
    ["seven_day", "week"],
    ["seven_day_sonnet", "Sonnet week"],
  ] as const) {
    const m = meterOf(slot, kind);
    if (m) parts.push(`${label} ${pct(m.utilisation!)}`);
  }
  return parts.length > 0 ? `: ${parts.join(", ")}` : " (no usage data)";
}
