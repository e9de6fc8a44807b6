import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mayPoll, nextWake, NO_PROBE, PROBE_BACKOFF_SECONDS, probeDelaySeconds, resumeAfterReset, scheduleProbe, type ProbeStreak } from "./resume.js";

const T0 = new Date("2026-11-22T14:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe("unknown-reset probe backoff (fake clock)", () => {
  it("probes after 5, 10, 20, 30 min, then stays at 30", () => {
    let probe: ProbeStreak = NO_PROBE;
    let now = T0;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { resumeAt, next } = scheduleProbe(probe, now);
      delays.push((resumeAt.getTime() - now.getTime()) / 60_000);
      probe = next;
      now = resumeAt; // the next read happens exactly when the probe is due
    }
    expect(delays).toEqual([5, 10, 20, 30, 30, 30]);
    expect(probe.streak).toBe(6);
  });

  it("keeps the pending probe time when asked again before it is due", () => {
    const first = scheduleProbe(NO_PROBE, T0);
    const early = scheduleProbe(first.next, at(120));
    expect(early.resumeAt).toEqual(at(300));
    expect(early.next).toEqual(first.next);
  });

  it("starts again at 5 min when the streak lapsed (nobody probed for longer than the longest step)", () => {
    const stale: ProbeStreak = { streak: 4, nextProbeAt: at(0) };
    expect(scheduleProbe(stale, at(1800)).resumeAt).toEqual(at(1800 + 1800));
    expect(scheduleProbe(stale, at(1801)).resumeAt).toEqual(at(1801 + 300));
  });

  it("never probes closer than the poll interval", () => {
    expect(scheduleProbe(NO_PROBE, T0, { minSeconds: 900 }).resumeAt).toEqual(at(900));
  });

  it("is non-decreasing and capped for any streak (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 1000 }), (n) => {
        const d = probeDelaySeconds(n);
        expect(d).toBeGreaterThanOrEqual(PROBE_BACKOFF_SECONDS[0]!);
        expect(d).toBeLessThanOrEqual(1800);
        expect(probeDelaySeconds(n + 1)).toBeGreaterThanOrEqual(d);
      }),
    );
  });
});

describe("resume times and waking", () => {
  it("resumes resume_delay after the reset", () => {
    expect(resumeAfterReset(at(100), 30)).toEqual(at(130));
  });

  it("wakes at the earlier of the resume time and the next poll while the reset is known", () => {
    expect(nextWake({ resumeAt: at(500), lastPollAt: T0, intervalSeconds: 180, probing: false })).toEqual(at(180));
    expect(nextWake({ resumeAt: at(100), lastPollAt: T0, intervalSeconds: 180, probing: false })).toEqual(at(100));
  });

  it("sleeps until the probe itself while probing, never before the interval", () => {
    expect(nextWake({ resumeAt: at(600), lastPollAt: T0, intervalSeconds: 180, probing: true })).toEqual(at(600));
    expect(nextWake({ resumeAt: at(60), lastPollAt: T0, intervalSeconds: 180, probing: true })).toEqual(at(180));
  });

  it("allows a read only once the interval passed", () => {
    expect(mayPoll(at(179.999), T0, 180)).toBe(false);
    expect(mayPoll(at(180), T0, 180)).toBe(true);
  });
});
