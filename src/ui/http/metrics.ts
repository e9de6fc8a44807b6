// Prometheus text exposition format 0.0.4 for `serve /metrics` (SPEC 6.4). Pure: slot views and
// transcript totals in, text out. Prometheus is the one place utilisation is a 0..1 ratio
// (SPEC 2.5); times are Unix seconds. Every family has # HELP and # TYPE lines and its samples
// together; label values are escaped per the format (backslash, double quote, newline).
import { normaliseModel, type PriceTable } from "../../model/cost.js";
import type { Bucket } from "../../model/usage-ledger.js";
import { bucketCost } from "../../model/usage-report.js";
import type { SlotView } from "../../model/view.js";
import { compareText } from "../../model/compare-text.js";

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

type Labels = Record<string, string>;
type Sample = { labels: Labels; value: number };
type Family = { name: string; help: string; type: "gauge" | "counter"; samples: Sample[] };

export type ModelTotals = {
  model: string;
  tokens: { input: number; output: number; cache_write_5m: number; cache_write_1h: number; cache_read: number };
  costUsd: number;
};

export type MetricsInput = {
  /** One view per slot (a single `null`-slot view when there are no slots). */
  views: readonly SlotView[];
  /** Cumulative per-model figures from the transcript ledger; empty when transcripts are off. */
  models: readonly ModelTotals[];
  /** Every credential slot: whether it is live and its auth state (check-auth's word). */
  slots?: readonly { name: string; active: boolean; auth: string }[];
  /** usagetop's version, for usagetop_build_info. */
  version?: string;
};

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "+Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}

function sampleLine(name: string, s: Sample): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(",");
  return `${name}${labels ? `{${labels}}` : ""} ${formatValue(s.value)}`;
}

export function renderFamilies(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    // One sample per label set: a duplicate would make the whole scrape invalid.
    const seen = new Set<string>();
    for (const s of f.samples) {
      const line = sampleLine(f.name, s);
      const key = line.slice(0, line.lastIndexOf(" "));
      if (seen.has(key)) continue;
      seen.add(key);
      lines.push(line);
    }
  }
  return `${lines.join("\n")}\n`;
}

const seconds = (d: Date): number => Math.round(d.getTime() / 1000);
const ratio = (percent: number): number => Math.round(percent * 10) / 1000;

/** Per-model cumulative tokens and cost from the ledger's buckets (kept after Claude Code deletes transcripts). */
export function modelTotals(buckets: readonly Bucket[], prices: PriceTable): ModelTotals[] {
  const by = new Map<string, ModelTotals>();
  for (const b of buckets) {
    const model = normaliseModel(b.model);
    let t = by.get(model);
    if (!t) by.set(model, (t = { model, tokens: { input: 0, output: 0, cache_write_5m: 0, cache_write_1h: 0, cache_read: 0 }, costUsd: 0 }));
    t.tokens.input += b.tokens.input;
    t.tokens.output += b.tokens.output;
    t.tokens.cache_write_5m += b.tokens.cacheWrite5m;
    t.tokens.cache_write_1h += b.tokens.cacheWrite1h;
    t.tokens.cache_read += b.tokens.cacheRead;
    t.costUsd += bucketCost(b, prices).cost;
  }
  return [...by.values()].sort((a, b) => compareText(a.model, b.model));
}

export function renderMetrics(input: MetricsInput): string {
  const util: Sample[] = [];
  const resets: Sample[] = [];
  const ttl: Sample[] = [];
  const governing: Sample[] = [];
  const up: Sample[] = [];
  const lastSuccess: Sample[] = [];
  for (const view of input.views) {
    const slot = view.slot ?? "";
    for (const m of view.meters) {
      const labels = { slot, kind: m.kind, source: m.source };
      if (m.utilisation !== null && Number.isFinite(m.utilisation)) util.push({ labels, value: ratio(m.utilisation) });
      if (m.resetsAt !== null) resets.push({ labels, value: seconds(m.resetsAt) });
      if (m.forecast !== null) ttl.push({ labels, value: Math.round(m.forecast.timeToLimitSeconds) });
    }
    if (view.governing && view.governing.utilisation !== null) {
      governing.push({ labels: { slot, kind: view.governing.kind }, value: ratio(view.governing.utilisation) });
    }
    for (const r of view.readers) {
      if (r.state === "disabled") continue;
      const labels = { reader: r.name, slot: r.slot ?? "" };
      up.push({ labels, value: r.state === "ok" ? 1 : 0 });
      if (r.lastSuccessAt !== null) lastSuccess.push({ labels, value: seconds(r.lastSuccessAt) });
    }
  }
  const tokens: Sample[] = [];
  const cost: Sample[] = [];
  for (const m of input.models) {
    for (const [type, n] of Object.entries(m.tokens)) tokens.push({ labels: { model: m.model, type }, value: n });
    cost.push({ labels: { model: m.model }, value: Math.round(m.costUsd * 1e6) / 1e6 });
  }
  const slots = input.slots ?? [];
  return renderFamilies([
    // The usual Prometheus build-info gauge: join on it to see which version served a series.
    { name: "usagetop_build_info", help: "Always 1; the version serving these metrics is its label.", type: "gauge", samples: input.version ? [{ labels: { version: input.version }, value: 1 }] : [] },
    { name: "usagetop_slot_active", help: "1 for the slot the live credentials point at, else 0.", type: "gauge", samples: slots.map((s) => ({ labels: { slot: s.name }, value: s.active ? 1 : 0 })) },
    // A state set: one sample per slot, labelled with its current state (ok, stale, old, missing, malformed, unreadable, drift, ...).
    { name: "usagetop_slot_auth_state", help: "1, labelled with the slot's credential state as usagetop slots check names it.", type: "gauge", samples: slots.map((s) => ({ labels: { slot: s.name, state: s.auth }, value: 1 })) },
    { name: "usagetop_meter_utilisation_ratio", help: "Meter utilisation, 0..1 (may exceed 1 when the source says so).", type: "gauge", samples: util },
    { name: "usagetop_meter_resets_timestamp_seconds", help: "When the meter's window resets, Unix seconds.", type: "gauge", samples: resets },
    { name: "usagetop_meter_time_to_limit_seconds", help: "Forecast seconds until the meter reaches its limit at the current rate.", type: "gauge", samples: ttl },
    { name: "usagetop_governing_utilisation_ratio", help: "Utilisation of the slot's governing meter (the applicable meter closest to its limit), 0..1.", type: "gauge", samples: governing },
    { name: "usagetop_reader_up", help: "1 when the reader's last read succeeded and is fresh, else 0.", type: "gauge", samples: up },
    { name: "usagetop_reader_last_success_timestamp_seconds", help: "Time of the reader's last good read, Unix seconds.", type: "gauge", samples: lastSuccess },
    { name: "usagetop_tokens_total", help: "Tokens seen in Claude Code transcripts, by model and type.", type: "counter", samples: tokens },
    { name: "usagetop_cost_usd_total", help: "Estimated cost of the transcript tokens in USD, by model.", type: "counter", samples: cost },
  ]);
}
