import { describe, expect, it } from "vitest";
import { demoConfig, FIXED_NOW } from "../../test/tui-fixture.js";
import { BUILTIN_TIERS } from "../model/tiers.js";
import { readTranscriptUsage } from "../readers/transcripts.js";
import { costViews } from "./cost-views.js";

describe("costViews", () => {
  it("is null without transcript data", () => {
    expect(costViews(null, BUILTIN_TIERS, "UTC", FIXED_NOW)).toBeNull();
  });

  it("sums the demo transcripts by model, blocks and sessions", () => {
    const c = costViews(readTranscriptUsage(demoConfig(), FIXED_NOW), BUILTIN_TIERS, "UTC", FIXED_NOW)!;
    expect(c.models.length).toBeGreaterThan(0);
    expect(c.modelTotals.cost).toBeCloseTo(c.models.reduce((a, m) => a + m.totalCost, 0), 6);
    expect(c.sessions.length).toBeGreaterThan(0);
    // The demo's "today" is its last recorded day (2026-01-14), whatever the clock says: the
    // Models view then agrees with the 5-hour window and blocks read at the same moment.
    expect(c.period).toBe("today");
    expect(c.todayCost).toBeCloseTo(1.17, 2);
    expect(c.window.cost).toBeCloseTo(c.todayCost, 6);
    // Models come costliest first, as the view lists them.
    const costs = c.models.map((m) => m.totalCost);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });
});
