// The JSON snapshot (SPEC 6.2) for `--once --json` and `serve /snapshot`. Times are ISO-8601 UTC;
// breaking changes bump SCHEMA_VERSION (schema/snapshot.schema.json ships beside it).
import type { ReaderStatus } from "./meter.js";
import { round1 } from "./round.js";
import type { MeterView, SlotView } from "./view.js";

export const SCHEMA_VERSION = 1;

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const round1OrNull = (x: number | null): number | null => (x === null ? null : round1(x));

export type GoverningRef = { kind: string; utilisation: number } | null;

export type SlotSummary = {
  name: string;
  active: boolean;
  auth: string;
  governing: GoverningRef;
  email?: string | null;
  plan?: string | null;
};

export type DecisionDoc = {
  action: "go" | "pause" | "switch";
  concurrency: number;
  reason: string;
  resumeAt?: string | null;
  targetSlot?: string | null;
};

export function governingRef(view: Pick<SlotView, "governing">): GoverningRef {
  const g = view.governing;
  return g && g.utilisation !== null ? { kind: g.kind, utilisation: round1(g.utilisation) } : null;
}

export function meterDocument(m: MeterView) {
  return {
    kind: m.kind,
    label: m.label,
    utilisation: round1OrNull(m.utilisation),
    resetsAt: iso(m.resetsAt),
    windowSeconds: m.windowSeconds,
    ...(m.used !== undefined ? { used: m.used } : {}),
    ...(m.limit !== undefined ? { limit: m.limit } : {}),
    ...(m.unit !== undefined ? { unit: m.unit } : {}),
    ...(m.currency !== undefined ? { currency: m.currency } : {}),
    source: m.source,
    observedAt: m.observedAt.toISOString(),
    ageSeconds: m.ageSeconds,
    estimated: m.estimated,
    stale: m.stale,
    applicable: m.applicable,
    group: m.group,
    ...(m.rolledOver ? { note: "reset passed, refreshing" } : {}),
    pacing: m.pacing,
    forecast: m.forecast,
  };
}

export function readerDocument(r: ReaderStatus) {
  return {
    name: r.name,
    slot: r.slot,
    state: r.state,
    lastSuccessAt: iso(r.lastSuccessAt),
    nextAttemptAt: iso(r.nextAttemptAt),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.warnings !== undefined ? { warnings: r.warnings } : {}),
  };
}

export function snapshotDocument(input: {
  view: SlotView;
  generatedAt: Date;
  slots: SlotSummary[];
  decision?: DecisionDoc | null;
}) {
  const { view } = input;
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: input.generatedAt.toISOString(),
    slot: view.slot,
    plan: view.plan,
    governing: governingRef(view),
    meters: view.meters.map(meterDocument),
    readers: view.readers.map(readerDocument),
    slots: input.slots,
    ...(input.decision ? { decision: input.decision } : {}),
  };
}

export type SnapshotDocument = ReturnType<typeof snapshotDocument>;
