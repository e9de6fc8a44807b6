// One meter as one line (SPEC 6.3): label, bar with the pace marker, `62%` (`~62%` estimated),
// reset as local time and countdown, pacing `+8 ahead`, then `limit in 1h40m` / `resets first` /
// `not enough data`, or the age of stale data (`14m old`); on wide terminals the source and age of
// the reading (`oauth 12s`). Columns come from meterColumns, the
// layout the --once frame uses, so both collapse the same way at narrow widths.
import type { ReactElement } from "react";
import type { MeterView } from "../../model/view.js";
import { level, type BarCell } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { meterColumns } from "../meter-layout.js";
import { meterRowParts } from "../meter-row-parts.js";
import { paint, type Theme } from "../theme.js";
import { Line } from "./Line.js";

/** Consecutive cells of one kind as one run, so a bar is three or four painted pieces, not forty. */
function runs(cells: BarCell[]): Array<{ kind: BarCell["kind"]; text: string }> {
  const out: Array<{ kind: BarCell["kind"]; text: string }> = [];
  for (const c of cells) {
    const last = out.at(-1);
    if (last && last.kind === c.kind) last.text += c.char;
    else out.push({ kind: c.kind, text: c.char });
  }
  return out;
}

/** The row as one painted string (pure: the clock is an argument). */
export function meterRowText(meter: MeterView, width: number, now: Date, theme: Theme, timeZone?: string): string {
  const c = meterColumns(width);
  const p = meterRowParts(meter, c, now, timeZone);
  const lv = theme.level(level(meter.utilisation));
  let bar = "";
  for (const r of runs(p.cells)) bar += paint(r.text, r.kind === "fill" ? lv : r.kind === "pace" ? theme.tone("strong") : theme.tone("dim"));
  return (
    `${p.label} [${bar}] ${paint(p.percent, lv)} ${p.reset}` +
    `${c.pacing > 0 ? " " : ""}${paint(p.pace, theme.tone(p.paceTone))}` +
    `${c.forecast > 0 ? " " : ""}${paint(p.note, theme.tone(p.noteTone))}` +
    `${c.origin > 0 ? " " : ""}${paint(p.origin, theme.tone("dim"))}`
  );
}

export type MeterRowProps = { meter: MeterView; width: number; now: Date; timeZone?: string };

export function MeterRow({ meter, width, now, timeZone }: MeterRowProps): ReactElement {
  // The row may reach the terminal's last column (meterColumns keeps it free), one more than its box.
  return <Line text={meterRowText(meter, width, now, useTheme(), timeZone)} width={width - 1} />;
}
