// The per-slot result cache (SPEC 3.3): `cache/<slot>.json` in the state dir, one entry per reader.
// Each entry keeps the last good result and its time apart from the last attempt's outcome and the
// backoff deadline, so a failure after a good read still shows the good value and every usagetop
// process sees the same backoff. Written atomically (0600) under the slot lock; holds no secrets:
// meters, warnings, notes and error messages only (never a reader's raw body).
import { join } from "node:path";
import * as z from "zod/mini";
import { READER_NAMES, type Meter, type ReaderError, type ReaderName } from "../model/meter.js";
import { ensureStateDir, moveAsideCorrupt, readJsonFile, writeFileAtomic } from "./atomic-file.js";

export const CACHE_SCHEMA_VERSION = 1;

/** A Date on disk: ISO-8601 that Date can parse back. */
const IsoTime = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), { error: "not an ISO-8601 time" }));

export const MeterJsonSchema = z.object({
  kind: z.string().check(z.minLength(1)),
  label: z.string(),
  utilisation: z.nullable(z.number()),
  resetsAt: z.nullable(IsoTime),
  windowSeconds: z.nullable(z.number()),
  used: z.optional(z.number()),
  limit: z.optional(z.number()),
  unit: z.optional(z.enum(["percent", "tokens", "requests", "usd", "credits", "bytes"])),
  currency: z.optional(z.string()),
  source: z.enum(READER_NAMES),
  observedAt: IsoTime,
  estimated: z.boolean(),
  rolledOver: z.optional(z.boolean()),
});
export type MeterJson = z.infer<typeof MeterJsonSchema>;

const ReaderErrorJsonSchema = z.object({
  kind: z.enum(["auth", "rate_limited", "network", "timeout", "parse", "unavailable"]),
  message: z.string(),
  retryAfterSeconds: z.optional(z.number().check(z.nonnegative())),
  stale: z.optional(z.boolean()),
});

export const CacheEntryJsonSchema = z.object({
  lastGood: z.nullable(
    z.object({
      at: IsoTime,
      result: z.object({
        meters: z.array(MeterJsonSchema),
        warnings: z.optional(z.array(z.string())),
        notes: z.optional(z.array(z.string())),
      }),
    }),
  ),
  lastAttempt: z.object({ at: IsoTime, ok: z.boolean(), error: z.optional(ReaderErrorJsonSchema) }),
  failures: z.number().check(z.int(), z.nonnegative()),
  nextAttemptAt: z.nullable(IsoTime),
});
export type CacheEntryJson = z.infer<typeof CacheEntryJsonSchema>;

export const CacheFileSchema = z.object({
  schemaVersion: z.literal(CACHE_SCHEMA_VERSION),
  slot: z.string(),
  // Keyed by reader name; a name this version does not know (a newer usagetop sharing the state
  // dir) is kept as is rather than making the whole file corrupt.
  readers: z.record(z.string(), CacheEntryJsonSchema),
});
export type CacheFileJson = z.infer<typeof CacheFileSchema>;

/**
 * One reader's cached state, in memory. `lastGood` has the shape of the model's
 * `ReaderEntry.lastGood` (src/model/reader-state.ts) so it can be passed straight through.
 */
export type CacheEntry = {
  lastGood: { at: Date; meters: Meter[]; warnings?: string[]; notes?: string[] } | null;
  lastAttempt: { at: Date; ok: boolean; error?: ReaderError };
  /** Consecutive failed attempts; 0 after a success. */
  failures: number;
  /** Shared by every process: before this instant nobody reads this source for this slot. */
  nextAttemptAt: Date | null;
};

export function serialiseMeter(m: Meter): MeterJson {
  const out: MeterJson = {
    kind: m.kind,
    label: m.label,
    utilisation: m.utilisation,
    resetsAt: m.resetsAt ? m.resetsAt.toISOString() : null,
    windowSeconds: m.windowSeconds,
    source: m.source,
    observedAt: m.observedAt.toISOString(),
    estimated: m.estimated,
  };
  if (m.used !== undefined) out.used = m.used;
  if (m.limit !== undefined) out.limit = m.limit;
  if (m.unit !== undefined) out.unit = m.unit;
  if (m.currency !== undefined) out.currency = m.currency;
  if (m.rolledOver !== undefined) out.rolledOver = m.rolledOver;
  return out;
}

/** The inverse of serialiseMeter, for JSON already validated by MeterJsonSchema. */
export function parseMeter(j: MeterJson): Meter {
  const m: Meter = {
    kind: j.kind,
    label: j.label,
    utilisation: j.utilisation,
    resetsAt: j.resetsAt === null ? null : new Date(j.resetsAt),
    windowSeconds: j.windowSeconds,
    source: j.source,
    observedAt: new Date(j.observedAt),
    estimated: j.estimated,
  };
  if (j.used !== undefined) m.used = j.used;
  if (j.limit !== undefined) m.limit = j.limit;
  if (j.unit !== undefined) m.unit = j.unit;
  if (j.currency !== undefined) m.currency = j.currency;
  if (j.rolledOver !== undefined) m.rolledOver = j.rolledOver;
  return m;
}

