// The built-in demo (fixtures/demo/scenario.json): fake readers that answer like the real ones,
// time-driven so meters climb while you watch. No account, no network, no ~/.claude.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { labelFor, windowFor } from "../model/kinds.js";
import type { HistorySample, Meter, ReaderName } from "../model/meter.js";
import { READER_NAMES } from "../model/meter.js";
import type { ReaderEntry } from "../model/reader-state.js";

const DemoMeter = z.object({
  kind: z.string(),
  base: z.optional(z.number()),
  rise: z.optional(z.number()),
  phaseHours: z.optional(z.number()),
  windowSeconds: z.optional(z.number()),
  used: z.optional(z.number()),
  limit: z.optional(z.number()),
  currency: z.optional(z.string()),
  estimated: z.optional(z.boolean()),
});
const DemoReader = z.object({
  state: z.enum(["ok", "stale", "backoff", "error", "disabled"]),
  ageSeconds: z.optional(z.number()),
  error: z.optional(
    z.object({
      kind: z.enum(["auth", "rate_limited", "network", "timeout", "parse", "unavailable"]),
      message: z.string(),
      retryAfterSeconds: z.optional(z.number()),
      stale: z.optional(z.boolean()),
    }),
  ),
  meters: z.optional(z.array(DemoMeter)),
});
const DemoSlot = z.object({
  name: z.string(),
  auth: z.string(),
  tokenExpiresInHours: z.number(),
  email: z.string(),
  readers: z.partialRecord(z.enum(READER_NAMES), DemoReader),
});
export const DemoScenario = z.object({
  plan: z.string(),
  activeSlot: z.string(),
  slots: z.array(DemoSlot),
});
export type DemoScenario = z.infer<typeof DemoScenario>;
type DemoMeter = z.infer<typeof DemoMeter>;

export const DEMO_SCENARIO_PATH = fileURLToPath(new URL("../../fixtures/demo/scenario.json", import.meta.url));

export function loadDemoScenario(path = DEMO_SCENARIO_PATH): DemoScenario {
  return DemoScenario.parse(JSON.parse(readFileSync(path, "utf8")));
}

/** Start of the window containing `t`, with windows shifted by the meter's phase. */
function windowStart(t: number, windowMs: number, phaseMs: number): number {
  return Math.floor((t - phaseMs) / windowMs) * windowMs + phaseMs;
}

function firstOfNextMonthUtc(t: number): Date {
  const d = new Date(t);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

function utilisationAt(m: DemoMeter, windowMs: number, t: number): { u: number; start: number } {
  const phaseMs = (m.phaseHours ?? 0) * 3600_000;
  const start = windowStart(t, windowMs, phaseMs);
  const frac = (t - start) / windowMs;
  return { u: Math.round(((m.base ?? 0) + (m.rise ?? 0) * frac) * 10) / 10, start };
}

function demoMeter(m: DemoMeter, source: ReaderName, observedAt: Date): Meter {
  const windowSeconds = m.windowSeconds ?? windowFor(m.kind);
  const t = observedAt.getTime();
  const base = { kind: m.kind, label: labelFor(m.kind), source, observedAt, estimated: m.estimated ?? false, windowSeconds };
  if (m.used !== undefined) {
    const limit = m.limit;
    return {
      ...base,
      utilisation: limit ? Math.round((m.used / limit) * 1000) / 10 : null,
      resetsAt: firstOfNextMonthUtc(t),
      used: m.used,
      ...(limit !== undefined ? { limit } : {}),
      unit: "usd",
      currency: m.currency ?? "USD",
    };
  }
  if (windowSeconds === null) return { ...base, utilisation: m.base ?? 0, resetsAt: null };
  const { u, start } = utilisationAt(m, windowSeconds * 1000, t);
  return { ...base, utilisation: u, resetsAt: new Date(start + windowSeconds * 1000) };
}

/** Reader entries for one demo slot at `now`, as the real readers and cache would leave them. */
export function demoEntries(scenario: DemoScenario, slotName: string, now: Date): ReaderEntry[] {
  const slot = scenario.slots.find((s) => s.name === slotName);
  if (!slot) return [];
  return Object.entries(slot.readers).map(([name, r]): ReaderEntry => {
    const reader = name as ReaderName;
    const observedAt = new Date(now.getTime() - (r.ageSeconds ?? 0) * 1000);
    const meters = (r.meters ?? []).map((m) => demoMeter(m, reader, observedAt));
    const failed = r.error !== undefined;
    const retry = r.error?.retryAfterSeconds;
    return {
      name: reader,
      slot: slotName,
      enabled: r.state !== "disabled",
      lastGood: meters.length > 0 ? { at: observedAt, meters } : null,
      lastAttempt: failed ? { at: new Date(now.getTime() - 20_000), ok: false, error: r.error } : { at: observedAt, ok: true },
      nextAttemptAt: retry !== undefined ? new Date(now.getTime() + retry * 1000) : new Date(observedAt.getTime() + 180_000),
      freshForSeconds: r.state === "stale" ? 180 : Math.max(180, (r.ageSeconds ?? 0) + 60),
    };
  });
}

/** History samples every 5 minutes over the last hour, within the current window only. */
export function demoHistory(scenario: DemoScenario, slotName: string, kind: string, now: Date): HistorySample[] {
  const slot = scenario.slots.find((s) => s.name === slotName);
  const m = slot?.readers.oauth?.meters?.find((x) => x.kind === kind);
  const windowSeconds = m ? (m.windowSeconds ?? windowFor(m.kind)) : null;
  if (!m || m.used !== undefined || windowSeconds === null) return [];
  const out: HistorySample[] = [];
  const nowMs = now.getTime();
  const { start } = utilisationAt(m, windowSeconds * 1000, nowMs);
  for (let t = nowMs - 3600_000; t <= nowMs; t += 300_000) {
    if (t >= start) out.push({ t, u: utilisationAt(m, windowSeconds * 1000, t).u });
  }
  return out;
}
