// Pure parser for the body of GET /api/oauth/usage (SPEC 3.2.1, FORMATS §1). Also parses the
// copy Claude Code caches in ~/.claude.json (claude-cache reader), hence the `source` argument.
// Never throws: hostile input yields warnings or a parse error naming the field.
import { kindInfo, labelFor, slugify, windowFor } from "../model/kinds.js";
import type { Meter, MeterUnit, ReaderName } from "../model/meter.js";
import { parseIsoInstant } from "./parse-time.js";

export type ParsedUsage = { ok: true; meters: Meter[]; warnings: string[]; notes: string[] };
export type UsageParseError = { ok: false; error: { kind: "parse"; message: string } };

/** Window keys Claude Code itself knows; a malformed one is worth a warning, an unknown one is not. */
const KNOWN_WINDOWS = new Set(["five_hour", "seven_day", "seven_day_opus", "seven_day_sonnet", "seven_day_oauth_apps"]);
/** Keys with their own rules, never windows. */
const NON_WINDOW = new Set(["extra_usage", "limits", "spend", "member_dashboard_available"]);
/** Keys that could poison an object if we ever used them as property names. */
const HOSTILE = new Set(["__proto__", "constructor", "prototype"]);
/** Utilisation-like fields, in the order we trust them (SPEC 2.2). */
const UTILISATION_FIELDS = ["utilization", "used_percentage", "percent", "used_percent"] as const;
const WEEK = 7 * 24 * 3600;
const MAX_WARNINGS = 50;
const WINDOW_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

type Window = { utilisation: number; resetsAt: Date | null; used?: number; limit?: number };
type WindowOutcome = { window: Window } | { rejected: string } | { skip: true };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

