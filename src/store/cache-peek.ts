// A read-only, zod-free look at the shared cache files (`cache/<slot>.json`, format in cache.ts)
// for `usagetop statusline`, which must print within ~50 ms of Node starting (SPEC 6.5), so it
// loads no schema library at all. Tolerant by design: whatever does not look like a cached
// meter is skipped (never moved aside: only lock holders do that, through cache.ts), and nothing
// here ever reads a credential or the network.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { READER_NAMES, type Meter, type ReaderError, type ReaderName } from "../model/meter.js";
import type { ReaderEntry } from "../model/reader-state.js";

const NAMES = new Set<string>(READER_NAMES);
const UNITS = new Set(["percent", "tokens", "requests", "usd", "credits", "bytes"]);
const ERROR_KINDS = new Set(["auth", "rate_limited", "network", "timeout", "parse", "unavailable"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function time(v: unknown): Date | null {
  if (typeof v !== "string") return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t);
}

export function decodeMeter(v: unknown): Meter | null {
  if (!isObject(v) || typeof v.kind !== "string" || v.kind === "" || typeof v.label !== "string") return null;
  if (!(v.utilisation === null || num(v.utilisation))) return null;
  if (!(v.windowSeconds === null || num(v.windowSeconds))) return null;
  if (typeof v.source !== "string" || !NAMES.has(v.source) || typeof v.estimated !== "boolean") return null;
  const observedAt = time(v.observedAt);
  const resetsAt = v.resetsAt === null ? null : time(v.resetsAt);
  if (observedAt === null || (v.resetsAt !== null && resetsAt === null)) return null;
  const m: Meter = {
    kind: v.kind,
    label: v.label,
    utilisation: v.utilisation,
    resetsAt,
    windowSeconds: v.windowSeconds,
    source: v.source as ReaderName,
    observedAt,
    estimated: v.estimated,
  };
  if (num(v.used)) m.used = v.used;
  if (num(v.limit)) m.limit = v.limit;
  if (typeof v.unit === "string" && UNITS.has(v.unit)) m.unit = v.unit as NonNullable<Meter["unit"]>;
  if (typeof v.currency === "string") m.currency = v.currency;
  if (v.rolledOver === true) m.rolledOver = true;
  return m;
}

function decodeError(v: unknown): ReaderError | undefined {
  if (!isObject(v) || typeof v.kind !== "string" || !ERROR_KINDS.has(v.kind) || typeof v.message !== "string") return undefined;
  const e: ReaderError = { kind: v.kind as ReaderError["kind"], message: v.message };
  if (v.stale === true) e.stale = true;
  return e;
}

/** One cached reader entry as the model's ReaderEntry, or null when it is not one. */
export function decodeEntry(name: ReaderName, slot: string | null, v: unknown, freshForSeconds: number): ReaderEntry | null {
  if (!isObject(v) || !isObject(v.lastAttempt)) return null;
  const attemptAt = time(v.lastAttempt.at);
  if (attemptAt === null || typeof v.lastAttempt.ok !== "boolean") return null;
  let lastGood: ReaderEntry["lastGood"] = null;
  if (isObject(v.lastGood) && isObject(v.lastGood.result) && Array.isArray(v.lastGood.result.meters)) {
    const at = time(v.lastGood.at);
    const meters = v.lastGood.result.meters.map(decodeMeter).filter((m): m is Meter => m !== null);
    if (at !== null) lastGood = { at, meters };
  }
  const lastAttempt: NonNullable<ReaderEntry["lastAttempt"]> = { at: attemptAt, ok: v.lastAttempt.ok };
  const error = decodeError(v.lastAttempt.error);
  if (error) lastAttempt.error = error;
  return { name, slot, enabled: true, lastGood, lastAttempt, nextAttemptAt: time(v.nextAttemptAt), freshForSeconds };
}

function peekFile(path: string, slot: string | null, freshForSeconds: number): ReaderEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return [];
  }
  if (!isObject(json) || json.schemaVersion !== 1 || !isObject(json.readers)) return [];
  const out: ReaderEntry[] = [];
  for (const [name, v] of Object.entries(json.readers)) {
    if (!NAMES.has(name)) continue;
    const e = decodeEntry(name as ReaderName, slot, v, freshForSeconds);
    if (e) out.push(e);
  }
  return out;
}

/**
 * Cached entries for `slot` (its own file) plus the shared readers' files (`_<reader>.json`),
 * all attributed to `slot` as the scheduler does for readers that are not per slot.
 */
export function peekCachedEntries(stateDir: string, slot: string | null, freshForSeconds: number): ReaderEntry[] {
  const dir = join(stateDir, "cache");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files = names.filter((n) => n.endsWith(".json") && (n.startsWith("_") || (slot !== null && n === `${slot}.json`)));
  return files.flatMap((n) => peekFile(join(dir, n), slot, freshForSeconds));
}
