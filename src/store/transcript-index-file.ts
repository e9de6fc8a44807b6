// The transcript index on disk (SPEC 3.2.7, 7.1): `<stateDir>/transcripts/index.json`, one JSON
// document per line. Line 1 is a snapshot of everything; each later line holds what one run
// changed (a journal line), appended with O_APPEND, so a run that read one new transcript line
// writes a few hundred bytes instead of rewriting an index of megabytes. When the journal has
// grown past a share of the snapshot, the run writes a fresh snapshot instead (temp + rename,
// 0600), so a reader never sees a half-written snapshot.
//
// Concurrent runs: a journal line records the snapshot it was written against (`snap`, a random
// id) and the length of the file its writer loaded (`base`), and a reader applies a line only
// when both match where it stands, i.e. when nobody appended or compacted between that writer's
// load and its append. Such a line is skipped whole, its file offsets with its aggregates: those
// transcript bytes are read again by the next run and the dedup keys make that harmless. A
// rename that replaces the file while another process appends to the old one loses that line
// the same harmless way. A torn last line (a crash in the middle of an append) does not parse
// and is skipped; the next run then writes a snapshot.
//
// Rows are flat arrays, checked by hand rather than with zod: a heavy user's index holds tens of
// thousands of rows, and this is read on every run. In the snapshot, buckets are one flat array
// of small integers (13 per bucket: the 15-minute slot, string-table indices for model, session
// and project, first and last call as offsets into the slot, counts and tokens), so JSON.parse
// builds one array of small integers instead of an array, strings and boxed doubles per bucket;
// the rare recorded costUSD sums go in a separate list. Journal lines spell rows out.
import { appendFileSync, chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { BUCKET_MS, type Bucket } from "../model/usage-ledger.js";
import { ZERO_TOKENS, type LimitEvent, type TokenCounts, type UsageEntry } from "../model/usage-entry.js";
import { uniqueHex } from "./unique-hex.js";

export const INDEX_VERSION = 2;
export const MAX_EVENTS = 200;

export type FileState = {
  size: number;
  mtimeMs: number;
  ino: number;
  offset: number;
  line: number;
  skipping: boolean;
  head: string;
};

export type IndexState = {
  files: Map<string, FileState>;
  buckets: Bucket[];
  recent: UsageEntry[];
  events: LimitEvent[];
  /** Retired key hashes, base64 blocks (see retired-keys.ts). */
  retired: string[];
};

/** What one run changed: the body of a journal line. */
export type IndexDelta = {
  files: [string, FileState][];
  /** Paths no longer listed. */
  gone: string[];
  /** Changed buckets; `calls <= 0` removes one. */
  buckets: Bucket[];
  recent: UsageEntry[];
  recentGone: string[];
  /** Newly retired hashes, base64. */
  retired: string;
  events: LimitEvent[];
};

export type LoadedIndex = IndexState & {
  /** The snapshot's id ("" when there is none); journal lines name it. */
  snapshotId: string;
  /** Bytes of the file as read; a journal line appended after this load records it as `base`. */
  length: number;
  snapshotBytes: number;
  journalBytes: number;
  /** False after a torn append: the next write is a snapshot. */
  appendable: boolean;
};

export class CorruptIndex extends Error {}

export function indexPath(stateDir: string): string {
  return join(stateDir, "transcripts", "index.json");
}

export function emptyIndex(): LoadedIndex {
  return { files: new Map(), buckets: [], recent: [], events: [], retired: [], snapshotId: "", length: 0, snapshotBytes: 0, journalBytes: 0, appendable: false };
}

// --- rows ----------------------------------------------------------------------------------

function num(v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new CorruptIndex("number expected");
  return v;
}
function str(v: unknown): string {
  if (typeof v !== "string") throw new CorruptIndex("string expected");
  return v;
}
function arr(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new CorruptIndex("array expected");
  return v;
}
function tokensAt(r: readonly unknown[], i: number): TokenCounts {
  return { input: num(r[i]), output: num(r[i + 1]), cacheWrite5m: num(r[i + 2]), cacheWrite1h: num(r[i + 3]), cacheRead: num(r[i + 4]) };
}
// Shared by every bucket without recorded costs (one object fewer per bucket); frozen, and the
// ledger gives a bucket its own counts before adding to them.
const ZERO: TokenCounts = ZERO_TOKENS;
const hasTokens = (t: TokenCounts): boolean => t.input !== 0 || t.output !== 0 || t.cacheWrite5m !== 0 || t.cacheWrite1h !== 0 || t.cacheRead !== 0;

function encodeFile(path: string, f: FileState): unknown[] {
  return [path, f.size, f.mtimeMs, f.ino, f.offset, f.line, f.skipping ? 1 : 0, f.head];
}
function decodeFile(v: unknown, strings: readonly string[]): [string, FileState] {
  const r = arr(v);
  if (r.length !== 8) throw new CorruptIndex("file row length");
  // Snapshot rows name the directory by string-table index: [[dir, name], ...].
  const path = Array.isArray(r[0]) ? `${str(strings[num(r[0][0])])}${sep}${str(r[0][1])}` : str(r[0]);
  const f: FileState = {
    size: num(r[1]),
    mtimeMs: num(r[2]),
    ino: num(r[3]),
    offset: num(r[4]),
    line: num(r[5]),
    skipping: num(r[6]) === 1,
    head: str(r[7]),
  };
  if (f.offset < 0 || f.line < 0) throw new CorruptIndex("file row offset");
  return [path, f];
}

/** A journal line's bucket: [start, model, session, project, minTs, maxTs, calls, sidechain, 5 tokens, (reportedCost, 5 tokens)]. */
function encodeBucketRow(b: Bucket): unknown[] {
  const t = b.tokens;
  const row: unknown[] = [b.start, b.model, b.sessionId, b.project, b.minTs, b.maxTs, b.calls, b.sidechainCalls, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];
  if (hasReported(b)) {
    const r = b.reportedTokens;
    row.push(b.reportedCost, r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead);
  }
  return row;
}
function decodeBucketRow(v: unknown): Bucket {
  const r = arr(v);
  if (r.length !== 13 && r.length !== 19) throw new CorruptIndex("bucket row length");
  return {
    start: num(r[0]),
    model: str(r[1]),
    sessionId: str(r[2]),
    project: str(r[3]),
    minTs: num(r[4]),
    maxTs: num(r[5]),
    calls: num(r[6]),
    sidechainCalls: num(r[7]),
    tokens: tokensAt(r, 8),
    reportedCost: r.length === 19 ? num(r[13]) : 0,
    reportedTokens: r.length === 19 ? tokensAt(r, 14) : { ...ZERO },
  };
}
const hasReported = (b: Bucket): boolean => b.reportedCost !== 0 || hasTokens(b.reportedTokens);

const STRIDE = 13;

/** Snapshot buckets: the flat array and the reported-cost rows ([bucket index, cost, 5 tokens]). */
function encodeBuckets(buckets: readonly Bucket[], name: (s: string) => number): { flat: number[]; reported: number[][] } {
  const flat: number[] = [];
  const reported: number[][] = [];
  for (const b of buckets) {
    const slot = b.start / BUCKET_MS;
    if (!Number.isInteger(slot)) throw new Error(`bucket start ${b.start} is not on a 15-minute boundary`);
    const t = b.tokens;
    if (hasReported(b)) {
      const r = b.reportedTokens;
      reported.push([flat.length / STRIDE, b.reportedCost, r.input, r.output, r.cacheWrite5m, r.cacheWrite1h, r.cacheRead]);
    }
    flat.push(slot, name(b.model), name(b.sessionId), name(b.project), b.minTs - b.start, b.maxTs - b.start, b.calls, b.sidechainCalls, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead);
  }
  return { flat, reported };
}
function decodeBuckets(flatValue: unknown, reportedValue: unknown, strings: readonly string[]): Bucket[] {
  const flat = arr(flatValue);
  if (flat.length % STRIDE !== 0) throw new CorruptIndex("bucket array length");
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new CorruptIndex("bucket number expected");
  }
  const n = flat as number[];
  const name = (i: number): string => {
    const s = strings[i];
    if (typeof s !== "string") throw new CorruptIndex("bucket string index");
    return s;
  };
  const out: Bucket[] = new Array(n.length / STRIDE);
  for (let i = 0, k = 0; i < n.length; i += STRIDE, k++) {
    const start = n[i]! * BUCKET_MS;
    out[k] = {
      start,
      model: name(n[i + 1]!),
      sessionId: name(n[i + 2]!),
      project: name(n[i + 3]!),
      minTs: start + n[i + 4]!,
      maxTs: start + n[i + 5]!,
      calls: n[i + 6]!,
      sidechainCalls: n[i + 7]!,
      tokens: { input: n[i + 8]!, output: n[i + 9]!, cacheWrite5m: n[i + 10]!, cacheWrite1h: n[i + 11]!, cacheRead: n[i + 12]! },
      reportedCost: 0,
      reportedTokens: ZERO,
    };
  }
  for (const v of arr(reportedValue)) {
    const r = arr(v);
    if (r.length !== 7) throw new CorruptIndex("reported row length");
    const b = out[num(r[0])];
    if (!b) throw new CorruptIndex("reported row index");
    b.reportedCost = num(r[1]);
    b.reportedTokens = tokensAt(r, 2);
  }
  return out;
}

