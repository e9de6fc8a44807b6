// The incremental transcript index (SPEC 3.2.7, 7.1) in `<stateDir>/transcripts/index.json`.
// Per file it remembers (size, mtime, inode, offset, line, head bytes), so a second run reads
// only appended bytes; with it the ledger's aggregates (which outlive deleted transcripts:
// Claude Code removes them after ~30 days) and its dedup keys. One file, written atomically
// (temp + rename, 0600), so a reader never sees a half-written index, and concurrent usagetop
// processes at worst redo each other's work: the last rename wins and both results are whole.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { UsageLedger, DEFAULT_HORIZON_MS, type Bucket, type LedgerState, type RetiredKeys } from "../model/usage-ledger.js";
import type { LimitEvent, TokenCounts, UsageEntry } from "../model/usage-entry.js";
import { DEFAULT_SCAN, HEAD_BYTES, headSignature, listTranscriptFiles, scanFile, type ScanOptions, type TranscriptFile } from "../readers/transcript-files.js";

export const INDEX_VERSION = 1;
const MAX_EVENTS = 200;

type FileState = {
  size: number;
  mtimeMs: number;
  ino: number;
  offset: number;
  line: number;
  skipping: boolean;
  head: string;
  project: string;
  fileSession: string;
};

// Rows are stored as flat arrays (a heavy user has tens of thousands of buckets and files):
// zod checks the small parts of the envelope; the bulk (files, buckets, recent calls) is checked
// row by row in plain code (decodeFile/decodeBucket/decodeEntry), since zod's per-element cost
// dominated a warm run over 500 MB of logs. Anything of the wrong shape makes the index corrupt.
const IndexSchema = z.object({
  version: z.literal(INDEX_VERSION),
  files: z.record(z.string(), z.unknown()),
  buckets: z.array(z.unknown()),
  recent: z.array(z.unknown()),
  events: z.array(z.object({ timestamp: z.number(), text: z.string(), sessionId: z.string(), project: z.string() })),
  retired: z.string(),
});

function row(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new CorruptIndex("row is not an array");
  return v;
}

function decodeFile(v: unknown): FileState {
  if (typeof v !== "object" || v === null) throw new CorruptIndex("file entry is not an object");
  const f = v as Record<string, unknown>;
  if (typeof f.skipping !== "boolean") throw new CorruptIndex("file entry skipping");
  const state: FileState = {
    size: num(f.size),
    mtimeMs: num(f.mtimeMs),
    ino: num(f.ino),
    offset: num(f.offset),
    line: num(f.line),
    skipping: f.skipping,
    head: str(f.head),
    project: str(f.project),
    fileSession: str(f.fileSession),
  };
  if (state.offset < 0 || state.line < 0) throw new CorruptIndex("file entry offset");
  return state;
}

class CorruptIndex extends Error {}

function num(v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new CorruptIndex("number expected");
  return v;
}
function str(v: unknown): string {
  if (typeof v !== "string") throw new CorruptIndex("string expected");
  return v;
}
function tokensAt(row: readonly unknown[], i: number): TokenCounts {
  return { input: num(row[i]), output: num(row[i + 1]), cacheWrite5m: num(row[i + 2]), cacheWrite1h: num(row[i + 3]), cacheRead: num(row[i + 4]) };
}
const tokenRow = (t: TokenCounts): number[] => [t.input, t.output, t.cacheWrite5m, t.cacheWrite1h, t.cacheRead];

function encodeBucket(b: Bucket): (number | string)[] {
  return [b.start, b.model, b.sessionId, b.project, b.minTs, b.maxTs, b.calls, b.sidechainCalls, b.reportedCost, ...tokenRow(b.tokens), ...tokenRow(b.reportedTokens)];
}
function decodeBucket(r: readonly unknown[]): Bucket {
  if (r.length !== 19) throw new CorruptIndex("bucket row length");
  return {
    start: num(r[0]),
    model: str(r[1]),
    sessionId: str(r[2]),
    project: str(r[3]),
    minTs: num(r[4]),
    maxTs: num(r[5]),
    calls: num(r[6]),
    sidechainCalls: num(r[7]),
    reportedCost: num(r[8]),
    tokens: tokensAt(r, 9),
    reportedTokens: tokensAt(r, 14),
  };
}
function encodeEntry(e: UsageEntry): (number | string | boolean | null)[] {
  return [e.key, e.timestamp, e.model, e.sessionId, e.project, e.cwd, e.isSidechain, e.costUSD, ...tokenRow(e.tokens)];
}
function decodeEntry(r: readonly unknown[]): UsageEntry {
  if (r.length !== 13) throw new CorruptIndex("entry row length");
  return {
    key: str(r[0]),
    timestamp: num(r[1]),
    model: str(r[2]),
    sessionId: str(r[3]),
    project: str(r[4]),
    cwd: r[5] === null ? null : str(r[5]),
    isSidechain: r[6] === true,
    costUSD: r[7] === null ? null : num(r[7]),
    tokens: tokensAt(r, 8),
  };
}

