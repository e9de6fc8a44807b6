// The wave gate's policy (SPEC 4), pure: the governing utilisation picks a concurrency or a pause,
// a pause knows when it ends, and another healthy slot can be switched to instead of waiting.
// Defaults come from the code_runner design: < 50 → 3, ≥ 50 → 2, ≥ 65 → 1, ≥ 75 → 1 with a
// warning, ≥ 80 → pause. code_runner's defect is avoided on purpose: with no data it never
// silently runs (on_unknown = "pause" is fail-closed).
import { DEFAULTS } from "../config/defaults.js";
import type { ConfigFile } from "../config/schema.js";
import type { DecisionDoc, GoverningRef } from "../model/snapshot-document.js";
import { formatDuration, formatResetClock } from "../ui/format.js";
import { resumeAfterReset, scheduleProbe, type ProbeStreak } from "./resume.js";
import { round1 } from "../model/round.js";
import { compareText } from "../model/compare-text.js";

export type OnUnknown = "pause" | "run";

/**
 * `concurrency[i]` applies while the governing utilisation is below `thresholds[i]`; above the last
 * threshold the last concurrency holds until `pause_at`. A band whose concurrency is 0 pauses too.
 */
export type WavePolicy = {
  thresholds: readonly number[];
  concurrency: readonly number[];
  warnAt: number;
  pauseAt: number;
  resumeDelaySeconds: number;
  onUnknown: OnUnknown;
  switch: boolean;
};

export type WaveConfig = NonNullable<ConfigFile["wave"]>;

/** The policy from `[wave]`, defaults filled in. The loader has validated the lists. */
export function wavePolicy(wave: WaveConfig | undefined): WavePolicy {
  const w = wave ?? {};
  return {
    thresholds: w.thresholds ?? DEFAULTS.wave.thresholds,
    concurrency: w.concurrency ?? DEFAULTS.wave.concurrency,
    warnAt: w.warn_at ?? DEFAULTS.wave.warnAt,
    pauseAt: w.pause_at ?? DEFAULTS.wave.pauseAt,
    resumeDelaySeconds: w.resume_delay ?? DEFAULTS.wave.resumeDelay,
    onUnknown: w.on_unknown ?? DEFAULTS.wave.onUnknown,
    switch: w.switch ?? false,
  };
}

/** Utilisation as shown (one decimal), so that "80.0%" never runs and "79.9%" never pauses. */
export function shown(u: number): number {
  return round1(u);
}

const pct = (u: number) => `${shown(u).toFixed(1)}%`;
const num = (x: number) => String(shown(x));

export type Rating =
  | { kind: "go"; concurrency: number; warn: boolean; below: number }
  | { kind: "pause"; line: number };

/** Concurrency or pause for one utilisation. */
export function rate(utilisation: number, policy: WavePolicy): Rating {
  const u = shown(utilisation);
  if (u >= policy.pauseAt) return { kind: "pause", line: policy.pauseAt };
  const { thresholds, concurrency } = policy;
  let i = thresholds.findIndex((t) => u < t);
  if (i < 0) i = Math.min(thresholds.length, concurrency.length) - 1;
  const c = concurrency[i] ?? 0;
  if (c <= 0) return { kind: "pause", line: i > 0 ? thresholds[i - 1]! : 0 };
  return { kind: "go", concurrency: c, warn: u >= policy.warnAt, below: Math.min(thresholds[i] ?? policy.pauseAt, policy.pauseAt) };
}

/** The most careful concurrency the policy knows: what "run anyway" runs at. */
export function lowestConcurrency(policy: WavePolicy): number {
  const positive = policy.concurrency.filter((c) => c > 0);
  return positive.length > 0 ? Math.min(...positive) : 1;
}

export type WaveMeter = { kind: string; utilisation: number | null; resetsAt: Date | null; applicable: boolean };

export type SwitchCandidate = {
  name: string;
  governing: GoverningRef;
  /** Why the slot cannot take work (auth broken, drift, old, last probe failed), or null. */
  unfit: string | null;
};

export type WaveInput = {
  now: Date;
  slot: string | null;
  /** The slot's governing meter (SPEC 2.5); null when no applicable meter has a value. */
  governing: { kind: string; utilisation: number; resetsAt: Date | null } | null;
  /** The slot's meters; every applicable one over the pause line must reset before work resumes. */
  meters: readonly WaveMeter[];
  /**
   * Applicable meters that were over the pause line and whose reset passed less than
   * resume_delay ago: they read 0 % (rolled over) but the provider may not have settled yet.
   */
  settling: readonly { kind: string; resetsAt: Date }[];
  /** Why there is no data (the readers' errors), for the reason text. */
  noDataDetail: string | null;
  /** Other slots that could take the work, with their governing meters. */
  candidates: readonly SwitchCandidate[];
  /** Configured preference ([slots] primary, then fallback_order); other slots follow, lowest first. */
  preference: readonly string[];
  /** "--override" or "USAGETOP_WAVE_OVERRIDE=1" when set. */
  override: string | null;
  probe: ProbeStreak;
  /** Probes never closer than this (the poll interval). */
  minProbeSeconds: number;
};

