import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ReaderErrorKind } from "../model/meter.js";
import {
  backoffDelaySeconds,
  ERROR_CAP_SECONDS,
  nextAttemptAt,
  RETRY_AFTER_CAP_SECONDS,
  SATURATED_PROBE_SECONDS,
  type BackoffInput,
} from "./backoff.js";

const now = new Date("2026-11-22T14:00:00.000Z");
const mid = () => 0.5; // no jitter
const low = () => 0; // -10 %
const high = () => 0.999999; // ~+10 %

function input(p: Partial<BackoffInput>): BackoffInput {
  return { intervalSeconds: 180, failures: 0, error: null, random: mid, now, ...p };
}

describe("backoffDelaySeconds (SPEC 3.3), table", () => {
  const rl = (retryAfterSeconds?: number) =>
    retryAfterSeconds === undefined ? { kind: "rate_limited" as const } : { kind: "rate_limited" as const, retryAfterSeconds };
  const cases: Array<[string, Partial<BackoffInput>, number]> = [
    ["success: the interval", {}, 180],
    ["success: -10 % jitter", { random: low }, 162],
    ["success: +10 % jitter", { random: high }, 198],
    ["success: oauth minimum interval passed by the caller", { intervalSeconds: 120 }, 120],
    ["1st network error: ×2", { failures: 1, error: { kind: "network" } }, 360],
    ["2nd error: ×4", { failures: 2, error: { kind: "timeout" } }, 720],
    ["3rd error: ×8", { failures: 3, error: { kind: "parse" } }, 1440],
    ["4th error: capped at 30 min", { failures: 4, error: { kind: "network" } }, ERROR_CAP_SECONDS],
    ["capped even with +10 % jitter", { failures: 10, error: { kind: "network" }, random: high }, ERROR_CAP_SECONDS],
    ["capped, -10 % jitter", { failures: 10, error: { kind: "network" }, random: low }, ERROR_CAP_SECONDS * 0.9],
    ["interval 0 still backs off from 30 s", { intervalSeconds: 0, failures: 1, error: { kind: "unavailable" } }, 60],
    ["429 Retry-After 120: +15 min", { failures: 1, error: rl(120) }, 120 + 900],
    ["429 Retry-After 60: honoured from 60 s", { failures: 1, error: rl(60) }, 60 + 900],
    ["429 Retry-After 3600: capped at 75 min", { failures: 1, error: rl(3600) }, RETRY_AFTER_CAP_SECONDS],
    ["429 Retry-After 0: probe in 5 min", { failures: 1, error: rl(0) }, SATURATED_PROBE_SECONDS],
    ["429 without Retry-After: 5 min", { failures: 1, error: rl() }, SATURATED_PROBE_SECONDS],
    ["429 Retry-After 59: 5 min", { failures: 1, error: rl(59) }, SATURATED_PROBE_SECONDS],
    ["429 saturated, -10 % jitter still ≥ 5 min", { failures: 1, error: rl(0), random: low }, SATURATED_PROBE_SECONDS],
    ["429 saturated keeps refusing: still every 5 min", { failures: 8, error: rl(0) }, SATURATED_PROBE_SECONDS],
    ["429 saturated, longer interval: the interval", { intervalSeconds: 600, failures: 3, error: rl() }, 600],
  ];
  it.each(cases)("%s", (_name, p, seconds) => {
    expect(backoffDelaySeconds(input(p))).toBeCloseTo(seconds, 3);
    expect(Math.abs(nextAttemptAt(input(p)).getTime() - (now.getTime() + seconds * 1000))).toBeLessThanOrEqual(1);
  });
});

const kinds: ReaderErrorKind[] = ["auth", "rate_limited", "network", "timeout", "parse", "unavailable"];
const arbInput = fc.record({
  intervalSeconds: fc.oneof(fc.integer({ min: 0, max: 7200 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
  failures: fc.integer({ min: 0, max: 10_000 }),
  error: fc.option(
    fc.record(
      {
        kind: fc.constantFrom(...kinds),
        retryAfterSeconds: fc.oneof(fc.integer({ min: 0, max: 1e7 }), fc.double({ min: 0, max: 1e9, noNaN: true })),
      },
      { requiredKeys: ["kind"] },
    ),
  ),
  r: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  nowMs: fc.integer({ min: 0, max: 4102444800000 }),
});

describe("backoff properties", () => {
  it("is never before now, and errors never wait beyond their caps", () => {
    fc.assert(
      fc.property(arbInput, ({ intervalSeconds, failures, error, r, nowMs }) => {
        const at = new Date(nowMs);
        const inp: BackoffInput = { intervalSeconds, failures, error, random: () => r, now: at };
        const next = nextAttemptAt(inp).getTime();
        expect(next).toBeGreaterThanOrEqual(nowMs);
        const delay = backoffDelaySeconds(inp);
        if (!error) {
          expect(delay).toBeGreaterThanOrEqual(intervalSeconds * 0.9 - 1e-6);
          expect(delay).toBeLessThanOrEqual(intervalSeconds * 1.1 + 1e-6);
        } else if (error.kind === "rate_limited") {
          expect(delay).toBeLessThanOrEqual(RETRY_AFTER_CAP_SECONDS);
          // Never sooner than 5 min after a 429: the edge is saturated.
          expect(delay).toBeGreaterThanOrEqual(SATURATED_PROBE_SECONDS);
          if ((error.retryAfterSeconds ?? 0) >= 60) expect(delay).toBeGreaterThanOrEqual(Math.min(error.retryAfterSeconds!, RETRY_AFTER_CAP_SECONDS));
        } else {
          expect(delay).toBeLessThanOrEqual(ERROR_CAP_SECONDS);
          expect(delay).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("waits at least as long after more consecutive failures (same jitter)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7200 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(...kinds),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (intervalSeconds, failures, kind, r) => {
          const a = backoffDelaySeconds(input({ intervalSeconds, failures, error: { kind }, random: () => r }));
          const b = backoffDelaySeconds(input({ intervalSeconds, failures: failures + 1, error: { kind }, random: () => r }));
          expect(b).toBeGreaterThanOrEqual(a);
        },
      ),
    );
  });

  it("an error never retries sooner than a success would, before the cap", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 800 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (intervalSeconds, r) => {
        const ok = backoffDelaySeconds(input({ intervalSeconds, random: () => r }));
        const err = backoffDelaySeconds(input({ intervalSeconds, failures: 1, error: { kind: "network" }, random: () => r }));
        expect(err).toBeGreaterThanOrEqual(ok);
      }),
    );
  });
});
