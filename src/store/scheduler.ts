// Polling (SPEC 3.3): one round reads every enabled reader for every slot it serves, through the
// shared cache for sources that have a poll interval (oauth, usage-screen, usage-script, ollama),
// directly for cheap local sources (interval 0). Results become reader entries in the store and
// history samples on disk. The live loop sleeps until the earliest next attempt: no busy polling.
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import type { ReaderEntry } from "../model/reader-state.js";
import type { SlotRef, UsageReader } from "../readers/reader.js";
import { nextEntry, cachedRead } from "./cached-read.js";
import type { CacheEntry } from "./cache.js";
import { MeterHistory } from "./history.js";
import type { UsageStore } from "./store.js";

export type RoundOptions = {
  config: Config;
  readers: readonly UsageReader[];
  slots: readonly SlotRef[];
  now: () => Date;
  /** Bypass the cache's age check (`--no-cache`, or `r` in the TUI); locks and backoff still apply. */
  noCache?: boolean;
  /** The slot's current governing utilisation, for readers that poll faster near a limit. */
  governing?: (slot: string) => number | null;
  /** State-file problems a read ran into (a corrupt cache moved aside, an unwritable state dir). */
  warn?: (message: string) => void;
};

/** Slot key for readers that are not per slot: their own cache file, so their locks are independent. */
const sharedKey = (reader: UsageReader) => `_${reader.name}`;

function toEntry(reader: UsageReader, slot: string | null, cache: CacheEntry | null, config: Config): ReaderEntry {
  return {
    name: reader.name,
    slot,
    enabled: true,
    lastGood: cache?.lastGood ?? null,
    lastAttempt: cache?.lastAttempt ?? null,
    nextAttemptAt: cache?.nextAttemptAt ?? null,
    freshForSeconds: Math.max(reader.intervalSeconds(config), 60),
  };
}