function isAmount(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

/** A printable field name: keys come from the network, so they are cut and stripped of controls. */
function fieldName(key: string): string {
  const clean = key.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

/** One window-like object. `known` windows get warnings when malformed; unknown ones are just skipped. */
function readWindow(name: string, value: Record<string, unknown>, known: boolean): WindowOutcome {
  let utilisation: number | null = null;
  for (const field of UTILISATION_FIELDS) {
    const v = own(value, field);
    if (v === undefined || v === null) continue;
    if (!isAmount(v)) return { rejected: `${name}.${field}: expected a number >= 0` };
    utilisation = v;
    break;
  }
  let used: number | undefined;
  let limit: number | undefined;
  if (utilisation === null) {
    const u = own(value, "used");
    const l = own(value, "limit");
    if (isAmount(u) && isAmount(l) && l > 0 && Number.isFinite((u / l) * 100)) {
      utilisation = (u / l) * 100;
      used = u;
      limit = l;
    }
  }
  if (utilisation === null) {
    // `{utilization: null}` means the window does not apply; an object with no such field at all
    // is malformed when Claude Code knows the key, and simply not a meter otherwise (SPEC 2.2).
    const hasField = UTILISATION_FIELDS.some((f) => own(value, f) !== undefined);
    return known && !hasField ? { rejected: `${name}.utilization: missing` } : { skip: true };
  }
  const rawReset = own(value, "resets_at");
  let resetsAt: Date | null = null;
  if (rawReset !== undefined && rawReset !== null) {
    resetsAt = parseIsoInstant(rawReset);
    if (resetsAt === null) return { rejected: `${name}.resets_at: not an ISO 8601 instant` };
  }
  return { window: { utilisation, resetsAt, ...(used !== undefined ? { used, limit } : {}) } };
}

type LimitEntry = { kind: string; label: string | null; windowSeconds: number | null; percent: number | null; resetsAt: Date | null };

/** SPEC 3.2.1 limits[] kind mapping. */
function limitKind(kind: string, displayName: string | null): { kind: string; label: string | null; weekly: boolean } {
  const scoped = displayName !== null;
  const slug = displayName === null ? "" : slugify(displayName);
  if (kind === "session") return { kind: "five_hour", label: null, weekly: false };
  if (kind === "weekly_all") return { kind: "seven_day", label: null, weekly: true };
  if (kind === "weekly_scoped") {
    const k = slug === "" ? "seven_day_scoped" : `seven_day_${slug}`;
    const label = kindInfo(k) ? null : `Week (${slug === "" ? "scoped" : displayName!.trim().slice(0, 40)})`;
    return { kind: k, label, weekly: true };
  }
  const base = slugify(kind) || "limit";
  return { kind: scoped && slug !== "" ? `${base}_${slug}` : base, label: null, weekly: false };
}

function readLimits(value: unknown, warnings: string[]): LimitEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    warnings.push("limits: expected an array");
    return [];
  }
  const entries: LimitEntry[] = [];
  value.forEach((raw, i) => {
    const at = `limits[${i}]`;
    if (!isRecord(raw)) {
      warnings.push(`${at}: expected an object`);
      return;
    }
    const kind = own(raw, "kind");
    if (typeof kind !== "string" || kind.length === 0 || kind.length > 64) {
      warnings.push(`${at}.kind: expected a string`);
      return;
    }
    const scope = own(raw, "scope");
    let displayName: string | null = null;
    if (isRecord(scope)) {
      const model = own(scope, "model");
      if (isRecord(model)) {
        const dn = own(model, "display_name");
        displayName = typeof dn === "string" ? dn : "";
      } else if (model !== undefined && model !== null) {
        displayName = "";
      }
    }
    const percentRaw = own(raw, "percent");
    let percent: number | null = null;
    if (percentRaw !== undefined && percentRaw !== null) {
      if (!isAmount(percentRaw)) {
        warnings.push(`${at}.percent: expected a number >= 0`);
        return;
      }
      percent = percentRaw;
    }
    const resetRaw = own(raw, "resets_at");
    let resetsAt: Date | null = null;
    if (resetRaw !== undefined && resetRaw !== null) {
      resetsAt = parseIsoInstant(resetRaw);
      if (resetsAt === null) {
        warnings.push(`${at}.resets_at: not an ISO 8601 instant`);
        return;
      }
    }
    const mapped = limitKind(kind, displayName);
    if (HOSTILE.has(mapped.kind)) return;
    const windowSeconds = windowFor(mapped.kind) ?? (mapped.weekly ? WEEK : null);
    entries.push({ kind: mapped.kind, label: mapped.label, windowSeconds, percent, resetsAt });
  });
  return entries;
}

/** Minor units -> major: `extra_usage` amounts are cents unless decimal_places says otherwise. */
function divisorFor(decimalPlaces: unknown): number {
  return Number.isInteger(decimalPlaces) && (decimalPlaces as number) >= 0 && (decimalPlaces as number) <= 8
    ? 10 ** (decimalPlaces as number)
    : 100;
}

function currencyUnit(currency: string): MeterUnit {
  return currency === "USD" ? "usd" : "credits";
}

function readCurrency(v: unknown): string {
  return typeof v === "string" && /^[A-Za-z]{3}$/.test(v) ? v.toUpperCase() : "USD";
}