function encodeEntry(e: UsageEntry): unknown[] {
  const t = e.tokens;
  return [e.key, e.timestamp, e.model, e.sessionId, e.project, e.cwd, e.isSidechain ? 1 : 0, e.costUSD, t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];
}
function decodeEntry(v: unknown): UsageEntry {
  const r = arr(v);
  if (r.length !== 13) throw new CorruptIndex("entry row length");
  return {
    key: str(r[0]),
    timestamp: num(r[1]),
    model: str(r[2]),
    sessionId: str(r[3]),
    project: str(r[4]),
    cwd: r[5] === null ? null : str(r[5]),
    isSidechain: r[6] === 1,
    costUSD: r[7] === null ? null : num(r[7]),
    tokens: tokensAt(r, 8),
  };
}

function decodeEvent(v: unknown): LimitEvent {
  if (typeof v !== "object" || v === null) throw new CorruptIndex("event is not an object");
  const e = v as Record<string, unknown>;
  return { timestamp: num(e.timestamp), text: str(e.text), sessionId: str(e.sessionId), project: str(e.project) };
}

export function mergeEvents(old: readonly LimitEvent[], added: readonly LimitEvent[]): LimitEvent[] {
  if (added.length === 0) return [...old];
  const byId = new Map<string, LimitEvent>();
  for (const e of [...old, ...added]) byId.set(`${e.timestamp}\u0000${e.sessionId}\u0000${e.text}`, e);
  return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp).slice(-MAX_EVENTS);
}

