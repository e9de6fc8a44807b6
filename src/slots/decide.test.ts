import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AUTH_STATES, type AuthState } from "./check-auth.js";
import { decide, DEFAULT_THRESHOLDS, exhaustion, unfit, type DecideInput, type DecideMeter, type DecideSlot } from "./decide.js";

const NOW = new Date("2026-11-22T12:00:00Z");
const H = 3600;
const at = (s: number) => new Date(NOW.getTime() + s * 1000);

/** A window meter whose reset is `resetIn` seconds away. */
const m = (kind: string, u: number | null, resetIn: number | null, window = kind === "five_hour" ? 5 * H : 7 * 24 * H): DecideMeter => ({
  kind,
  utilisation: u,
  resetsAt: resetIn === null ? null : at(resetIn),
  windowSeconds: window,
});
/** On pace: utilisation equal to the elapsed share of the window. */
const week = (u: number, elapsedShare = u / 100) => m("seven_day", u, Math.round(7 * 24 * H * (1 - elapsedShare)));
const slot = (name: string, meters: DecideMeter[] = [], auth: AuthState = "ok", probeFailed = false): DecideSlot => ({ name, auth, probeFailed, meters });

function input(over: Partial<DecideInput> = {}): DecideInput {
  return {
    slots: [slot("alice", [week(30)]), slot("bob", [week(20)]), slot("carol", [week(10)])],
    active: "alice",
    primary: "alice",
    fallbackOrder: ["bob", "carol"],
    thresholds: DEFAULT_THRESHOLDS,
    pacing: { paceTarget: 1, band: 5 },
    returnCooldownSeconds: 1800,
    lastSwitch: null,
    now: NOW,
    ...over,
  };
}

describe("exhaustion (SPEC 5.4)", () => {
  it.each([
    ["week at 85", [m("seven_day", 85, 2 * 24 * H)], true],
    ["week at 84.9", [m("seven_day", 84.9, 2 * 24 * H)], false],
    ["5h at 90, reset in 3h", [m("five_hour", 90, 3 * H)], true],
    ["5h at 95, reset in 1h (waits it out)", [m("five_hour", 95, H)], false],
    ["5h at 99, reset unknown", [m("five_hour", 99, null)], false],
    ["Sonnet week at 95", [m("seven_day_sonnet", 95, 24 * H)], true],
    ["Sonnet week at 94", [m("seven_day_sonnet", 94, 24 * H)], false],
    ["week at 100 but its reset passed (rolled over)", [m("seven_day", 100, -60)], false],
    ["no data", [], false],
    ["week unknown (null)", [m("seven_day", null, null)], false],
  ])("%s -> %s", (_, meters, want) => {
    const s = decide(input({ slots: [slot("alice", meters as DecideMeter[]), slot("bob", [week(10)])], fallbackOrder: ["bob"] }));
    expect(s.action === "switch").toBe(want);
  });

  it("thresholds are configurable", () => {
    const s = slot("a", [m("seven_day", 70, 24 * H)]);
    expect(exhaustion(s, { ...DEFAULT_THRESHOLDS, weekly: 70 }, NOW)).toContain("week at 70%");
    expect(exhaustion(s, DEFAULT_THRESHOLDS, NOW)).toBeNull();
  });
});

