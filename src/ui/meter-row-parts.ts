// The texts of one meter row, padded to the shared columns: what the Ink MeterRow paints and
// the plain --once frame prints, so both say the same thing the same way. Pure, no ink.
import type { MeterView } from "../model/view.js";
import {
  barCells,
  formatAmount,
  formatDuration,
  formatForecast,
  formatPacing,
  formatPercent,
  formatResetCell,
  formatResetClock,
  pad,
  type BarCell,
} from "./format.js";
import type { MeterColumns } from "./meter-layout.js";
import type { Tone } from "./theme.js";

export type MeterRowParts = {
  label: string;
  cells: BarCell[];
  percent: string;
  reset: string;
  pace: string;
  paceTone: Tone;
  note: string;
  noteTone: Tone;
  /** `oauth 12s`: the source that won the merge and the age of its reading (wide layout only). */
  origin: string;
};

/** The texts of a row, already padded to the columns (pure: the clock is an argument). */
export function meterRowParts(m: MeterView, c: MeterColumns, now: Date, timeZone?: string): MeterRowParts {
  const amount = formatAmount(m);
  const stale = m.stale ? `${formatDuration(m.ageSeconds)} old` : "";
  // Pools have no pace; their spare columns say when the month rolls over (as the --once frame).
  const pace = amount ? "" : formatPacing(m);
  const forecast = formatForecast(m);
  const note = amount ? (m.resetsAt ? `resets ${formatResetClock(m.resetsAt, now, timeZone)}` : "") : stale || forecast;
  const paceTone: Tone = m.pacing?.status === "ahead" ? (m.pacing.gap > 15 ? "crit" : "warn") : m.pacing?.status === "behind" ? "dim" : "none";
  const noteTone: Tone = stale && !amount ? "warn" : note.startsWith("limit") ? "crit" : note === "not enough data" ? "dim" : "none";
  return {
    label: pad(m.label, c.label),
    cells: barCells(m.utilisation, m.pacing?.target ?? null, c.bar),
    percent: pad(formatPercent(m), c.percent, "right"),
    reset: pad(amount ?? formatResetCell(m, now, c.resetClock, timeZone), c.reset),
    pace: c.pacing > 0 ? pad(pace, c.pacing) : "",
    paceTone,
    note: c.forecast > 0 ? pad(note, c.forecast) : "",
    noteTone,
    origin: c.origin > 0 ? pad(`${m.source} ${formatDuration(m.ageSeconds)}`, c.origin) : "",
  };
}
