// When to try a source next (SPEC 3.3), pure: the clock and the random source are passed in.
//
// - success: the reader's interval, ±10 % jitter so slots and machines drift apart;
// - errors: ×2 per consecutive failure from the interval, up to 30 min, ±10 % jitter;
// - 429 with Retry-After ≥ 60 s: honour it plus a 15 min margin, capped at 75 min (the OAuth usage
//   endpoint allows ~30 requests per hour per account and Claude Code spends the same budget);
// - 429 with Retry-After 0, < 60 s or none: a saturated edge, not a real wait: probe at most every
//   5 min (or the interval when longer), not more: the last good values stay trusted meanwhile,
//   and a longer wait would only hide the moment the edge clears.
// The caller passes its own interval (the oauth reader's is never below 120 s).
import type { ReaderErrorKind } from "../model/meter.js";

export const JITTER = 0.1;
export const ERROR_CAP_SECONDS = 30 * 60;
export const RETRY_AFTER_MARGIN_SECONDS = 15 * 60;
export const RETRY_AFTER_CAP_SECONDS = 75 * 60;
export const RETRY_AFTER_HONOURED_FROM_SECONDS = 60;
export const SATURATED_PROBE_SECONDS = 5 * 60;
/** Readers polled "on change" have interval 0; an error still must not retry in a tight loop. */
export const MIN_ERROR_BASE_SECONDS = 30;

export type BackoffInput = {
  /** The reader's base poll interval in seconds. */
  intervalSeconds: number;
  /** Consecutive failures including the attempt just made; 0 after a success. */
  failures: number;
  /** The error of the attempt just made; null/undefined after a success. */
  error?: { kind: ReaderErrorKind; retryAfterSeconds?: number } | null;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random: () => number;
  now: Date;
};

/** A factor in [1 - JITTER, 1 + JITTER]. */
function jitter(random: () => number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return 1 - JITTER + 2 * JITTER * r;
}

/** Seconds from `now` to the next attempt; see the rules at the top of this file. */
export function backoffDelaySeconds(input: BackoffInput): number {
  const interval = Number.isFinite(input.intervalSeconds) ? Math.max(0, input.intervalSeconds) : 0;
  const { error, random } = input;
  if (!error) return interval * jitter(random);

  const failures = Math.max(1, Math.floor(Number.isFinite(input.failures) ? input.failures : 1));
  const base = Math.max(interval, MIN_ERROR_BASE_SECONDS);
  // 2^failures overflows to Infinity for huge counts; the cap takes care of it.
  const exponential = Math.min(base * 2 ** Math.min(failures, 64), ERROR_CAP_SECONDS);
  const errorDelay = Math.min(exponential * jitter(random), ERROR_CAP_SECONDS);

  if (error.kind !== "rate_limited") return errorDelay;
  const retryAfter = error.retryAfterSeconds;
  if (retryAfter !== undefined && Number.isFinite(retryAfter) && retryAfter >= RETRY_AFTER_HONOURED_FROM_SECONDS) {
    return Math.min(retryAfter + RETRY_AFTER_MARGIN_SECONDS, RETRY_AFTER_CAP_SECONDS);
  }
  return Math.min(Math.max(interval * jitter(random), SATURATED_PROBE_SECONDS), RETRY_AFTER_CAP_SECONDS);
}

/** The instant of the next attempt: `now` plus backoffDelaySeconds, never before `now`. */
export function nextAttemptAt(input: BackoffInput): Date {
  return new Date(input.now.getTime() + Math.round(backoffDelaySeconds(input) * 1000));
}
