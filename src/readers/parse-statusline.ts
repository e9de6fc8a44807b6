// Pure parser for Claude Code's status-line stdin JSON (SPEC 3.2.2, FORMATS §5). Only
// `rate_limits` are quota meters; `context_window.used_percentage` is a context gauge, never a meter.
import { labelFor, slugify, windowFor } from "../model/kinds.js";
import type { Meter } from "../model/meter.js";
import { unixToDate } from "./parse-time.js";

/** A status line must never hang on a runaway stdin (SPEC 8). */
export const STATUS_MAX_BYTES = 1024 * 1024;

export type StatusWindow = { usedPercentage: number; /** Unix seconds, null = unknown (`resets_at: 0`). */ resetsAt: number | null };

export type StatusFacts = {
  sessionId: string | null;
  model: string | null;
  costUsd: number | null;
  windows: Record<string, StatusWindow>;
  warnings: string[];
};

export type StatusParse = { ok: true; facts: StatusFacts } | { ok: false; reason: string };

const PERCENT_FIELDS = ["used_percentage", "utilization", "used_percent", "percent"] as const;
const HOSTILE = new Set(["__proto__", "constructor", "prototype"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function shortString(v: unknown, max = 200): string | null {
  return typeof v === "string" && v.length > 0 ? v.slice(0, max) : null;
}

export function parseStatusInput(text: string): StatusParse {
  if (Buffer.byteLength(text, "utf8") > STATUS_MAX_BYTES) return { ok: false, reason: "status input over 1 MiB" };
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed === "") return { ok: false, reason: "empty status input" };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { ok: false, reason: "status input is not JSON" };
  }
  if (!isRecord(json)) return { ok: false, reason: "status input is not a JSON object" };
  const warnings: string[] = [];
  const windows: Record<string, StatusWindow> = {};
  const limits = json.rate_limits;
  if (isRecord(limits)) {
    for (const [key, value] of Object.entries(limits)) {
      if (HOSTILE.has(key) || key.length > 64 || !isRecord(value)) continue;
      const field = PERCENT_FIELDS.find((f) => value[f] !== undefined && value[f] !== null);
      if (field === undefined) continue;
      const pct = value[field];
      if (typeof pct !== "number" || !Number.isFinite(pct) || pct < 0) {
        warnings.push(`rate_limits.${slugify(key)}.${field}: expected a number >= 0`);
        continue;
      }
      const reset = unixToDate(value.resets_at);
      windows[slugify(key) || "window"] = { usedPercentage: pct, resetsAt: reset === null ? null : Math.round(reset.getTime() / 1000) };
    }
  } else if (limits !== undefined && limits !== null) {
    warnings.push("rate_limits: expected an object");
  }
  const model = isRecord(json.model) ? shortString(json.model.id) : null;
  const cost = isRecord(json.cost) ? json.cost.total_cost_usd : undefined;
  return {
    ok: true,
    facts: {
      sessionId: shortString(json.session_id, 100),
      model,
      costUsd: typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : null,
      windows,
      warnings,
    },
  };
}

export function statusMeters(windows: Record<string, StatusWindow>, observedAt: Date): Meter[] {
  return Object.entries(windows).map(([kind, w]) => ({
    kind,
    label: labelFor(kind),
    utilisation: w.usedPercentage,
    resetsAt: w.resetsAt === null ? null : new Date(w.resetsAt * 1000),
    windowSeconds: windowFor(kind),
    unit: "percent" as const,
    source: "statusline" as const,
    observedAt,
    estimated: false,
  }));
}
