import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPriceTable } from "../../model/cost.js";
import type { Meter } from "../../model/meter.js";
import { planTable } from "../../model/plans.js";
import type { ReaderEntry } from "../../model/reader-state.js";
import type { Bucket } from "../../model/usage-ledger.js";
import { buildSlotView } from "../../model/view.js";
import { escapeLabelValue, modelTotals, renderFamilies, renderMetrics } from "./metrics.js";

const now = new Date("2026-12-01T12:00:00Z");
const at = (s: number) => new Date(now.getTime() + s * 1000);

const meter = (kind: string, utilisation: number | null, extra: Partial<Meter> = {}): Meter => ({
  kind,
  label: kind,
  utilisation,
  resetsAt: at(3600),
  windowSeconds: 18000,
  source: "oauth",
  observedAt: at(-10),
  estimated: false,
  ...extra,
});

const entry = (slot: string, meters: Meter[], extra: Partial<ReaderEntry> = {}): ReaderEntry => ({
  name: "oauth",
  slot,
  enabled: true,
  lastGood: { at: at(-10), meters },
  lastAttempt: { at: at(-10), ok: true },
  nextAttemptAt: null,
  freshForSeconds: 180,
  ...extra,
});

const view = (slot: string, entries: ReaderEntry[]) =>
  buildSlotView(slot, entries, now, { plan: "max", plans: planTable(null), pacing: { paceTarget: 1, band: 5 }, history: () => [] });

/** A strict reader of the exposition format: what Prometheus's parser requires of us. */
function parseExposition(text: string) {
  expect(text.endsWith("\n")).toBe(true);
  const families = new Map<string, { help?: string; type?: string; samples: Array<{ labels: Record<string, string>; value: string }> }>();
  let current: string | null = null;
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const f = families.get(meta[2]!) ?? { samples: [] };
      if (meta[1] === "HELP") f.help = meta[3]!;
      else f.type = meta[3]!;
      families.set(meta[2]!, f);
      current = meta[2]!;
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/s.exec(line);
    expect(m, line).not.toBeNull();
    expect(m![1]).toBe(current);
    const labels: Record<string, string> = {};
    const body = m![3] ?? "";
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)/y;
    let pos = 0;
    while (pos < body.length) {
      re.lastIndex = pos;
      const lm = re.exec(body);
      expect(lm, `labels of ${line}`).not.toBeNull();
      labels[lm![1]!] = lm![2]!.replace(/\\(\\|"|n)/g, (_, c: string) => (c === "n" ? "\n" : c));
      pos = re.lastIndex;
    }
    families.get(current!)!.samples.push({ labels, value: m![4]! });
  }
  return families;
}

