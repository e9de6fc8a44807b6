import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decideWave,
  decisionLine,
  governingEnv,
  lowestConcurrency,
  pickSwitchTarget,
  rate,
  waveDocument,
  wavePolicy,
  type WaveInput,
  type WavePolicy,
} from "./policy.js";
import { NO_PROBE } from "./resume.js";

const NOW = new Date("2026-11-22T14:00:00.000Z");
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const DEFAULT = wavePolicy(undefined);

function input(over: Partial<WaveInput> & { u?: number | null; resetIn?: number | null } = {}): WaveInput {
  const { u = 40, resetIn = 3600, ...rest } = over;
  const governing = u === null ? null : { kind: "five_hour", utilisation: u, resetsAt: resetIn === null ? null : at(resetIn) };
  return {
    now: NOW,
    slot: "alice",
    governing,
    meters: governing ? [{ ...governing, applicable: true }] : [],
    settling: [],
    noDataDetail: u === null ? "oauth: token expired 3m ago" : null,
    candidates: [],
    preference: [],
    override: null,
    probe: NO_PROBE,
    minProbeSeconds: 0,
    ...rest,
  };
}

describe("wave policy: SPEC 4 defaults at every threshold edge", () => {
  // < 50 → 3; ≥ 50 → 2; ≥ 65 → 1; ≥ 75 → 1 with warning; ≥ 80 → pause.
  const table: Array<[number, "go" | "pause", number, boolean]> = [
    [0, "go", 3, false],
    [49.9, "go", 3, false],
    [50, "go", 2, false],
    [64.9, "go", 2, false],
    [65, "go", 1, false],
    [74.9, "go", 1, false],
    [75, "go", 1, true],
    [79.9, "go", 1, true],
    [80, "pause", 0, false],
    [85, "pause", 0, false],
    [140, "pause", 0, false],
  ];
  it.each(table)("governing %s%% → %s, concurrency %i, warning %s", (u, action, concurrency, warn) => {
    const d = decideWave(input({ u }), DEFAULT);
    expect(d.action).toBe(action);
    expect(d.concurrency).toBe(concurrency);
    expect(d.warning !== undefined).toBe(warn);
    expect(d.governing).toEqual({ kind: "five_hour", utilisation: u });
    expect(d.targetSlot).toBeNull();
    if (action === "go") expect(d.resumeAt).toBeNull();
    else expect(d.resumeAt).toEqual(at(3600 + 30));
  });

  it("decides on the utilisation as shown: 79.96 reads 80.0% and pauses, 49.94 reads 49.9% and runs at 3", () => {
    expect(decideWave(input({ u: 79.96 }), DEFAULT).action).toBe("pause");
    expect(decideWave(input({ u: 49.94 }), DEFAULT).concurrency).toBe(3);
  });

  it("says why in the reason", () => {
    expect(decideWave(input({ u: 62 }), DEFAULT).reason).toBe("five_hour at 62.0% (below 65%): concurrency 2");
    const p = decideWave(input({ u: 85, resetIn: 3600 }), DEFAULT);
    expect(p.reason).toMatch(/^five_hour at 85\.0% ≥ pause line 80%: resuming 30s after the reset, in 1h00m$/);
    expect(p.pause).toBe("reset");
  });
});

describe("wave policy: missing data", () => {
  it('on_unknown = "pause" (the default) pauses, fail-closed, and says so', () => {
    const d = decideWave(input({ u: null }), DEFAULT);
    expect(d).toMatchObject({ action: "pause", concurrency: 0, governing: null, targetSlot: null, pause: "no_data" });
    expect(d.reason).toContain('on_unknown = "pause" (fail-closed)');
    expect(d.reason).toContain("oauth: token expired 3m ago");
    expect(d.resumeAt).toEqual(at(300));
    expect(d.cause).toBe('no usable data (oauth: token expired 3m ago); [wave] on_unknown = "pause" (fail-closed)');
  });

  it('on_unknown = "run" goes at the lowest concurrency and says so', () => {
    const d = decideWave(input({ u: null }), wavePolicy({ on_unknown: "run" }));
    expect(d).toMatchObject({ action: "go", concurrency: 1, governing: null, resumeAt: null });
    expect(d.reason).toContain('on_unknown = "run"');
    expect(d.warning).toBe("running without usage data");
  });
});

