// How the TUI's lines are shared out (SPEC 6.3). The root never exceeds rows − 1 lines, so Ink
// never scrolls the alternate screen. When rows are few, parts give way in a fixed order: the tab
// body first, then the "Other" meters (full list, then a one-line summary), then the plan meters
// fold into the most-used ones plus a `+n more` line. Header, governing line and key bar stay.
import type { MeterView, SlotView } from "../model/view.js";

/** Tabs line + table header + two rows: less than this and the body is not worth showing. */
export const MIN_BODY = 4;

export type MeterGroups = {
  plan: MeterView[];
  /** "Other" meters worth a row of their own. */
  other: MeterView[];
  /** Other meters at 0 % with no reset: folded into one `Other: n idle` line. */
  idle: MeterView[];
};

export function groupMeters(view: Pick<SlotView, "meters">): MeterGroups {
  const plan = view.meters.filter((m) => m.group === "plan");
  const others = view.meters.filter((m) => m.group === "other");
  const idle = others.filter((m) => (m.utilisation ?? 0) === 0 && m.resetsAt === null && !m.rolledOver);
  return { plan, other: others.filter((m) => !idle.includes(m)), idle };
}

export type OtherMode = "full" | "summary" | "none";

export type ScreenBudget = {
  header: boolean;
  /** Plan meters drawn as rows; the rest are named on the fold line. */
  meters: MeterView[];
  folded: MeterView[];
  /** One line naming the folded meters. */
  foldLine: boolean;
  /** One line saying the plan has no meters (so `p` can be tried). */
  emptyLine: boolean;
  other: OtherMode;
  governing: boolean;
  /** Lines for the tabs line + table (0 = no body). */
  body: number;
  message: boolean;
  keyBar: boolean;
  /** Lines between header and key bar, for the help overlay. */
  middle: number;
  total: number;
};

export function otherLines(g: MeterGroups, mode: OtherMode): number {
  if (mode === "none" || (g.other.length === 0 && g.idle.length === 0)) return 0;
  if (mode === "summary") return 1;
  return 1 + g.other.length + (g.idle.length > 0 ? 1 : 0);
}

/** Plan meters to keep when folding: the most used (governing first), shown in their usual order. */
function fold(meters: MeterView[], keep: number, governing: MeterView | null): { meters: MeterView[]; folded: MeterView[] } {
  if (meters.length <= keep) return { meters, folded: [] };
  const ranked = [...meters].sort((a, b) => {
    if (a === governing) return -1;
    if (b === governing) return 1;
    return (b.utilisation ?? -1) - (a.utilisation ?? -1);
  });
  const kept = new Set(ranked.slice(0, Math.max(0, keep)));
  return { meters: meters.filter((m) => kept.has(m)), folded: meters.filter((m) => !kept.has(m)) };
}

export function screenBudget(
  rows: number,
  groups: MeterGroups,
  governing: MeterView | null,
  opts: { message: boolean },
): ScreenBudget {
  let lines = Math.max(1, rows - 1);
  // Essentials, most telling first, for absurdly small panes.
  const governingLine = lines-- > 0;
  const keyBar = lines > 0 && lines-- > 0;
  const header = lines > 0 && lines-- > 0;
  const message = opts.message && lines > 0 && lines-- > 0;
  const middle = lines;
  // An empty plan still takes a line that says so.
  const planLines = Math.max(1, groups.plan.length);
  const full = otherLines(groups, "full");
  const summary = otherLines(groups, "summary");
  let body = 0;
  let other: OtherMode = "none";
  let keep = groups.plan.length;
  if (lines >= planLines + full + MIN_BODY) {
    other = "full";
    body = lines - planLines - full;
  } else if (lines >= planLines + full) {
    other = "full";
  } else if (summary > 0 && lines >= planLines + summary) {
    other = "summary";
  } else if (lines < planLines) {
    // Fold: keep what fits, one line names the rest.
    keep = Math.max(0, lines - 1);
  }
  const folded = fold(groups.plan, keep, governing);
  const foldLine = folded.folded.length > 0 && lines > 0;
  const emptyLine = groups.plan.length === 0 && lines > 0;
  const used =
    (header ? 1 : 0) +
    folded.meters.length +
    (foldLine || emptyLine ? 1 : 0) +
    otherLines(groups, other) +
    (governingLine ? 1 : 0) +
    body +
    (message ? 1 : 0) +
    (keyBar ? 1 : 0);
  return { header, ...folded, foldLine, emptyLine, other, governing: governingLine, body, message, keyBar, middle, total: used };
}
