// Codex CLI rollout lines (SPEC 3.2.6, FORMATS §4), pure. A rollout is JSONL; quota lives in
// `event_msg` / `token_count` lines, the model in `turn_context`, the session id in `session_meta`.
// Windows are classified by their length, never by slot: a weekly window can arrive as `primary`.
import * as z from "zod/mini";
import { labelFor, slugify } from "../model/kinds.js";
import type { Meter } from "../model/meter.js";
import "../config/zod-english.js"; // issue messages in the warnings below
import { parseIsoInstant } from "./parse-time.js";

// zod 4's z.number() already refuses Infinity and NaN, so no finite() check is needed.
const count = z.optional(z.number().check(z.int(), z.nonnegative()));
const shortString = (max: number) => z.string().check(z.maxLength(max));
const TokenUsageSchema = z.looseObject({
  input_tokens: count,
  cached_input_tokens: count,
  output_tokens: count,
  reasoning_output_tokens: count,
  total_tokens: count,
});
const WindowSchema = z.looseObject({
  used_percent: z.number().check(z.nonnegative()),
  window_minutes: z.nullish(z.number().check(z.int(), z.positive())),
  resets_at: z.nullish(z.number()),
  resets_in_seconds: z.nullish(z.number()),
});
const RateLimitsSchema = z.looseObject({
  limit_id: z.nullish(shortString(200)),
  limit_name: z.nullish(shortString(200)),
  primary: z.optional(z.unknown()),
  secondary: z.optional(z.unknown()),
  plan_type: z.nullish(shortString(100)),
});
const LineSchema = z.looseObject({
  timestamp: shortString(64),
  type: shortString(64),
  payload: z.nullish(z.looseObject({ type: z.optional(shortString(64)) })),
});

export type CodexWindow = {
  slot: "primary" | "secondary";
  usedPercent: number;
  windowMinutes: number | null;
  resetsAtMs: number | null;
};

/** One family's newest rate-limit snapshot. */
export type CodexLimitSnapshot = {
  limitId: string;
  limitName: string | null;
  planType: string | null;
  observedAtMs: number;
  windows: CodexWindow[];
};

export type CodexTokenTotals = { input: number; cachedInput: number; output: number; reasoning: number; total: number };

export type CodexLineFacts = {
  timestampMs: number;
  sessionId?: string;
  model?: string;
  limits?: CodexLimitSnapshot;
  totals?: CodexTokenTotals;
  /** A field that was present but unusable; the line's other facts are still kept. */
  warning?: string;
};

/** Cheap pre-test on the raw line: only these line types carry anything we read. */
export function mayCarryFacts(line: string): boolean {
  return line.includes('"token_count"') || line.includes('"turn_context"') || line.includes('"session_meta"');
}

function readWindow(raw: unknown, slot: "primary" | "secondary", timestampMs: number): CodexWindow | string | null {
  if (raw === null || raw === undefined) return null;
  const w = WindowSchema.safeParse(raw);
  if (!w.success) {
    const issue = w.error.issues[0];
    return `rate_limits.${slot}.${issue?.path.join(".") || "(object)"}: ${issue?.message ?? "invalid"}`;
  }
  let resetsAtMs: number | null = null;
  // Codex ≤ 0.46 wrote a relative `resets_in_seconds`, counted from the line's own timestamp.
  if (typeof w.data.resets_at === "number" && w.data.resets_at > 0) resetsAtMs = w.data.resets_at * 1000;
  else if (typeof w.data.resets_in_seconds === "number" && w.data.resets_in_seconds >= 0) {
    resetsAtMs = timestampMs + w.data.resets_in_seconds * 1000;
  }
  if (resetsAtMs !== null && !Number.isFinite(new Date(resetsAtMs).getTime())) resetsAtMs = null;
  return { slot, usedPercent: w.data.used_percent, windowMinutes: w.data.window_minutes ?? null, resetsAtMs };
}

function readTotals(raw: unknown): CodexTokenTotals | null {
  const t = TokenUsageSchema.safeParse(raw);
  if (!t.success) return null;
  const input = t.data.input_tokens ?? 0;
  const output = t.data.output_tokens ?? 0;
  return {
    input,
    cachedInput: t.data.cached_input_tokens ?? 0,
    output,
    reasoning: t.data.reasoning_output_tokens ?? 0,
    total: t.data.total_tokens ?? input + output,
  };
}

/**
 * Facts from one rollout line; null when the line carries none; a string when it is not a
 * rollout line at all (torn write, not JSON, no timestamp).
 */
