// Pure parser for captured rate-limit headers (SPEC 3.2.3, FORMATS §3, §8): curl `-D`/`-i`/`-v`
// dumps (several responses, CRLF, any case), JSON objects of headers, and NDJSON from
// `claude -p --output-format stream-json` carrying `rate_limit_event` lines. Never throws.
import { labelFor, slugify, windowFor } from "../model/kinds.js";
import type { Meter, MeterUnit } from "../model/meter.js";
import { parseGoDuration, parseIsoInstant, unixToDate } from "./parse-time.js";

export type HeaderCapture = {
  meters: Meter[];
  warnings: string[];
  notes: string[];
  /** Header blocks and stream-json events seen, whether or not they carried limits. */
  responses: number;
  events: number;
};

type HeaderBlock = { status: number | null; headers: Map<string, string> };

const MAX_LINE = 16 * 1024;
const NUMBER = /^\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$/;

function num(v: string | undefined): number | null {
  if (v === undefined || !NUMBER.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** `ms` after `from`, or null past what a Date can hold (a hostile "reset in 10^13 seconds"). */
function after(from: Date, ms: number): Date | null {
  const d = new Date(from.getTime() + ms);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** 0–1 fraction to percent; an overflow to Infinity is not a value. */
function percentOf(fraction: number | null): number | null {
  if (fraction === null || fraction < 0) return null;
  const p = fraction * 100;
  return Number.isFinite(p) ? p : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function printable(text: string, max = 60): string {
  const clean = text.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

/** Window names as the unified headers and stream-json spell them, to registry kinds. */
const WINDOW_ALIASES: Record<string, string> = { "5h": "five_hour", "7d": "seven_day", overage: "extra_usage" };

function headerWindowKind(name: string): string {
  return WINDOW_ALIASES[name] ?? `unified_${slugify(name) || "window"}`;
}

function eventWindowKind(name: string): string {
  return WINDOW_ALIASES[name] ?? (slugify(name) || "unified_window");
}

// ---- reading the capture into header blocks or events ----

function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

function headerBlocksFromDump(text: string): HeaderBlock[] {
  const blocks: HeaderBlock[] = [];
  let current: HeaderBlock | null = null;
  let inHeaders = false;
  for (const rawLine of splitLines(text)) {
    if (rawLine.length > MAX_LINE) continue;
    const line = rawLine.replace(/^< ?/, ""); // curl -v prefixes response lines with "< "
    const status = /^HTTP\/[\d.]+\s+(\d{3})\b/.exec(line);
    if (status) {
      current = { status: Number(status[1]), headers: new Map() };
      blocks.push(current);
      inHeaders = true;
      continue;
    }
    if (line.trim() === "") {
      inHeaders = false;
      continue;
    }
    const header = /^([A-Za-z0-9][A-Za-z0-9_\-]*)\s*:\s?(.*)$/.exec(line);
    if (!header) continue;
    if (!current) {
      // A bare header block without a status line (some harnesses log only the headers).
      current = { status: null, headers: new Map() };
      blocks.push(current);
      inHeaders = true;
    }
    if (inHeaders) current.headers.set(header[1]!.toLowerCase(), header[2]!.trim());
  }
  return blocks.filter((b) => b.headers.size > 0 || b.status !== null);
}

function headerBlockFromObject(obj: Record<string, unknown>): HeaderBlock {
  const source = isRecord(obj.headers) ? obj.headers : obj;
  const status = typeof obj.status === "number" && isRecord(obj.headers) ? obj.status : null;
  const headers = new Map<string, string>();
  for (const [key, value] of Object.entries(source)) {
    const v = Array.isArray(value) ? value.at(-1) : value;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") headers.set(key.toLowerCase(), String(v));
  }
  return { status, headers };
}

// ---- header blocks to meters ----

type Found = { meters: Map<string, Meter>; notes: Map<string, string>; warnings: string[] };

function meter(kind: string, fields: Partial<Meter> & { utilisation: number | null; resetsAt: Date | null }, observedAt: Date): Meter {
  return {
    kind,
    label: labelFor(kind),
    windowSeconds: windowFor(kind),
    unit: "percent" as MeterUnit,
    source: "headers",
    observedAt,
    estimated: false,
    ...fields,
  };
}

function unifiedMeters(h: Map<string, string>, observedAt: Date, found: Found): boolean {
  const windows = new Map<string, { utilization?: string; reset?: string; status?: string }>();
  let any = false;
  for (const [name, value] of h) {
    if (!name.startsWith("anthropic-ratelimit-unified-")) continue;
    any = true;
    // -surpassed-threshold and -fallback-percentage are warning marks and a constant: not usage.
    const m = /^anthropic-ratelimit-unified-([a-z0-9_\-]+?)-(utilization|reset|status)$/.exec(name);
    if (!m) continue;
    const w = windows.get(m[1]!) ?? {};
    w[m[2]! as "utilization" | "reset" | "status"] = value;
    windows.set(m[1]!, w);
  }
  for (const [name, w] of windows) {
    if (name === "overage" && w.utilization === undefined) continue; // overage status alone is a note, below
    const kind = headerWindowKind(name);
    const fraction = num(w.utilization);
    let utilisation = percentOf(fraction);
    if (w.utilization !== undefined && utilisation === null) found.warnings.push(`anthropic-ratelimit-unified-${printable(name)}-utilization: not a fraction`);
    if (utilisation === null && w.status === "rejected") utilisation = 100;
    if (utilisation === null) continue;
    const resetsAt = w.reset === undefined ? null : unixToDate(w.reset);
    if (w.reset !== undefined && resetsAt === null && num(w.reset) !== 0) {
      found.warnings.push(`anthropic-ratelimit-unified-${printable(name)}-reset: not Unix seconds`);
    }
    found.meters.set(kind, meter(kind, { utilisation, resetsAt }, observedAt));
    if (w.status === "rejected" || w.status === "allowed_warning") found.notes.set(`status:${kind}`, `${kind}: ${w.status}`);
  }
  const overall = h.get("anthropic-ratelimit-unified-status");
  if (overall !== undefined && overall !== "allowed") found.notes.set("status", `unified status: ${printable(overall, 30)}`);
  const claim = h.get("anthropic-ratelimit-unified-representative-claim");
  if (claim) found.notes.set("claim", `server's binding window: ${printable(claim, 40)}`);
  const overage = h.get("anthropic-ratelimit-unified-overage-status");
  if (overage) found.notes.set("overage", `overage status: ${printable(overage, 30)}`);
  const disabled = h.get("anthropic-ratelimit-unified-overage-disabled-reason");
  if (disabled) found.notes.set("overage-disabled", `overage disabled: ${printable(disabled, 40)}`);
  return any;
}

const API_TYPES: Record<string, { kind: string; unit: MeterUnit }> = {
  requests: { kind: "api_requests", unit: "requests" },
  tokens: { kind: "api_tokens", unit: "tokens" },
  "input-tokens": { kind: "api_input_tokens", unit: "tokens" },
  "output-tokens": { kind: "api_output_tokens", unit: "tokens" },
};

function countMeter(kind: string, unit: MeterUnit, limit: number, remaining: number, resetsAt: Date | null, observedAt: Date): Meter {
  const used = Math.max(0, limit - remaining);
  const utilisation = (used / limit) * 100;
  return meter(kind, { utilisation: Number.isFinite(utilisation) ? utilisation : null, used, limit, unit, resetsAt }, observedAt);
}

function anthropicApiMeters(h: Map<string, string>, observedAt: Date, found: Found): void {
  for (const [type, { kind, unit }] of Object.entries(API_TYPES)) {
    const limit = num(h.get(`anthropic-ratelimit-${type}-limit`));
    const remaining = num(h.get(`anthropic-ratelimit-${type}-remaining`));
    if (limit === null || remaining === null) continue;
    if (limit <= 0 || remaining < 0) continue;
    const rawReset = h.get(`anthropic-ratelimit-${type}-reset`);
    const resetsAt = rawReset === undefined ? null : parseIsoInstant(rawReset);
    if (rawReset !== undefined && resetsAt === null) found.warnings.push(`anthropic-ratelimit-${type}-reset: not RFC 3339`);
    found.meters.set(kind, countMeter(kind, unit, limit, remaining, resetsAt, observedAt));
  }
}

function openAiMeters(h: Map<string, string>, mtime: Date, found: Found): void {
  for (const type of ["requests", "tokens"] as const) {
    const limit = num(h.get(`x-ratelimit-limit-${type}`));
    const remaining = num(h.get(`x-ratelimit-remaining-${type}`));
    if (limit === null || remaining === null) continue;
    if (limit < 0 || remaining < 0) {
      found.notes.set(`openai-${type}`, `x-ratelimit-*-${type}: -1 (unlimited or unknown)`);
      continue;
    }
    if (limit === 0) continue;
    const rawReset = h.get(`x-ratelimit-reset-${type}`);
    const ms = rawReset === undefined ? null : parseGoDuration(rawReset);
    if (rawReset !== undefined && ms === null) found.warnings.push(`x-ratelimit-reset-${type}: not a duration`);
    // Relative resets count from when the dump was written (its mtime), not from when we read it.
    const resetsAt = ms === null ? null : after(mtime, ms);
    if (ms !== null && resetsAt === null) found.warnings.push(`x-ratelimit-reset-${type}: out of range`);
    const { kind, unit } = API_TYPES[type]!;
    found.meters.set(kind, countMeter(kind, unit, limit, remaining, resetsAt, mtime));
  }
}

/** ≈300 min is the 5h window and ≈10080 the week, whichever slot carries them (SPEC 3.2.6). */
export function codexKindForMinutes(minutes: number): string {
  if (Math.abs(minutes - 300) <= 5) return "codex_primary";
  if (Math.abs(minutes - 10080) <= 60) return "codex_secondary";
  return `codex_${Math.round(minutes)}m`;
}

function codexMeters(h: Map<string, string>, mtime: Date, found: Found): void {
  type Slot = { usedPercent?: string; windowMinutes?: string; resetAt?: string; resetAfter?: string };
  const slots = new Map<string, Slot>();
  const FIELD: Record<string, keyof Slot> = {
    "used-percent": "usedPercent",
    "window-minutes": "windowMinutes",
    "reset-at": "resetAt",
    "reset-after-seconds": "resetAfter",
  };
  for (const [name, value] of h) {
    const m = /^x-codex-(?:([a-z0-9\-]+?)-)?(primary|secondary)-(used-percent|window-minutes|reset-at|reset-after-seconds)$/.exec(name);
    if (!m) continue;
    const key = `${m[1] ?? ""}|${m[2]}`;
    const slot = slots.get(key) ?? {};
    slot[FIELD[m[3]!]!] = value;
    slots.set(key, slot);
  }
  for (const [key, slot] of slots) {
    const [family, position] = key.split("|") as [string, "primary" | "secondary"];
    const used = num(slot.usedPercent);
    if (used === null || used < 0) continue;
    const minutes = num(slot.windowMinutes);
    let kind: string;
    if (minutes !== null && minutes > 0) kind = codexKindForMinutes(minutes);
    else {
      kind = `codex_${position}`;
      found.warnings.push(`x-codex-${family ? `${family}-` : ""}${position}-window-minutes: missing, classified by slot`);
    }
    // Families other than `codex` (x-codex-bengalfox-* = limit_id codex_bengalfox) suffix the kind.
    if (family !== "") kind = `${kind}_${slugify(family)}`;
    let resetsAt = slot.resetAt === undefined ? null : unixToDate(slot.resetAt);
    if (resetsAt === null && slot.resetAfter !== undefined) {
      const seconds = num(slot.resetAfter);
      if (seconds !== null && seconds >= 0) {
        resetsAt = after(mtime, seconds * 1000);
        if (resetsAt === null) found.warnings.push(`x-codex-${family ? `${family}-` : ""}${position}-reset-after-seconds: out of range`);
      }
    }
    found.meters.set(
      kind,
      meter(kind, { utilisation: used, resetsAt, windowSeconds: minutes !== null && minutes > 0 ? minutes * 60 : windowFor(kind) }, mtime),
    );
  }
}

function blockMeters(block: HeaderBlock, mtime: Date, found: Found): void {
  const h = block.headers;
  const hasUnified = unifiedMeters(h, mtime, found);
  anthropicApiMeters(h, mtime, found);
  openAiMeters(h, mtime, found);
  codexMeters(h, mtime, found);
  if (block.status === 429 && !hasUnified) {
    found.notes.set("burst", "HTTP 429 without unified headers: a burst or concurrency limit, not an exhausted quota");
  }
  const retry = h.get("retry-after");
  if (block.status === 429 && retry !== undefined) found.notes.set("retry", `retry-after: ${printable(retry, 20)}s`);
}

// ---- stream-json rate_limit_event ----

function eventMeters(event: Record<string, unknown>, mtime: Date, found: Found): void {
  const info = event.rate_limit_info;
  if (!isRecord(info)) {
    found.warnings.push("rate_limit_event: rate_limit_info missing");
    return;
  }
  const add = (name: string, utilRaw: unknown, resetRaw: unknown, status: unknown) => {
    const kind = eventWindowKind(name.slice(0, 64));
    let utilisation = percentOf(typeof utilRaw === "number" ? utilRaw : null);
    // A rejected event without a utilisation means that window is full.
    if (utilisation === null && status === "rejected") utilisation = 100;
    if (utilisation === null) return;
    found.meters.set(kind, meter(kind, { utilisation, resetsAt: unixToDate(resetRaw) }, mtime));
  };
  const type = info.rateLimitType;
  if (typeof type === "string" && type !== "") add(type, info.utilization, info.resetsAt, info.status);
  if (isRecord(info.unifiedWindows)) {
    for (const [name, w] of Object.entries(info.unifiedWindows)) {
      if (isRecord(w)) add(name, w.utilization, w.resetsAt, w.status);
    }
  }
  if (typeof info.overageStatus === "string") found.notes.set("overage", `overage status: ${printable(info.overageStatus, 30)}`);
  if (typeof info.overageDisabledReason === "string") {
    found.notes.set("overage-disabled", `overage disabled: ${printable(info.overageDisabledReason, 40)}`);
  }
}

// ---- entry point ----

export function parseHeaderCapture(text: string, mtime: Date): HeaderCapture {
  const found: Found = { meters: new Map(), notes: new Map(), warnings: [] };
  let responses = 0;
  let events = 0;
  try {
    const body = text.replace(/^\uFEFF/, "");
    const trimmed = body.trimStart();
    let whole: unknown = undefined;
    if (trimmed.startsWith("{")) {
      try {
        whole = JSON.parse(trimmed);
      } catch {
        whole = undefined;
      }
    }
    if (isRecord(whole) && whole.type !== "rate_limit_event") {
      responses = 1;
      blockMeters(headerBlockFromObject(whole), mtime, found);
    } else if (trimmed.startsWith("{")) {
      // NDJSON (stream-json): the newest event per window wins, so later lines override.
      for (const line of splitLines(body)) {
        if (line.length > MAX_LINE || !line.includes("rate_limit_event")) continue;
        let obj: unknown;
        try {
          obj = JSON.parse(line);
        } catch {
          continue; // a torn last line while the stream is being written
        }
        if (isRecord(obj) && obj.type === "rate_limit_event") {
          events += 1;
          eventMeters(obj, mtime, found);
        }
      }
    } else {
      for (const block of headerBlocksFromDump(body)) {
        responses += 1;
        blockMeters(block, mtime, found);
      }
    }
  } catch {
    found.warnings.push("capture: unreadable structure");
  }
  return { meters: [...found.meters.values()], warnings: found.warnings.slice(0, 50), notes: [...found.notes.values()], responses, events };
}
