// One Claude Code transcript line -> a usage entry, a limit notice, nothing, or an error
// (FORMATS §7, SPEC 3.2.7). Pure. Hand-written guards instead of zod: this runs on every
// assistant line of gigabytes of logs, and the checks are few and flat.
import type { LimitEvent, TokenCounts, UsageEntry } from "../model/usage-entry.js";

export type LineContext = {
  /** Project dir name under projects/. */
  project: string;
  /** Session id from the file name, for lines that lack `sessionId`. */
  fileSession: string;
};

export type ParsedLine =
  | { kind: "usage"; entry: UsageEntry }
  | { kind: "limit"; event: LimitEvent }
  | { kind: "none" }
  | { kind: "invalid"; reason: string };

const USAGE_MARKER = Buffer.from('"usage"');

/** The cheap pre-filter: a line without the bytes `"usage"` cannot carry usage, so it is never JSON-parsed. */
export function mayCarryUsage(line: Buffer | string): boolean {
  return typeof line === "string" ? line.includes('"usage"') : line.includes(USAGE_MARKER);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Missing or null counts are 0 (older lines omit cache fields); anything but a finite non-negative number is an error. */
function count(obj: Json, field: string, path: string): number | string {
  const v = obj[field];
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) return `${path}.${field} is not a non-negative number`;
  return v;
}

/** The decimal number in `v` at [i, i+n), or -1 when a character there is not a digit. */
function digits(v: string, i: number, n: number): number {
  let x = 0;
  for (let k = i; k < i + n; k++) {
    const c = v.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    x = x * 10 + c;
  }
  return x;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** `2026-01-05T10:00:02.123Z`, the only shape Claude Code writes, without Date.parse (a hot path). */
function fastIsoUtc(v: string): number | null {
  if (v.length !== 24 || v.charCodeAt(23) !== 90 /* Z */ || v.charCodeAt(10) !== 84 /* T */ || v.charCodeAt(19) !== 46 /* . */) return null;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return null; // - - : :
  const y = digits(v, 0, 4), mo = digits(v, 5, 2), day = digits(v, 8, 2), h = digits(v, 11, 2), mi = digits(v, 14, 2), sec = digits(v, 17, 2), ms = digits(v, 20, 3);
  if (y < 0 || mo < 1 || mo > 12 || day < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return null;
  // Feb 30 is not a date (Date.UTC would roll it over into March).
  if (day > daysInMonth(y, mo)) return null;
  return Date.UTC(y, mo - 1, day, h, mi, sec, ms);
}

function parseTimestamp(v: unknown): number | null {
  if (typeof v === "string") {
    const fast = fastIsoUtc(v);
    if (fast !== null) return fast;
    const t = Date.parse(v);
    return Number.isFinite(t) ? t : null;
  }
  // Never seen from Claude Code, tolerated: epochs over 1e12 are milliseconds (FORMATS §9).
  if (typeof v === "number" && Number.isFinite(v) && v > 0) return v > 1e12 ? v : v * 1000;
  return null;
}

/**
 * Cache writes split by TTL. Since the 1 h cache arrived, `cache_creation` breaks the total
 * down; before Claude Code 2.1.152 `cache_creation_input_tokens` could be 0 while the
 * breakdown was not (FORMATS §7). So the total is the larger of the two readings: when the
 * flat total is bigger, the excess (tokens the breakdown does not explain) counts as 5 min
 * writes, the default TTL and the cheaper price; when the breakdown is bigger, the flat field
 * is the stale one and the breakdown is taken as is. `nested` is null without a breakdown.
 * Shared with the WebAssembly scanner's entries (usage-scan.ts).
 */
export function splitCacheWrites(flat: number, nested: { e5: number; e1: number } | null): { w5: number; w1: number } {
  if (nested === null) return { w5: flat, w1: 0 };
  const sum = nested.e5 + nested.e1;
  return flat >= sum ? { w5: nested.e5 + (flat - sum), w1: nested.e1 } : { w5: nested.e5, w1: nested.e1 };
}

/** The ccusage dedup key: `<message.id>:<requestId>`, the id alone without a request id, null without an id. */
export function dedupKey(id: string | null, requestId: string | null): string | null {
  return id === null ? null : requestId === null ? id : `${id}:${requestId}`;
}

/** The cache writes of `message.usage`, checked, or the error. */
function cacheWrites(usage: Json): { w5: number; w1: number } | string {
  const flat = count(usage, "cache_creation_input_tokens", "message.usage");
  if (typeof flat === "string") return flat;
  const nested = usage.cache_creation;
  if (!isObject(nested)) return splitCacheWrites(flat, null);
  const e5 = count(nested, "ephemeral_5m_input_tokens", "message.usage.cache_creation");
  if (typeof e5 === "string") return e5;
  const e1 = count(nested, "ephemeral_1h_input_tokens", "message.usage.cache_creation");
  if (typeof e1 === "string") return e1;
  return splitCacheWrites(flat, { e5, e1 });
}

function syntheticText(message: Json): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const block of content) {
    if (isObject(block) && typeof block.text === "string") parts.push(block.text);
  }
  return parts.join(" ");
}

