import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Meter } from "../model/meter.js";
import { DEFAULT_PACING } from "../model/pacing.js";
import { planTable } from "../model/plans.js";
import type { ReaderEntry } from "../model/reader-state.js";
import { UsageStore } from "../store/store.js";
import { ttyCountdown, waveEnv, WaveGate, signalExitCode, type GateDeps, type SwitchResult } from "./gate.js";
import { wavePolicy, type WaveConfig } from "./policy.js";
import type { ProbeStreak } from "./resume.js";

const T0 = Date.parse("2026-11-22T14:00:00.000Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function meter(kind: string, utilisation: number, resetsAt: Date | null, observedAt: Date): Meter {
  return { kind, label: kind, utilisation, resetsAt, windowSeconds: 18_000, source: "oauth", observedAt, estimated: false };
}

type SlotReading = { meters: Array<[kind: string, u: number, resetsAt: Date | null]> } | { error: ReaderEntry["lastAttempt"] };

/** A store as one round of reads leaves it: one oauth entry per slot. */
function storeAt(now: Date, slots: Record<string, SlotReading>, active: string, plan = "max"): UsageStore {
  const names = Object.keys(slots);
  const store = new UsageStore({
    plan,
    plans: planTable(null),
    pacing: DEFAULT_PACING,
    slots: names.map((name) => ({ name, active: name === active, auth: "ok" })),
    selectedSlot: active,
  });
  for (const [slot, reading] of Object.entries(slots)) {
    const base = { name: "oauth" as const, slot, enabled: true, nextAttemptAt: null, freshForSeconds: 180 };
    if ("error" in reading) store.ingest({ ...base, lastGood: null, lastAttempt: reading.error });
    else {
      const meters = reading.meters.map(([k, u, r]) => meter(k, u, r, now));
      store.ingest({ ...base, lastGood: { at: now, meters }, lastAttempt: { at: now, ok: true } });
    }
  }
  return store;
}

type Harness = { deps: GateDeps; polls: number[]; clock: { t: number }; switches: string[]; probes: Map<string, ProbeStreak>; ticks: number[] };

function harness(
  read: (now: Date) => UsageStore,
  opts: { wave?: WaveConfig; interval?: number; switchResult?: (target: string) => SwitchResult; ticks?: boolean; abortAfterMs?: number } = {},
): Harness {
  const clock = { t: T0 };
  const polls: number[] = [];
  const switches: string[] = [];
  const probes = new Map<string, ProbeStreak>();
  const ticks: number[] = [];
  const controller = new AbortController();
  const deps: GateDeps = {
    policy: wavePolicy(opts.wave),
    intervalSeconds: opts.interval ?? 180,
    preference: [],
    override: null,
    now: () => new Date(clock.t),
    sleep: async (ms) => {
      if (opts.abortAfterMs !== undefined && clock.t + ms - T0 >= opts.abortAfterMs) {
        clock.t = T0 + opts.abortAfterMs;
        controller.abort();
        return false;
      }
      clock.t += ms;
      return true;
    },
    collect: async (now) => {
      polls.push((now.getTime() - T0) / 1000);
      return read(now);
    },
    fitness: () => null,
    switchTo: async (target) => {
      switches.push(target);
      return opts.switchResult ? opts.switchResult(target) : { ok: true, note: null };
    },
    probes: {
      load: (slot) => probes.get(slot ?? "-") ?? { streak: 0, nextProbeAt: null },
      save: (slot, p) => void probes.set(slot ?? "-", p),
    },
    ...(opts.ticks ? { onTick: (_d, now) => void ticks.push((now.getTime() - T0) / 1000) } : {}),
    signal: controller.signal,
  };
  return { deps, polls, clock, switches, probes, ticks };
}

