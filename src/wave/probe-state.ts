// The unknown-reset probe schedule per slot, kept in the state dir (`wave-probes.json`) so that a
// harness calling `usagetop wave` once per wave still backs off 5 → 10 → 20 → 30 min instead of
// starting over at every call. Read-modify-write without a lock: two gates racing can at worst
// lose one step of the streak, which costs one extra probe, never a missed pause.
import { join } from "node:path";
import * as z from "zod/mini";
import { ensureStateDir, moveAsideCorrupt, readJsonFile, writeFileAtomic } from "../store/atomic-file.js";
import { NO_PROBE, type ProbeStreak } from "./resume.js";

export const PROBE_STATE_FILE = "wave-probes.json";

const ProbeStateSchema = z.object({
  schemaVersion: z.literal(1),
  slots: z.record(
    z.string(),
    z.object({ streak: z.number().check(z.int(), z.nonnegative()), nextProbeAt: z.nullable(z.iso.datetime()) }),
  ),
});
type ProbeStateFile = z.infer<typeof ProbeStateSchema>;

/** The key for the slot; a setup without slots is keyed "-". */
const keyOf = (slot: string | null) => slot ?? "-";

export function probeStatePath(stateDir: string): string {
  return join(stateDir, PROBE_STATE_FILE);
}

function readFile(stateDir: string, now: Date): { file: ProbeStateFile; warning: string | null } {
  const path = probeStatePath(stateDir);
  const read = readJsonFile(path, ProbeStateSchema);
  if (read.ok) return { file: read.value, warning: null };
  const empty: ProbeStateFile = { schemaVersion: 1, slots: {} };
  if ("corrupt" in read) return { file: empty, warning: moveAsideCorrupt(path, now, read.reason) };
  if ("unreadable" in read) return { file: empty, warning: `cannot read ${read.reason}; probing from the first step` };
  return { file: empty, warning: null };
}

export function loadProbe(stateDir: string, slot: string | null, now: Date): { probe: ProbeStreak; warning: string | null } {
  const { file, warning } = readFile(stateDir, now);
  const s = file.slots[keyOf(slot)];
  if (!s) return { probe: NO_PROBE, warning };
  return { probe: { streak: s.streak, nextProbeAt: s.nextProbeAt === null ? null : new Date(s.nextProbeAt) }, warning };
}

function same(a: ProbeStreak, b: ProbeStreak): boolean {
  return a.streak === b.streak && (a.nextProbeAt?.getTime() ?? null) === (b.nextProbeAt?.getTime() ?? null);
}

/** Saves the slot's schedule; a no-op when nothing changed (no write per wave in the common case). */
export function saveProbe(stateDir: string, slot: string | null, probe: ProbeStreak, now: Date): string | null {
  const { file, warning } = readFile(stateDir, now);
  const key = keyOf(slot);
  const prev = file.slots[key];
  const prevProbe: ProbeStreak = prev ? { streak: prev.streak, nextProbeAt: prev.nextProbeAt ? new Date(prev.nextProbeAt) : null } : NO_PROBE;
  if (same(prevProbe, probe)) return warning;
  if (probe.streak === 0 && probe.nextProbeAt === null) delete file.slots[key];
  else file.slots[key] = { streak: probe.streak, nextProbeAt: probe.nextProbeAt ? probe.nextProbeAt.toISOString() : null };
  try {
    ensureStateDir(stateDir);
    writeFileAtomic(probeStatePath(stateDir), `${JSON.stringify(file)}\n`);
  } catch (err) {
    return `cannot save the probe schedule in ${probeStatePath(stateDir)}: ${(err as Error).message}`;
  }
  return warning;
}