function serialiseError(e: ReaderError): CacheEntryJson["lastAttempt"]["error"] {
  const out: NonNullable<CacheEntryJson["lastAttempt"]["error"]> = { kind: e.kind, message: e.message };
  if (e.retryAfterSeconds !== undefined && Number.isFinite(e.retryAfterSeconds) && e.retryAfterSeconds >= 0) {
    out.retryAfterSeconds = e.retryAfterSeconds;
  }
  if (e.stale !== undefined) out.stale = e.stale;
  return out;
}

export function serialiseEntry(e: CacheEntry): CacheEntryJson {
  const lastAttempt: CacheEntryJson["lastAttempt"] = { at: e.lastAttempt.at.toISOString(), ok: e.lastAttempt.ok };
  if (e.lastAttempt.error) lastAttempt.error = serialiseError(e.lastAttempt.error);
  let lastGood: CacheEntryJson["lastGood"] = null;
  if (e.lastGood) {
    const result: NonNullable<CacheEntryJson["lastGood"]>["result"] = { meters: e.lastGood.meters.map(serialiseMeter) };
    if (e.lastGood.warnings !== undefined) result.warnings = e.lastGood.warnings;
    if (e.lastGood.notes !== undefined) result.notes = e.lastGood.notes;
    lastGood = { at: e.lastGood.at.toISOString(), result };
  }
  return {
    lastGood,
    lastAttempt,
    failures: e.failures,
    nextAttemptAt: e.nextAttemptAt ? e.nextAttemptAt.toISOString() : null,
  };
}

export function parseEntry(j: CacheEntryJson): CacheEntry {
  const lastAttempt: CacheEntry["lastAttempt"] = { at: new Date(j.lastAttempt.at), ok: j.lastAttempt.ok };
  if (j.lastAttempt.error) lastAttempt.error = { ...j.lastAttempt.error };
  let lastGood: CacheEntry["lastGood"] = null;
  if (j.lastGood) {
    lastGood = { at: new Date(j.lastGood.at), meters: j.lastGood.result.meters.map(parseMeter) };
    if (j.lastGood.result.warnings !== undefined) lastGood.warnings = j.lastGood.result.warnings;
    if (j.lastGood.result.notes !== undefined) lastGood.notes = j.lastGood.result.notes;
  }
  return {
    lastGood,
    lastAttempt,
    failures: j.failures,
    nextAttemptAt: j.nextAttemptAt === null ? null : new Date(j.nextAttemptAt),
  };
}

/** Slot names become file names: the slot rule (SPEC 5.1), plus a leading `_` for non-slot uses like `_active`. */
const SLOT_FILE_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;

function checkSlot(slot: string): void {
  // A programmer error, not bad data: slot names are validated where they enter (config, layout).
  if (!SLOT_FILE_NAME.test(slot)) throw new Error(`invalid slot name for a cache file: ${JSON.stringify(slot)}`);
}

export function cacheDir(stateDir: string): string {
  return join(stateDir, "cache");
}

export function cacheFilePath(stateDir: string, slot: string): string {
  checkSlot(slot);
  return join(cacheDir(stateDir), `${slot}.json`);
}

export function cacheLockPath(stateDir: string, slot: string): string {
  checkSlot(slot);
  return join(cacheDir(stateDir), `${slot}.lock`);
}

export type CacheLoad = {
  file: CacheFileJson;
  /** True when the file on disk was corrupt (and, with moveAside, has been moved aside). */
  corrupt: boolean;
  /** One line for the user when a corrupt file was moved aside or the file is unreadable. */
  warning: string | null;
};

/**
 * Loads a slot's cache file; missing or corrupt gives an empty cache. Only a caller holding the
 * slot lock should pass `moveAside: true`: otherwise it could move aside the good file another
 * process has just written in place of the corrupt one.
 */
export function loadCache(stateDir: string, slot: string, opts: { now: Date; moveAside: boolean }): CacheLoad {
  const path = cacheFilePath(stateDir, slot);
  const empty: CacheFileJson = { schemaVersion: CACHE_SCHEMA_VERSION, slot, readers: {} };
  const read = readJsonFile(path, CacheFileSchema);
  if (read.ok) return { file: read.value, corrupt: false, warning: null };
  if ("missing" in read) return { file: empty, corrupt: false, warning: null };
  if ("unreadable" in read) return { file: empty, corrupt: false, warning: `cache unreadable: ${read.reason}` };
  const warning = opts.moveAside ? moveAsideCorrupt(path, opts.now, read.reason) : null;
  return { file: empty, corrupt: true, warning };
}

/** The reader's entry in a loaded cache, or null when it has none yet. */
export function entryOf(file: CacheFileJson, reader: ReaderName): CacheEntry | null {
  const j = file.readers[reader];
  return j ? parseEntry(j) : null;
}

/**
 * Replaces one reader's entry in the slot's cache file (read-modify-write). Hold the slot lock
 * (cacheLockPath) around it, or a concurrent writer's entry for another reader can be lost.
 */
export function writeCacheEntry(stateDir: string, slot: string, reader: ReaderName, entry: CacheEntry, now: Date): void {
  ensureStateDir(cacheDir(stateDir));
  const { file } = loadCache(stateDir, slot, { now, moveAside: false });
  const next: CacheFileJson = {
    schemaVersion: CACHE_SCHEMA_VERSION,
    slot,
    readers: { ...file.readers, [reader]: serialiseEntry(entry) },
  };
  writeFileAtomic(cacheFilePath(stateDir, slot), `${JSON.stringify(next, null, 1)}\n`);
}
