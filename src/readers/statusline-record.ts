// Status-line records in the state dir (SPEC 3.2.2, 7.1): `usagetop statusline` stores what
// Claude Code's stdin carried as `statusline/<session>.json` (`latest.json` without a session id),
// atomically and 0600; the statusline reader serves the young ones. Zero network.
import { readdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ensureStateDir, readJsonFile, writeFileAtomic } from "../store/atomic-file.js";
import { parseStatusInput, type StatusFacts } from "./parse-statusline.js";

export const STATUS_RECORD_DIR = "statusline";
/** Records older than this are deleted when a new one is written: sessions end, files should not pile up. */
const PRUNE_AFTER_MS = 24 * 3600_000;

const RecordSchema = z.object({
  schemaVersion: z.literal(1),
  recordedAt: z.string(),
  sessionId: z.string().nullable(),
  model: z.string().nullable(),
  costUsd: z.number().nullable(),
  windows: z.record(z.string(), z.object({ usedPercentage: z.number().nonnegative(), resetsAt: z.number().nullable() })),
});
export type StatusRecord = z.infer<typeof RecordSchema>;

export type RecordOutcome = { recorded: true; path: string; facts: StatusFacts } | { recorded: false; reason: string };

export function statusRecordDir(stateDir: string): string {
  return join(stateDir, STATUS_RECORD_DIR);
}

function recordFileName(sessionId: string | null): string {
  return sessionId !== null && /^[A-Za-z0-9_-]{1,100}$/.test(sessionId) ? `${sessionId}.json` : "latest.json";
}

function prune(dir: string, now: Date): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = join(dir, name);
    try {
      if (now.getTime() - statSync(p).mtimeMs > PRUNE_AFTER_MS) unlinkSync(p);
    } catch {
      // another process pruned it first
    }
  }
}

/** Stores what the status-line stdin carried. Never throws: a status line must never break. */
export function recordStatus(stateDir: string, text: string, now: Date): RecordOutcome {
  const parsed = parseStatusInput(text);
  if (!parsed.ok) return { recorded: false, reason: parsed.reason };
  const { facts } = parsed;
  const record: StatusRecord = {
    schemaVersion: 1,
    recordedAt: now.toISOString(),
    sessionId: facts.sessionId,
    model: facts.model,
    costUsd: facts.costUsd,
    windows: facts.windows,
  };
  const dir = statusRecordDir(stateDir);
  const path = join(dir, recordFileName(facts.sessionId));
  try {
    ensureStateDir(stateDir);
    ensureStateDir(dir);
    writeFileAtomic(path, `${JSON.stringify(record)}\n`, 0o600);
  } catch (err) {
    return { recorded: false, reason: `cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
  prune(dir, now);
  return { recorded: true, path, facts };
}

export type LoadedRecords = { records: Array<StatusRecord & { observedAt: Date }>; warnings: string[] };

/** Records younger than `maxAgeSeconds`, oldest first. A torn or foreign file is skipped with a warning. */
export function loadStatusRecords(stateDir: string, now: Date, maxAgeSeconds: number): LoadedRecords {
  const dir = statusRecordDir(stateDir);
  const warnings: string[] = [];
  const records: LoadedRecords["records"] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json") && !n.startsWith("."));
  } catch {
    return { records, warnings };
  }
  const oldest = now.getTime() - maxAgeSeconds * 1000;
  for (const name of names) {
    const p = join(dir, name);
    try {
      if (statSync(p).mtimeMs < oldest) continue;
    } catch {
      continue;
    }
    const read = readJsonFile(p, RecordSchema);
    if (!read.ok) {
      if ("corrupt" in read) warnings.push(`${p}: ${read.reason}`);
      continue;
    }
    const observedAt = new Date(read.value.recordedAt);
    if (Number.isNaN(observedAt.getTime()) || observedAt.getTime() < oldest) continue;
    records.push({ ...read.value, observedAt });
  }
  records.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
  return { records, warnings };
}
