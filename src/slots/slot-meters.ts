// Every slot's last known meters, from the per-slot cache the polling side writes
// (`<stateDir>/cache/<slot>.json`, SPEC 3.3). `slots` and `slots decide` read it; they never poll.
// A slot without a cache file simply has no meters yet.
import { isPool } from "../model/kinds.js";
import { compareGoverning } from "../model/governing.js";
import { cacheFilePath, entryOf, loadCache } from "../store/cache.js";
import { READER_NAMES, type Meter } from "../model/meter.js";
import { staleSlotMeters, type StaleMeter } from "./stale-meters.js";

/** A slot read longer ago than this is shown stale (several missed 180 s polls). */
export const SLOT_METERS_STALE_SECONDS = 600;

export type SlotMeters = {
  /** Per kind, the freshest reading from any reader; rolled over when its reset passed. */
  meters: StaleMeter[];
  observedAt: Date | null;
  /** Older than SLOT_METERS_STALE_SECONDS, or the newest attempt failed: an upper bound, not a reading. */
  stale: boolean;
  warning: string | null;
};

export function readSlotMeters(stateDir: string, slot: string, now: Date): SlotMeters {
  let load;
  try {
    cacheFilePath(stateDir, slot);
    load = loadCache(stateDir, slot, { now, moveAside: false });
  } catch {
    return { meters: [], observedAt: null, stale: false, warning: null };
  }
  const freshest = new Map<string, Meter>();
  let failing = false;
  let newestAttempt = 0;
  for (const reader of READER_NAMES) {
    const entry = entryOf(load.file, reader);
    if (!entry) continue;
    if (entry.lastAttempt.at.getTime() >= newestAttempt) {
      newestAttempt = entry.lastAttempt.at.getTime();
      failing = !entry.lastAttempt.ok;
    }
    for (const m of entry.lastGood?.meters ?? []) {
      const prev = freshest.get(m.kind);
      if (!prev || m.observedAt.getTime() > prev.observedAt.getTime()) freshest.set(m.kind, m);
    }
  }
  const meters = [...freshest.values()].flatMap((m) => staleSlotMeters([m], m.observedAt, now));
  const observedAt = meters.length > 0 ? new Date(Math.max(...meters.map((m) => m.observedAt.getTime()))) : null;
  const oldest = meters.reduce((a, m) => Math.max(a, m.ageSeconds), 0);
  return {
    meters,
    observedAt,
    stale: meters.length > 0 && (failing || oldest > SLOT_METERS_STALE_SECONDS),
    warning: load.warning,
  };
}

/** The slot's governing meter among its window meters (pools never govern, SPEC 2.2). */
export function slotGoverning<T extends Meter>(meters: readonly T[]): T | null {
  let best: T | null = null;
  for (const m of meters) {
    if (isPool(m.kind) || m.utilisation === null || !Number.isFinite(m.utilisation)) continue;
    if (best === null || compareGoverning({ ...m, applicable: true }, { ...best, applicable: true }) < 0) best = m;
  }
  return best;
}
