import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStatusInput, STATUS_MAX_BYTES, statusMeters } from "./parse-statusline.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "statusline");
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".expected.json"))
  .map((f) => f.replace(/\.expected\.json$/, ""));
const AT = new Date("2026-09-20T12:00:00Z");

describe("parseStatusInput on recorded status JSON", () => {
  it("has at least 3 samples", () => expect(cases.length).toBeGreaterThanOrEqual(3));

  for (const name of cases) {
    it(name, () => {
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), "utf8")) as {
        sessionId: string; model: string; costUsd: number | null; meters: Array<Record<string, unknown>>;
      };
      const r = parseStatusInput(readFileSync(join(DIR, `${name}.json`), "utf8"));
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.facts).toMatchObject({ sessionId: expected.sessionId, model: expected.model, costUsd: expected.costUsd });
      const meters = statusMeters(r.facts.windows, AT).sort((a, b) => a.kind.localeCompare(b.kind));
      expect(meters.map((m) => m.kind)).toEqual(expected.meters.map((m) => m.kind));
      expected.meters.forEach((want, i) => {
        const m = meters[i]!;
        expect({ ...m, resetsAt: m.resetsAt?.toISOString() ?? null }).toMatchObject(want);
        expect(m).toMatchObject({ source: "statusline", observedAt: AT, estimated: false });
      });
    });
  }
});

describe("parseStatusInput rules", () => {
  it("never makes a meter of the context window", () => {
    const r = parseStatusInput(JSON.stringify({ context_window: { used_percentage: 90 }, rate_limits: {} }));
    expect(r.ok && Object.keys(r.facts.windows)).toEqual([]);
  });

  it("refuses empty, non-JSON and oversized input", () => {
    expect(parseStatusInput("")).toEqual({ ok: false, reason: "empty status input" });
    expect(parseStatusInput("{not json")).toEqual({ ok: false, reason: "status input is not JSON" });
    expect(parseStatusInput("[]")).toEqual({ ok: false, reason: "status input is not a JSON object" });
    expect(parseStatusInput(`{"x":"${"a".repeat(STATUS_MAX_BYTES)}"}`)).toEqual({ ok: false, reason: "status input over 1 MiB" });
  });

  it("passes unknown rate-limit windows through and names a malformed one", () => {
    const r = parseStatusInput(JSON.stringify({ rate_limits: { seven_day_opus: { used_percentage: 3, resets_at: 1790582400 }, five_hour: { used_percentage: "62" } } }));
    expect(r.ok && r.facts.windows).toEqual({ seven_day_opus: { usedPercentage: 3, resetsAt: 1790582400 } });
    expect(r.ok && r.facts.warnings).toEqual(["rate_limits.five_hour.used_percentage: expected a number >= 0"]);
  });

  it("never throws", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((j) => JSON.stringify(j)), fc.jsonValue().map((j) => JSON.stringify({ rate_limits: j, cost: j, model: j }))), (text) => {
        const r = parseStatusInput(text);
        if (r.ok) for (const m of statusMeters(r.facts.windows, AT)) expect(Number.isFinite(m.utilisation)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