describe("renderMetrics", () => {
  it("renders every family with HELP and TYPE, ratios 0..1 and Unix seconds", () => {
    const v = view("bob", [
      entry("bob", [meter("five_hour", 62), meter("seven_day", 31, { resetsAt: at(86400) }), meter("extra_usage", null, { resetsAt: null })]),
      { ...entry("bob", []), name: "usage_screen", lastGood: null, lastAttempt: { at: at(-5), ok: false, error: { kind: "timeout", message: "slow" } } },
      { ...entry("bob", []), name: "ollama", enabled: false, lastGood: null, lastAttempt: null },
    ]);
    const text = renderMetrics({
      views: [v],
      models: [{ model: "claude-sonnet-4-5", tokens: { input: 10, output: 20, cache_write_5m: 0, cache_write_1h: 0, cache_read: 5 }, costUsd: 1.5 }],
    });
    const f = parseExposition(text);
    for (const name of [
      "usagetop_meter_utilisation_ratio",
      "usagetop_meter_resets_timestamp_seconds",
      "usagetop_meter_time_to_limit_seconds",
      "usagetop_governing_utilisation_ratio",
      "usagetop_reader_up",
      "usagetop_reader_last_success_timestamp_seconds",
      "usagetop_tokens_total",
      "usagetop_cost_usd_total",
    ]) {
      expect(f.get(name)?.help, name).toBeTruthy();
      expect(f.get(name)?.type, name).toMatch(/^(gauge|counter)$/);
    }
    expect(f.get("usagetop_meter_utilisation_ratio")!.samples).toContainEqual({ labels: { slot: "bob", kind: "five_hour", source: "oauth" }, value: "0.62" });
    // An uncapped pool has no ratio, never a made-up 0.
    expect(f.get("usagetop_meter_utilisation_ratio")!.samples.some((s) => s.labels.kind === "extra_usage")).toBe(false);
    expect(f.get("usagetop_governing_utilisation_ratio")!.samples).toEqual([{ labels: { slot: "bob", kind: "five_hour" }, value: "0.62" }]);
    expect(f.get("usagetop_meter_resets_timestamp_seconds")!.samples).toContainEqual({
      labels: { slot: "bob", kind: "seven_day", source: "oauth" },
      value: String(Math.round(at(86400).getTime() / 1000)),
    });
    const up = f.get("usagetop_reader_up")!.samples;
    expect(up).toContainEqual({ labels: { reader: "oauth", slot: "bob" }, value: "1" });
    expect(up).toContainEqual({ labels: { reader: "usage_screen", slot: "bob" }, value: "0" });
    expect(up.some((s) => s.labels.reader === "ollama")).toBe(false);
    expect(f.get("usagetop_tokens_total")!.samples).toContainEqual({ labels: { model: "claude-sonnet-4-5", type: "output" }, value: "20" });
    expect(f.get("usagetop_cost_usd_total")!.samples).toEqual([{ labels: { model: "claude-sonnet-4-5" }, value: "1.5" }]);
  });

  it("says which version serves, which slot is live and each slot's credential state", () => {
    const f = parseExposition(
      renderMetrics({
        views: [view("alice", []), view("bob", [])],
        models: [],
        slots: [
          { name: "alice", active: true, auth: "ok" },
          { name: "bob", active: false, auth: "drift" },
        ],
        version: "1.2.3",
      }),
    );
    expect(f.get("usagetop_build_info")).toMatchObject({ type: "gauge", samples: [{ labels: { version: "1.2.3" }, value: "1" }] });
    expect(f.get("usagetop_slot_active")!.samples).toEqual([
      { labels: { slot: "alice" }, value: "1" },
      { labels: { slot: "bob" }, value: "0" },
    ]);
    expect(f.get("usagetop_slot_auth_state")!.samples).toEqual([
      { labels: { slot: "alice", state: "ok" }, value: "1" },
      { labels: { slot: "bob", state: "drift" }, value: "1" },
    ]);
  });

  it("says nothing rather than 0 when there is no data", () => {
    const f = parseExposition(renderMetrics({ views: [view("a", [])], models: [] }));
    expect(f.get("usagetop_governing_utilisation_ratio")!.samples).toEqual([]);
  });

  it("escapes any label value so the line parses back to it (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.double({ noNaN: false }), (value, n) => {
        const text = renderFamilies([{ name: "x_total", help: "a \\ help\nline", type: "counter", samples: [{ labels: { model: value }, value: n }] }]);
        const f = parseExposition(text);
        expect(f.get("x_total")!.samples[0]!.labels.model).toBe(value);
        expect(f.get("x_total")!.help).toBe("a \\\\ help\\nline");
      }),
    );
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it("drops a duplicate label set instead of emitting an invalid scrape", () => {
    const text = renderFamilies([{ name: "g", help: "h", type: "gauge", samples: [{ labels: { a: "1" }, value: 1 }, { labels: { a: "1" }, value: 2 }] }]);
    expect(text.match(/^g\{/gm)).toHaveLength(1);
  });
});

describe("modelTotals", () => {
  it("sums buckets per normalised model and prices them", () => {
    const t = { input: 1_000_000, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    const zero = { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    const b = (model: string): Bucket => ({ start: 0, model, sessionId: "s", project: "p", minTs: 0, maxTs: 0, calls: 1, tokens: t, reportedCost: 0, reportedTokens: zero, sidechainCalls: 0 });
    const totals = modelTotals([b("claude-sonnet-4-5-20250929"), b("claude-sonnet-4-5")], buildPriceTable());
    expect(totals).toHaveLength(1);
    expect(totals[0]!.model).toBe("claude-sonnet-4-5");
    expect(totals[0]!.tokens.input).toBe(2_000_000);
    expect(totals[0]!.costUsd).toBeGreaterThan(0);
  });
});
