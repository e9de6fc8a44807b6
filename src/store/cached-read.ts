// One poll per interval per slot across all usagetop processes (SPEC 3.3).
//
// A fresh cache entry is used without reading; an active backoff is honoured even with --no-cache
// (it protects the account's request budget, which Claude Code shares); otherwise the slot lock is
// taken, the cache re-checked under it (another process may have just read), the source read once,
// and the entry written for every process to see. A process that finds the lock held waits up to
// `waitMs` for the holder's result, then falls back to the cached value with its age: two
// processes never make two requests for one slot and interval.
import { setTimeout as sleep } from "node:timers/promises";
import type { ReaderName, ReadResult } from "../model/meter.js";
import { ensureStateDir, removeDeadTemps } from "./atomic-file.js";
import { nextAttemptAt } from "./backoff.js";
import { cacheDir, cacheLockPath, entryOf, loadCache, writeCacheEntry, type CacheEntry } from "./cache.js";
import { tryLock } from "./lock.js";

export type CachedReadOptions = {
  stateDir: string;
  /** Cache file name: a slot name, or e.g. `_active` for readers that are not per slot. */
  slot: string;
  reader: ReaderName;
  /** The reader's poll interval in seconds: a cached result younger than this is used as is. */
  intervalSeconds: number;
  /** --no-cache: skip the age check; the lock and an active backoff still apply. */
  noCache?: boolean;
  now?: () => Date;
  /** Uniform in [0, 1), for the backoff jitter. */
  random?: () => number;
  /** How long to wait for another process holding the slot lock (default 5000 ms). */
  waitMs?: number;
  /** Poll period while waiting (default 25 ms). */
  pollMs?: number;
  read: () => Promise<ReadResult>;
};

/**
 * How the result was obtained: `read` (this call read the source), `fresh` (cache younger than
 * the interval), `backoff` (the shared backoff deadline is in the future), `other-process` (another
 * process read while we waited or just before we took the lock), `lock-timeout` (the holder did not
 * finish within waitMs: cached value with its age, or an `unavailable` error when there is none).
 */
export type CachedReadOutcome = "read" | "fresh" | "backoff" | "other-process" | "lock-timeout";

export type CachedRead = {
  /**
   * On `read`, exactly what the source returned. Otherwise the last good result when there is one
   * (a failure after a good read still shows the good value), else the last error.
   */
  result: ReadResult;
  fromCache: boolean;
  /** Age of `result` in seconds (0 for a fresh read); null when nothing is known at all. */
  ageSeconds: number | null;
  /** The reader's cache entry after this call (null only when nothing was ever cached). */
  entry: CacheEntry | null;
  outcome: CachedReadOutcome;
  /** State-file problems to show once (a corrupt cache moved aside). */
  warnings: string[];
};

function inBackoff(entry: CacheEntry, now: Date): boolean {
  return !entry.lastAttempt.ok && entry.nextAttemptAt !== null && entry.nextAttemptAt.getTime() > now.getTime();
}

/** Whether `entry` lets us skip reading. `since` is when this call began (for --no-cache). */
function usable(entry: CacheEntry | null, now: Date, o: { intervalSeconds: number; noCache: boolean; since: Date }): CachedReadOutcome | null {
  if (!entry) return null;
  if (inBackoff(entry, now)) return "backoff";
  if (!entry.lastAttempt.ok) return null;
  const at = entry.lastAttempt.at.getTime();
  // --no-cache still accepts a result another process produced after this call began.
  if (o.noCache) return at >= o.since.getTime() ? "other-process" : null;
  return now.getTime() - at < o.intervalSeconds * 1000 ? "fresh" : null;
}

function fromEntry(entry: CacheEntry | null, now: Date, outcome: CachedReadOutcome, warnings: string[], fallback: string): CachedRead {
  if (entry?.lastGood) {
    const g = entry.lastGood;
    const result: ReadResult = { ok: true, meters: g.meters };
    if (g.warnings) result.warnings = g.warnings;
    if (g.notes) result.notes = g.notes;
    return { result, fromCache: true, ageSeconds: (now.getTime() - g.at.getTime()) / 1000, entry, outcome, warnings };
  }
  if (entry?.lastAttempt.error) {
    return {
      result: { ok: false, error: entry.lastAttempt.error },
      fromCache: true,
      ageSeconds: (now.getTime() - entry.lastAttempt.at.getTime()) / 1000,
      entry,
      outcome,
      warnings,
    };
  }
  return { result: { ok: false, error: { kind: "unavailable", message: fallback } }, fromCache: true, ageSeconds: null, entry, outcome, warnings };
}

