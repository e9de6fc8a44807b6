// Probe results (SPEC 5.2), kept in `<stateDir>/probes.json` so that `slots check` without
// --probe, the switch and the TUI can show the last live verdict and its age. A failed probe is
// remembered against the refresh token it tested (by hash): once Claude Code rotates the token or
// the slot is logged in again, the old verdict no longer describes the file.
import { join } from "node:path";
import * as z from "zod/mini";
import { ensureStateDir, moveAsideCorrupt, readJsonFile, writeFileAtomic } from "../store/atomic-file.js";
import { withLock } from "../store/lock.js";

export const PROBES_FILE = "probes.json";

export const ProbeRecordSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** Why it failed (or was skipped); null when ok. Never contains a token or a body. */
  reason: z.nullable(z.string()),
  /**
   * True when the answer proves something about the credentials (ok, or a 401 rejecting the
   * token); false for network errors, timeouts, 429s and 5xx, which say nothing about the slot.
   */
  conclusive: z.boolean(),
  accountUuid: z.nullable(z.string()),
  email: z.nullable(z.string()),
  refreshTokenSha256: z.nullable(z.string()),
});
export type ProbeRecord = z.infer<typeof ProbeRecordSchema>;

export const ProbeEntrySchema = z.object({
  last: ProbeRecordSchema,
  /** The newest conclusive result: what the switch trusts. */
  verdict: z.nullable(ProbeRecordSchema),
});
export type ProbeEntry = z.infer<typeof ProbeEntrySchema>;

const ProbesFileSchema = z.object({
  schemaVersion: z.literal(1),
  slots: z.record(z.string(), ProbeEntrySchema),
});
export type ProbesFile = z.infer<typeof ProbesFileSchema>;

export type ProbesRead = { probes: Record<string, ProbeEntry>; warning: string | null };

export function probesPath(stateDir: string): string {
  return join(stateDir, PROBES_FILE);
}

/** Reads probes.json; a corrupt file is reported (and, when `moveAside`, moved aside for rebuilding). */
export function readProbes(stateDir: string, opts: { moveAside?: boolean; now?: Date } = {}): ProbesRead {
  const path = probesPath(stateDir);
  const r = readJsonFile(path, ProbesFileSchema);
  if (r.ok) return { probes: r.value.slots, warning: null };
  if ("missing" in r) return { probes: {}, warning: null };
  if ("corrupt" in r) {
    const warning = opts.moveAside ? moveAsideCorrupt(path, opts.now ?? new Date(), r.reason) : `state file ${path} is corrupt (${r.reason}); ignored`;
    return { probes: {}, warning };
  }
  return { probes: {}, warning: r.reason };
}

/** Folds one new probe result into a slot's entry. Pure. */
export function foldProbe(prev: ProbeEntry | undefined, record: ProbeRecord): ProbeEntry {
  return { last: record, verdict: record.conclusive ? record : (prev?.verdict ?? null) };
}

/**
 * Records probe results for some slots, read-modify-write under a lock so concurrent `slots
 * check --probe` runs do not drop each other's slots. Returns a warning when the old file was corrupt.
 */
export async function recordProbes(stateDir: string, records: Record<string, ProbeRecord>, now: Date): Promise<string | null> {
  ensureStateDir(stateDir);
  const path = probesPath(stateDir);
  const res = await withLock(`${path}.lock`, () => {
    const current = readProbes(stateDir, { moveAside: true, now });
    const slots = { ...current.probes };
    for (const [slot, record] of Object.entries(records)) slots[slot] = foldProbe(slots[slot], record);
    const file: ProbesFile = { schemaVersion: 1, slots };
    writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
    return current.warning;
  });
  if (!res.acquired) throw new Error(`probes.json is locked by pid ${res.holderPid ?? "?"}; try again`);
  return res.value;
}

/**
 * Whether the slot's newest conclusive probe failed for the credentials it now holds. A verdict
 * without a hash (recorded when the file could not be hashed) applies whatever the file holds.
 */
export function probeFailedFor(entry: ProbeEntry | undefined, currentRefreshSha256: string | null): ProbeRecord | null {
  const v = entry?.verdict;
  if (!v || v.ok) return null;
  if (v.refreshTokenSha256 !== null && currentRefreshSha256 !== null && v.refreshTokenSha256 !== currentRefreshSha256) return null;
  return v;
}
