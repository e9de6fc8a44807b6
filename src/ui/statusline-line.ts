// The one line `usagetop statusline` prints under Claude Code's prompt (SPEC 6.5), e.g.
// `5h 62%↑ 1h40m · wk 31% · $4.12 today`. Pure: merged meters and today's cost in, text out.
//   ↑ / ↓   ahead of / behind pace (SPEC 2.6); nothing when on pace
//   1h40m   after the 5h meter: the limit comes before the reset, this long from now
//   ↻2h05m  after the 5h meter: the window resets first, this long from now
//   ~62%    estimated from transcripts; `(14m old)` when the value is stale
// Plain text on purpose: Claude Code shows it as given, and it must read well without colour.
import type { MeterView } from "../model/view.js";
import { formatDuration } from "./format.js";

export const NO_DATA_LINE = "usagetop: no data";
const SEP = " · ";

const SHORT: Record<string, string> = {
  five_hour: "5h",
  seven_day: "wk",
  seven_day_opus: "wk opus",
  seven_day_sonnet: "wk sonnet",
  codex_primary: "codex 5h",
  codex_secondary: "codex wk",
};

export function shortLabel(kind: string): string {
  return SHORT[kind] ?? (kind.startsWith("seven_day_") ? `wk ${kind.slice(10).replace(/_/g, " ")}` : kind.replace(/_/g, " "));
}

export type LineMeter = Pick<MeterView, "kind" | "utilisation" | "resetsAt" | "estimated" | "pacing" | "forecast" | "rolledOver" | "ageSeconds"> & {
  stale?: boolean;
};

function percent(m: LineMeter): string {
  if (m.rolledOver) return "reset";
  if (m.utilisation === null) return "—";
  const arrow = m.pacing?.status === "ahead" ? "↑" : m.pacing?.status === "behind" ? "↓" : "";
  return `${m.estimated ? "~" : ""}${Math.round(m.utilisation)}%${arrow}`;
}

function age(m: LineMeter): string {
  return m.stale ? ` (${formatDuration(m.ageSeconds)} old)` : "";
}

function fiveHourTail(m: LineMeter, now: Date): string {
  if (m.rolledOver || m.utilisation === null) return "";
  const f = m.forecast;
  if (f && f.method === "reached") return " limit";
  if (f && f.hitsLimitBeforeReset === true) return ` ${formatDuration(f.timeToLimitSeconds)}`;
  if (m.resetsAt) return ` ↻${formatDuration((m.resetsAt.getTime() - now.getTime()) / 1000)}`;
  return "";
}

export type StatuslineInput = {
  meters: readonly LineMeter[];
  /** The governing meter's kind: shown too when it is neither the 5h nor the week meter. */
  governingKind: string | null;
  /** USD spent today (sessions seen today), or null when unknown. */
  costToday: number | null;
  now: Date;
};

export function statuslineText(input: StatuslineInput): string {
  const parts: string[] = [];
  const byKind = new Map(input.meters.map((m) => [m.kind, m]));
  const five = byKind.get("five_hour");
  if (five) parts.push(`5h ${percent(five)}${fiveHourTail(five, input.now)}${age(five)}`);
  const week = byKind.get("seven_day");
  if (week) parts.push(`wk ${percent(week)}${age(week)}`);
  const g = input.governingKind ? byKind.get(input.governingKind) : undefined;
  if (g && g.kind !== "five_hour" && g.kind !== "seven_day") parts.push(`${shortLabel(g.kind)} ${percent(g)}${age(g)}`);
  if (input.costToday !== null && Number.isFinite(input.costToday)) parts.push(`$${input.costToday.toFixed(2)} today`);
  // One line, whatever a label held: Claude Code shows only the first line.
  return parts.length === 0 ? NO_DATA_LINE : parts.join(SEP).replace(/[\r\n]+/g, " ");
}
