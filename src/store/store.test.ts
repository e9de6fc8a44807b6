import { describe, expect, it } from "vitest";
import { planTable } from "../model/plans.js";
import { UsageStore } from "./store.js";

const store = () => new UsageStore({ plan: "max", plans: planTable(null), pacing: { paceTarget: 1, band: 5 }, slots: [], selectedSlot: null });
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe("UsageStore.warn", () => {
  it("logs a warning met again by every reader, round after round, once", () => {
    const s = store();
    let changes = 0;
    s.on("change", () => changes++);
    const message = "state dir /x is not writable (EACCES): same";
    // Two readers, five rounds.
    for (let round = 0; round < 5; round++) for (let reader = 0; reader < 2; reader++) s.warn(message, at(round));
    expect(s.log).toEqual([{ at: at(0), message: "state dir /x is not writable (EACCES): same" }]);
    expect(changes).toBe(1);
  });

  it("keeps distinct warnings, and the last 200", () => {
    const s = store();
    for (let i = 0; i < 250; i++) s.warn(`w${i}`, at(i % 60));
    expect(s.log).toHaveLength(200);
    expect(s.log[0]!.message).toBe("w50");
    expect(s.log.at(-1)!.message).toBe("w249");
  });
});
