// Claude Code's `/usage` screen (SPEC 3.2.4, FORMATS §2), interactive or headless, as meters.
// Pure: the capture time is passed in. The screen is drawn for people, so the parser is tolerant
// of terminal noise (escapes, bars, half-painted duplicate frames, dropped letters) but never
// invents a value: what it cannot read for certain is listed in `missing`.
import { labelFor, slugify, windowFor } from "../model/kinds.js";
import type { Meter } from "../model/meter.js";
import { addDays, isKnownZone, wallTimeIn, zonedWallTimeToUtc } from "./zoned-time.js";

export const MAX_SCREEN_BYTES = 256 * 1024;

export type ParseUsageScreenOptions = {
  /** Zone for a reset printed without `(Zone)`; without it such a reset is left unknown. */
  defaultZone?: string;
};

export type UsageScreenParse = {
  meters: Meter[];
  warnings: string[];
  /** What the screen promised but did not show for certain: `<kind>` or `<kind>.resetsAt`. */
  missing: string[];
  /** Set when the screen holds no quota data (loading, failed, not a subscription, cost summary). */
  error?: string;
  /** True when the latest frame is still `Loading usage data…`: a scraper should wait and capture again. */
  loading?: boolean;
};

const WEEK = 7 * 24 * 3600;

// --- cleaning -------------------------------------------------------------------------------