/** Limit notices in their three spellings (2.x `·`, 1.x `∙`, legacy `Claude AI usage limit reached|<unix s>`). */
const LIMIT_TEXT = /limit reached|hit your .*limit|usage limit/i;

export function parseTranscriptLine(text: string, ctx: LineContext): ParsedLine {
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err) {
    return { kind: "invalid", reason: err instanceof Error ? `not JSON (${err.message})` : "not JSON" };
  }
  if (!isObject(row)) return { kind: "invalid", reason: "not a JSON object" };
  const message = row.message;
  if (!isObject(message)) return { kind: "none" };
  const usage = message.usage;
  if (usage === undefined || usage === null) return { kind: "none" };
  if (!isObject(usage)) return { kind: "invalid", reason: "message.usage is not an object" };

  const timestamp = parseTimestamp(row.timestamp);
  if (timestamp === null) return { kind: "invalid", reason: "timestamp is missing or not a date" };
  const sessionId = typeof row.sessionId === "string" && row.sessionId !== "" ? row.sessionId : ctx.fileSession;
  const model = typeof message.model === "string" && message.model !== "" ? message.model : "unknown";

  if (model === "<synthetic>") {
    // Local notices written by Claude Code itself: zero usage, never a cost; the text matters.
    const notice = syntheticText(message);
    if (LIMIT_TEXT.test(notice)) return { kind: "limit", event: { timestamp, text: notice.trim().slice(0, 500), sessionId, project: ctx.project } };
    return { kind: "none" };
  }

  const input = count(usage, "input_tokens", "message.usage");
  if (typeof input === "string") return { kind: "invalid", reason: input };
  const output = count(usage, "output_tokens", "message.usage");
  if (typeof output === "string") return { kind: "invalid", reason: output };
  const cacheRead = count(usage, "cache_read_input_tokens", "message.usage");
  if (typeof cacheRead === "string") return { kind: "invalid", reason: cacheRead };
  const writes = cacheWrites(usage);
  if (typeof writes === "string") return { kind: "invalid", reason: writes };

  const tokens: TokenCounts = { input, output, cacheWrite5m: writes.w5, cacheWrite1h: writes.w1, cacheRead };
  const id = typeof message.id === "string" && message.id !== "" ? message.id : null;
  const requestId = typeof row.requestId === "string" && row.requestId !== "" ? row.requestId : null;
  const costUSD = typeof row.costUSD === "number" && Number.isFinite(row.costUSD) && row.costUSD >= 0 ? row.costUSD : null;
  return {
    kind: "usage",
    entry: {
      key: dedupKey(id, requestId),
      timestamp,
      model,
      sessionId,
      project: ctx.project,
      cwd: typeof row.cwd === "string" ? row.cwd : null,
      isSidechain: row.isSidechain === true,
      costUSD,
      tokens,
    },
  };
}