export const bucketId = (b: Pick<Bucket, "start" | "model" | "sessionId">): string => `${b.start}\u0000${b.model}\u0000${b.sessionId}`;

// --- reading -------------------------------------------------------------------------------

function object(v: unknown): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new CorruptIndex("object expected");
  return v as Record<string, unknown>;
}

/**
 * The index at `path`: null when missing or written by another version (rebuilt quietly),
 * else the snapshot with every applicable journal line applied. Throws CorruptIndex.
 */
export function readIndex(path: string): LoadedIndex | null {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    return null;
  }
  const nl = buf.indexOf(10);
  const snapEnd = nl < 0 ? buf.length : nl;
  let snap: Record<string, unknown>;
  try {
    snap = object(JSON.parse(buf.toString("utf8", 0, snapEnd)));
  } catch (err) {
    throw err instanceof CorruptIndex ? err : new CorruptIndex(err instanceof Error ? err.message : String(err));
  }
  // An index written by another version is outdated, not corrupt.
  if (snap.version !== INDEX_VERSION) {
    if (typeof snap.version === "number") return null;
    throw new CorruptIndex("no version");
  }
  const snapshotId = str(snap.id);
  const strings = arr(snap.strings).map(str);
  const files = new Map(arr(snap.files).map((f) => decodeFile(f, strings)));
  const buckets = decodeBuckets(snap.buckets, snap.reported, strings);
  const recent = new Map<string, UsageEntry>();
  for (const e of arr(snap.recent)) {
    const entry = decodeEntry(e);
    recent.set(entry.key!, entry);
  }
  let events = arr(snap.events).map(decodeEvent);
  const retired = [str(snap.retired)];

  // Journal lines, in order; each applies only where its writer's load ended (see above).
  const changedBuckets = new Map<string, Bucket>();
  let appendable = nl >= 0;
  let at = snapEnd + 1;
  while (at < buf.length) {
    let end = buf.indexOf(10, at);
    if (end < 0) {
      appendable = false; // torn append
      end = buf.length;
    }
    let line: Record<string, unknown> | null = null;
    try {
      line = object(JSON.parse(buf.toString("utf8", at, end)));
    } catch {
      line = null; // torn or garbled: skipped whole
    }
    if (line !== null && line.base === at && line.snap === snapshotId) {
      for (const f of arr(line.files)) {
        const [p, state] = decodeFile(f, strings);
        files.set(p, state);
      }
      for (const p of arr(line.gone)) files.delete(str(p));
      for (const b of arr(line.buckets)) {
        const bucket = decodeBucketRow(b);
        changedBuckets.set(bucketId(bucket), bucket);
      }
      for (const e of arr(line.recent)) {
        const entry = decodeEntry(e);
        recent.set(entry.key!, entry);
      }
      for (const k of arr(line.recentGone)) recent.delete(str(k));
      retired.push(str(line.retired));
      events = mergeEvents(events, arr(line.events).map(decodeEvent));
    }
    at = end + 1;
  }

  let merged = buckets;
  if (changedBuckets.size > 0) {
    // Only buckets whose start a journal line touched need a key built.
    const starts = new Set([...changedBuckets.values()].map((b) => b.start));
    merged = [];
    for (const b of buckets) {
      if (starts.has(b.start)) {
        const id = bucketId(b);
        const changed = changedBuckets.get(id);
        if (changed) {
          changedBuckets.delete(id);
          if (changed.calls > 0) merged.push(changed);
          continue;
        }
      }
      merged.push(b);
    }
    for (const b of changedBuckets.values()) if (b.calls > 0) merged.push(b);
  }
  return {
    files,
    buckets: merged,
    recent: [...recent.values()],
    events,
    retired,
    snapshotId,
    length: buf.length,
    snapshotBytes: snapEnd,
    journalBytes: buf.length - Math.min(buf.length, snapEnd + 1),
    appendable,
  };
}