// OSC (…BEL or …ESC \ or unterminated), CSI, two-byte ESC sequences, then any stray ESC.
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]?/g;
const ESC2 = /\x1b[()*+#%][\x20-\x7e]?|\x1b[\x20-\x7e]?/g;
// C0 controls other than tab and newline (CR was turned into newlines first), DEL and C1.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Box drawing, block elements (eighth blocks, shades) and the geometric squares some bars use.
const BAR_GLYPHS = /[\u2500-\u259f\u25a0-\u25a1\u2b1b\u2b1c]/g;

/** No terminal line is this wide; cutting hostile lines keeps every regex below linear-in-practice. */
const MAX_LINE_CHARS = 512;

/** The screen as trimmed lines with single spaces, noise removed. */
export function cleanScreenLines(text: string): string[] {
  const noEscapes = text.replace(OSC, "").replace(CSI, "").replace(ESC2, "");
  return noEscapes
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(CONTROL, "")
    .replace(BAR_GLYPHS, " ")
    .split("\n")
    .map((l) => l.slice(0, MAX_LINE_CHARS).replace(/\s+/g, " ").trim());
}

/** Lower case, no whitespace, no markdown emphasis: "Current  week (all models)" -> "currentweek(allmodels)". */
function squash(text: string): string {
  return text.toLowerCase().replace(/[\s*_`]+/g, "");
}

/** Letters of `canonical` dropped to produce `seen` (a subsequence), or -1 when it is not one. */
function droppedLetters(seen: string, canonical: string): number {
  if (seen.length > canonical.length) return -1;
  let i = 0;
  for (let j = 0; j < canonical.length && i < seen.length; j++) {
    if (seen[i] === canonical[j]) i++;
  }
  return i === seen.length ? canonical.length - seen.length : -1;
}

const MAX_DROPPED = 2;

// --- labels ---------------------------------------------------------------------------------

type RowLabel = { kind: string; label: string; windowSeconds: number | null; weekly: boolean };

const WEEK_SCOPES: Array<[string, string]> = [
  ["allmodels", "seven_day"],
  ["opus", "seven_day_opus"],
  ["opusonly", "seven_day_opus"],
  ["sonnetonly", "seven_day_sonnet"],
  ["sonnet", "seven_day_sonnet"],
];

function known(kind: string, weekly: boolean): RowLabel {
  return { kind, label: labelFor(kind), windowSeconds: windowFor(kind), weekly };
}

/** Recognises the fixed labels of the screen; `text` is a line with the figures cut out. */
function matchKnownLabel(text: string): RowLabel | null {
  const s = squash(text);
  if (s.length === 0 || s.length > 80) return null;
  const fuzzy = (canonical: string) => {
    const d = droppedLetters(s, canonical);
    return d >= 0 && d <= MAX_DROPPED;
  };
  if (fuzzy("currentsession")) return known("five_hour", false);
  if (fuzzy("extrausage") || fuzzy("usagecredits")) return known("extra_usage", false);
  const paren = /^(.*?)\((.*)\)$/.exec(s);
  if (!paren) return null;
  const headDrops = droppedLetters(paren[1]!, "currentweek");
  if (headDrops < 0 || headDrops > MAX_DROPPED) return null;
  const scope = paren[2]!;
  let best: { kind: string; drops: number } | null = null;
  for (const [canonical, kind] of WEEK_SCOPES) {
    const d = droppedLetters(scope, canonical);
    if (d >= 0 && headDrops + d <= MAX_DROPPED && (best === null || d < best.drops)) best = { kind, drops: d };
  }
  if (best) return known(best.kind, true);
  // "Current week (<model display name>)": the name as printed, so "Fable 5" -> seven_day_fable_5.
  const name = /\(([^()]*)\)\s*$/.exec(text)?.[1]?.trim() ?? "";
  const slug = slugify(name);
  if (slug.length === 0) return { kind: "seven_day_scoped", label: "Week (scoped)", windowSeconds: WEEK, weekly: true };
  return { kind: `seven_day_${slug}`, label: `Week (${name})`, windowSeconds: WEEK, weekly: true };
}

const KNOWN_SQUASHED = ["currentsession", "currentweek", "extrausage", "usagecredits"];

/**
 * Any other label printed with `N% used` on the same line becomes a meter of its own (SPEC 2.2):
 * it must start the line and look like a title, so a chat line that merely quotes a label
 * ("⏺ my window says Current session: 99% used") is not read as one.
 */
function matchOtherLabel(text: string): RowLabel | null {
  if (text.length > 40 || !/^[A-Za-z]/.test(text) || text.split(" ").length > 5) return null;
  const s = squash(text);
  if (KNOWN_SQUASHED.some((k) => s.includes(k)) || s.includes("context")) return null;
  // A known label with more letters dropped than we accept is garbage, not a new meter.
  if (KNOWN_SQUASHED.some((k) => droppedLetters(s, k) >= 0)) return null;
  const kind = slugify(text);
  if (kind.length === 0) return null;
  return { kind, label: text, windowSeconds: null, weekly: false };
}

// --- figures on a line ----------------------------------------------------------------------

const PERCENT = /(?<![\d.])(\d{1,3})(?:\.\d+)?\s*%\s*(used|left)\b/i;
const RESET = /\bresets?\b/i;
const SPENT = /([$€£])?\s*(?<![\d,.])(\d[\d,]*(?:\.\d+)?)(?:\s*\/\s*[$€£]?\s*(\d[\d,]*(?:\.\d+)?))?\s*spent\b/i;
const NOT_ENABLED = /^(extra usage|usage credits)\b.*\bnot enabled\b/i;

type Spent = { used: number; limit: number | null; currency: string | undefined };

type LineFigures = {
  percent?: { value: number; left: boolean };
  reset?: string;
  spent?: Spent;
  /** The line with the figures cut out and separators trimmed: a label, or nothing. */
  remainder: string;
};

function currencyOf(symbol: string | undefined): string | undefined {
  if (symbol === "$") return "USD";
  if (symbol === "€") return "EUR";
  if (symbol === "£") return "GBP";
  return undefined;
}

const LEADING = new Set([..." :·•∙|—–-"]);
// The open paren left behind by "N% used (Resets …)" goes too.
const TRAILING = new Set([..." :·•∙|—–-("]);

/** Trims separators with plain loops: an end-anchored regex would be quadratic on hostile runs. */
function trimSeparators(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && LEADING.has(text[start]!)) start++;
  while (end > start && TRAILING.has(text[end - 1]!)) end--;
  const out = text.slice(start, end);
  return out === ")" || out === "()" ? "" : out;
}

function readFigures(line: string): LineFigures {
  let rest = line;
  const out: LineFigures = { remainder: "" };
  const r = RESET.exec(rest);
  if (r) {
    let reset = rest.slice(r.index + r[0].length).trim();
    // "1% used  (Resets 5am (Europe/Vienna))": drop the closing paren of the wrapper.
    const count = (c: string) => reset.split(c).length - 1;
    while (reset.endsWith(")") && count(")") > count("(")) reset = reset.slice(0, -1).trim();
    out.reset = reset;
    rest = rest.slice(0, r.index);
  }
  const p = PERCENT.exec(rest);
  if (p) {
    out.percent = { value: Number(p[1]), left: p[2]!.toLowerCase() === "left" };
    rest = rest.slice(0, p.index) + " " + rest.slice(p.index + p[0].length);
  }
  const m = SPENT.exec(rest);
  if (m) {
    const used = Number(m[2]!.replace(/,/g, ""));
    const limit = m[3] === undefined ? null : Number(m[3].replace(/,/g, ""));
    if (Number.isFinite(used) && (limit === null || Number.isFinite(limit))) {
      out.spent = { used, limit, currency: currencyOf(m[1]) };
    }
    rest = rest.slice(0, m.index) + " " + rest.slice(m.index + m[0].length);
  }
  out.remainder = trimSeparators(rest.replace(/\s+/g, " "));
  return out;
}

// --- reset text -----------------------------------------------------------------------------

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const ZONE_SUFFIX = /^(.*?)\s*\(\s*([A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*)\s*\)/;
const DATE_PART =
  /^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?:\s*,\s*|\s+at\s+|\s+|$)/;
const TIME_PART = /^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$/;

type ResetParts = {
  zone: string;
  month?: number;
  day?: number;
  year?: number;
  hour?: number;
  minute?: number;
};

function parseResetText(raw: string, defaultZone: string | undefined): ResetParts | string {
  if (raw.length > 120) return `reset text is ${raw.length} characters long: not a reset`;
  const zoned = ZONE_SUFFIX.exec(raw);
  let text: string;
  let zone: string | undefined;
  if (zoned) {
    text = zoned[1]!;
    zone = zoned[2]!;
  } else {
    text = raw.replace(/[)·•∙]+\s*$/, "");
    zone = defaultZone;
    if (!zone) return `reset "${raw}" names no time zone`;
  }
  if (!isKnownZone(zone)) return `reset "${raw}": unknown time zone ${zone}`;
  let t = text.toLowerCase().replace(/\s+/g, " ").trim();
  const parts: ResetParts = { zone };
  const d = DATE_PART.exec(t);
  if (d) {
    parts.month = MONTHS.indexOf(d[1]!) + 1;
    parts.day = Number(d[2]);
    if (d[3] !== undefined) parts.year = Number(d[3]);
    t = t.slice(d[0].length).trim();
  }
  if (t.length > 0) {
    const tm = TIME_PART.exec(t);
    if (!tm) return `reset "${raw}": cannot read the time "${t}"`;
    let hour = Number(tm[1]);
    const minute = tm[2] === undefined ? 0 : Number(tm[2]);
    const meridiem = tm[3];
    if (meridiem) {
      if (hour < 1 || hour > 12) return `reset "${raw}": hour ${hour} out of range`;
      hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
    } else if (tm[2] === undefined) {
      return `reset "${raw}": a bare number is not a time`;
    }
    if (hour > 23 || minute > 59) return `reset "${raw}": time out of range`;
    parts.hour = hour;
    parts.minute = minute;
  }
  if (parts.month === undefined && parts.hour === undefined) return `reset "${raw}": no date or time`;
  return parts;
}

type ResolvedReset = { at: Date | null; warning?: string };

/**
 * Wall time in the named zone -> instant. No year: the next occurrence of that date on or after
 * the capture date. No date: the next occurrence of that time after the capture instant. A result
 * before the capture time is a stale screen, not a reset: dropped with a warning.
 */
function resolveReset(raw: string, capturedAt: Date, row: RowLabel, opts: ParseUsageScreenOptions): ResolvedReset {
  const parts = parseResetText(raw, opts.defaultZone);
  if (typeof parts === "string") return { at: null, warning: `${row.kind}: ${parts}` };
  const { zone } = parts;
  const cap = wallTimeIn(capturedAt.getTime(), zone)!;
  const hour = parts.hour ?? 0;
  const minute = parts.minute ?? 0;
  let at: Date | null;
  let warning: string | undefined;
  if (parts.month !== undefined && parts.day !== undefined) {
    let year = parts.year ?? cap.year;
    if (parts.year === undefined && (parts.month < cap.month || (parts.month === cap.month && parts.day < cap.day))) year++;
    at = zonedWallTimeToUtc(year, parts.month, parts.day, hour, minute, zone);
    if (!at) return { at: null, warning: `${row.kind}: reset "${raw}" is not a calendar date` };
  } else {
    at = zonedWallTimeToUtc(cap.year, cap.month, cap.day, hour, minute, zone);
    if (at && at.getTime() <= capturedAt.getTime()) {
      const next = addDays(cap.year, cap.month, cap.day, 1);
      at = zonedWallTimeToUtc(next.year, next.month, next.day, hour, minute, zone);
    }
    if (row.weekly) {
      // Claude Code before 2.1.136 dropped the date on weekly rows (anthropics/claude-code#33465).
      warning = `${row.kind}: reset "${raw}" has no date; assumed the next ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")} (${zone}), the real date is uncertain`;
    }
  }
  if (!at) return { at: null, warning: `${row.kind}: reset "${raw}" could not be placed in ${zone}` };
  if (at.getTime() < capturedAt.getTime()) {
    return { at: null, warning: `${row.kind}: reset "${raw}" is before the capture time (stale screen?)` };
  }
  return warning === undefined ? { at } : { at, warning };
}

// --- screen states that carry no quota --------------------------------------------------------

type Marker = { line: number; message: string; loading?: boolean };

function nonDataMarker(line: string, index: number): Marker | null {
  const s = squash(line);
  if (s.includes("loadingusagedata")) {
    return { line: index, message: "Claude Code is still loading usage data", loading: true };
  }
  if (s.includes("failedtoloadusagedata")) {
    return { line: index, message: `Claude Code failed to load usage data: ${line.replace(/^.*?usage data:?\s*/i, "") || line}` };
  }
  if (s.includes("onlyavailableforsubscriptionplans")) {
    return { line: index, message: "/usage is only available for subscription plans (this login is not a Claude subscription)" };
  }
  if (s.includes("isn'tavailableinthisenvironment") || s.includes("isnotavailableinthisenvironment")) {
    return { line: index, message: "/usage isn't available in this environment" };
  }
  return null;
}

// --- rows -----------------------------------------------------------------------------------

type Row = {
  label: RowLabel;
  line: number;
  percent?: { value: number; left: boolean; line: number };
  reset?: string;
  spent?: Spent;
  disabled?: boolean;
};

function isBreakdownHeading(line: string): boolean {
  const s = squash(line);
  return s.includes("contributingtoyour") || s.startsWith("last24h") || s.includes("usagebycategory");
}

export function parseUsageScreen(text: string, capturedAt: Date, opts: ParseUsageScreenOptions = {}): UsageScreenParse {
  const warnings: string[] = [];
  const missing: string[] = [];
  if (typeof text !== "string") return { meters: [], warnings, missing, error: "screen capture is not text" };
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_SCREEN_BYTES) {
    return { meters: [], warnings, missing, error: `screen capture is ${bytes} bytes, over the ${MAX_SCREEN_BYTES / 1024} KiB limit: refused` };
  }
  if (Number.isNaN(capturedAt.getTime())) return { meters: [], warnings, missing, error: "capture time is invalid" };

  const lines = cleanScreenLines(text);
  const rows: Row[] = [];
  const markers: Marker[] = [];
  let costSummary = -1;
  let lastVeiled = -1;
  let current: Row | null = null;
  let inBreakdown = false;
  let candidate: { text: string; line: number } | null = null;

  lines.forEach((line, index) => {
    if (line.length === 0) {
      candidate = null;
      return;
    }
    const marker = nonDataMarker(line, index);
    if (marker) {
      markers.push(marker);
      current = null;
      return;
    }
    const s = squash(line);
    if (s.startsWith("totalcost:")) costSummary = index;
    if (s.includes("last-knownusage") || s.includes("ratelimited.pressr") || s.startsWith("asof")) lastVeiled = index;
    // The status bar's context gauge ("12% left", "7% until auto-compact") is never a quota.
    if (s.includes("context") || s.includes("auto-compact")) return;
    if (isBreakdownHeading(line)) {
      inBreakdown = true;
      current = null;
      return;
    }
    if (NOT_ENABLED.test(line)) {
      rows.push({ label: known("extra_usage", false), line: index, disabled: true });
      current = null;
      return;
    }
    const fig = readFigures(line);
    let label = fig.remainder ? matchKnownLabel(fig.remainder) : null;
    if (!label && fig.remainder && fig.percent && !inBreakdown) label = matchOtherLabel(fig.remainder);
    const pendingCandidate = candidate as { text: string; line: number } | null;
    if (!label && fig.percent && !inBreakdown && pendingCandidate && (current === null || current.percent)) {
      // Interactive layout of an unknown row: a title line right above its bar + "N% used".
      label = matchOtherLabel(pendingCandidate.text);
    }
    candidate = null;
    if (label) {
      inBreakdown = false;
      current = { label, line: index };
      rows.push(current);
    } else if (fig.remainder && !fig.percent && !fig.reset && !fig.spent) {
      candidate = { text: fig.remainder, line: index };
      return;
    }
    const row = current as Row | null;
    if (!row || row.disabled) return;
    if (fig.percent && !row.percent) row.percent = { ...fig.percent, line: index };
    if (fig.reset !== undefined && row.reset === undefined) row.reset = fig.reset;
    if (fig.spent && !row.spent) row.spent = fig.spent;
  });

  // Latest frame wins: per kind, the last row that has both its label and a figure.
  const winners = new Map<string, Row>();
  const seen = new Map<string, Row>();
  for (const row of rows) {
    seen.set(row.label.kind, row);
    if (row.percent || row.spent || row.disabled) winners.set(row.label.kind, row);
  }
  for (const kind of seen.keys()) if (!winners.has(kind)) missing.push(kind);

  const meters: Meter[] = [];
  let lastDataLine = -1;
  for (const row of winners.values()) {
    if (row.disabled) {
      warnings.push(`${row.label.kind}: not enabled on this account`);
      continue;
    }
    const meter = rowToMeter(row, rows, capturedAt, opts, warnings, missing);
    if (meter) {
      meters.push(meter);
      lastDataLine = Math.max(lastDataLine, row.percent?.line ?? row.line);
    }
  }

  const lastMarker = markers.at(-1);
  if (lastMarker && (meters.length === 0 || lastMarker.line > lastDataLine)) {
    const out: UsageScreenParse = { meters: [], warnings, missing, error: lastMarker.message };
    if (lastMarker.loading) out.loading = true;
    return out;
  }
  if (meters.length === 0) {
    const error =
      costSummary >= 0
        ? "the screen shows a cost summary instead of quota: a setup-token (CLAUDE_CODE_OAUTH_TOKEN) login cannot read usage; log in with `claude` instead"
        : "no usage meters found on the screen";
    return { meters, warnings, missing, error };
  }
  if (lastVeiled >= 0) warnings.push("Claude Code shows last-known usage (its usage endpoint is rate limited): values may be old");
  return { meters, warnings, missing };
}

