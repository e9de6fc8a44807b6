// The degradation merge (SPEC 3.3), pure: per meter kind, the best healthy source wins; when no
// source is healthy the freshest stale value is kept and shown with its age, never a silent 0 %.
import type { Meter, ReaderName } from "./meter.js";
import { readerState, type ReaderEntry } from "./reader-state.js";

/** Lower is better. oauth and claude-cache carry the same data: the newer of the two wins. */
const PRIORITY: Record<ReaderName, number> = {
  oauth: 0,
  claude_cache: 0,
  statusline: 1,
  headers: 2,
  usage_screen: 3,
  usage_script: 4,
  codex: 5,
  ollama: 5,
  transcripts: 6,
};

export type MergedMeter = Meter & { stale: boolean };

type Candidate = { meter: Meter; healthy: boolean; priority: number };

function better(a: Candidate, b: Candidate): boolean {
  if (a.healthy !== b.healthy) return a.healthy;
  if (a.healthy && a.priority !== b.priority) return a.priority < b.priority;
  // Same priority (or both stale): the newer observation wins.
  return a.meter.observedAt.getTime() > b.meter.observedAt.getTime();
}

export function mergeMeters(entries: readonly ReaderEntry[], now: Date): MergedMeter[] {
  const best = new Map<string, Candidate>();
  for (const entry of entries) {
    if (!entry.enabled || !entry.lastGood) continue;
    const healthy = readerState(entry, now) === "ok";
    for (const meter of entry.lastGood.meters) {
      const cand: Candidate = { meter, healthy, priority: PRIORITY[entry.name] ?? 9 };
      const cur = best.get(meter.kind);
      if (!cur || better(cand, cur)) best.set(meter.kind, cand);
    }
  }
  return [...best.values()].map((c) => ({ ...c.meter, stale: !c.healthy }));
}