/** Retired key hashes, kept base64-encoded until the first lookup needs them (a warm run often never does). */
class RetiredKeySet implements RetiredKeys {
  private set: Set<number> | null = null;
  private dirty = false;
  constructor(private encoded: string) {}
  private load(): Set<number> {
    if (this.set) return this.set;
    const bytes = Buffer.from(this.encoded, "base64");
    const usable = bytes.length - (bytes.length % 8);
    const aligned = new Float64Array(usable / 8);
    Buffer.from(aligned.buffer).set(bytes.subarray(0, usable));
    this.set = new Set(aligned);
    return this.set;
  }
  get empty(): boolean {
    return this.set === null ? this.encoded === "" : this.set.size === 0;
  }
  has(hash: number): boolean {
    return this.load().has(hash);
  }
  add(hash: number): void {
    const set = this.load();
    if (!set.has(hash)) {
      set.add(hash);
      this.dirty = true;
    }
  }
  get changed(): boolean {
    return this.dirty;
  }
  encode(): string {
    if (!this.set || !this.dirty) return this.encoded;
    const arr = Float64Array.from(this.set);
    this.encoded = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).toString("base64");
    this.dirty = false;
    return this.encoded;
  }
}

export type TranscriptStats = {
  files: number;
  filesRead: number;
  /** Bytes read from transcripts in this run (the incremental tests watch this). */
  bytesRead: number;
  invalid: number;
  oversized: number;
  added: number;
  replaced: number;
  duplicates: number;
};

export type TranscriptData = {
  buckets: Bucket[];
  /** Calls newer than the horizon, one per dedup key. */
  recent: UsageEntry[];
  events: LimitEvent[];
  warnings: string[];
  stats: TranscriptStats;
};

export type IndexOptions = {
  /** State dir; null keeps everything in memory (nothing persisted). */
  stateDir: string | null;
  claudeDirs: readonly string[];
  now: Date;
  horizonMs?: number;
  scan?: ScanOptions;
};

type Loaded = { files: Record<string, FileState>; ledger: LedgerState; events: LimitEvent[]; retired: string };

function emptyIndex(): Loaded {
  return { files: {}, ledger: { buckets: [], recent: [] }, events: [], retired: "" };
}

function indexPath(stateDir: string): string {
  return join(stateDir, "transcripts", "index.json");
}

