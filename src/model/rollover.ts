// SPEC 2.5: a window whose reset has passed has rolled over. Until a read reports a new reset
// it shows as 0 % estimated with no reset ("reset passed, refreshing"). Also applies when a fresh
// read reports a past reset: the source's value predates the reset.
import type { Meter } from "./meter.js";

export function rollover(meter: Meter, now: Date): Meter {
  if (meter.resetsAt === null || meter.resetsAt.getTime() > now.getTime()) return meter;
  return { ...meter, utilisation: 0, resetsAt: null, estimated: true, rolledOver: true };
}
