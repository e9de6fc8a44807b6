// Pure text formatting shared by the plain frame (--once) and the Ink TUI: durations, resets,
// bars with a pace marker, threshold levels. No ink, no I/O: the clock is an argument.
import type { MeterView } from "../model/view.js";

export type Level = "ok" | "warn" | "crit" | "none";

/** SPEC 6.3: green < 50, yellow < 80, red >= 80. */
export function level(u: number | null): Level {
  if (u === null) return "none";
  return u >= 80 ? "crit" : u >= 50 ? "warn" : "ok";
}

/** Compact duration: 45s, 12m, 1h40m, 3d4h. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d${h % 24}h`;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one, and the TUI formats
// every reset once a second: keep one formatter per locale, options and zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, opts)));
  return f;
}

/** Reset as local wall time (HH:MM today, "Thu 09:00" within a week, else "Dec 24"). */
export function formatResetClock(at: Date, now: Date, timeZone?: string): string {
  const opts: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone };
  const days = (at.getTime() - now.getTime()) / 86_400_000;
  const dayOf = (d: Date) => formatter("en-CA", { timeZone, dateStyle: "short" }).format(d);
  if (dayOf(at) === dayOf(now)) return formatter("en-GB", opts).format(at);
  if (days < 6.5) return formatter("en-GB", { ...opts, weekday: "short" }).format(at).replace(",", "");
  return formatter("en-GB", { month: "short", day: "numeric", timeZone }).format(at);
}

export function formatReset(m: Pick<MeterView, "resetsAt" | "rolledOver">, now: Date, timeZone?: string): string {
  if (m.rolledOver) return "reset passed, refreshing";
  if (!m.resetsAt) return "no reset yet";
  const secs = (m.resetsAt.getTime() - now.getTime()) / 1000;
  return `${formatResetClock(m.resetsAt, now, timeZone)} (${formatDuration(secs)})`;
}

export function formatPercent(m: Pick<MeterView, "utilisation" | "estimated">): string {
  if (m.utilisation === null) return "—";
  return `${m.estimated ? "~" : ""}${Math.round(m.utilisation)}%`;
}

export function formatMoney(amount: number, currency = "USD"): string {
  const sym = currency === "USD" ? "$" : currency === "EUR" ? "€" : currency === "GBP" ? "£" : `${currency} `;
  return `${sym}${amount.toFixed(2)}`;
}

/** Pools show money (`$12.50 / $50.00`); windows show their percentage. */
export function formatAmount(m: Pick<MeterView, "used" | "limit" | "unit" | "currency">): string | null {
  if (m.used === undefined || m.unit !== "usd") return null;
  const used = formatMoney(m.used, m.currency);
  return m.limit === undefined ? `${used} (uncapped)` : `${used} / ${formatMoney(m.limit, m.currency)}`;
}

export function formatPacing(m: Pick<MeterView, "pacing">): string {
  const p = m.pacing;
  if (!p) return "";
  const gap = Math.round(p.gap);
  if (p.status === "on_pace") return "on pace";
  return `${gap > 0 ? "+" : ""}${gap} ${p.status}`;
}

export function formatForecast(m: Pick<MeterView, "forecast" | "utilisation" | "applicable" | "resetsAt">): string {
  if (!m.applicable || m.utilisation === null) return "";
  const f = m.forecast;
  if (!f) return "not enough data";
  if (f.method === "reached") return "limit reached";
  if (f.hitsLimitBeforeReset === false) return "resets first";
  return `limit in ${formatDuration(f.timeToLimitSeconds)}`;
}

export type BarCell = { char: string; kind: "fill" | "empty" | "pace" };

/**
 * A bar of `width` cells: filled up to utilisation (clamped to 0..100 only here, when drawing),
 * with the pace target drawn as `|` so the marker survives NO_COLOR.
 */
export function barCells(utilisation: number | null, paceTarget: number | null, width: number): BarCell[] {
  const w = Math.max(1, width);
  const u = Math.min(100, Math.max(0, utilisation ?? 0));
  const filled = Math.round((u / 100) * w);
  const pace = paceTarget === null ? -1 : Math.min(w - 1, Math.floor((Math.min(100, Math.max(0, paceTarget)) / 100) * w));
  const cells: BarCell[] = [];
  for (let i = 0; i < w; i++) {
    if (i === pace) cells.push({ char: "|", kind: "pace" });
    else if (i < filled) cells.push({ char: "█", kind: "fill" });
    else cells.push({ char: "░", kind: "empty" });
  }
  return cells;
}

/** Truncate to `width` display cells with an ellipsis (labels and messages are plain BMP text). */
export function truncate(text: string, width: number): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length <= width) return text;
  return width === 1 ? "…" : `${chars.slice(0, width - 1).join("")}…`;
}

export function pad(text: string, width: number, align: "left" | "right" = "left"): string {
  const t = truncate(text, width);
  const gap = " ".repeat(Math.max(0, width - [...t].length));
  return align === "left" ? t + gap : gap + t;
}

/** Reset for a table cell: "Fri 06:00 2d16h", or the countdown alone when `clock` is false. */
export function formatResetCell(m: Pick<MeterView, "resetsAt" | "rolledOver">, now: Date, clock: boolean, timeZone?: string): string {
  if (m.rolledOver) return "refreshing";
  if (!m.resetsAt) return "—";
  const countdown = formatDuration((m.resetsAt.getTime() - now.getTime()) / 1000);
  return clock ? `${formatResetClock(m.resetsAt, now, timeZone)} ${countdown}` : countdown;
}