async function readDirect(reader: UsageReader, config: Config, slot: SlotRef | null, now: Date): Promise<ReadResult> {
  try {
    return await reader.read({ config, slot, now }, AbortSignal.timeout(35_000));
  } catch (err) {
    return { ok: false, error: { kind: "unavailable", message: `reader failed: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

async function readOne(reader: UsageReader, slot: SlotRef | null, o: RoundOptions, previous: ReaderEntry | undefined): Promise<ReaderEntry> {
  const { config } = o;
  const slotKey = slot?.name ?? null;
  if (!reader.enabled(config)) {
    return { name: reader.name, slot: slotKey, enabled: false, lastGood: null, lastAttempt: null, nextAttemptAt: null, freshForSeconds: 60 };
  }
  const governing = slot ? (o.governing?.(slot.name) ?? null) : null;
  const interval = reader.intervalSeconds(config, { active: slot?.active ?? false, governingUtilisation: governing });
  if (interval <= 0) {
    // Local, cheap sources: read every round; keep the last good value in memory across rounds.
    const now = o.now();
    const result = await readDirect(reader, config, slot, now);
    const prev: CacheEntry | null = previous?.lastAttempt
      ? { lastGood: previous.lastGood, lastAttempt: previous.lastAttempt, failures: 0, nextAttemptAt: previous.nextAttemptAt }
      : null;
    return toEntry(reader, slotKey, nextEntry(prev, result, now, 60, Math.random), config);
  }
  const got = await cachedRead({
    stateDir: config.paths.stateDir,
    slot: reader.perSlot && slot ? slot.name : sharedKey(reader),
    reader: reader.name,
    intervalSeconds: interval,
    noCache: o.noCache ?? config.noCache,
    now: o.now,
    read: () => readDirect(reader, config, slot, o.now()),
  });
  for (const w of got.warnings) o.warn?.(w);
  return toEntry(reader, slotKey, got.entry, config);
}

/** One round: every reader for every slot it serves, in parallel across slots and readers. */
export async function pollRound(store: UsageStore, o: RoundOptions): Promise<void> {
  o = { governing: (slot) => store.view(slot, o.now()).governing?.utilisation ?? null, warn: (message) => store.warn(message, o.now()), ...o };
  const active = o.slots.find((s) => s.active) ?? o.slots[0] ?? null;
  const jobs: Array<Promise<ReaderEntry>> = [];
  const previous = (slot: string | null, name: string) => store.entriesFor(slot).find((e) => e.name === name);
  for (const reader of o.readers) {
    // Per-slot readers with no slot at all (no credentials file: a macOS Keychain login, a
    // sandbox) still run once for the live account, so they say why they have nothing, and the
    // claude_cache reader serves Claude Code's own cached usage of the account logged in.
    const targets = reader.perSlot && o.slots.length > 0 ? o.slots : [active];
    for (const slot of targets) jobs.push(readOne(reader, slot, o, previous(slot?.name ?? null, reader.name)));
  }
  const entries = await Promise.all(jobs);
  for (const entry of entries) store.ingest(entry);
  recordHistory(store, o.config, entries, o.now());
}

const histories = new Map<string, MeterHistory>();

function historyFor(config: Config, slot: string, now: Date): MeterHistory | null {
  const key = `${config.paths.stateDir}\0${slot}`;
  let h = histories.get(key);
  if (!h) {
    try {
      h = MeterHistory.load(config.paths.stateDir, slot, now);
    } catch {
      return null;
    }
    histories.set(key, h);
  }
  return h;
}

/** Provider-reported samples feed the forecast slope; estimates and stale values do not. */
function recordHistory(store: UsageStore, config: Config, entries: ReaderEntry[], now: Date): void {
  for (const e of entries) {
    if (!e.slot || !e.lastGood || !e.lastAttempt?.ok) continue;
    const h = historyFor(config, e.slot, now);
    if (!h) continue;
    for (const w of h.warnings.splice(0)) store.warn(w, now);
    for (const m of e.lastGood.meters) {
      if (m.estimated || m.utilisation === null) continue;
      h.append(m.kind, m.observedAt.getTime(), m.utilisation, now);
    }
  }
  store.setHistory((slot, kind) => historyFor(config, slot, now)?.samplesSince(kind, now.getTime() - 3600_000) ?? []);
}

/** When the next round is due: the earliest next attempt, at least 1 s and at most the interval away. */
export function nextRoundDelayMs(store: UsageStore, slots: readonly SlotRef[], config: Config, now: Date): number {
  let earliest = now.getTime() + config.interval * 1000;
  for (const slot of [null, ...slots.map((s) => s.name)]) {
    for (const e of store.entriesFor(slot)) {
      if (e.enabled && e.nextAttemptAt) earliest = Math.min(earliest, e.nextAttemptAt.getTime());
    }
  }
  return Math.max(1000, earliest - now.getTime());
}

/**
 * The live loop for the TUI and `serve`: a round now, then one whenever the earliest source is due
 * (or on `refresh()`, which still honours active backoffs). Returns a stop function.
 */
export type Polling = {
  /** A round now (`r`): ignores cache ages but still honours active backoffs. */
  refresh: () => void;
  /** Re-read only the local sources (interval 0: files on this machine), after a change event. */
  local: () => void;
  stop: () => void;
};

export function startPolling(store: UsageStore, o: RoundOptions & { onError?: (err: unknown) => void }): Polling {
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let stopped = false;
  let again = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, nextRoundDelayMs(store, o.slots, o.config, o.now()));
    timer.unref?.();
  };
  const tick = (force = false) => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    if (timer) clearTimeout(timer);
    pollRound(store, { ...o, noCache: force || o.noCache })
      .catch((err) => o.onError?.(err))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          tick();
        } else schedule();
      });
  };
  const localReaders = o.readers.filter((r) => r.intervalSeconds(o.config) <= 0);
  let localRunning: Promise<void> | null = null;
  let localAgain = false;
  const local = () => {
    if (stopped) return;
    if (localRunning) {
      localAgain = true;
      return;
    }
    localRunning = pollRound(store, { ...o, readers: localReaders })
      .catch((err) => o.onError?.(err))
      .finally(() => {
        localRunning = null;
        if (localAgain) {
          localAgain = false;
          local();
        }
      });
  };
  tick();
  return {
    refresh: () => tick(true),
    local,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
