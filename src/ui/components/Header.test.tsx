import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoFixture, FIXED_NOW } from "../../../test/tui-fixture.js";
import { UsageStore } from "../../store/store.js";
import { Header, headerParts } from "./Header.js";

describe("Header", () => {
  it("shows slot, plan, the freshest source and its age, and the clock at the right edge", () => {
    const { store } = demoFixture();
    const f = render(<Header view={store.current(FIXED_NOW)} slots={store.slots} width={99} now={FIXED_NOW} timeZone="UTC" demo />).lastFrame() ?? "";
    expect(f).toMatch(/^usagetop demo · slot alice · plan max · \w+ \d+s ago +14:03:22$/);
    expect(f.length).toBe(99);
  });

  it("names the live slot when another is shown, and its auth state", () => {
    const { store } = demoFixture();
    store.selectSlot("carol");
    expect(headerParts(store.current(FIXED_NOW), store.slots).text).toMatch(/^usagetop · slot carol \(stale\) · live alice · plan max · oauth 3h0\dm ago \(stale\)$/);
  });

  it("says all readers are down, in the bad tone", () => {
    const store = new UsageStore({ plan: "max", plans: { max: ["five_hour"] }, pacing: { paceTarget: 1, band: 5 }, slots: [], selectedSlot: null });
    store.ingest({ name: "oauth", slot: null, enabled: true, lastGood: null, lastAttempt: { at: FIXED_NOW, ok: false, error: { kind: "auth", message: "no credentials" } }, nextAttemptAt: null, freshForSeconds: 180 });
    const p = headerParts(store.current(FIXED_NOW), []);
    expect(p.text).toContain("all readers down");
    expect(p.tone).toBe("bad");
  });
});
