// Instant and duration encodings shared by the quota parsers (FORMATS §0): ISO 8601 with any
// fraction length, Unix seconds (or milliseconds, by magnitude), and Go-style durations.
// Pure: no clock; every function returns null rather than guessing.

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * ISO 8601 / RFC 3339 instant with an explicit offset. Microsecond fractions
 * (`2026-01-02T19:59:59.600956+00:00`) are cut to milliseconds: Date.parse rejects
 * some of them on older engines, and a zone-less string would be read as local time.
 */
export function parseIsoInstant(text: unknown): Date | null {
  if (typeof text !== "string" || text.length > 64) return null;
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 24 || minute > 59 || second > 60) return null;
  if (hour === 24 && (minute !== 0 || second !== 0)) return null;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return null;
    offsetMinutes = sign * (oh * 60 + om);
  }
  // A leap second (":60") is folded into the next second, as every JS clock does.
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 60), ms) - offsetMinutes * 60_000;
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? null : date;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Unix time as sent by headers, the status line and stream-json. Values above 1e12 are
 * milliseconds (FORMATS §9 heuristic). 0 and negatives mean "unknown" (the status line
 * sends `resets_at: 0`).
 */
export function unixToDate(value: unknown): Date | null {
  const n = typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) return null;
  const ms = n > 1e12 ? n : n * 1000;
  if (ms > 8.64e15) return null;
  return new Date(Math.round(ms));
}

const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/gy;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ns: 1e-6 };

/**
 * Go `time.Duration` text as OpenAI sends in `x-ratelimit-reset-*` (`6m0s`, `23h55m16.126s`,
 * `120ms`), in milliseconds. A bare number is seconds. Anything else is null.
 */
export function parseGoDuration(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const t = text.trim();
  if (t.length === 0 || t.length > 64) return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = DURATION_PART.exec(t); m !== null; m = DURATION_PART.exec(t)) {
    total += Number(m[1]) * (UNIT_MS[m[2]!] ?? Number.NaN);
    consumed = DURATION_PART.lastIndex;
  }
  if (consumed !== t.length || !Number.isFinite(total)) return null;
  return total;
}