describe("decide: one table row per rule", () => {
  it("stay: the active slot is healthy and on pace", () => {
    const d = decide(input());
    expect(d).toMatchObject({ action: "stay", target: "alice", holdUntil: null });
    expect(d.reason).toContain("week 30%");
  });

  it("switch: active exhausted, first healthy fallback in order", () => {
    const d = decide(input({ slots: [slot("alice", [week(90)]), slot("bob", [week(20)]), slot("carol", [week(10)])] }));
    expect(d).toMatchObject({ action: "switch", target: "bob", holdUntil: null });
    expect(d.reason).toContain("alice exhausted: week at 90%");
  });

  it.each([
    ["exhausted", slot("bob", [week(88)])],
    ["missing", slot("bob", [], "missing")],
    ["malformed", slot("bob", [], "malformed")],
    ["unreadable", slot("bob", [], "unreadable")],
    ["drift", slot("bob", [week(0)], "drift")],
    ["old", slot("bob", [week(0)], "old")],
    ["probe failed", slot("bob", [week(0)], "ok", true)],
  ])("switch skips a fallback that is %s", (why, bob) => {
    const d = decide(input({ slots: [slot("alice", [week(90)]), bob, slot("carol", [week(10)])] }));
    expect(d).toMatchObject({ action: "switch", target: "carol" });
    expect(d.reason).not.toContain("skipped");
    void why;
  });

  it("stay when every fallback is unfit, naming why for each", () => {
    const d = decide(input({ slots: [slot("alice", [week(90)]), slot("bob", [], "drift"), slot("carol", [week(95)])] }));
    expect(d).toMatchObject({ action: "stay", target: "alice" });
    expect(d.reason).toContain("no healthy fallback");
    expect(d.reason).toContain("bob: drift");
    expect(d.reason).toContain("carol: week at 95%");
  });

  it("a stale (lapsed token) fallback is fine: Claude Code refreshes it", () => {
    const d = decide(input({ slots: [slot("alice", [week(90)]), slot("bob", [week(5)], "stale")] , fallbackOrder: ["bob"]}));
    expect(d).toMatchObject({ action: "switch", target: "bob" });
  });

  it("switch away from a broken active slot", () => {
    const d = decide(input({ slots: [slot("alice", [], "malformed"), slot("bob", [week(20)])], fallbackOrder: ["bob"] }));
    expect(d).toMatchObject({ action: "switch", target: "bob" });
    expect(d.reason).toContain("alice is malformed");
  });

  it("no live slot: pick the first healthy one", () => {
    expect(decide(input({ active: null }))).toMatchObject({ action: "switch", target: "alice" });
  });

  it("forward_route: active ahead by more than the band while a fallback is behind; hold 8 h", () => {
    const d = decide(
      input({
        slots: [slot("alice", [week(60, 0.4)]), slot("bob", [week(35, 0.4)]), slot("carol", [week(10, 0.4)])],
      }),
    );
    expect(d.action).toBe("forward_route");
    expect(d.target).toBe("carol");
    expect(d.holdUntil).toEqual(at(8 * H));
  });

  it("forward_route needs the fallback behind pace, not just lower", () => {
    // alice 11 points ahead; bob on pace (not behind): no forward route, but a rebalance.
    const d = decide(input({ slots: [slot("alice", [week(51, 0.4)]), slot("bob", [week(40, 0.4)])], fallbackOrder: ["bob"] }));
    expect(d.action).toBe("rebalance");
    // 7 points ahead: over the band, under the rebalance trigger, nobody behind: stay.
    expect(decide(input({ slots: [slot("alice", [week(47, 0.4)]), slot("bob", [week(40, 0.4)])], fallbackOrder: ["bob"] })).action).toBe("stay");
  });

  it("rebalance: weekly ahead by ≥ 10 points, hold proportional to the gap within 6–48 h", () => {
    const small = decide(input({ slots: [slot("alice", [week(51, 0.4)]), slot("bob", [week(40, 0.4)])], fallbackOrder: ["bob"] }));
    expect(small).toMatchObject({ action: "rebalance", target: "bob" });
    // gap 11 points -> 0.11 * 604800 / 0.9 = 73920 s (20.5 h)
    expect((small.holdUntil!.getTime() - NOW.getTime()) / 1000).toBe(73920);
    // (The 6 h floor is a clamp: with a 10-point trigger the proportional hold starts at 18.7 h.)
    const big = decide(input({ slots: [slot("alice", [week(80, 0.1)]), slot("bob", [week(40, 0.1)])], fallbackOrder: ["bob"], pacing: { paceTarget: 1, band: 100 } }));
    expect((big.holdUntil!.getTime() - NOW.getTime()) / 1000).toBe(48 * H);
  });

  it("no rebalance when every other slot has used more of its week", () => {
    const d = decide(input({ slots: [slot("alice", [week(55, 0.4)]), slot("bob", [week(70, 0.6)])], fallbackOrder: ["bob"], pacing: { paceTarget: 1, band: 100 } }));
    expect(d.action).toBe("stay");
  });

  it("hold: a decide switch's holdUntil keeps the slot, unless it gets exhausted", () => {
    const last = { at: at(-H), to: "bob", holdUntil: at(5 * H) };
    const held = decide(input({ active: "bob", lastSwitch: last }));
    expect(held).toMatchObject({ action: "stay", target: "bob", holdUntil: at(5 * H) });
    const exhausted = decide(input({ active: "bob", lastSwitch: last, slots: [slot("alice", [week(30)]), slot("bob", [week(90)])] }));
    expect(exhausted).toMatchObject({ action: "switch", target: "alice" });
  });

  it("return to primary only after the cooldown and when it is no longer exhausted", () => {
    const base = { active: "bob", slots: [slot("alice", [week(30)]), slot("bob", [week(20)])] };
    const early = decide(input({ ...base, lastSwitch: { at: at(-1000), to: "bob", holdUntil: null } }));
    expect(early).toMatchObject({ action: "stay", target: "bob" });
    expect(early.reason).toContain("cooldown");
    const later = decide(input({ ...base, lastSwitch: { at: at(-1800), to: "bob", holdUntil: null } }));
    expect(later).toMatchObject({ action: "switch", target: "alice" });
    const still = decide(input({ active: "bob", slots: [slot("alice", [week(90)]), slot("bob", [week(20)])], lastSwitch: { at: at(-5 * H), to: "bob", holdUntil: null } }));
    expect(still.action).toBe("stay");
    const oldPrimary = decide(input({ active: "bob", slots: [slot("alice", [week(10)], "old"), slot("bob", [week(20)])], lastSwitch: null }));
    expect(oldPrimary.target).not.toBe("alice");
  });

  it("slots missing from fallback_order still serve, after it", () => {
    const d = decide(input({ slots: [slot("alice", [week(90)]), slot("bob", [week(90)]), slot("zed", [week(1)])], fallbackOrder: ["bob"] }));
    expect(d).toMatchObject({ action: "switch", target: "zed" });
  });

  it("unfit names the reason a slot is skipped", () => {
    expect(unfit(slot("a", [], "ok"))).toBeNull();
    expect(unfit(slot("a", [], "stale"))).toBeNull();
    expect(unfit(slot("a", [], "old"))).toBe("old");
    expect(unfit(slot("a", [], "ok", true))).toBe("last probe failed");
  });
});