export type WaveAction = "go" | "pause" | "switch";
/**
 * What a pause waits for: a known reset, a probe (reset unknown), a reset settling, data, or a
 * switch the gate could not make (deferred or refused: try again at the next poll).
 */
export type PauseBasis = "reset" | "probe" | "settling" | "no_data" | "switch_failed";

export type WaveDecision = {
  action: WaveAction;
  concurrency: number;
  governing: GoverningRef;
  resumeAt: Date | null;
  targetSlot: string | null;
  reason: string;
  warning?: string;
  pause: PauseBasis | null;
  /** For a pause, what stops the wave, without the schedule (the reason adds when it resumes). */
  cause?: string;
  /** The switch target's governing meter (the meter the work will run against). */
  targetGoverning?: GoverningRef;
  /** The probe schedule to keep for the next read. */
  probe: ProbeStreak;
};

function ref(g: WaveInput["governing"]): GoverningRef {
  return g === null ? null : { kind: g.kind, utilisation: shown(g.utilisation) };
}

/** The slot to switch to, or null: fit, with data, and under the policy's pause line. */
export function pickSwitchTarget(input: Pick<WaveInput, "slot" | "candidates" | "preference">, policy: WavePolicy): SwitchCandidate | null {
  const eligible = input.candidates.filter(
    (c) => c.name !== input.slot && c.unfit === null && c.governing !== null && rate(c.governing.utilisation, policy).kind === "go",
  );
  const rank = (name: string) => {
    const i = input.preference.indexOf(name);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  eligible.sort(
    (a, b) =>
      rank(a.name) - rank(b.name) ||
      shown(a.governing!.utilisation) - shown(b.governing!.utilisation) ||
      compareText(a.name, b.name),
  );
  return eligible[0] ?? null;
}

function inWords(from: Date, to: Date): string {
  return formatDuration((to.getTime() - from.getTime()) / 1000);
}

function goDecision(input: WaveInput, policy: WavePolicy, rating: Extract<Rating, { kind: "go" }>): WaveDecision {
  const g = input.governing!;
  const d: WaveDecision = {
    action: "go",
    concurrency: rating.concurrency,
    governing: ref(g),
    resumeAt: null,
    targetSlot: null,
    reason: `${g.kind} at ${pct(g.utilisation)} (below ${num(rating.below)}%): concurrency ${rating.concurrency}`,
    pause: null,
    probe: { streak: 0, nextProbeAt: null },
  };
  if (rating.warn) d.warning = `${g.kind} at ${pct(g.utilisation)} is past the warning line (${num(policy.warnAt)}%); waves pause at ${num(policy.pauseAt)}%`;
  return d;
}

function probeDecision(input: WaveInput, basis: "probe" | "no_data", what: string): WaveDecision {
  const { resumeAt, next } = scheduleProbe(input.probe, input.now, { minSeconds: input.minProbeSeconds });
  return {
    action: "pause",
    concurrency: 0,
    governing: ref(input.governing),
    resumeAt,
    targetSlot: null,
    reason: `${what}: probing again in ${inWords(input.now, resumeAt)} (probe ${next.streak}; backoff 5m → 10m → 20m → 30m)`,
    pause: basis,
    cause: what,
    probe: next,
  };
}

/** The policy's decision, before any override. */
function policyDecision(input: WaveInput, policy: WavePolicy): WaveDecision {
  const g = input.governing;
  const cleared = { streak: 0, nextProbeAt: null };
  if (g === null) {
    const detail = input.noDataDetail ? ` (${input.noDataDetail})` : "";
    if (policy.onUnknown === "run") {
      const c = lowestConcurrency(policy);
      return {
        action: "go",
        concurrency: c,
        governing: null,
        resumeAt: null,
        targetSlot: null,
        reason: `no usable data${detail}; [wave] on_unknown = "run": going at the lowest concurrency, ${c}`,
        warning: "running without usage data",
        pause: null,
        probe: cleared,
      };
    }
    return probeDecision(input, "no_data", `no usable data${detail}; [wave] on_unknown = "pause" (fail-closed)`);
  }

  const rating = rate(g.utilisation, policy);
  if (rating.kind === "pause") {
    const over = `${g.kind} at ${pct(g.utilisation)} ≥ pause line ${num(rating.line)}%`;
    if (policy.switch) {
      const target = pickSwitchTarget(input, policy);
      if (target) {
        const t = rate(target.governing!.utilisation, policy) as Extract<Rating, { kind: "go" }>;
        const tg = target.governing!;
        const d: WaveDecision = {
          action: "switch",
          concurrency: t.concurrency,
          governing: ref(g),
          resumeAt: null,
          targetSlot: target.name,
          reason: `${input.slot ?? "this slot"}: ${over}; switching to ${target.name} (${tg.kind} at ${pct(tg.utilisation)}): concurrency ${t.concurrency}`,
          pause: null,
          targetGoverning: { kind: tg.kind, utilisation: shown(tg.utilisation) },
          probe: cleared,
        };
        if (t.warn) d.warning = `${target.name}'s ${tg.kind} at ${pct(tg.utilisation)} is past the warning line (${num(policy.warnAt)}%)`;
        return d;
      }
    }
    // Every applicable meter over the line has to reset, not only the governing one.
    const blocking = input.meters.filter((m) => m.applicable && m.utilisation !== null && rate(m.utilisation, policy).kind === "pause");
    if (!blocking.some((m) => m.kind === g.kind)) blocking.push({ kind: g.kind, utilisation: g.utilisation, resetsAt: g.resetsAt, applicable: true });
    const unknown = blocking.find((m) => m.resetsAt === null);
    if (unknown) {
      const which = unknown.kind === g.kind ? "its reset time is unknown" : `${unknown.kind} (${pct(unknown.utilisation!)}) has no known reset`;
      return probeDecision(input, "probe", `${over}; ${which}`);
    }
    const last = blocking.reduce((a, b) => (b.resetsAt!.getTime() > a.resetsAt!.getTime() ? b : a));
    const resumeAt = resumeAfterReset(last.resetsAt!, policy.resumeDelaySeconds);
    const also = last.kind === g.kind ? "" : `; ${last.kind} (${pct(last.utilisation!)}) resets last`;
    return {
      action: "pause",
      concurrency: 0,
      governing: ref(g),
      resumeAt,
      targetSlot: null,
      reason: `${over}${also}: resuming ${num(policy.resumeDelaySeconds)}s after the reset, in ${inWords(input.now, resumeAt)}`,
      pause: "reset",
      probe: cleared,
    };
  }

  const settling = input.settling
    .map((s) => ({ ...s, resumeAt: resumeAfterReset(s.resetsAt, policy.resumeDelaySeconds) }))
    .filter((s) => s.resumeAt.getTime() > input.now.getTime());
  if (settling.length > 0) {
    const last = settling.reduce((a, b) => (b.resumeAt.getTime() > a.resumeAt.getTime() ? b : a));
    return {
      action: "pause",
      concurrency: 0,
      governing: ref(g),
      resumeAt: last.resumeAt,
      targetSlot: null,
      reason: `${last.kind} reset ${inWords(last.resetsAt, input.now)} ago; resuming after resume_delay (${num(policy.resumeDelaySeconds)}s), in ${inWords(input.now, last.resumeAt)}`,
      pause: "settling",
      probe: cleared,
    };
  }
  return goDecision(input, policy, rating);
}

/** The gate's decision: the policy's, unless an override turns a pause into a go. */
export function decideWave(input: WaveInput, policy: WavePolicy): WaveDecision {
  const d = policyDecision(input, policy);
  if (d.action !== "pause" || input.override === null) return d;
  const g = input.governing;
  const rating = g === null ? null : rate(g.utilisation, policy);
  const c = rating?.kind === "go" ? rating.concurrency : lowestConcurrency(policy);
  return {
    action: "go",
    concurrency: c,
    governing: d.governing,
    resumeAt: null,
    targetSlot: null,
    reason: `override (${input.override}): going at concurrency ${c}; the policy said pause: ${d.reason}`,
    warning: "override in effect: the policy said pause",
    pause: null,
    // The override does not read anything new: keep the probe schedule as it was.
    probe: input.probe,
  };
}

/** The decision as JSON (SPEC 4): times as ISO-8601 UTC. */
export function waveDocument(d: WaveDecision) {
  return {
    action: d.action,
    concurrency: d.concurrency,
    governing: d.governing,
    resumeAt: d.resumeAt === null ? null : d.resumeAt.toISOString(),
    targetSlot: d.targetSlot,
    reason: d.reason,
    ...(d.warning !== undefined ? { warning: d.warning } : {}),
  };
}

export type WaveDocument = ReturnType<typeof waveDocument>;

/** The snapshot's `decision` member (SPEC 6.2). */
export function snapshotDecision(d: WaveDecision): DecisionDoc {
  return {
    action: d.action,
    concurrency: d.concurrency,
    reason: d.reason,
    resumeAt: d.resumeAt === null ? null : d.resumeAt.toISOString(),
    targetSlot: d.targetSlot,
  };
}

/** `USAGETOP_GOVERNING`: `<kind>:<utilisation with one decimal>`, empty when nothing governs. */
export function governingEnv(g: GoverningRef): string {
  return g === null ? "" : `${g.kind}:${shown(g.utilisation).toFixed(1)}`;
}

/** One line for people: `go: concurrency 2 · five_hour at 62.0% ...`; times in local wall time. */
export function decisionLine(d: WaveDecision, now: Date, timeZone?: string): string {
  const head =
    d.action === "go"
      ? `go: concurrency ${d.concurrency}`
      : d.action === "switch"
        ? `switch to ${d.targetSlot}: concurrency ${d.concurrency}`
        : `pause${d.resumeAt ? ` until ${formatResetClock(d.resumeAt, now, timeZone)}` : ""}`;
  return `${head} · ${d.reason}${d.warning ? ` · warning: ${d.warning}` : ""}`;
}
