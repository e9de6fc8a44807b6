// The governing meter (SPEC 2.5): the applicable meter closest to its limit, chosen
// deterministically so every view and process names the same one.
import { registryOrder } from "./kinds.js";
import type { Meter } from "./meter.js";
import { compareText } from "./compare-text.js";

export type Governable = Pick<Meter, "kind" | "utilisation" | "resetsAt"> & { applicable: boolean };

/** Utilisations equal after rounding to 0.1 tie. */
function tenths(u: number): number {
  return Math.round(u * 10);
}

/** Unknown reset counts as later than any known one (the longer lock-out). */
function resetKey(m: Governable): number {
  return m.resetsAt === null ? Number.POSITIVE_INFINITY : m.resetsAt.getTime();
}

/** Negative when a should govern before b. */
export function compareGoverning(a: Governable, b: Governable): number {
  const ua = tenths(a.utilisation ?? 0);
  const ub = tenths(b.utilisation ?? 0);
  if (ua !== ub) return ub - ua;
  const ra = resetKey(a);
  const rb = resetKey(b);
  if (ra !== rb) return ra < rb ? 1 : -1;
  const oa = registryOrder(a.kind);
  const ob = registryOrder(b.kind);
  if (oa !== ob) return oa - ob;
  return compareText(a.kind, b.kind);
}

export function governingMeter<T extends Governable>(meters: readonly T[]): T | null {
  let best: T | null = null;
  for (const m of meters) {
    if (!m.applicable || m.utilisation === null || !Number.isFinite(m.utilisation)) continue;
    if (best === null || compareGoverning(m, best) < 0) best = m;
  }
  return best;
}
