// Meters of a slot not in use (SPEC 3.2.1): once its access token lapses it cannot be read, so its
// last good values stand, marked stale with their age. They are an upper bound (an idle account's
// usage only falls), and each window drops to 0 % once its reset passes (SPEC 2.5). Pure.
import type { Meter } from "../model/meter.js";
import { rollover } from "../model/rollover.js";

export type StaleMeter = Meter & { stale: true; ageSeconds: number };

export function staleSlotMeters(lastGood: readonly Meter[], observedAt: Date, now: Date): StaleMeter[] {
  const ageSeconds = Math.max(0, Math.round((now.getTime() - observedAt.getTime()) / 1000));
  return lastGood.map((m) => ({ ...rollover(m, now), stale: true, ageSeconds }));
}