describe("wave policy: when a pause ends", () => {
  it("waits for every applicable meter over the line, not only the governing one", () => {
    const meters = [
      { kind: "five_hour", utilisation: 90, resetsAt: at(600), applicable: true },
      { kind: "seven_day", utilisation: 82, resetsAt: at(86_400), applicable: true },
      { kind: "extra_usage", utilisation: 99, resetsAt: at(999_999), applicable: false },
    ];
    const d = decideWave(input({ u: 90, resetIn: 600, meters }), DEFAULT);
    expect(d.resumeAt).toEqual(at(86_400 + 30));
    expect(d.reason).toContain("seven_day (82.0%) resets last");
  });

  it("probes with backoff when the reset is unknown", () => {
    const d = decideWave(input({ u: 85, resetIn: null }), DEFAULT);
    expect(d).toMatchObject({ action: "pause", pause: "probe", probe: { streak: 1 } });
    expect(d.resumeAt).toEqual(at(300));
    expect(d.reason).toContain("its reset time is unknown");
    const again = decideWave(input({ u: 85, resetIn: null, now: at(300), probe: d.probe }), DEFAULT);
    expect(again.resumeAt).toEqual(at(300 + 600));
  });

  it("holds resume_delay after a meter over the line rolled over", () => {
    const settling = [{ kind: "five_hour", resetsAt: at(-10) }];
    const d = decideWave(input({ u: 0, resetIn: null, settling }), wavePolicy({ resume_delay: 30 }));
    expect(d).toMatchObject({ action: "pause", pause: "settling", resumeAt: at(20) });
    expect(decideWave(input({ u: 0, resetIn: null, settling, now: at(20) }), wavePolicy({ resume_delay: 30 })).action).toBe("go");
  });

  it("clears the probe schedule on go", () => {
    const d = decideWave(input({ u: 10, probe: { streak: 3, nextProbeAt: at(-5) } }), DEFAULT);
    expect(d.probe).toEqual({ streak: 0, nextProbeAt: null });
  });
});

describe("wave policy: switch", () => {
  const candidates = [
    { name: "bob", governing: { kind: "seven_day", utilisation: 60 }, unfit: null },
    { name: "carol", governing: { kind: "five_hour", utilisation: 20 }, unfit: null },
    { name: "dave", governing: { kind: "five_hour", utilisation: 5 }, unfit: "drift" },
    { name: "erin", governing: null, unfit: null },
    { name: "fred", governing: { kind: "five_hour", utilisation: 81 }, unfit: null },
  ];
  const on = wavePolicy({ switch: true });

  it("switches to the lowest healthy slot under the line when [wave] switch = true", () => {
    const d = decideWave(input({ u: 85, candidates }), on);
    expect(d).toMatchObject({ action: "switch", targetSlot: "carol", concurrency: 3, resumeAt: null, targetGoverning: { kind: "five_hour", utilisation: 20 } });
    expect(d.governing).toEqual({ kind: "five_hour", utilisation: 85 });
    expect(d.reason).toContain("switching to carol");
  });

  it("prefers the configured order over the lowest figure", () => {
    expect(decideWave(input({ u: 85, candidates, preference: ["bob", "carol"] }), on)).toMatchObject({ targetSlot: "bob", concurrency: 2 });
  });

  it("pauses when switching is off or no slot qualifies", () => {
    expect(decideWave(input({ u: 85, candidates }), DEFAULT).action).toBe("pause");
    const none = candidates.filter((c) => c.name !== "bob" && c.name !== "carol");
    expect(decideWave(input({ u: 85, candidates: none }), on).action).toBe("pause");
  });

  it("never switches while the slot can still go, nor to itself", () => {
    expect(decideWave(input({ u: 70, candidates }), on).action).toBe("go");
    expect(pickSwitchTarget({ slot: "carol", candidates, preference: [] }, on)?.name).toBe("bob");
  });
});

