// Pacing (SPEC 2.6): where utilisation "should" be if use were spread evenly over the window.
import type { Meter } from "./meter.js";
import { round1 } from "./round.js";

export type PacingStatus = "ahead" | "on_pace" | "behind";
export type Pacing = { target: number; gap: number; status: PacingStatus };
export type PacingOptions = { paceTarget: number; band: number };

export const DEFAULT_PACING: PacingOptions = { paceTarget: 1, band: 5 };

export function pacing(
  meter: Pick<Meter, "utilisation" | "resetsAt" | "windowSeconds">,
  now: Date,
  opts: PacingOptions = DEFAULT_PACING,
): Pacing | null {
  const { utilisation, resetsAt, windowSeconds } = meter;
  if (utilisation === null || resetsAt === null || windowSeconds === null || windowSeconds <= 0) return null;
  const remaining = (resetsAt.getTime() - now.getTime()) / 1000;
  // A reset beyond one window away (clock skew, a stale body) says nothing about pace.
  if (remaining < 0 || remaining > windowSeconds) return null;
  const elapsed = windowSeconds - remaining;
  const target = (elapsed / windowSeconds) * 100 * opts.paceTarget;
  const gap = utilisation - target;
  const status: PacingStatus = gap > opts.band ? "ahead" : gap < -opts.band ? "behind" : "on_pace";
  return { target: round1(target), gap: round1(gap), status };
}