export function parseCodexLine(line: string): CodexLineFacts | null | string {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return "not JSON (torn or partial write)";
  }
  const parsed = LineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `field ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`;
  }
  const timestamp = parseIsoInstant(parsed.data.timestamp);
  if (!timestamp) return `field timestamp: not an ISO instant`;
  const timestampMs = timestamp.getTime();
  const payload = (parsed.data.payload ?? {}) as Record<string, unknown>;
  const facts: CodexLineFacts = { timestampMs };
  if (parsed.data.type === "session_meta") {
    if (typeof payload.id === "string" && payload.id.length <= 200) facts.sessionId = payload.id;
    if (typeof payload.model === "string" && payload.model.length <= 200) facts.model = payload.model;
    return facts.sessionId || facts.model ? facts : null;
  }
  if (parsed.data.type === "turn_context") {
    if (typeof payload.model === "string" && payload.model.length <= 200) facts.model = payload.model;
    return facts.model ? facts : null;
  }
  if (parsed.data.type !== "event_msg" || payload.type !== "token_count") return null;
  const info = payload.info as Record<string, unknown> | null | undefined;
  if (info && typeof info === "object") {
    const totals = readTotals(info.total_token_usage);
    if (totals) facts.totals = totals;
  }
  if (payload.rate_limits !== null && payload.rate_limits !== undefined) {
    const rl = RateLimitsSchema.safeParse(payload.rate_limits);
    if (!rl.success) {
      facts.warning = `rate_limits: ${rl.error.issues[0]?.message ?? "invalid"}`;
    } else {
      const windows: CodexWindow[] = [];
      for (const slot of ["primary", "secondary"] as const) {
        const w = readWindow(rl.data[slot], slot, timestampMs);
        if (typeof w === "string") facts.warning = w;
        else if (w) windows.push(w);
      }
      if (windows.length > 0) {
        facts.limits = {
          limitId: rl.data.limit_id || "codex",
          limitName: rl.data.limit_name ?? null,
          planType: rl.data.plan_type ?? null,
          observedAtMs: timestampMs,
          windows,
        };
      }
    }
  }
  return facts.totals || facts.limits || facts.warning ? facts : null;
}

/** ≈300 min -> primary (5 h), ≈10080 -> secondary (week), else `<minutes>m`; 2 % tolerance for 299 / 10079. */
export function classifyWindow(minutes: number | null, slot: "primary" | "secondary"): string {
  if (minutes === null) return slot;
  const near = (target: number) => Math.abs(minutes - target) <= target * 0.02;
  if (near(300)) return "primary";
  if (near(10080)) return "secondary";
  return `${minutes}m`;
}

function spanLabel(minutes: number): string {
  if (minutes >= 1440) return `${Math.round(minutes / 1440)}d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

/** Meters from each family's newest snapshot. Kinds: codex_primary, codex_secondary, codex_<m>m, plus `_<family>`. */
export function codexMeters(snapshots: CodexLimitSnapshot[]): { meters: Meter[]; warnings: string[] } {
  const meters: Meter[] = [];
  const warnings: string[] = [];
  const taken = new Set<string>();
  for (const snap of snapshots) {
    const family = slugify(snap.limitId).replace(/^codex(_|$)/, "");
    const suffix = family ? `_${family}` : "";
    for (const w of snap.windows) {
      const cls = classifyWindow(w.windowMinutes, w.slot);
      const kind = `codex_${cls}${suffix}`;
      if (w.windowMinutes === null) warnings.push(`codex ${snap.limitId}.${w.slot}: no window_minutes; named by slot`);
      if (taken.has(kind)) {
        warnings.push(`codex ${snap.limitId}: two windows classify as ${kind}; kept the first`);
        continue;
      }
      taken.add(kind);
      let label = cls === "primary" || cls === "secondary" ? labelFor(`codex_${cls}`) : `Codex ${w.windowMinutes === null ? cls : spanLabel(w.windowMinutes)}`;
      if (family) label += ` (${snap.limitName || family})`;
      meters.push({
        kind,
        label,
        utilisation: w.usedPercent,
        resetsAt: w.resetsAtMs === null ? null : new Date(w.resetsAtMs),
        windowSeconds: w.windowMinutes === null ? null : w.windowMinutes * 60,
        unit: "percent",
        source: "codex",
        observedAt: new Date(snap.observedAtMs),
        estimated: false,
      });
    }
  }
  return { meters, warnings };
}
