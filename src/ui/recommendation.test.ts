import { describe, expect, it } from "vitest";
import { demoFixture, FIXED_NOW } from "../../test/tui-fixture.js";
import { recommendationText, storeDecision } from "./recommendation.js";
import { decidePolicy } from "../slots/decide-policy.js";

describe("recommendation", () => {
  it("asks the decision engine about the store's slots and words its answer", () => {
    const { store, config } = demoFixture();
    const d = storeDecision(store, decidePolicy(config, null), FIXED_NOW);
    expect(d).not.toBeNull();
    expect(d!.active).toBe("alice");
    const text = recommendationText(d!.decision, d!.active, FIXED_NOW);
    expect(text).toMatch(/^Advice: (stay on alice: |switch to |route new work to |rebalance to )/);
    expect(text).toContain(d!.decision.reason);
  });

  it("words each action", () => {
    const hold = new Date(FIXED_NOW.getTime() + 8 * 3600_000);
    expect(recommendationText({ action: "stay", target: null, reason: "fine", holdUntil: null }, "alice", FIXED_NOW)).toBe("Advice: stay on alice: fine");
    expect(recommendationText({ action: "switch", target: "bob", reason: "alice exhausted", holdUntil: null }, "alice", FIXED_NOW)).toBe(
      "Advice: switch to bob (pick it, Enter, y): alice exhausted",
    );
    expect(recommendationText({ action: "forward_route", target: "bob", reason: "ahead", holdUntil: hold }, "alice", FIXED_NOW)).toBe(
      "Advice: route new work to bob for 8h00m (pick it, Enter, y): ahead",
    );
  });

  it("has nothing to say with one slot", () => {
    const { store, config } = demoFixture();
    store.setSlots(store.slots.slice(0, 1));
    expect(storeDecision(store, decidePolicy(config, null), FIXED_NOW)).toBeNull();
  });
});
