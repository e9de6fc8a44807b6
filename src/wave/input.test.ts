import { describe, expect, it } from "vitest";
import type { Meter } from "../model/meter.js";
import { DEFAULT_PACING } from "../model/pacing.js";
import { planTable } from "../model/plans.js";
import { UsageStore } from "../store/store.js";
import { decideWave, wavePolicy } from "./policy.js";
import { dataMayArrive, noDataDetail, waveInput, type InputExtras } from "./input.js";
import { NO_PROBE } from "./resume.js";

const T0 = new Date("2026-11-22T14:00:00.000Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const extras: InputExtras = { override: null, probe: NO_PROBE, minProbeSeconds: 0, preference: [], fitness: () => null };
const policy = wavePolicy({ resume_delay: 30 });

function m(kind: string, utilisation: number, resetsAt: Date | null): Meter {
  return { kind, label: kind, utilisation, resetsAt, windowSeconds: 604_800, source: "oauth", observedAt: T0, estimated: false };
}

function store(meters: Meter[], plan = "max"): UsageStore {
  const s = new UsageStore({
    plan,
    plans: planTable(null),
    pacing: DEFAULT_PACING,
    slots: [{ name: "alice", active: true, auth: "ok" }],
    selectedSlot: "alice",
  });
  s.ingest({ name: "oauth", slot: "alice", enabled: true, lastGood: { at: T0, meters }, lastAttempt: { at: T0, ok: true }, nextAttemptAt: null, freshForSeconds: 180 });
  return s;
}

describe("the gate reasons over the plan's meter set (SPEC 2.3)", () => {
  it("a plan switch reloads the meters: Opus governs under max, not under pro", () => {
    const s = store([m("five_hour", 20, at(3600)), m("seven_day", 40, at(86_400)), m("seven_day_opus", 70, at(86_400))]);
    const max = decideWave(waveInput(s, "alice", policy, T0, extras).input, policy);
    expect(max).toMatchObject({ action: "go", concurrency: 1, governing: { kind: "seven_day_opus", utilisation: 70 } });
    s.setPlan("pro");
    const pro = decideWave(waveInput(s, "alice", policy, T0, extras).input, policy);
    expect(pro).toMatchObject({ action: "go", concurrency: 3, governing: { kind: "seven_day", utilisation: 40 } });
  });

  it("pools never govern or pause a wave", () => {
    const pool: Meter = { ...m("extra_usage", 99, at(999_999)), source: "oauth" };
    const d = decideWave(waveInput(store([m("five_hour", 10, at(3600)), pool]), "alice", policy, T0, extras).input, policy);
    expect(d).toMatchObject({ action: "go", concurrency: 3, governing: { kind: "five_hour" } });
  });

  it("a plan with none of the meters has no data", () => {
    const s = store([m("five_hour", 10, at(3600))], "codex");
    const { input, view } = waveInput(s, "alice", policy, T0, extras);
    expect(input.governing).toBeNull();
    expect(noDataDetail(view)).toBe("no reader produced a meter for plan codex");
    expect(dataMayArrive(view)).toBe(true);
  });
});

describe("settling after a reset", () => {
  it("lists a meter over the line whose reset just passed, with the reset it had", () => {
    const s = store([m("five_hour", 85, at(3)), m("seven_day", 30, at(86_400))]);
    const { input } = waveInput(s, "alice", policy, at(10), extras);
    expect(input.governing).toMatchObject({ kind: "seven_day", utilisation: 30 });
    expect(input.settling).toEqual([{ kind: "five_hour", resetsAt: at(3) }]);
    expect(decideWave(input, policy)).toMatchObject({ action: "pause", pause: "settling", resumeAt: at(33) });
    expect(decideWave(waveInput(s, "alice", policy, at(33), extras).input, policy).action).toBe("go");
  });

  it("ignores a rolled-over meter that was under the line", () => {
    const { input } = waveInput(store([m("five_hour", 60, at(3))]), "alice", policy, at(10), extras);
    expect(input.settling).toEqual([]);
  });
});
