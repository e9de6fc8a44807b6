// What the wave policy reasons over, read from the store (SPEC 3.4: views never call readers).
// The store's view already applies the plan's meter set, so a plan switch (--plan, config, `p`)
// changes the governing meter the gate sees with no code here. Pure apart from `fitness`, which
// the caller supplies (check-auth files for live slots, the scenario's auth under --demo).
import { mergeMeters } from "../model/merge.js";
import { governingRef } from "../model/snapshot-document.js";
import type { SlotView } from "../model/view.js";
import { AUTH_STATES, type AuthState } from "../slots/check-auth.js";
import { unfit } from "../slots/decide.js";
import type { UsageStore } from "../store/store.js";
import { rate, type SwitchCandidate, type WaveInput, type WavePolicy } from "./policy.js";
import type { ProbeStreak } from "./resume.js";

export type InputExtras = {
  override: string | null;
  probe: ProbeStreak;
  minProbeSeconds: number;
  preference: readonly string[];
  /** Why a slot cannot take work, or null when it can. */
  fitness: (slot: string) => string | null;
};

/** "oauth: token expired 3m ago; usage_screen: ..." or why nothing could be read at all. */
export function noDataDetail(view: SlotView): string {
  const errors = view.readers.filter((r) => r.error !== undefined).map((r) => `${r.name}: ${r.error}`);
  if (errors.length > 0) return errors.join("; ");
  if (view.readers.length === 0) return "no reader is configured for this slot";
  return `no reader produced a meter for plan ${view.plan}`;
}

/**
 * Whether waiting can ever bring data: some reader is working, stale or backing off. When every
 * reader is disabled or cannot work as configured (no credentials, binary missing), waiting for
 * data would wait forever, so `--wait` gives up with exit 69 instead.
 */
export function dataMayArrive(view: SlotView): boolean {
  return view.readers.some((r) => r.state === "ok" || r.state === "stale" || r.state === "backoff");
}

/**
 * Applicable meters that rolled over from at or above the pause line: the view shows them at 0 %,
 * the raw reading still has the reset that just passed, and resume_delay counts from it.
 */
function settlingMeters(store: UsageStore, view: SlotView, policy: WavePolicy, now: Date): WaveInput["settling"] {
  const rolled = view.meters.filter((m) => m.rolledOver && m.applicable);
  if (rolled.length === 0) return [];
  const raw = mergeMeters(store.entriesFor(view.slot), now);
  const out: { kind: string; resetsAt: Date }[] = [];
  for (const m of rolled) {
    const r = raw.find((x) => x.kind === m.kind);
    if (!r || r.resetsAt === null || r.utilisation === null) continue;
    if (r.resetsAt.getTime() <= now.getTime() && rate(r.utilisation, policy).kind === "pause") out.push({ kind: m.kind, resetsAt: r.resetsAt });
  }
  return out;
}

export function waveInput(store: UsageStore, slot: string | null, policy: WavePolicy, now: Date, extras: InputExtras): { input: WaveInput; view: SlotView } {
  const view = store.view(slot, now);
  const g = view.governing;
  const candidates: SwitchCandidate[] = store.slots
    .filter((s) => s.name !== slot)
    .map((s) => ({ name: s.name, governing: governingRef(store.view(s.name, now)), unfit: extras.fitness(s.name) }));
  const input: WaveInput = {
    now,
    slot,
    governing: g && g.utilisation !== null ? { kind: g.kind, utilisation: g.utilisation, resetsAt: g.resetsAt } : null,
    meters: view.meters.map((m) => ({ kind: m.kind, utilisation: m.utilisation, resetsAt: m.resetsAt, applicable: m.applicable })),
    settling: settlingMeters(store, view, policy, now),
    noDataDetail: g ? null : noDataDetail(view),
    candidates,
    preference: extras.preference,
    override: extras.override,
    probe: extras.probe,
    minProbeSeconds: extras.minProbeSeconds,
  };
  return { input, view };
}

/**
 * Why a slot cannot take work, from the store's slot facts (check-auth's file states and probe
 * results in live mode, the scenario's under --demo), as the decision engine judges it.
 */
export function slotFitness(store: UsageStore, slot: string): string | null {
  const info = store.slots.find((s) => s.name === slot);
  if (!info) return "no credentials file";
  const state: AuthState = (AUTH_STATES as readonly string[]).includes(info.auth) ? (info.auth as AuthState) : "missing";
  return unfit({ name: slot, auth: state, probeFailed: info.probeFailed ?? false, meters: [] });
}
