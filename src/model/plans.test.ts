import { describe, expect, it } from "vitest";
import type { Config } from "../config/config.js";
import { detectPlan, isApplicable, nextPlan, planTable } from "./plans.js";

const withPlans = (plans: Record<string, { meters: string[] }>) => ({ file: { plans } }) as Pick<Config, "file">;

describe("plans", () => {
  it("cycles pro -> max -> api -> codex -> local -> config plans -> pro", () => {
    const table = planTable(withPlans({ zed: { meters: ["five_hour"] }, alpha: { meters: ["seven_day"] } }));
    const seen = ["pro"];
    for (let i = 0; i < 7; i++) seen.push(nextPlan(seen.at(-1)!, table));
    expect(seen).toEqual(["pro", "max", "api", "codex", "local", "alpha", "zed", "pro"]);
  });

  it("continues from max for plans sharing its set", () => {
    const table = planTable(null);
    expect(nextPlan("team", table)).toBe("api");
    expect(nextPlan("max_20x", table)).toBe("api");
  });

  it("config plans override built-in meter sets", () => {
    const table = planTable(withPlans({ pro: { meters: ["five_hour"] } }));
    expect(isApplicable({ kind: "seven_day", source: "oauth" }, "pro", table)).toBe(false);
    expect(isApplicable({ kind: "five_hour", source: "oauth" }, "pro", table)).toBe(true);
  });

  it("pools never govern; registry kinds outside the set do not either", () => {
    const table = planTable(null);
    expect(isApplicable({ kind: "extra_usage", source: "oauth" }, "max", table)).toBe(false);
    expect(isApplicable({ kind: "seven_day_opus", source: "oauth" }, "pro", table)).toBe(false);
    expect(isApplicable({ kind: "codex_primary", source: "codex" }, "max", table)).toBe(false);
  });

  it("unknown kinds govern when their reader serves the plan's provider", () => {
    const table = planTable(null);
    expect(isApplicable({ kind: "seven_day_cowork", source: "oauth" }, "max", table)).toBe(true);
    expect(isApplicable({ kind: "seven_day_cowork", source: "oauth" }, "codex", table)).toBe(false);
    expect(isApplicable({ kind: "codex_primary_bengalfox", source: "codex" }, "codex", table)).toBe(true);
  });

  it("detects the plan from credentials and account", () => {
    expect(detectPlan({ subscriptionType: "max", rateLimitTier: "default_claude_max_20x" })).toBe("max_20x");
    expect(detectPlan({ subscriptionType: "pro" })).toBe("pro");
    expect(detectPlan({ subscriptionType: null, organizationType: "claude_team" })).toBe("team");
    expect(detectPlan({})).toBeNull();
  });
});
