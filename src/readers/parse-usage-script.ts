// Pure parser for gptme-subscription's usage-script contract (SPEC 3.2.5): `<script> --json`
// prints `{five_hour: {utilization 0..1, resets_in_seconds}, seven_day, seven_day_sonnet, ...,
// _pacing}`. Fractions become percent here; relative resets count from `now`.
import { labelFor, slugify, windowFor } from "../model/kinds.js";
import type { Meter } from "../model/meter.js";
import { redactTokens } from "./credentials.js";
import type { ParsedUsage, UsageParseError } from "./parse-oauth.js";
import { parseIsoInstant } from "./parse-time.js";

export const USAGE_SCRIPT_MAX_BYTES = 1024 * 1024;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const fail = (message: string): UsageParseError => ({ ok: false, error: { kind: "parse", message } });

function parseJsonObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Scripts sometimes log lines before the JSON: try from each line that opens an object.
    const starts: number[] = [];
    for (const m of text.matchAll(/(^|\n)[ \t]*\{/g)) if (starts.length < 20) starts.push(m.index + m[1]!.length);
    for (const start of starts) {
      try {
        return JSON.parse(text.slice(start));
      } catch {
        // not this one
      }
    }
    return undefined;
  }
}

export function parseUsageScriptOutput(text: string, now: Date): ParsedUsage | UsageParseError {
  if (Buffer.byteLength(text, "utf8") > USAGE_SCRIPT_MAX_BYTES) return fail("usage script output over 1 MiB");
  if (text.trim() === "") return fail("usage script printed nothing");
  const json = parseJsonObject(text.replace(/^\uFEFF/, ""));
  if (!isRecord(json)) return fail("usage script output is not a JSON object");
  const meters: Meter[] = [];
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    // `_pacing` and other `_` keys are the script's own derived figures; usagetop computes its own.
    if (key.startsWith("_") || key === "constructor" || key === "prototype" || !isRecord(value)) continue;
    const kind = slugify(key).slice(0, 64);
    if (kind === "") continue;
    const u = value.utilization;
    if (u === undefined || u === null) continue;
    const percent = typeof u === "number" ? u * 100 : Number.NaN;
    if (!Number.isFinite(percent) || percent < 0) {
      warnings.push(`${kind}.utilization: expected a fraction >= 0`);
      continue;
    }
    let resetsAt: Date | null = null;
    const rel = value.resets_in_seconds;
    if (typeof rel === "number" && Number.isFinite(rel) && rel >= 0 && rel < 1e10) resetsAt = new Date(now.getTime() + rel * 1000);
    else if (rel !== undefined && rel !== null) warnings.push(`${kind}.resets_in_seconds: expected seconds >= 0`);
    else if (value.resets_at !== undefined) resetsAt = parseIsoInstant(value.resets_at);
    meters.push({
      kind,
      label: labelFor(kind),
      utilisation: percent,
      resetsAt,
      windowSeconds: windowFor(kind),
      unit: "percent",
      source: "usage_script",
      observedAt: now,
      estimated: false,
    });
  }
  if (meters.length === 0) {
    const err = json.error;
    if (typeof err === "string") return fail(`usage script reported: ${redactTokens(err).slice(0, 160)}`);
    return fail(`usage script output has no windows${warnings.length ? ` (${warnings.slice(0, 3).join("; ")})` : ""}`);
  }
  return { ok: true, meters, warnings, notes: [] };
}