// --- writing -------------------------------------------------------------------------------

function ensureDir(stateDir: string): void {
  mkdirSync(join(stateDir, "transcripts"), { recursive: true, mode: 0o700 });
}

/** Writes a fresh snapshot atomically. `retired`: every hash, one sorted block. */
export function writeSnapshot(stateDir: string, state: Omit<IndexState, "retired">, retired: string): void {
  ensureDir(stateDir);
  const strings: string[] = [];
  const ids = new Map<string, number>();
  const name = (s: string): number => {
    let i = ids.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      ids.set(s, i);
    }
    return i;
  };
  const { flat, reported } = encodeBuckets(
    state.buckets.filter((b) => b.calls > 0),
    name,
  );
  const files = [...state.files].map(([p, f]) => {
    const cut = p.lastIndexOf(sep);
    const row = encodeFile(p, f);
    if (cut > 0) row[0] = [name(p.slice(0, cut)), p.slice(cut + 1)];
    return row;
  });
  const body = JSON.stringify({
    version: INDEX_VERSION,
    id: uniqueHex(8),
    strings,
    files,
    buckets: flat,
    reported,
    recent: state.recent.map(encodeEntry),
    events: state.events,
    retired,
  });
  const path = indexPath(stateDir);
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, `${body}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** The journal line for `delta`, to append to the index `snap` loaded at `base` bytes. */
export function journalLine(snap: string, base: number, delta: IndexDelta): string {
  return `${JSON.stringify({
    snap,
    base,
    files: delta.files.map(([p, f]) => encodeFile(p, f)),
    gone: delta.gone,
    buckets: delta.buckets.map(encodeBucketRow),
    recent: delta.recent.map(encodeEntry),
    recentGone: delta.recentGone,
    retired: delta.retired,
    events: delta.events,
  })}\n`;
}

/** Appends one journal line (a single write with O_APPEND). */
export function appendJournal(stateDir: string, line: string): void {
  appendFileSync(indexPath(stateDir), line, { mode: 0o600 });
}