function extraUsageMeter(value: unknown, observedAt: Date, source: ReaderName, warnings: string[], notes: string[]): Meter | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) {
    warnings.push("extra_usage: expected an object");
    return null;
  }
  if (own(value, "is_enabled") !== true) {
    const reason = own(value, "disabled_reason");
    notes.push(`extra usage disabled${typeof reason === "string" && reason ? `: ${fieldName(reason)}` : ""}`);
    return null;
  }
  const divisor = divisorFor(own(value, "decimal_places"));
  const currency = readCurrency(own(value, "currency"));
  const monthly = own(value, "monthly_limit");
  const usedRaw = own(value, "used_credits");
  const util = own(value, "utilization");
  const used = isAmount(usedRaw) ? usedRaw / divisor : undefined;
  if (usedRaw !== undefined && usedRaw !== null && used === undefined) {
    warnings.push("extra_usage.used_credits: expected a number >= 0");
    return null;
  }
  const base = { kind: "extra_usage", label: labelFor("extra_usage"), resetsAt: null, windowSeconds: windowFor("extra_usage"),
    unit: currencyUnit(currency), currency, source, observedAt, estimated: false };
  if (monthly === null || monthly === undefined) {
    // Uncapped ("Unlimited" in Claude Code): a spend figure without a fraction.
    return { ...base, utilisation: null, ...(used !== undefined ? { used } : {}) };
  }
  if (!isAmount(monthly)) {
    warnings.push("extra_usage.monthly_limit: expected a number >= 0 or null");
    return null;
  }
  const limit = monthly / divisor;
  let utilisation: number | null = null;
  if (util !== undefined && util !== null) {
    if (!isAmount(util)) {
      warnings.push("extra_usage.utilization: expected a number >= 0");
      return null;
    }
    utilisation = util;
  } else if (used !== undefined && limit > 0 && Number.isFinite((used / limit) * 100)) {
    utilisation = (used / limit) * 100;
  } else {
    warnings.push("extra_usage: neither utilization nor used_credits");
    return null;
  }
  return { ...base, utilisation, limit, ...(used !== undefined ? { used } : {}) };
}

type Money = { amount: number; currency: string };

function readMoney(v: unknown): Money | null | "bad" {
  if (v === undefined || v === null) return null;
  if (!isRecord(v)) return "bad";
  const minor = own(v, "amount_minor");
  const exponent = own(v, "exponent");
  if (typeof minor !== "number" || !Number.isFinite(minor) || minor < 0) return "bad";
  const exp = Number.isInteger(exponent) && (exponent as number) >= 0 && (exponent as number) <= 8 ? (exponent as number) : 2;
  return { amount: minor * 10 ** -exp, currency: readCurrency(own(v, "currency")) };
}

function spendMeter(value: unknown, observedAt: Date, source: ReaderName, warnings: string[], notes: string[]): Meter | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) {
    warnings.push("spend: expected an object");
    return null;
  }
  if (own(value, "enabled") === false) {
    const reason = own(value, "disabled_reason");
    notes.push(`credits spend disabled${typeof reason === "string" && reason ? `: ${fieldName(reason)}` : ""}`);
    return null;
  }
  const used = readMoney(own(value, "used"));
  const limit = readMoney(own(value, "limit"));
  if (used === "bad" || limit === "bad") {
    warnings.push(`spend.${used === "bad" ? "used" : "limit"}: expected {amount_minor, currency, exponent}`);
    return null;
  }
  const percent = own(value, "percent");
  if (percent !== undefined && percent !== null && !isAmount(percent)) {
    warnings.push("spend.percent: expected a number >= 0");
    return null;
  }
  const currency = used?.currency ?? limit?.currency ?? "USD";
  let utilisation: number | null = null;
  if (isAmount(percent)) utilisation = percent;
  else if (used && limit && limit.amount > 0 && Number.isFinite((used.amount / limit.amount) * 100)) {
    utilisation = (used.amount / limit.amount) * 100;
  }
  if (utilisation === null && !used) {
    warnings.push("spend: neither percent nor used");
    return null;
  }
  return {
    kind: "spend", label: labelFor("spend"), utilisation, resetsAt: null, windowSeconds: windowFor("spend"),
    ...(used ? { used: used.amount } : {}), ...(limit ? { limit: limit.amount } : {}),
    unit: currencyUnit(currency), currency, source, observedAt, estimated: false,
  };
}

/** An error body (`{"type":"error",...}` or the 429 shape `{"error":{...}}`) names its type, never its text. */
function errorBodyType(body: Record<string, unknown>): string | null {
  const err = own(body, "error");
  if (own(body, "type") !== "error" && !isRecord(err)) return null;
  const type = isRecord(err) ? own(err, "type") : null;
  return typeof type === "string" ? fieldName(type) : "error";
}

export function parseOAuthUsage(body: unknown, observedAt: Date, source: ReaderName = "oauth"): ParsedUsage | UsageParseError {
  try {
    return parseUnsafe(body, observedAt, source);
  } catch {
    // Defensive only: every branch above is total, but a reader must never throw (SPEC 3.1).
    return { ok: false, error: { kind: "parse", message: "usage body: unreadable structure" } };
  }
}

