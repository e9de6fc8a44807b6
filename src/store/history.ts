// Meter history per slot and kind (SPEC 3.4): a ring of `{t, u}` samples (t in epoch ms,
// u = utilisation 0..100) so forecasts survive restarts. Persisted as JSONL in
// `history/<slot>.jsonl`, one line per sample: `{"k":kind,"t":ms,"u":util}`.
//
// Several usagetop processes append to the same file: each sample is one write(2) of one short
// line on an O_APPEND descriptor, which the kernel places atomically at the end, so lines from
// different processes never interleave. Duplicates (two processes recording the same observation)
// are dropped on load. When the file grows past a bound it is compacted under `history/<slot>.lock`:
// rewritten atomically with the last N samples per kind from the last 8 days. A sample another
// process appends during that rewrite can be lost; history is a forecast aid, not a ledger.
import { closeSync, fstatSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import type { HistorySample } from "../model/meter.js";
import { ensureStateDir, writeFileAtomic } from "./atomic-file.js";
import { tryLock } from "./lock.js";

export const HISTORY_MAX_AGE_MS = 8 * 24 * 3600 * 1000;
/** 8 days of a 60 s poll, with room: the ring never holds more per kind. */
export const HISTORY_MAX_PER_KIND = 12_000;
/** Compact once the file is past this size (or twice its size after the last compaction). */
export const HISTORY_COMPACT_BYTES = 4 * 1024 * 1024;

export type HistoryOptions = { maxPerKind?: number; maxAgeMs?: number; compactBytes?: number };

const LineSchema = z.object({ k: z.string().check(z.minLength(1)), t: z.number().check(z.int(), z.nonnegative()), u: z.number() });

type Parsed = { byKind: Map<string, HistorySample[]>; corrupt: number; firstCorruptLine: number | null; tornTail: boolean };

function parseHistory(text: string): Parsed {
  const byKind = new Map<string, HistorySample[]>();
  let corrupt = 0;
  let firstCorruptLine: number | null = null;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    let ok = false;
    try {
      const p = LineSchema.safeParse(JSON.parse(line));
      if (p.success && Number.isFinite(p.data.u)) {
        let arr = byKind.get(p.data.k);
        if (!arr) byKind.set(p.data.k, (arr = []));
        arr.push({ t: p.data.t, u: p.data.u });
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) {
      corrupt++;
      firstCorruptLine ??= i + 1;
    }
  }
  return { byKind, corrupt, firstCorruptLine, tornTail: text.length > 0 && !text.endsWith("\n") };
}

/** Sorted by time, one sample per instant, within the age bound, at most `max` (the newest). */
function tidy(samples: HistorySample[], minT: number, max: number): HistorySample[] {
  samples.sort((a, b) => a.t - b.t);
  const out: HistorySample[] = [];
  for (const s of samples) {
    if (s.t < minT) continue;
    const last = out[out.length - 1];
    if (last && last.t === s.t) out[out.length - 1] = s;
    else out.push(s);
  }
  return out.length > max ? out.slice(out.length - max) : out;
}

function lineFor(kind: string, t: number, u: number): string {
  return `${JSON.stringify({ k: kind, t, u })}\n`;
}

function historyPathFor(stateDir: string, slot: string): string {
  if (!/^[a-z0-9_][a-z0-9_-]{0,63}$/.test(slot)) throw new Error(`invalid slot name for a history file: ${JSON.stringify(slot)}`);
  return join(stateDir, "history", `${slot}.jsonl`);
}

export class MeterHistory {
  /** One line for the user when corrupt lines were skipped on load (empty otherwise). */
  readonly warnings: string[] = [];
  /** Lines skipped on the last load or compaction because they were not valid samples. */
  corruptLines = 0;
  private firstCorrupt: number | null = null;
  private byKind = new Map<string, HistorySample[]>();
  private needsNewline = false;
  private compactAt: number;
  private readonly maxPerKind: number;
  private readonly maxAgeMs: number;
  private readonly compactBytes: number;

  private constructor(
    readonly path: string,
    opts: HistoryOptions,
  ) {
    this.maxPerKind = opts.maxPerKind ?? HISTORY_MAX_PER_KIND;
    this.maxAgeMs = opts.maxAgeMs ?? HISTORY_MAX_AGE_MS;
    this.compactBytes = opts.compactBytes ?? HISTORY_COMPACT_BYTES;
    this.compactAt = this.compactBytes;
  }

  /** Loads `history/<slot>.jsonl` (missing is empty), compacting it first when it is too big. */
  static load(stateDir: string, slot: string, now: Date, opts: HistoryOptions = {}): MeterHistory {
    const h = new MeterHistory(historyPathFor(stateDir, slot), opts);
    ensureStateDir(join(stateDir, "history"));
    let size = 0;
    try {
      size = statSync(h.path).size;
    } catch {
      size = 0;
    }
    if (size > h.compactAt) h.compact(now);
    else h.reload(now);
    if (h.corruptLines > 0) {
      h.warnings.push(`${h.path}: ${h.corruptLines} corrupt line(s) skipped (first at line ${h.firstCorrupt})`);
    }
    return h;
  }

  private readText(): string {
    try {
      return readFileSync(this.path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw err;
    }
  }

  private adopt(parsed: Parsed, now: Date): void {
    const minT = now.getTime() - this.maxAgeMs;
    this.byKind = new Map();
    for (const [kind, samples] of parsed.byKind) {
      const kept = tidy(samples, minT, this.maxPerKind);
      if (kept.length > 0) this.byKind.set(kind, kept);
    }
    this.corruptLines = parsed.corrupt;
    this.firstCorrupt = parsed.firstCorruptLine;
  }

  private reload(now: Date): void {
    const parsed = parseHistory(this.readText());
    this.adopt(parsed, now);
    this.needsNewline = parsed.tornTail;
  }

  /**
   * Rewrites the file with the last N samples per kind from the last 8 days (atomically, under
   * the history lock; skipped when another process is compacting right now).
   */
  compact(now: Date): void {
    // Real time for the lock: its staleness is judged against file mtimes.
    const got = tryLock(`${this.path.replace(/\.jsonl$/, "")}.lock`, new Date());
    if (!got.acquired) {
      this.reload(now);
      return;
    }
    try {
      // Re-read under the lock: other processes' appends belong in the compacted file too.
      const parsed = parseHistory(this.readText());
      this.adopt(parsed, now);
      let text = "";
      for (const [kind, samples] of this.byKind) for (const s of samples) text += lineFor(kind, s.t, s.u);
      writeFileAtomic(this.path, text);
      this.needsNewline = false;
      this.compactAt = Math.max(this.compactBytes, 2 * Buffer.byteLength(text));
    } finally {
      got.lock.release();
    }
  }

  /**
   * Records a sample; ignored (false) unless it is newer than the kind's last one, so a cached
   * value seen again, or seen by several processes, is stored once. `u` must be finite.
   */
  append(kind: string, t: number, u: number, now: Date): boolean {
    if (!Number.isFinite(u) || !Number.isInteger(t) || t < 0 || kind === "") return false;
    let samples = this.byKind.get(kind);
    const last = samples?.[samples.length - 1];
    if (last && t <= last.t) return false;
    if (!samples) this.byKind.set(kind, (samples = []));
    samples.push({ t, u });
    // Trim in batches so the ring costs O(1) amortised per sample.
    if (samples.length > this.maxPerKind * 1.25) samples.splice(0, samples.length - this.maxPerKind);

    // A line torn by a crash would swallow the next one; start ours on a fresh line.
    const line = (this.needsNewline ? "\n" : "") + lineFor(kind, t, u);
    const fd = openSync(this.path, "a", 0o600);
    let size: number;
    try {
      writeSync(fd, line);
      size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    this.needsNewline = false;
    if (size > this.compactAt) this.compact(now);
    return true;
  }

  /** Samples of `kind` with t ≥ sinceMs, oldest first. */
  samplesSince(kind: string, sinceMs: number): readonly HistorySample[] {
    const samples = this.byKind.get(kind);
    if (!samples) return [];
    let lo = 0;
    let hi = samples.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (samples[mid]!.t < sinceMs) lo = mid + 1;
      else hi = mid;
    }
    return samples.slice(lo);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}