function rowToMeter(
  row: Row,
  rows: Row[],
  capturedAt: Date,
  opts: ParseUsageScreenOptions,
  warnings: string[],
  missing: string[],
): Meter | null {
  const { kind } = row.label;
  let utilisation: number | null = null;
  if (row.percent) {
    const shown = row.percent.value;
    if (row.percent.left) {
      if (shown > 100) {
        warnings.push(`${kind}: "${shown}% left" is impossible; row skipped`);
        missing.push(kind);
        return null;
      }
      utilisation = 100 - shown;
    } else {
      utilisation = shown;
      if (shown > 100) {
        warnings.push(`${kind}: screen shows ${shown}% used; counted as 100%`);
        utilisation = 100;
      }
    }
  } else if (row.spent && row.spent.limit !== null && row.spent.limit > 0) {
    utilisation = Math.min(100, (row.spent.used / row.spent.limit) * 100);
  }
  // A half-painted last frame can lack the reset line: an earlier row of the same kind showing the
  // same figure carries the same reset.
  let resetText = row.reset;
  if (resetText === undefined && row.percent) {
    const earlier = rows.filter(
      (r) => r !== row && r.label.kind === kind && r.reset !== undefined && r.percent?.value === row.percent!.value && r.percent.left === row.percent!.left,
    );
    resetText = earlier.at(-1)?.reset;
  }
  let resetsAt: Date | null = null;
  if (resetText !== undefined && resetText.length > 0) {
    const resolved = resolveReset(resetText, capturedAt, row.label, opts);
    resetsAt = resolved.at;
    if (resolved.warning) warnings.push(resolved.warning);
    if (!resolved.at) missing.push(`${kind}.resetsAt`);
  } else if (utilisation !== null && utilisation > 0) {
    // 0% rows legitimately have no reset; any other row should have shown one.
    missing.push(`${kind}.resetsAt`);
  }
  const meter: Meter = {
    kind,
    label: row.label.label,
    utilisation,
    resetsAt,
    windowSeconds: row.label.windowSeconds,
    source: "usage_screen",
    observedAt: capturedAt,
    estimated: false,
  };
  if (row.spent) {
    meter.used = row.spent.used;
    if (row.spent.limit !== null) meter.limit = row.spent.limit;
    meter.unit = "usd";
    if (row.spent.currency) meter.currency = row.spent.currency;
  } else {
    meter.unit = "percent";
  }
  return meter;
}
