// When a paused wave may resume (SPEC 4), pure: the clock is an argument.
// A known reset resumes `resume_delay` after it (the provider's counters settle a little after the
// advertised instant). An unknown reset cannot be waited for, only probed: each consecutive
// probe that still finds the pause waits longer, 5 → 10 → 20 → 30 min, so a harness that loops on
// `usagetop wave` does not spend the account's small request budget (about 30 reads an hour)
// asking the same question.

export const PROBE_BACKOFF_SECONDS: readonly number[] = [300, 600, 1200, 1800];

/** The probe schedule carried between reads (and between processes, in the state dir). */
export type ProbeStreak = {
  /** Consecutive probes that found an unknown-reset pause. */
  streak: number;
  /** When the last scheduled probe is due; null when no probe is pending. */
  nextProbeAt: Date | null;
};

export const NO_PROBE: ProbeStreak = { streak: 0, nextProbeAt: null };

/** Delay before the next probe after `streak` earlier ones, capped at the last step. */
export function probeDelaySeconds(streak: number, steps: readonly number[] = PROBE_BACKOFF_SECONDS): number {
  if (steps.length === 0) throw new Error("probe backoff needs at least one step");
  const i = Math.min(Math.max(0, Math.floor(Number.isFinite(streak) ? streak : 0)), steps.length - 1);
  return steps[i]!;
}

export function resumeAfterReset(resetsAt: Date, resumeDelaySeconds: number): Date {
  return new Date(resetsAt.getTime() + resumeDelaySeconds * 1000);
}

/**
 * The probe time for an unknown-reset pause observed at `now`, and the schedule to keep.
 * A read before the pending probe is due (another caller, a re-evaluation) keeps that probe time
 * and does not count as a probe; a streak nobody continued for longer than the longest step has
 * lapsed and starts again at the first step. `minSeconds` keeps probes no closer than the poll
 * interval.
 */
export function scheduleProbe(
  prev: ProbeStreak,
  now: Date,
  opts: { minSeconds?: number; steps?: readonly number[] } = {},
): { resumeAt: Date; next: ProbeStreak } {
  const steps = opts.steps ?? PROBE_BACKOFF_SECONDS;
  const t = now.getTime();
  const pending = prev.nextProbeAt?.getTime() ?? null;
  if (pending !== null && t < pending) return { resumeAt: new Date(pending), next: prev };
  const longest = Math.max(...steps) * 1000;
  const lapsed = pending === null || t - pending > longest;
  const streak = lapsed ? 0 : prev.streak;
  const delay = Math.max(probeDelaySeconds(streak, steps), opts.minSeconds ?? 0);
  const resumeAt = new Date(t + delay * 1000);
  return { resumeAt, next: { streak: streak + 1, nextProbeAt: resumeAt } };
}

/**
 * When a waiting gate should wake next. While the reset is known it re-reads every poll interval
 * (the shared cache makes that cheap, and a reset can move or another slot can free up); while
 * probing an unknown reset it sleeps until the probe, which is the read.
 */
export function nextWake(input: {
  resumeAt: Date | null;
  lastPollAt: Date;
  intervalSeconds: number;
  probing: boolean;
}): Date {
  const poll = input.lastPollAt.getTime() + input.intervalSeconds * 1000;
  if (input.resumeAt === null) return new Date(poll);
  if (input.probing) return new Date(Math.max(input.resumeAt.getTime(), poll));
  return new Date(Math.min(input.resumeAt.getTime(), poll));
}

/** Whether a fresh read is allowed now: never more often than the poll interval. */
export function mayPoll(now: Date, lastPollAt: Date, intervalSeconds: number): boolean {
  return now.getTime() >= lastPollAt.getTime() + intervalSeconds * 1000;
}