/** The entry after an attempt: the good value survives a failure; the backoff is shared. */
export function nextEntry(prev: CacheEntry | null, result: ReadResult, at: Date, intervalSeconds: number, random: () => number): CacheEntry {
  if (result.ok) {
    const lastGood: NonNullable<CacheEntry["lastGood"]> = { at, meters: result.meters };
    if (result.warnings) lastGood.warnings = result.warnings;
    if (result.notes) lastGood.notes = result.notes;
    return {
      lastGood,
      lastAttempt: { at, ok: true },
      failures: 0,
      nextAttemptAt: nextAttemptAt({ intervalSeconds, failures: 0, error: null, random, now: at }),
    };
  }
  const failures = (prev?.failures ?? 0) + 1;
  return {
    lastGood: prev?.lastGood ?? null,
    lastAttempt: { at, ok: false, error: result.error },
    failures,
    nextAttemptAt: nextAttemptAt({ intervalSeconds, failures, error: result.error, random, now: at }),
  };
}

/** Readers must not throw past their boundary; if one does, it is an `unavailable` error, not a crash. */
async function safeRead(read: () => Promise<ReadResult>): Promise<ReadResult> {
  try {
    return await read();
  } catch (err) {
    return { ok: false, error: { kind: "unavailable", message: `reader failed: ${(err as Error)?.message ?? String(err)}` } };
  }
}

export async function cachedRead(opts: CachedReadOptions): Promise<CachedRead> {
  const clock = opts.now ?? (() => new Date());
  const random = opts.random ?? Math.random;
  const waitMs = opts.waitMs ?? 5000;
  const pollMs = opts.pollMs ?? 25;
  const rule = { intervalSeconds: opts.intervalSeconds, noCache: opts.noCache ?? false, since: clock() };
  const { stateDir, slot, reader } = opts;
  const warnings: string[] = [];
  try {
    ensureStateDir(cacheDir(stateDir));
  } catch (err) {
    // A read-only home or a state dir owned by someone else: still read, each process for itself
    // (no shared cache, no lock, no shared backoff), and say so rather than fail the command.
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const result = await safeRead(opts.read);
    const at = clock();
    warnings.push(`state dir ${stateDir} is not writable (${code}): reading without the shared cache, so several usagetop processes may poll the same source`);
    return { result, fromCache: false, ageSeconds: 0, entry: nextEntry(null, result, at, opts.intervalSeconds, random), outcome: "read", warnings };
  }

  const peek = (): CacheEntry | null => entryOf(loadCache(stateDir, slot, { now: clock(), moveAside: false }).file, reader);

  let entry = peek();
  const quick = usable(entry, clock(), rule);
  if (quick) return fromEntry(entry, clock(), quick, warnings, "");

  const deadline = Date.now() + waitMs;
  const lockPath = cacheLockPath(stateDir, slot);
  for (;;) {
    // Real time, not the injected clock: staleness compares it with the lock file's mtime.
    const got = tryLock(lockPath, new Date());
    if (got.acquired) {
      try {
        removeDeadTemps(cacheDir(stateDir));
        // Under the lock: the previous holder may have written while we were getting here.
        const loaded = loadCache(stateDir, slot, { now: clock(), moveAside: true });
        if (loaded.warning) warnings.push(loaded.warning);
        entry = entryOf(loaded.file, reader);
        const skip = usable(entry, clock(), rule);
        if (skip) return fromEntry(entry, clock(), skip === "fresh" ? "other-process" : skip, warnings, "");
        const result = await safeRead(opts.read);
        const next = nextEntry(entry, result, clock(), opts.intervalSeconds, random);
        try {
          writeCacheEntry(stateDir, slot, reader, next, clock());
        } catch (err) {
          // A full disk must not cost us the result we just paid a request for.
          warnings.push(`could not write the ${slot} cache: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
        return { result, fromCache: false, ageSeconds: 0, entry: next, outcome: "read", warnings };
      } finally {
        got.lock.release();
      }
    }
    // Held: wait for the holder's result rather than read twice.
    entry = peek();
    const theirs = usable(entry, clock(), rule);
    if (theirs) return fromEntry(entry, clock(), theirs === "fresh" ? "other-process" : theirs, warnings, "");
    if (Date.now() >= deadline) {
      const who = got.holderPid === null ? "another usagetop process" : `usagetop pid ${got.holderPid}`;
      return fromEntry(entry, clock(), "lock-timeout", warnings, `${who} is reading ${reader} for slot ${slot}; no cached value yet`);
    }
    await sleep(pollMs * (0.5 + Math.random()));
  }
}
