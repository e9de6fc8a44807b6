// Column layout of a meter row, shared by the plain frame and the Ink MeterRow so both collapse
// the same way. Narrow terminals drop columns in a fixed order: forecast, then pacing, then the
// reset's clock time (keeping the countdown); the bar shrinks first, down to MIN_BAR. Wide ones
// (from about 130 columns) add where each meter comes from and how old it is, and let the bar
// grow to WIDE_BAR, so the right half of a large pane is not left empty.
export type MeterColumns = {
  label: number;
  bar: number;
  percent: number;
  reset: number;
  pacing: number;
  forecast: number;
  /** Source and age (`oauth 12s`); 0 below the wide layout. */
  origin: number;
  /** Show the reset as "Fri 06:00 2d16h" (true) or only "2d16h" (false). */
  resetClock: boolean;
};

const LABEL = 17;
const PERCENT = 5;
const RESET_FULL = 15;
const RESET_SHORT = 6;
const PACING = 10;
const FORECAST = 15;
const ORIGIN = 20;
const MIN_BAR = 10;
const MAX_BAR = 40;
const WIDE_BAR = 60;

/** Separators: one space between columns plus the two bar brackets. */
function used(c: Omit<MeterColumns, "resetClock">): number {
  const cols = [c.label, c.bar + 2, c.percent, c.reset, c.pacing, c.forecast, c.origin].filter((w) => w > 0);
  return cols.reduce((a, b) => a + b, 0) + cols.length - 1;
}

export function meterColumns(width: number): MeterColumns {
  const wide: MeterColumns = { label: LABEL, bar: 0, percent: PERCENT, reset: RESET_FULL, pacing: PACING, forecast: FORECAST, origin: ORIGIN, resetClock: true };
  const room = width - used(wide) - 1;
  if (room >= MAX_BAR) return { ...wide, bar: Math.min(WIDE_BAR, room) };
  const attempts: MeterColumns[] = [
    { label: LABEL, bar: 0, percent: PERCENT, reset: RESET_FULL, pacing: PACING, forecast: FORECAST, origin: 0, resetClock: true },
    { label: LABEL, bar: 0, percent: PERCENT, reset: RESET_FULL, pacing: PACING, forecast: 0, origin: 0, resetClock: true },
    { label: LABEL, bar: 0, percent: PERCENT, reset: RESET_FULL, pacing: 0, forecast: 0, origin: 0, resetClock: true },
    { label: LABEL, bar: 0, percent: PERCENT, reset: RESET_SHORT, pacing: 0, forecast: 0, origin: 0, resetClock: false },
  ];
  for (const a of attempts) {
    const bar = Math.min(MAX_BAR, width - used({ ...a, bar: 0 }) - 1);
    if (bar >= MIN_BAR) return { ...a, bar };
  }
  const last = attempts.at(-1)!;
  return { ...last, label: Math.max(6, width - used({ ...last, label: 0, bar: 0 }) - MIN_BAR - 3), bar: MIN_BAR };
}
