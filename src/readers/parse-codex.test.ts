import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { classifyWindow, codexMeters, mayCarryFacts, parseCodexLine, type CodexLineFacts } from "./parse-codex.js";

const line = (payload: unknown, timestamp = "2026-09-14T09:20:00.000Z", type = "event_msg") => JSON.stringify({ timestamp, type, payload });
const facts = (l: string) => {
  const f = parseCodexLine(l);
  if (f === null || typeof f === "string") throw new Error(`expected facts, got ${String(f)}`);
  return f as CodexLineFacts;
};

describe("parseCodexLine", () => {
  it("reads absolute resets, the family and the cumulative tokens", () => {
    const f = facts(
      line({
        type: "token_count",
        info: { total_token_usage: { input_tokens: 10, cached_input_tokens: 4, output_tokens: 3, reasoning_output_tokens: 1, total_tokens: 13 } },
        rate_limits: { limit_id: "codex_bengalfox", limit_name: "Spark", primary: { used_percent: 5.5, window_minutes: 300, resets_at: 1789394400 }, secondary: null },
      }),
    );
    expect(f.totals).toEqual({ input: 10, cachedInput: 4, output: 3, reasoning: 1, total: 13 });
    expect(f.limits).toEqual({
      limitId: "codex_bengalfox",
      limitName: "Spark",
      planType: null,
      observedAtMs: Date.parse("2026-09-14T09:20:00.000Z"),
      windows: [{ slot: "primary", usedPercent: 5.5, windowMinutes: 300, resetsAtMs: 1789394400_000 }],
    });
  });

  it("counts the old relative resets from the line's own timestamp", () => {
    const f = facts(line({ type: "token_count", info: null, rate_limits: { primary: { used_percent: 12, window_minutes: 299, resets_in_seconds: 3600 } } }, "2025-10-02T10:00:20.000Z"));
    expect(f.limits!.limitId).toBe("codex");
    expect(new Date(f.limits!.windows[0]!.resetsAtMs!).toISOString()).toBe("2025-10-02T11:00:20.000Z");
  });

  it("takes the model from turn_context and the id from session_meta", () => {
    expect(facts(line({ model: "gpt-5-codex", cwd: "/x" }, undefined, "turn_context")).model).toBe("gpt-5-codex");
    expect(facts(line({ id: "abc", cwd: "/x" }, undefined, "session_meta")).sessionId).toBe("abc");
  });

  it("ignores lines without usage, and names what is wrong in bad ones", () => {
    expect(parseCodexLine(line({ type: "agent_message", message: "token_count" }))).toBeNull();
    expect(parseCodexLine(line({ type: "token_count", info: null, rate_limits: null }))).toBeNull();
    expect(parseCodexLine('{"timestamp":"2026-09-14T09:21:00.000Z","type":"event_msg","payload":{"type":"token_count","info":nu')).toMatch(/not JSON/);
    expect(parseCodexLine(JSON.stringify({ type: "event_msg" }))).toMatch(/field timestamp/);
    expect(parseCodexLine(line({ type: "token_count" }, "yesterday"))).toMatch(/timestamp/);
    const bad = facts(line({ type: "token_count", info: null, rate_limits: { primary: { used_percent: "lots", window_minutes: 300 } } }));
    expect(bad.limits).toBeUndefined();
    expect(bad.warning).toMatch(/rate_limits\.primary\.used_percent/);
  });

  it("pre-tests lines cheaply", () => {
    expect(mayCarryFacts('{"type":"response_item"}')).toBe(false);
    expect(mayCarryFacts('{"payload":{"type":"token_count"}}')).toBe(true);
  });

  it("never throws on arbitrary or mutated lines", () => {
    const base = line({ type: "token_count", info: null, rate_limits: { primary: { used_percent: 5, window_minutes: 300, resets_at: 1 } } });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 4 }),
          fc.tuple(fc.nat(base.length), fc.string({ maxLength: 8 })).map(([i, s]) => base.slice(0, i) + s + base.slice(i)),
          fc
            .record({ used_percent: fc.anything(), window_minutes: fc.anything(), resets_at: fc.anything(), resets_in_seconds: fc.anything() }, { requiredKeys: [] })
            .map((w) => line({ type: "token_count", info: null, rate_limits: { primary: w } })),
        ),
        (l) => {
          const f = parseCodexLine(l);
          if (f && typeof f === "object" && f.limits) {
            for (const w of f.limits.windows) {
              expect(Number.isFinite(w.usedPercent) && w.usedPercent >= 0).toBe(true);
              if (w.resetsAtMs !== null) expect(Number.isFinite(w.resetsAtMs)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("classifyWindow and codexMeters", () => {
  it("classifies by length, not slot", () => {
    expect(classifyWindow(300, "secondary")).toBe("primary");
    expect(classifyWindow(299, "primary")).toBe("primary");
    expect(classifyWindow(10079, "primary")).toBe("secondary");
    expect(classifyWindow(43800, "secondary")).toBe("43800m");
    expect(classifyWindow(null, "secondary")).toBe("secondary");
  });

  it("suffixes other families with their id less the codex_ prefix", () => {
    const { meters } = codexMeters([
      { limitId: "codex_bengalfox", limitName: null, planType: null, observedAtMs: 0, windows: [{ slot: "primary", usedPercent: 1, windowMinutes: 300, resetsAtMs: null }] },
      { limitId: "premium", limitName: "Premium", planType: null, observedAtMs: 0, windows: [{ slot: "primary", usedPercent: 1, windowMinutes: 60, resetsAtMs: null }] },
    ]);
    expect(meters.map((m) => [m.kind, m.label, m.windowSeconds])).toEqual([
      ["codex_primary_bengalfox", "Codex 5h (bengalfox)", 18000],
      ["codex_60m_premium", "Codex 1h (Premium)", 3600],
    ]);
  });

  it("keeps the first of two windows that classify alike, with a warning", () => {
    const { meters, warnings } = codexMeters([
      {
        limitId: "codex",
        limitName: null,
        planType: null,
        observedAtMs: 0,
        windows: [
          { slot: "primary", usedPercent: 1, windowMinutes: 300, resetsAtMs: null },
          { slot: "secondary", usedPercent: 2, windowMinutes: 300, resetsAtMs: null },
        ],
      },
    ]);
    expect(meters.map((m) => m.utilisation)).toEqual([1]);
    expect(warnings[0]).toMatch(/two windows/);
  });
});