describe("decide: properties", () => {
  const names = ["a", "b", "c", "d", "e"];
  const meterArb = fc.record({
    kind: fc.constantFrom("five_hour", "seven_day", "seven_day_sonnet", "extra_usage", "seven_day_cowork"),
    utilisation: fc.option(fc.double({ min: 0, max: 130, noNaN: true }), { nil: null }),
    resetIn: fc.option(fc.integer({ min: -3 * H, max: 7 * 24 * H }), { nil: null }),
  }).map(({ kind, utilisation, resetIn }) => m(kind, utilisation, resetIn));
  const slotsArb = fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...names),
      auth: fc.constantFrom(...AUTH_STATES),
      probeFailed: fc.boolean(),
      meters: fc.array(meterArb, { maxLength: 4 }),
    }),
    { selector: (s) => s.name, minLength: 1, maxLength: 5 },
  );
  const inputArb = fc.record({
    slots: slotsArb,
    active: fc.option(fc.constantFrom(...names), { nil: null }),
    primary: fc.option(fc.constantFrom(...names), { nil: null }),
    fallbackOrder: fc.option(fc.uniqueArray(fc.constantFrom(...names)), { nil: null }),
    band: fc.constantFrom(0, 5, 10),
    cooldown: fc.constantFrom(0, 1800),
    last: fc.option(
      fc.record({ ago: fc.integer({ min: 0, max: 10 * H }), to: fc.constantFrom(...names), hold: fc.option(fc.integer({ min: -H, max: 48 * H }), { nil: null }) }),
      { nil: null },
    ),
  }).map(
    (r): DecideInput =>
      input({
        slots: r.slots,
        active: r.active,
        primary: r.primary,
        fallbackOrder: r.fallbackOrder,
        pacing: { paceTarget: 1, band: r.band },
        returnCooldownSeconds: r.cooldown,
        lastSwitch: r.last ? { at: at(-r.last.ago), to: r.last.to, holdUntil: r.last.hold === null ? null : at(r.last.hold) } : null,
      }),
  );

  it("never moves to an exhausted, broken, drifted, old or failed-probe slot", () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const d = decide(inp);
        if (d.action === "stay") return;
        const target = inp.slots.find((s) => s.name === d.target);
        expect(target).toBeDefined();
        expect(d.target).not.toBe(inp.active);
        expect(unfit(target!)).toBeNull();
        expect(exhaustion({ ...target!, meters: target!.meters.map((x) => (x.resetsAt && x.resetsAt <= NOW ? { ...x, utilisation: 0, resetsAt: null } : x)) }, inp.thresholds, NOW)).toBeNull();
      }),
      { numRuns: 1500 },
    );
  });

  it("is deterministic under any permutation of the slots", () => {
    fc.assert(
      fc.property(inputArb, fc.infiniteStream(fc.nat()), (inp, seeds) => {
        const shuffled = [...inp.slots].map((s) => ({ s, k: seeds.next().value as number })).sort((x, y) => x.k - y.k).map((x) => x.s);
        expect(decide({ ...inp, slots: shuffled })).toEqual(decide(inp));
      }),
      { numRuns: 500 },
    );
  });

  it("proactive moves carry a hold; switches and stays (other than holds) do not invent one", () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const d = decide(inp);
        if (d.action === "forward_route" || d.action === "rebalance") {
          const hold = (d.holdUntil!.getTime() - NOW.getTime()) / 1000;
          expect(hold).toBeGreaterThanOrEqual(6 * H);
          expect(hold).toBeLessThanOrEqual(48 * H);
        }
        if (d.action === "switch") expect(d.holdUntil).toBeNull();
        expect(d.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 800 },
    );
  });
});