function parseUnsafe(body: unknown, observedAt: Date, source: ReaderName): ParsedUsage | UsageParseError {
  if (!isRecord(body)) {
    const what = body === null ? "null" : Array.isArray(body) ? "an array" : typeof body;
    return { ok: false, error: { kind: "parse", message: `usage body: expected a JSON object, got ${what}` } };
  }
  const errorType = errorBodyType(body);
  if (errorType !== null) return { ok: false, error: { kind: "parse", message: `usage body is an error (${errorType})` } };

  const warnings: string[] = [];
  const notes: string[] = [];
  const windows = new Map<string, { window: Window | null; label: string | null; windowSeconds: number | null }>();
  let sawWindowKey = false;

  for (const key of Object.keys(body)) {
    if (NON_WINDOW.has(key) || HOSTILE.has(key)) continue;
    const known = KNOWN_WINDOWS.has(key);
    if (known) sawWindowKey = true;
    const value = body[key];
    if (value === null) continue; // not applicable now
    if (!isRecord(value)) {
      if (known) warnings.push(`${key}: expected an object or null`);
      continue;
    }
    if (!WINDOW_KEY.test(key)) {
      // A kind is shown and stored verbatim: a key with spaces or control bytes is not a window name.
      warnings.push(`${fieldName(key)}: not a window name, ignored`);
      continue;
    }
    const outcome = readWindow(fieldName(key), value, known);
    if ("rejected" in outcome) warnings.push(outcome.rejected);
    else if ("window" in outcome) {
      sawWindowKey = true;
      windows.set(key, { window: outcome.window, label: null, windowSeconds: windowFor(key) });
    }
  }

  const limitsRaw = own(body, "limits");
  if (Array.isArray(limitsRaw) && limitsRaw.length > 0) sawWindowKey = true;
  for (const entry of readLimits(limitsRaw, warnings)) {
    // limits[] wins field by field over the flat key of the same kind (SPEC 3.2.1).
    const flat = windows.get(entry.kind);
    const utilisation = entry.percent ?? flat?.window?.utilisation ?? null;
    if (utilisation === null) continue;
    const resetsAt = entry.resetsAt ?? flat?.window?.resetsAt ?? null;
    windows.set(entry.kind, {
      window: { utilisation, resetsAt },
      label: entry.label ?? flat?.label ?? null,
      windowSeconds: flat?.windowSeconds ?? entry.windowSeconds,
    });
  }

  const meters: Meter[] = [];
  for (const [kind, { window, label, windowSeconds }] of windows) {
    if (!window) continue;
    meters.push({
      kind,
      label: label ?? labelFor(kind),
      utilisation: window.utilisation,
      resetsAt: window.resetsAt,
      windowSeconds,
      ...(window.used !== undefined ? { used: window.used, limit: window.limit } : {}),
      unit: "percent",
      source,
      observedAt,
      estimated: false,
    });
  }
  const extra = extraUsageMeter(own(body, "extra_usage"), observedAt, source, warnings, notes);
  if (extra) meters.push(extra);
  const spend = spendMeter(own(body, "spend"), observedAt, source, warnings, notes);
  if (spend) meters.push(spend);

  if (warnings.length > MAX_WARNINGS) warnings.splice(MAX_WARNINGS, warnings.length - MAX_WARNINGS, `… and more malformed fields`);
  if (meters.length === 0 && warnings.length > 0) {
    return { ok: false, error: { kind: "parse", message: `usage body: no valid window (${warnings.slice(0, 3).join("; ")})` } };
  }
  if (meters.length === 0 && !sawWindowKey) {
    return { ok: false, error: { kind: "parse", message: "usage body: no usage windows (five_hour, seven_day, limits[])" } };
  }
  if (meters.length === 0) notes.push("no window applies to this account now (all null)");
  return { ok: true, meters, warnings, notes };
}
