// A reader's displayed state (SPEC 2.4), derived from what happened last: never stored twice.
import type { Meter, ReaderError, ReaderName, ReaderState, ReaderStatus } from "./meter.js";

export type ReaderEntry = {
  name: ReaderName;
  slot: string | null;
  enabled: boolean;
  lastGood: { at: Date; meters: Meter[]; warnings?: string[]; notes?: string[] } | null;
  lastAttempt: { at: Date; ok: boolean; error?: ReaderError } | null;
  nextAttemptAt: Date | null;
  /** How long a good read stays fresh, in seconds (interval, or a reader's TTL). */
  freshForSeconds: number;
};

export function readerState(entry: ReaderEntry, now: Date): ReaderState {
  if (!entry.enabled) return "disabled";
  const attempt = entry.lastAttempt;
  if (attempt && !attempt.ok && attempt.error) {
    const { kind, stale } = attempt.error;
    if (stale) return "stale";
    if (kind === "unavailable" || (kind === "auth" && !stale)) return "error";
    return "backoff";
  }
  if (!entry.lastGood) return attempt ? "ok" : "stale";
  const age = (now.getTime() - entry.lastGood.at.getTime()) / 1000;
  // Twice the freshness window before calling it stale: one missed poll is not news.
  return age > entry.freshForSeconds * 2 ? "stale" : "ok";
}

export function readerStatus(entry: ReaderEntry, now: Date): ReaderStatus {
  const state = readerState(entry, now);
  const status: ReaderStatus = {
    name: entry.name,
    slot: entry.slot,
    state,
    lastSuccessAt: entry.lastGood?.at ?? null,
    nextAttemptAt: entry.nextAttemptAt,
  };
  if (entry.lastAttempt?.error && !entry.lastAttempt.ok) status.error = entry.lastAttempt.error.message;
  const warnings = [...(entry.lastGood?.warnings ?? []), ...(entry.lastGood?.notes ?? [])];
  if (warnings.length > 0) status.warnings = warnings;
  return status;
}
