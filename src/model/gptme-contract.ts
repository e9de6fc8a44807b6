// gptme-subscription's usage-script contract (SPEC 2.6, 3.2.5, 6.1): what `usagetop gptme --json`
// prints so gptme's `--usage-script` can use usagetop as a drop-in. Windows are fractions 0..1 with
// a relative reset; `_pacing` reports the meter furthest ahead of its pace. Pure: the clock is passed.
import type { PacingStatus } from "./pacing.js";
import type { MeterView, SlotView } from "./view.js";

export type GptmeWindow = {
  /** 0..1 (may exceed 1 when the source says so), as gptme-subscription's scripts print it. */
  utilization: number;
  /** Seconds until the window resets; null when the reset is unknown. */
  resets_in_seconds: number | null;
  /** The same instant as ISO-8601, for readers that prefer it. */
  resets_at: string | null;
};

export type GptmePacingStatus = "overusing" | "underusing" | "on_track";

export type GptmePacing = {
  actual_utilization: number;
  target_utilization: number;
  status: GptmePacingStatus;
  /** actual - target, as a fraction. */
  gap: number;
  /** The meter reported (the one with the largest gap). */
  window: string;
  resets_in_seconds: number | null;
};

export type GptmeUsage = {
  [window: string]: GptmeWindow | GptmePacing | string | null | undefined;
  _pacing?: GptmePacing | null;
  _source?: string;
  _generated_at?: string;
  _slot?: string | null;
};

const STATUS: Record<PacingStatus, GptmePacingStatus> = { ahead: "overusing", behind: "underusing", on_pace: "on_track" };

/** Six decimals: enough to round-trip a 0.1 % figure, short enough to read. */
const fraction = (percent: number): number => Math.round(percent * 10_000) / 1_000_000;

function resetsIn(m: Pick<MeterView, "resetsAt">, now: Date): number | null {
  return m.resetsAt === null ? null : Math.max(0, Math.round((m.resetsAt.getTime() - now.getTime()) / 1000));
}

/**
 * The windows that govern under the plan, with a known utilisation. Pools (extra usage, credits)
 * are left out: gptme-subscription treats every key as a window that can stop work, and a pool
 * never does (SPEC 2.2). Other providers' meters are not part of the contract either.
 */
function reported(m: MeterView): boolean {
  return m.applicable && m.utilisation !== null && Number.isFinite(m.utilisation);
}

/** SPEC 2.6: the meter with the largest positive gap; without one, the largest gap there is. */
export function pacingFor(meters: readonly MeterView[], now: Date): GptmePacing | null {
  let best: MeterView | null = null;
  for (const m of meters) {
    if (!m.applicable || m.pacing === null || m.utilisation === null) continue;
    if (best === null || m.pacing.gap > best.pacing!.gap || (m.pacing.gap === best.pacing!.gap && m.kind < best.kind)) best = m;
  }
  if (best === null || best.pacing === null || best.utilisation === null) return null;
  return {
    actual_utilization: fraction(best.utilisation),
    target_utilization: fraction(best.pacing.target),
    status: STATUS[best.pacing.status],
    gap: fraction(best.pacing.gap),
    window: best.kind,
    resets_in_seconds: resetsIn(best, now),
  };
}

export function gptmeUsage(view: SlotView, now: Date): GptmeUsage {
  const out: GptmeUsage = {};
  for (const m of view.meters) {
    if (!reported(m)) continue;
    out[m.kind] = {
      utilization: fraction(m.utilisation!),
      resets_in_seconds: resetsIn(m, now),
      resets_at: m.resetsAt === null ? null : m.resetsAt.toISOString(),
    };
  }
  out._pacing = pacingFor(view.meters, now);
  out._source = "usagetop";
  out._generated_at = now.toISOString();
  out._slot = view.slot;
  return out;
}
