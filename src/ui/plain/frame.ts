// One plain-text frame (`usagetop --once`): header, meter rows, governing line, readers, slots.
// Same information with or without colour; ANSI codes only when `color` is set.
import type { SlotSummary } from "../../model/snapshot-document.js";
import type { MeterView, SlotView } from "../../model/view.js";
import {
  formatDuration,
  formatForecast,
  formatPacing,
  formatPercent,
  formatReset,
  level,
  pad,
  truncate,
  type Level,
} from "../format.js";
import { meterColumns } from "../meter-layout.js";
import { meterRowParts } from "../meter-row-parts.js";

export type FrameOptions = { width: number; color: boolean; now: Date; timeZone?: string };

const SGR: Record<Level | "dim" | "bold" | "red", string> = {
  ok: "\x1b[32m",
  warn: "\x1b[33m",
  crit: "\x1b[31m",
  none: "",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
  red: "\x1b[31m",
};

function paint(text: string, style: keyof typeof SGR, color: boolean): string {
  return color && SGR[style] ? `${SGR[style]}${text}\x1b[0m` : text;
}

function meterRow(m: MeterView, o: FrameOptions): string {
  const c = meterColumns(o.width);
  const p = meterRowParts(m, c, o.now, o.timeZone);
  const lv = level(m.utilisation);
  const bar = p.cells
    .map((x) => (x.kind === "fill" ? paint(x.char, lv, o.color) : x.kind === "pace" ? paint(x.char, "bold", o.color) : paint(x.char, "dim", o.color)))
    .join("");
  const cols = [p.label, `[${bar}]`, paint(p.percent, lv, o.color), p.reset, c.pacing > 0 ? p.pace : null, c.forecast > 0 ? p.note : null, p.origin ? paint(p.origin, "dim", o.color) : null].filter(
    (x): x is string => x !== null,
  );
  return fit(cols.join(" ").trimEnd(), o);
}

/** Cut a line to the width, counting only visible characters. */
function fit(line: string, o: FrameOptions): string {
  if (!o.color) return truncate(line, o.width);
  let visible = 0;
  let out = "";
  for (let i = 0; i < line.length; i++) {
    if (line[i] === "\x1b") {
      const end = line.indexOf("m", i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= o.width) continue;
    out += line[i];
    visible++;
  }
  return out;
}

export function governingLine(view: SlotView, o: FrameOptions): string {
  const g = view.governing;
  if (!g) {
    const down = view.readers.every((r) => r.state !== "ok" && r.state !== "stale");
    return paint(down ? "Governing: none — no reader produced data" : "Governing: none", "red", o.color);
  }
  // Most telling first, so truncation at narrow widths cuts the reset (already in the row above).
  const parts = [`Governing: ${g.label} ${formatPercent(g)}`];
  const f = formatForecast(g);
  if (f) parts.push(f);
  const p = formatPacing(g);
  if (p) parts.push(p);
  parts.push(`resets ${formatReset(g, o.now, o.timeZone)}`);
  return fit(paint(parts.join(" · "), level(g.utilisation), o.color), o);
}

export function renderFrame(view: SlotView, slots: SlotSummary[], o: FrameOptions): string {
  const lines: string[] = [];
  const clock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: o.timeZone }).format(o.now);
  const freshest = view.meters.filter((m) => !m.estimated).sort((a, b) => a.ageSeconds - b.ageSeconds)[0];
  const source = freshest ? `${freshest.source} ${formatDuration(freshest.ageSeconds)} ago` : "no data";
  lines.push(fit(paint(`usagetop · slot ${view.slot ?? "-"} · plan ${view.plan} · ${source} · ${clock}`, "bold", o.color), o));
  const plan = view.meters.filter((m) => m.group === "plan");
  const other = view.meters.filter((m) => m.group === "other");
  for (const m of plan) lines.push(meterRow(m, o));
  const idle = other.filter((m) => (m.utilisation ?? 0) === 0 && m.resetsAt === null && !m.rolledOver);
  const shown = other.filter((m) => !idle.includes(m));
  if (shown.length > 0 || idle.length > 0) {
    lines.push(paint("Other", "dim", o.color));
    for (const m of shown) lines.push(meterRow(m, o));
    if (idle.length > 0) lines.push(fit(`Other: ${idle.length} idle (${idle.map((m) => m.kind).join(", ")})`, o));
  }
  lines.push(governingLine(view, o));
  lines.push("");
  lines.push("Readers");
  for (const r of view.readers) {
    const next = r.nextAttemptAt && r.state !== "ok" ? ` · next ${formatDuration((r.nextAttemptAt.getTime() - o.now.getTime()) / 1000)}` : "";
    const age = r.lastSuccessAt ? ` · ${formatDuration((o.now.getTime() - r.lastSuccessAt.getTime()) / 1000)} ago` : "";
    const err = r.error ? ` · ${r.error}` : "";
    const style: Level = r.state === "ok" ? "ok" : r.state === "disabled" ? "none" : r.state === "stale" ? "warn" : "crit";
    lines.push(fit(`  ${pad(r.name, 13)}${paint(pad(r.state, 9), style, o.color)}${age}${next}${err}`, o));
  }
  if (slots.length > 0) {
    lines.push("");
    lines.push("Slots");
    for (const s of slots) {
      const g = s.governing ? `${s.governing.kind} ${s.governing.utilisation.toFixed(1)}%` : "no data";
      lines.push(fit(`  ${s.active ? "*" : " "} ${pad(s.name, 12)} ${pad(s.auth, 10)} ${g}`, o));
    }
  }
  return lines.join("\n");
}
