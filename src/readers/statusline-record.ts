// Status-line records in the state dir (SPEC 3.2.2, 7.1): `usagetop statusline` stores what
// Claude Code's stdin carried as `statusline/<session>.json` (`latest.json` without a session id),
// atomically and 0600; the statusline reader serves the young ones. Zero network.
import { readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { ensureStateDir, writeFileAtomic } from "../store/atomic-file.js";
import { parseStatusInput, type StatusFacts } from "./parse-statusline.js";

export const STATUS_RECORD_DIR = "statusline";
/** Records older than this are deleted when a new one is written: sessions end, files should not pile up. */
const PRUNE_AFTER_MS = 24 * 3600_000;

export type StatusRecord = {
  schemaVersion: 1;
  recordedAt: string;
  sessionId: string | null;
  model: string | null;
  costUsd: number | null;
  /**
   * What the session spent before its cost figure last went back down: since Claude Code 2.1.211
   * `/clear` resets `cost.total_cost_usd` (FORMATS §5), so the figure alone would forget it.
   * Absent in records written before this field (read as 0).
   */
  costBeforeResetUsd?: number;
  windows: Record<string, { usedPercentage: number; resetsAt: number | null }>;
};

/** The session's whole spend: what was banked at earlier resets plus the figure now. */
export function sessionSpend(r: Pick<StatusRecord, "costUsd" | "costBeforeResetUsd">): number | null {
  return r.costUsd === null ? null : (r.costBeforeResetUsd ?? 0) + r.costUsd;
}

/**
 * What a record following `prev` (same session) banks: a cost figure lower than the one before
 * means the counter was reset, so the one before is added to what was already banked.
 */
export function bankedBefore(prev: Pick<StatusRecord, "costUsd" | "costBeforeResetUsd"> | null, nextCost: number | null): number {
  if (prev === null) return 0;
  const banked = prev.costBeforeResetUsd ?? 0;
  return prev.costUsd !== null && nextCost !== null && nextCost < prev.costUsd ? banked + prev.costUsd : banked;
}

// Checked by hand, not with zod: `usagetop statusline` runs on every Claude Code refresh and
// must print within ~50 ms of Node starting (SPEC 6.5); a few flat checks do not justify loading
// even zod/mini's core (~45 KB) on that path.
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const nullableString = (v: unknown) => v === null || typeof v === "string";
const nullableNumber = (v: unknown) => v === null || (typeof v === "number" && Number.isFinite(v));

/** The record, or the first field that is wrong (named as zod would: `windows.five_hour.resetsAt`). */
export function checkStatusRecord(v: unknown): { ok: true; value: StatusRecord } | { ok: false; reason: string } {
  const bad = (field: string) => ({ ok: false as const, reason: `field ${field}: invalid` });
  if (!isObject(v)) return bad("(root)");
  if (v.schemaVersion !== 1) return bad("schemaVersion");
  if (typeof v.recordedAt !== "string") return bad("recordedAt");
  if (!nullableString(v.sessionId)) return bad("sessionId");
  if (!nullableString(v.model)) return bad("model");
  if (!nullableNumber(v.costUsd)) return bad("costUsd");
  if (v.costBeforeResetUsd !== undefined && !(typeof v.costBeforeResetUsd === "number" && Number.isFinite(v.costBeforeResetUsd) && v.costBeforeResetUsd >= 0)) return bad("costBeforeResetUsd");
  if (!isObject(v.windows)) return bad("windows");
  for (const [k, w] of Object.entries(v.windows)) {
    if (!isObject(w)) return bad(`windows.${k}`);
    if (typeof w.usedPercentage !== "number" || !Number.isFinite(w.usedPercentage) || w.usedPercentage < 0) return bad(`windows.${k}.usedPercentage`);
    if (!nullableNumber(w.resetsAt)) return bad(`windows.${k}.resetsAt`);
  }
  return { ok: true, value: v as StatusRecord };
}

function readRecord(path: string): { ok: true; value: StatusRecord } | { ok: false; corrupt: boolean; reason: string } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    return { ok: false, corrupt: false, reason: (err as NodeJS.ErrnoException).code ?? "unreadable" };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, corrupt: true, reason: `not JSON (${(err as Error).message})` };
  }
  const checked = checkStatusRecord(json);
  return checked.ok ? checked : { ok: false, corrupt: true, reason: checked.reason };
}

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
  const dir = statusRecordDir(stateDir);
  const path = join(dir, recordFileName(facts.sessionId));
  // The session's own previous record (latest.json is shared by sessions without an id: no banking there).
  const prev = facts.sessionId !== null && path !== join(dir, "latest.json") ? readRecord(path) : null;
  const banked = bankedBefore(prev?.ok ? prev.value : null, facts.costUsd);
  const record: StatusRecord = {
    schemaVersion: 1,
    recordedAt: now.toISOString(),
    sessionId: facts.sessionId,
    model: facts.model,
    costUsd: facts.costUsd,
    ...(banked > 0 ? { costBeforeResetUsd: banked } : {}),
    windows: facts.windows,
  };
  try {
    ensureStateDir(stateDir);
    ensureStateDir(dir);
    // Not fsynced: rewritten on every refresh, and a lost record is harmless (SPEC 6.5 budget).
    writeFileAtomic(path, `${JSON.stringify(record)}\n`, 0o600, { durable: false });
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
    const read = readRecord(p);
    if (!read.ok) {
      if (read.corrupt) warnings.push(`${p}: ${read.reason}`);
      continue;
    }
    const observedAt = new Date(read.value.recordedAt);
    if (Number.isNaN(observedAt.getTime()) || observedAt.getTime() < oldest) continue;
    records.push({ ...read.value, observedAt });
  }
  records.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
  return { records, warnings };
}
