// Time to limit (SPEC 2.7): from the recent slope of the meter's history, else the window
// average. Null when the data cannot support a figure: never a made-up number.
import type { HistorySample, Meter } from "./meter.js";

export type Forecast = {
  timeToLimitSeconds: number;
  hitsLimitBeforeReset: boolean | null;
  /** "reached": the meter is at or past its limit already. */
  method: "slope" | "average" | "reached";
};

const SLOPE_WINDOW_MS = 60 * 60 * 1000;
const MIN_SPAN_MS = 10 * 60 * 1000;
const MIN_SAMPLES = 3;

/** Least-squares slope in utilisation points per second, or null when too little data. */
export function recentSlope(samples: readonly HistorySample[], nowMs: number): number | null {
  const recent = samples.filter((s) => s.t <= nowMs && s.t >= nowMs - SLOPE_WINDOW_MS && Number.isFinite(s.u));
  if (recent.length < MIN_SAMPLES) return null;
  const t0 = Math.min(...recent.map((s) => s.t));
  const t1 = Math.max(...recent.map((s) => s.t));
  if (t1 - t0 < MIN_SPAN_MS) return null;
  const n = recent.length;
  const xs = recent.map((s) => (s.t - t0) / 1000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = recent.reduce((a, s) => a + s.u, 0) / n;
  let sxy = 0;
  let sxx = 0;
  recent.forEach((s, i) => {
    const dx = xs[i]! - mx;
    sxy += dx * (s.u - my);
    sxx += dx * dx;
  });
  if (sxx === 0) return null;
  return sxy / sxx;
}

export function timeToLimit(
  meter: Pick<Meter, "utilisation" | "resetsAt" | "windowSeconds">,
  history: readonly HistorySample[],
  now: Date,
): Forecast | null {
  const u = meter.utilisation;
  if (u === null || !Number.isFinite(u)) return null;
  const nowMs = now.getTime();
  if (u >= 100) {
    return { timeToLimitSeconds: 0, hitsLimitBeforeReset: meter.resetsAt === null ? null : true, method: "reached" };
  }
  let rate: number | null = null;
  let method: Forecast["method"] = "slope";
  const slope = recentSlope(history, nowMs);
  if (slope !== null && slope > 0) rate = slope;
  else if (meter.resetsAt !== null && meter.windowSeconds !== null) {
    const elapsed = meter.windowSeconds - (meter.resetsAt.getTime() - nowMs) / 1000;
    if (elapsed >= MIN_SPAN_MS / 1000 && elapsed <= meter.windowSeconds && u >= 1) {
      rate = u / elapsed;
      method = "average";
    }
  }
  if (rate === null || !(rate > 0) || !Number.isFinite(rate)) return null;
  const seconds = (100 - u) / rate;
  if (!Number.isFinite(seconds)) return null;
  const untilReset = meter.resetsAt === null ? null : (meter.resetsAt.getTime() - nowMs) / 1000;
  return {
    timeToLimitSeconds: Math.round(seconds),
    hitsLimitBeforeReset: untilReset === null ? null : seconds < untilReset,
    method,
  };
}
