import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeImport, parseHarnessQuota } from "./harness-quota.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/config");
const FILE = "/h/.config/gptme/harness-quota.toml";

describe("parseHarnessQuota", () => {
  it("reads gptme-usage's own fixture", () => {
    const q = parseHarnessQuota(readFileSync(join(FIXTURES, "harness-quota.toml"), "utf8"), FILE);
    expect(q).toEqual({
      plan: "max_5x",
      planTier: "max-5x",
      prices: {
        "claude-code": { opus: { input: 5, output: 25 }, sonnet: { input: 3, output: 15 } },
        gptme: { "deepseek-v4-pro": { input: 1.74, output: 3.48 } },
      },
      tps: { "claude-code": { opus: 10000, sonnet: 8000 } },
      notes: [],
    });
  });

  it.each([
    ["pro", "pro"],
    ["max-5x", "max_5x"],
    ["max-20x", "max_20x"],
  ])("maps claude_plan_tier %s to plan %s", (tier, plan) => {
    expect(parseHarnessQuota(`claude_plan_tier = "${tier}"\n`, FILE).plan).toBe(plan);
  });

  it("treats an empty file as nothing to import", () => {
    const q = parseHarnessQuota("", FILE);
    expect(q.plan).toBeNull();
    expect(describeImport(q, FILE, null)).toEqual([]);
  });

  it("skips malformed prices and tps one entry at a time", () => {
    const text = '[prices.h]\nok = [1, 2]\nshort = [1]\nlong = [1, 2, 3]\nneg = [-1, 2]\nword = ["1", "2"]\n[tps.h]\nzero = 0\nfine = 12.5\n[tps]\nflat = 3\n';
    const q = parseHarnessQuota(text, FILE);
    expect(q.prices).toEqual({ h: { ok: { input: 1, output: 2 } } });
    expect(q.tps).toEqual({ h: { fine: 12.5 } });
    expect(q.notes.map((n) => n.split(": skipped")[0])).toEqual([`${FILE}:3`, `${FILE}:4`, `${FILE}:5`, `${FILE}:6`, `${FILE}:8`, `${FILE}:11`]);
  });

  it("never throws and never imports a non-number, whatever the text", () => {
    const fragment = fc.constantFrom("[prices.h]", '"a\\nb" = ', '[tps."x\\ty"]', "[tps.h]", "[prices]", "claude_plan_tier = ", "m = ", "__proto__ = ", "[1, 2]", "[1]", "3", "\"pro\"", "\"max-5x\"", "{ a = 1 }", "\n", "=", "[", "]");
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fragment, { maxLength: 30 }).map((a) => a.join("")));
    fc.assert(
      fc.property(text, (t) => {
        const q = parseHarnessQuota(t, FILE);
        for (const models of Object.values(q.prices)) for (const p of Object.values(models)) expect(typeof p.input === "number" && typeof p.output === "number").toBe(true);
        for (const models of Object.values(q.tps)) for (const n of Object.values(models)) expect(n).toBeGreaterThan(0);
        expect(q.plan === null || ["pro", "max_5x", "max_20x"].includes(q.plan)).toBe(true);
        for (const line of describeImport(q, FILE, null)) expect(line).not.toContain("\n");
      }),
      { numRuns: 500 },
    );
  });
});
