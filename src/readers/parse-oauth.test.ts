import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Meter } from "../model/meter.js";
import { parseOAuthUsage } from "./parse-oauth.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "oauth");
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith(".expected.json"))
  .map((f) => f.replace(/\.expected\.json$/, ""));

type Expected = {
  observedAt: string;
  meters?: Array<Record<string, unknown>>;
  warnings?: string[];
  notes?: string[];
  error?: string;
};

function view(m: Meter): Record<string, unknown> {
  return { ...m, resetsAt: m.resetsAt ? m.resetsAt.toISOString() : null, observedAt: m.observedAt.toISOString() };
}

function expectField(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === "number" && typeof actual === "number") {
    expect(actual, where).toBeCloseTo(expected, 9);
  } else {
    expect(actual, where).toEqual(expected);
  }
}

describe("parseOAuthUsage on recorded bodies", () => {
  it("has at least 8 fixtures with expectations", () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of cases) {
    it(name, () => {
      const body: unknown = JSON.parse(readFileSync(join(DIR, `${name}.json`), "utf8"));
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), "utf8")) as Expected;
      const observedAt = new Date(expected.observedAt);
      const result = parseOAuthUsage(body, observedAt);
      if (expected.error !== undefined) {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.kind).toBe("parse");
          expect(result.error.message).toContain(expected.error);
        }
        return;
      }
      expect(result.ok, JSON.stringify(result)).toBe(true);
      if (!result.ok) return;
      const got = [...result.meters].sort((a, b) => a.kind.localeCompare(b.kind)).map(view);
      expect(got.map((m) => m.kind)).toEqual((expected.meters ?? []).map((m) => m.kind));
      (expected.meters ?? []).forEach((want, i) => {
        for (const [field, value] of Object.entries(want)) expectField(got[i]![field], value, `${want.kind}.${field}`);
        expect(got[i]!.source).toBe("oauth");
        expect(got[i]!.observedAt).toBe(observedAt.toISOString());
        expect(got[i]!.estimated).toBe(false);
      });
      expect(result.warnings).toHaveLength((expected.warnings ?? []).length);
      for (const w of expected.warnings ?? []) expect(result.warnings.some((x) => x.includes(w)), w).toBe(true);
      expect(result.notes).toHaveLength((expected.notes ?? []).length);
      for (const n of expected.notes ?? []) expect(result.notes.some((x) => x.includes(n)), n).toBe(true);
    });
  }
});

describe("parseOAuthUsage rules", () => {
  const at = new Date("2026-09-20T12:00:00Z");

  it("lets limits[] win field by field: percent from the entry, reset from the flat key when the entry has none", () => {
    const r = parseOAuthUsage(
      {
        five_hour: { utilization: 10, resets_at: "2026-09-20T14:00:00Z" },
        limits: [{ kind: "session", percent: 12 }],
      },
      at,
    );
    expect(r.ok && r.meters.map((m) => [m.kind, m.utilisation, m.resetsAt?.toISOString()])).toEqual([
      ["five_hour", 12, "2026-09-20T14:00:00.000Z"],
    ]);
  });

  it("suffixes other scoped kinds with the model slug", () => {
    const r = parseOAuthUsage(
      { limits: [{ kind: "monthly_all", percent: 5, scope: { model: { id: null, display_name: "Opus 5" } } }] },
      at,
    );
    expect(r.ok && r.meters[0]?.kind).toBe("monthly_all_opus_5");
  });

  it("treats unknown objects with used/limit as meters", () => {
    const r = parseOAuthUsage({ five_hour: null, seven_day_cowork: { used: 5, limit: 20 } }, at);
    expect(r.ok && r.meters[0]).toMatchObject({ kind: "seven_day_cowork", utilisation: 25, used: 5, limit: 20, windowSeconds: null });
  });

  it("accepts every known utilisation-like field name", () => {
    for (const field of ["utilization", "used_percentage", "percent", "used_percent"]) {
      const r = parseOAuthUsage({ nimbus_quill: { [field]: 7 } }, at);
      expect(r.ok && r.meters[0]?.utilisation).toBe(7);
    }
  });

  it("returns ok with no meters when every window is null", () => {
    const r = parseOAuthUsage({ five_hour: null, seven_day: null }, at);
    expect(r).toMatchObject({ ok: true, meters: [] });
  });

  it("refuses bodies that are not usage bodies", () => {
    for (const body of [null, [], "x", 3, {}, { hello: "world" }, { type: "error", error: { type: "api_error" } }]) {
      const r = parseOAuthUsage(body, at);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe("parse");
    }
  });

  it("ignores prototype-polluting keys and does not pollute", () => {
    const body = JSON.parse('{"__proto__":{"utilization":50},"constructor":{"utilization":1},"five_hour":{"utilization":1,"resets_at":null}}') as unknown;
    const r = parseOAuthUsage(body, at);
    expect(r.ok && r.meters.map((m) => m.kind)).toEqual(["five_hour"]);
    expect(({} as Record<string, unknown>).utilization).toBeUndefined();
  });
});

describe("parseOAuthUsage never throws", () => {
  const at = new Date("2026-09-20T12:00:00Z");
  const check = (input: unknown) => {
    const r = parseOAuthUsage(input, at);
    expect(typeof r.ok).toBe("boolean");
    if (r.ok) {
      for (const m of r.meters) {
        expect(typeof m.kind).toBe("string");
        if (m.utilisation !== null) expect(Number.isFinite(m.utilisation) && m.utilisation >= 0).toBe(true);
        if (m.resetsAt !== null) expect(Number.isNaN(m.resetsAt.getTime())).toBe(false);
      }
    }
  };

  it("on any JSON value", () => {
    fc.assert(fc.property(fc.jsonValue(), check), { numRuns: 500 });
  });

  it("on anything at all", () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), check), { numRuns: 500 });
  });

  it("on arbitrary text through JSON.parse", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        let v: unknown;
        try {
          v = JSON.parse(s);
        } catch {
          return;
        }
        check(v);
      }),
      { numRuns: 300 },
    );
  });

  it("on window-shaped bodies with hostile field values", () => {
    const hostile = fc.oneof(fc.jsonValue(), fc.double(), fc.constantFrom("2026-13-45T99:99:99Z", "", "1e308", "NaN", 1e308, -0, 2 ** 53 + 1));
    const window = fc.record({ utilization: hostile, resets_at: hostile }, { requiredKeys: [] });
    const body = fc.record({
      five_hour: fc.oneof(window, hostile),
      seven_day: fc.oneof(window, hostile),
      limits: fc.oneof(fc.array(fc.record({ kind: hostile, percent: hostile, resets_at: hostile, scope: hostile })), hostile),
      extra_usage: fc.oneof(fc.record({ is_enabled: fc.boolean(), monthly_limit: hostile, used_credits: hostile, utilization: hostile, decimal_places: hostile }), hostile),
      spend: fc.oneof(fc.record({ used: hostile, limit: hostile, percent: hostile }), hostile),
    }, { requiredKeys: [] });
    fc.assert(fc.property(body, check), { numRuns: 500 });
  });
});

describe("parseOAuthUsage window names", () => {
  it("ignores keys that are not window names, with a warning", () => {
    const r = parseOAuthUsage({ five_hour: { utilization: 1, resets_at: null }, "bad key\n": { utilization: 5 } }, new Date(0));
    expect(r.ok && r.meters.map((m) => m.kind)).toEqual(["five_hour"]);
    expect(r.ok && r.warnings).toEqual(["bad key?: not a window name, ignored"]);
  });
});