function loadIndex(stateDir: string | null, now: Date, warnings: string[]): Loaded {
  if (stateDir === null) return emptyIndex();
  const path = indexPath(stateDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return emptyIndex();
  }
  try {
    const raw: unknown = JSON.parse(text);
    const version = typeof raw === "object" && raw !== null ? (raw as { version?: unknown }).version : undefined;
    // An index written by another version is outdated, not corrupt: rebuild it quietly.
    if (typeof version === "number" && version !== INDEX_VERSION) return emptyIndex();
    const parsed = IndexSchema.safeParse(raw);
    if (!parsed.success) throw new CorruptIndex(parsed.error.issues[0]?.message ?? "bad shape");
    const files: Record<string, FileState> = {};
    for (const [path, f] of Object.entries(parsed.data.files)) files[path] = decodeFile(f);
    return {
      files,
      ledger: { buckets: parsed.data.buckets.map((b) => decodeBucket(row(b))), recent: parsed.data.recent.map((e) => decodeEntry(row(e))) },
      events: parsed.data.events,
      retired: parsed.data.retired,
    };
  } catch (err) {
    const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, "-")}`;
    try {
      renameSync(path, aside);
    } catch {
      // Another process moved it first: nothing left to move.
    }
    warnings.push(`transcript index was corrupt (${err instanceof Error ? err.message : String(err)}): moved to ${aside} and rebuilt`);
    return emptyIndex();
  }
}

function saveIndex(stateDir: string, data: Loaded, retired: RetiredKeySet): void {
  const dir = join(stateDir, "transcripts");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const body = JSON.stringify({
    version: INDEX_VERSION,
    files: data.files,
    buckets: data.ledger.buckets.map(encodeBucket),
    recent: data.ledger.recent.map(encodeEntry),
    events: data.events,
    retired: retired.encode(),
  });
  const path = indexPath(stateDir);
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, body, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** Where to resume a known file, or null when it is unchanged. */
function resumePoint(file: TranscriptFile, prev: FileState | undefined): { offset: number; line: number; skipping: boolean } | null {
  if (!prev) return { offset: 0, line: 0, skipping: false };
  let st;
  try {
    st = statSync(file.path);
  } catch {
    return null; // vanished between listing and reading: its days stay in the aggregates
  }
  if (st.size === prev.size && st.mtimeMs === prev.mtimeMs && st.ino === prev.ino) return null;
  const rewritten =
    st.ino !== prev.ino || st.size < prev.offset || headSignature(file.path, prev.head.length / 2) !== prev.head;
  // A rewritten file is read again from the start; its calls dedupe against those already counted.
  return rewritten ? { offset: 0, line: 0, skipping: false } : { offset: prev.offset, line: prev.line, skipping: prev.skipping };
}

/** Reads what changed since the last run, updates the index and returns the aggregates. */
export function loadTranscripts(options: IndexOptions): TranscriptData {
  const warnings: string[] = [];
  const loaded = loadIndex(options.stateDir, options.now, warnings);
  const files = listTranscriptFiles(options.claudeDirs);
  const scan = options.scan ?? DEFAULT_SCAN;
  const stats: TranscriptStats = { files: files.length, filesRead: 0, bytesRead: 0, invalid: 0, oversized: 0, added: 0, replaced: 0, duplicates: 0 };
  const cutoff = options.now.getTime() - (options.horizonMs ?? DEFAULT_HORIZON_MS);
  const listed = new Set(files.map((f) => f.path));
  const plan = files.map((file) => ({ file, prev: loaded.files[file.path], start: resumePoint(file, loaded.files[file.path]) }));
  const removed = Object.keys(loaded.files).some((p) => !listed.has(p));
  if (!removed && plan.every((p) => p.start === null) && !loaded.ledger.recent.some((e) => e.timestamp < cutoff)) {
    // Nothing new: the stored aggregates are the answer, no ledger to rebuild, nothing to write.
    return { buckets: loaded.ledger.buckets, recent: loaded.ledger.recent, events: loaded.events, warnings, stats };
  }

  const retired = new RetiredKeySet(loaded.retired);
  const ledger = new UsageLedger(retired, loaded.ledger);
  const newEvents: LimitEvent[] = [];
  let firstInvalid: string | null = null;
  let firstOversized: string | null = null;
  let invalidFiles = 0;
  const nextFiles: Record<string, FileState> = {};
  let changed = removed;

  for (const { file, prev, start } of plan) {
    if (!start) {
      if (prev) nextFiles[file.path] = prev;
      continue;
    }
    const r = scanFile(
      file,
      start,
      (parsed, lineStart) => {
        if (parsed.kind === "usage") ledger.add(parsed.entry, `${file.path}:${lineStart}`);
        else if (parsed.kind === "limit") newEvents.push(parsed.event);
      },
      scan,
    );
    if (r.error !== null) {
      warnings.push(`${file.path}: not read (${r.error})`);
      if (prev) nextFiles[file.path] = prev;
      continue;
    }
    changed = true;
    stats.filesRead++;
    stats.bytesRead += r.bytesRead;
    stats.invalid += r.invalid;
    stats.oversized += r.oversized;
    if (r.firstInvalid) {
      invalidFiles++;
      firstInvalid ??= `${file.path}:${r.firstInvalid.line}: ${r.firstInvalid.reason}`;
    }
    if (r.firstOversized !== null) firstOversized ??= `${file.path}:${r.firstOversized}`;
    nextFiles[file.path] = {
      size: r.size,
      mtimeMs: r.mtimeMs,
      ino: r.ino,
      offset: r.offset,
      line: r.line,
      skipping: r.skipping,
      head: headSignature(file.path, HEAD_BYTES) ?? "",
      project: file.project,
      fileSession: file.fileSession,
    };
  }
  if (stats.invalid > 0) {
    warnings.push(`${stats.invalid} invalid transcript line(s) skipped in ${invalidFiles} file(s); first at ${firstInvalid}`);
  }
  if (stats.oversized > 0) {
    warnings.push(`${stats.oversized} transcript line(s) over ${scan.lineCap} bytes skipped; first at ${firstOversized}`);
  }

  const before = ledger.recentEntries().length;
  ledger.retire(cutoff);
  if (ledger.recentEntries().length !== before) changed = true;
  Object.assign(stats, ledger.stats);

  const events = mergeEvents(loaded.events, newEvents);
  const state = ledger.toState();
  if (changed && options.stateDir !== null) {
    try {
      saveIndex(options.stateDir, { files: nextFiles, ledger: state, events, retired: "" }, retired);
    } catch (err) {
      warnings.push(`transcript index not saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { buckets: state.buckets, recent: state.recent, events, warnings, stats };
}

function mergeEvents(old: LimitEvent[], added: LimitEvent[]): LimitEvent[] {
  const byId = new Map<string, LimitEvent>();
  for (const e of [...old, ...added]) byId.set(`${e.timestamp}\u0000${e.sessionId}\u0000${e.text}`, e);
  return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp).slice(-MAX_EVENTS);
}
