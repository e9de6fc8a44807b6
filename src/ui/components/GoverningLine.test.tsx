import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoFixture, FIXED_NOW } from "../../../test/tui-fixture.js";
import { UsageStore } from "../../store/store.js";
import { GoverningLine } from "./GoverningLine.js";

describe("GoverningLine", () => {
  it("names the governing meter, its forecast, pacing and reset", () => {
    const { store } = demoFixture();
    const view = store.current(FIXED_NOW);
    const f = render(<GoverningLine view={view} width={150} now={FIXED_NOW} timeZone="UTC" />).lastFrame();
    expect(f).toContain(`Governing: ${view.governing!.label} ${Math.round(view.governing!.utilisation!)}% · `);
    expect(f).toMatch(/ · [-+]\d+ (ahead|behind) · resets \w{3} \d\d:\d\d \(\d+d\d+h\)$/);
  });

  it("says none, never 0 %, when nothing governs", () => {
    const store = new UsageStore({ plan: "max", plans: { max: ["five_hour"] }, pacing: { paceTarget: 1, band: 5 }, slots: [], selectedSlot: null });
    store.ingest({ name: "oauth", slot: null, enabled: true, lastGood: null, lastAttempt: { at: FIXED_NOW, ok: false, error: { kind: "network", message: "down" } }, nextAttemptAt: null, freshForSeconds: 180 });
    const f = render(<GoverningLine view={store.current(FIXED_NOW)} width={80} now={FIXED_NOW} />).lastFrame();
    expect(f).toBe("Governing: none — no reader produced data");
  });
});
