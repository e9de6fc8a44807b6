// The decision engine's advice for the Slots view (SPEC 5.4): computed from the store's slot
// views, shown as one line, applied only when the user picks the slot and confirms the switch.
import { AUTH_STATES, type AuthState } from "../slots/check-auth.js";
import { decide, type Decision } from "../slots/decide.js";
import type { DecidePolicy } from "../slots/decide-policy.js";
import type { SlotView } from "../model/view.js";
import type { UsageStore } from "../store/store.js";
import { formatDuration } from "./format.js";

function authOf(auth: string): AuthState {
  // "unknown" (auth not checked yet) counts as ok: the engine then judges by meters alone.
  return (AUTH_STATES as readonly string[]).includes(auth) ? (auth as AuthState) : "ok";
}

export function storeDecision(
  store: UsageStore,
  policy: DecidePolicy,
  now: Date,
  views: ReadonlyMap<string, SlotView> = new Map(),
): { decision: Decision; active: string | null } | null {
  if (store.slots.length < 2) return null;
  const active = store.slots.find((s) => s.active)?.name ?? null;
  const decision = decide({
    ...policy,
    slots: store.slots.map((s) => ({ name: s.name, auth: authOf(s.auth), probeFailed: false, meters: (views.get(s.name) ?? store.view(s.name, now)).meters })),
    active,
    now,
  });
  return { decision, active };
}

export function recommendationText(d: Decision, active: string | null, now: Date): string {
  const hold = d.holdUntil ? ` for ${formatDuration((d.holdUntil.getTime() - now.getTime()) / 1000)}` : "";
  if (d.action === "stay" || d.target === null || d.target === active) return `Advice: stay on ${active ?? "(none)"}: ${d.reason}`;
  const verb = d.action === "switch" ? "switch to" : d.action === "forward_route" ? "route new work to" : "rebalance to";
  return `Advice: ${verb} ${d.target}${hold} (pick it, Enter, y): ${d.reason}`;
}
