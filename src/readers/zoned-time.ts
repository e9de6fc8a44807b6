// Wall-clock time in a named IANA zone -> UTC instant, with Intl only (date-fns has no tz support).
// The /usage screen prints resets as local wall time plus a zone name; a peer bug read them as UTC,
// another used the capture instant's offset, which is wrong across a DST change (SPEC 3.2.4).

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  if (formatters.has(zone)) return formatters.get(zone)!;
  let fmt: Intl.DateTimeFormat | null;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    fmt = null;
  }
  formatters.set(zone, fmt);
  return fmt;
}

/** True when Intl knows the zone (including legacy aliases such as Asia/Calcutta). */
export function isKnownZone(zone: string): boolean {
  return formatterFor(zone) !== null;
}

export type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock reading in `zone` at `instantMs`; null for an unknown zone. */
export function wallTimeIn(instantMs: number, zone: string): WallTime | null {
  const fmt = formatterFor(zone);
  if (!fmt) return null;
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(instantMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    // Some engines print midnight as 24 even with h23.
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Offset of `zone` from UTC at `instantMs`, in milliseconds (east positive). */
export function zoneOffsetMs(instantMs: number, zone: string): number | null {
  const w = wallTimeIn(instantMs, zone);
  if (!w) return null;
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return asUtc - wholeSeconds;
}

/**
 * The UTC instant at which the wall clock in `zone` reads y-m-d h:min (month 1-12).
 * Deterministic at DST changes, like Temporal's "compatible" rule: a time that occurs twice
 * (autumn overlap) resolves to the earlier instant; a time that never occurs (spring gap)
 * is pushed forward by the gap's length (02:30 in a 02:00->03:00 gap -> 03:30).
 * Returns null for an unknown zone or an impossible date (Feb 31).
 */
export function zonedWallTimeToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  zone: string,
): Date | null {
  if (![year, month, day, hour, minute].every(Number.isInteger)) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
  const probe = new Date(wallAsUtc);
  if (probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1) return null;
  // Offsets a day either side bracket any single transition (zones change at most once a day).
  const before = zoneOffsetMs(wallAsUtc - 86_400_000, zone);
  const after = zoneOffsetMs(wallAsUtc + 86_400_000, zone);
  if (before === null || after === null) return null;
  const reads = (instant: number): boolean => {
    const w = wallTimeIn(instant, zone)!;
    return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
  };
  const candidates = [wallAsUtc - before, wallAsUtc - after].filter(reads).sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // Neither offset yields this reading: check the instant's own offset (a transition inside
  // the bracket that is not the one nearest), then fall back to the gap rule.
  const own = zoneOffsetMs(wallAsUtc, zone)!;
  if (reads(wallAsUtc - own)) return new Date(wallAsUtc - own);
  return new Date(wallAsUtc - before);
}

/** Calendar arithmetic on a y-m-d triple (no zone involved). */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
