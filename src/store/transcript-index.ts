// The incremental transcript index (SPEC 3.2.7, 7.1). Per file it remembers (size, mtime,
// inode, offset, line, head bytes), so a run reads only appended bytes; with it the ledger's
// aggregates (which outlive deleted transcripts: Claude Code removes them after ~30 days) and
// its dedup keys. On disk: a snapshot plus a journal of later runs' changes
// (transcript-index-file.ts), so a run that read a few new lines appends a few hundred bytes,
// and one that found nothing new writes nothing and never decodes the dedup key hashes.
import { renameSync, statSync } from "node:fs";
import { UsageLedger, DEFAULT_HORIZON_MS, type Bucket } from "../model/usage-ledger.js";
import type { LimitEvent, UsageEntry } from "../model/usage-entry.js";
import { DEFAULT_SCAN, HEAD_BYTES, headSignature, listTranscriptFiles, scanFile, type ScanOptions, type TranscriptFile } from "../readers/transcript-files.js";
import { RetiredKeySet } from "./retired-keys.js";
import {
  appendJournal,
  CorruptIndex,
  emptyIndex,
  indexPath,
  journalLine,
  mergeEvents,
  readIndex,
  writeSnapshot,
  type FileState,
  type LoadedIndex,
} from "./transcript-index-file.js";

export { INDEX_VERSION } from "./transcript-index-file.js";

/** A journal longer than this share of the snapshot (or than JOURNAL_MIN_BYTES, whichever is more) is folded into a new snapshot. */
const JOURNAL_SHARE = 0.25;
const JOURNAL_MIN_BYTES = 64 * 1024;

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

function loadIndex(stateDir: string | null, now: Date, warnings: string[]): LoadedIndex {
  if (stateDir === null) return emptyIndex();
  const path = indexPath(stateDir);
  try {
    return readIndex(path) ?? emptyIndex();
  } catch (err) {
    if (!(err instanceof CorruptIndex)) throw err;
    const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, "-")}`;
    try {
      renameSync(path, aside);
    } catch {
      // Another process moved it first: nothing left to move.
    }
    warnings.push(`transcript index was corrupt (${err.message}): moved to ${aside} and rebuilt`);
    return emptyIndex();
  }
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
  const plan = files.map((file) => ({ file, prev: loaded.files.get(file.path), start: resumePoint(file, loaded.files.get(file.path)) }));
  const gone = [...loaded.files.keys()].filter((p) => !listed.has(p));
  if (gone.length === 0 && plan.every((p) => p.start === null) && !loaded.recent.some((e) => e.timestamp < cutoff)) {
    // Nothing new: the stored aggregates are the answer, no ledger to rebuild, nothing to write.
    return { buckets: loaded.buckets, recent: loaded.recent, events: loaded.events, warnings, stats };
  }

  const retired = new RetiredKeySet(loaded.retired);
  // Changes are only worth tracking when they can become a journal line.
  const ledger = new UsageLedger(retired, { buckets: loaded.buckets, recent: loaded.recent }, loaded.appendable);
  const newEvents: LimitEvent[] = [];
  let firstInvalid: string | null = null;
  let firstOversized: string | null = null;
  let invalidFiles = 0;
  const changedFiles: [string, FileState][] = [];

  for (const { file, prev, start } of plan) {
    if (!start) continue;
    const r = scanFile(
      file,
      start,
      (parsed, lineStart) => {
        // The `<path>:<offset>` stand-in key only for lines without message.id: a string per line otherwise.
        if (parsed.kind === "usage") ledger.add(parsed.entry, parsed.entry.key === null ? `${file.path}:${lineStart}` : "");
        else if (parsed.kind === "repeat") ledger.repeat();
        else if (parsed.kind === "limit") newEvents.push(parsed.event);
      },
      scan,
    );
    if (r.error !== null) {
      warnings.push(`${file.path}: not read (${r.error})`);
      continue;
    }
    stats.filesRead++;
    stats.bytesRead += r.bytesRead;
    stats.invalid += r.invalid;
    stats.oversized += r.oversized;
    if (r.firstInvalid) {
      invalidFiles++;
      firstInvalid ??= `${file.path}:${r.firstInvalid.line}: ${r.firstInvalid.reason}`;
    }
    if (r.firstOversized !== null) firstOversized ??= `${file.path}:${r.firstOversized}`;
    changedFiles.push([
      file.path,
      {
        size: r.size,
        mtimeMs: r.mtimeMs,
        ino: r.ino,
        offset: r.offset,
        line: r.line,
        skipping: r.skipping,
        // Read with the first chunk; a file resumed mid-way kept its head (resumePoint checked it).
        head: r.head ?? (prev && start.offset > 0 && prev.head.length === HEAD_BYTES * 2 ? prev.head : (headSignature(file.path, HEAD_BYTES) ?? "")),
      },
    ]);
  }
  if (stats.invalid > 0) {
    warnings.push(`${stats.invalid} invalid transcript line(s) skipped in ${invalidFiles} file(s); first at ${firstInvalid}`);
  }
  if (stats.oversized > 0) {
    warnings.push(`${stats.oversized} transcript line(s) over ${scan.lineCap} bytes skipped; first at ${firstOversized}`);
  }

  ledger.retire(cutoff);
  Object.assign(stats, ledger.stats);

  const events = mergeEvents(loaded.events, newEvents);
  const state = ledger.toState();
  const changes = ledger.changes();
  const changed = gone.length > 0 || changedFiles.length > 0 || changes.recentGone.length > 0 || retired.changed;
  if (changed && options.stateDir !== null) {
    try {
      // A journal line only extends a whole index, and only while the journal stays short.
      const journal = loaded.appendable
        ? journalLine(loaded.snapshotId, loaded.length, {
            files: changedFiles,
            gone,
            buckets: changes.buckets,
            recent: changes.recent,
            recentGone: changes.recentGone,
            retired: retired.encodeAdded(),
            events: newEvents,
          })
        : null;
      if (journal !== null && loaded.journalBytes + journal.length <= Math.max(JOURNAL_MIN_BYTES, loaded.snapshotBytes * JOURNAL_SHARE)) {
        appendJournal(options.stateDir, journal);
      } else {
        const nextFiles = new Map(loaded.files);
        for (const p of gone) nextFiles.delete(p);
        for (const [p, f] of changedFiles) nextFiles.set(p, f);
        writeSnapshot(options.stateDir, { files: nextFiles, buckets: state.buckets, recent: state.recent, events }, retired.encodeAll());
      }
    } catch (err) {
      warnings.push(`transcript index not saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { buckets: state.buckets, recent: state.recent, events, warnings, stats };
}