describe("WaveGate.untilGo (fake clock)", () => {
  it("goes at once under the thresholds, with one read", async () => {
    const h = harness((now) => storeAt(now, { alice: { meters: [["five_hour", 62, at(3600)]] } }, "alice"));
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("go");
    expect(h.polls).toEqual([0]);
    if (out.kind === "go") expect(waveEnv(out.verdict.decision)).toEqual({ USAGETOP_CONCURRENCY: "2", USAGETOP_GOVERNING: "five_hour:62.0" });
  });

  it("85% with reset in 3 s, resume_delay 2 s, interval 1 s: goes at reset + delay, reading once a second", async () => {
    // The source keeps reporting its last body (reset in the past after 3 s): rollover makes it 0 %.
    const h = harness((now) => storeAt(now, { alice: { meters: [["five_hour", 85, at(3)]] } }, "alice"), { wave: { resume_delay: 2 }, interval: 1 });
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("go");
    expect(h.clock.t - T0).toBe(5000);
    expect(h.polls).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("does not read again before the interval: at resume time it re-decides on the data it has", async () => {
    const h = harness((now) => storeAt(now, { alice: { meters: [["five_hour", 85, at(3)]] } }, "alice"), { wave: { resume_delay: 2 }, interval: 180 });
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("go");
    expect(h.clock.t - T0).toBe(5000);
    expect(h.polls).toEqual([0]);
  });

  it("probes an unknown reset at 5, 10, 20, 30 min intervals, reading only at probe times", async () => {
    const h = harness(
      (now) => storeAt(now, { alice: { meters: [["five_hour", now.getTime() - T0 < 7000_000 ? 90 : 10, null]] } }, "alice"),
      { interval: 60 },
    );
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("go");
    const gaps = h.polls.slice(1).map((p, i) => (p - h.polls[i]!) / 60);
    expect(gaps).toEqual([5, 10, 20, 30, 30, 30]);
    expect(h.probes.get("alice")).toEqual({ streak: 0, nextProbeAt: null });
  });

  it("gives up with no_data when no reader could ever produce data", async () => {
    const error = { at: at(0), ok: false, error: { kind: "unavailable" as const, message: "oauth: no credentials file" } };
    const h = harness((now) => storeAt(now, { alice: { error } }, "alice"));
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("no_data");
    if (out.kind === "no_data") expect(out.verdict.decision.reason).toContain("oauth: no credentials file");
  });

  it("waits out a transient outage (reader backing off) with the probe backoff", async () => {
    const error = { at: at(0), ok: false, error: { kind: "network" as const, message: "connect ECONNREFUSED" } };
    const h = harness((now) =>
      now.getTime() - T0 < 600_000 ? storeAt(now, { alice: { error } }, "alice") : storeAt(now, { alice: { meters: [["five_hour", 20, at(9000)]] } }, "alice"),
    );
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("go");
    expect(h.polls).toEqual([0, 300, 900]);
  });

  it("switches to a slot under the line and then decides for it", async () => {
    const read = (now: Date) =>
      storeAt(now, { alice: { meters: [["five_hour", 85, at(7200)]] }, bob: { meters: [["seven_day", 55, at(90_000)]] } }, "alice");
    const h = harness(read, { wave: { switch: true } });
    const gate = new WaveGate(h.deps);
    const out = await gate.untilGo();
    expect(h.switches).toEqual(["bob"]);
    expect(out.kind).toBe("go");
    if (out.kind !== "go") return;
    expect(out.verdict.slot).toBe("bob");
    expect(out.verdict.decision).toMatchObject({ action: "switch", targetSlot: "bob", concurrency: 2 });
    expect(waveEnv(out.verdict.decision)).toEqual({ USAGETOP_CONCURRENCY: "2", USAGETOP_GOVERNING: "seven_day:55.0" });
    // The next wave reads bob, not alice (the live link now points at bob).
    h.clock.t += 180_000;
    const next = await gate.evaluate();
    expect(next.slot).toBe("bob");
    expect(next.decision).toMatchObject({ action: "go", concurrency: 2, governing: { kind: "seven_day", utilisation: 55 } });
  });

  it("pauses until the next poll when the switch is deferred, then tries again", async () => {
    const read = (now: Date) =>
      storeAt(now, { alice: { meters: [["five_hour", 85, at(7200)]] }, bob: { meters: [["seven_day", 10, at(90_000)]] } }, "alice");
    const deferred: SwitchResult = { ok: false, why: "switch deferred: agent lock /tmp/x.lock is held" };
    const stuck = harness(read, { wave: { switch: true }, interval: 30, switchResult: () => deferred });
    const first = await new WaveGate(stuck.deps).evaluate();
    expect(first.slot).toBe("alice");
    expect(first.decision).toMatchObject({ action: "pause", pause: "switch_failed", resumeAt: at(30), targetSlot: null });
    expect(first.decision.reason).toContain("but the switch did not happen: switch deferred");

    let tries = 0;
    const h = harness(read, {
      wave: { switch: true },
      interval: 30,
      switchResult: () => (++tries === 1 ? deferred : { ok: true, note: "switched from alice to bob" }),
    });
    const out = await new WaveGate(h.deps).untilGo();
    expect(out.kind).toBe("go");
    expect(h.polls).toEqual([0, 30]);
    if (out.kind === "go") expect(out.verdict.decision.reason).toContain("switched from alice to bob");
  });

  it("ticks the countdown about once a second while waiting", async () => {
    const h = harness((now) => storeAt(now, { alice: { meters: [["five_hour", 85, at(3)]] } }, "alice"), { wave: { resume_delay: 1 }, ticks: true });
    await new WaveGate(h.deps).untilGo();
    expect(h.ticks).toEqual([0, 1, 2, 3]);
  });

  it("stops waiting when aborted (SIGINT)", async () => {
    const h = harness((now) => storeAt(now, { alice: { meters: [["five_hour", 85, at(3600)]] } }, "alice"), { abortAfterMs: 10_000 });
    expect((await new WaveGate(h.deps).untilGo()).kind).toBe("aborted");
  });
});

describe("countdown and exit codes", () => {
  it("rewrites one line in place and clears it", async () => {
    const h = harness((now) => storeAt(now, { alice: { meters: [["five_hour", 85, at(272)]] } }, "alice"));
    const { decision } = await new WaveGate(h.deps).evaluate();
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on("data", (c) => chunks.push(String(c)));
    const c = ttyCountdown(stream, "UTC");
    c.tick(decision, at(0));
    c.clear();
    expect(chunks[0]).toBe("\r\x1b[2Kusagetop: wave paused (five_hour 85.0%): resuming in 5m (14:05) · Ctrl-C stops");
    expect(chunks[1]).toBe("\r\x1b[2K");
  });

  it("reports a killed child as 128 + signal", () => {
    expect(signalExitCode("SIGINT")).toBe(130);
    expect(signalExitCode("SIGTERM")).toBe(143);
  });
});