describe("wave policy: override", () => {
  it("turns a pause into a go and says what the policy said", () => {
    const d = decideWave(input({ u: 92, override: "--override" }), DEFAULT);
    expect(d).toMatchObject({ action: "go", concurrency: 1, resumeAt: null });
    expect(d.reason).toMatch(/^override \(--override\): going at concurrency 1; the policy said pause: five_hour at 92\.0%/);
  });

  it("goes with no data at the lowest concurrency", () => {
    const d = decideWave(input({ u: null, override: "USAGETOP_WAVE_OVERRIDE=1" }), DEFAULT);
    expect(d).toMatchObject({ action: "go", concurrency: 1, governing: null });
    expect(d.reason).toContain("USAGETOP_WAVE_OVERRIDE=1");
  });

  it("leaves a go alone", () => {
    expect(decideWave(input({ u: 10, override: "--override" }), DEFAULT).reason).not.toContain("override");
  });
});

describe("wave policy: configured lists", () => {
  const policy: WavePolicy = wavePolicy({ thresholds: [30, 60, 90], concurrency: [8, 4, 0], warn_at: 50, pause_at: 95 });
  it("maps each band to its concurrency, and a 0 band pauses", () => {
    expect(rate(29.9, policy)).toMatchObject({ kind: "go", concurrency: 8, warn: false });
    expect(rate(30, policy)).toMatchObject({ kind: "go", concurrency: 4 });
    expect(rate(50, policy)).toMatchObject({ kind: "go", concurrency: 4, warn: true });
    expect(rate(60, policy)).toEqual({ kind: "pause", line: 60 });
    expect(rate(89.9, policy)).toEqual({ kind: "pause", line: 60 });
    expect(lowestConcurrency(policy)).toBe(4);
  });

  it("keeps the last concurrency above the last threshold until pause_at", () => {
    const p = wavePolicy({ pause_at: 90 });
    expect(rate(85, p)).toMatchObject({ kind: "go", concurrency: 1 });
    expect(rate(90, p)).toEqual({ kind: "pause", line: 90 });
  });

  it("never raises concurrency as utilisation rises, and pauses exactly from pause_at (property)", () => {
    const arb = fc.record({
      thresholds: fc.uniqueArray(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 5 }).map((a) => a.sort((x, y) => x - y)),
      pauseAt: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(arb, fc.double({ min: 0, max: 200, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), ({ thresholds, pauseAt }, a, b) => {
        const concurrency = thresholds.map((_, i) => thresholds.length - i);
        const p = wavePolicy({ thresholds, concurrency, pause_at: pauseAt });
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const c = (u: number) => {
          const r = rate(u, p);
          return r.kind === "go" ? r.concurrency : 0;
        };
        expect(c(hi)).toBeLessThanOrEqual(c(lo));
        expect(rate(hi, p).kind === "pause").toBe(Math.round(hi * 10) / 10 >= pauseAt || c(hi) === 0);
      }),
    );
  });
});

describe("wave policy: output", () => {
  it("renders the SPEC 4 JSON shape with ISO times", () => {
    const doc = waveDocument(decideWave(input({ u: 85, resetIn: 60 }), DEFAULT));
    expect(doc).toEqual({
      action: "pause",
      concurrency: 0,
      governing: { kind: "five_hour", utilisation: 85 },
      resumeAt: "2026-11-22T14:01:30.000Z",
      targetSlot: null,
      reason: expect.any(String),
    });
  });

  it("formats USAGETOP_GOVERNING with one decimal", () => {
    expect(governingEnv({ kind: "five_hour", utilisation: 62 })).toBe("five_hour:62.0");
    expect(governingEnv({ kind: "seven_day", utilisation: 36.64 })).toBe("seven_day:36.6");
    expect(governingEnv(null)).toBe("");
  });

  it("prints one human line", () => {
    const line = decisionLine(decideWave(input({ u: 85, resetIn: 60 }), DEFAULT), NOW, "UTC");
    expect(line).toMatch(/^pause until 14:01 · five_hour at 85\.0%/);
    expect(line).not.toContain("\n");
  });
});
