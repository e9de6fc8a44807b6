// The plan's meters, then "Other" (registry meters outside the plan and unknown meters of another
// provider), with idle unknown meters folded into one `Other: n idle` line (SPEC 2.2). What fits
// is decided by screenBudget; this only draws it.
import { Box, Text } from "ink";
import type { ReactElement } from "react";
import type { MeterView } from "../../model/view.js";
import { formatPercent, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import type { MeterGroups, ScreenBudget } from "../screen-budget.js";
import { MeterRow } from "./MeterRow.js";
import { Line } from "./Line.js";

export type MeterListProps = {
  groups: MeterGroups;
  budget: Pick<ScreenBudget, "meters" | "folded" | "foldLine" | "emptyLine" | "other">;
  plan: string;
  width: number;
  now: Date;
  timeZone?: string;
};

function brief(m: MeterView): string {
  return `${m.label} ${formatPercent(m)}`;
}

export function idleLine(idle: readonly MeterView[]): string {
  return `Other: ${idle.length} idle (${idle.map((m) => m.kind).join(", ")})`;
}

/** What the empty meter area says: another plan may have meters, or no reader has any yet (a first run). */
export function emptyText(groups: Pick<MeterGroups, "other" | "idle">, plan: string): string {
  if (groups.other.length > 0 || groups.idle.length > 0) return `No ${plan} meters: no reader reports them (p cycles plans)`;
  return "No data yet: the Readers view (Tab) says why; usagetop --demo shows a demo";
}

export function MeterList({ groups, budget, plan, width, now, timeZone }: MeterListProps): ReactElement {
  const theme = useTheme();
  // meterColumns already leaves the terminal's last column free, so rows get the full width
  // (one more than the text lines here, which the App keeps off the last column).
  const row = (m: MeterView) => <MeterRow key={m.kind} meter={m} width={width + 1} now={now} timeZone={timeZone} />;
  return (
    <Box flexDirection="column" width={width}>
      {budget.emptyLine ? (
        <Line text={truncate(emptyText(groups, plan), width)} style={theme.tone("dim")} width={width} />
      ) : null}
      {budget.meters.map(row)}
      {budget.foldLine ? (
        <Line text={truncate(`+${budget.folded.length} more: ${budget.folded.map(brief).join(" · ")}`, width)} style={theme.tone("dim")} width={width} />
      ) : null}
      {budget.other === "full" && (groups.other.length > 0 || groups.idle.length > 0) ? (
        <>
          <Text {...theme.tone("dim")}>Other</Text>
          {groups.other.map(row)}
          {groups.idle.length > 0 ? <Line text={truncate(idleLine(groups.idle), width)} width={width} /> : null}
        </>
      ) : null}
      {budget.other === "summary" ? (
        <Line
          text={truncate(
            `Other: ${[...groups.other.map(brief), ...(groups.idle.length > 0 ? [`${groups.idle.length} idle`] : [])].join(" · ")}`,
            width,
          )}
          style={theme.tone("dim")}
          width={width}
        />
      ) : null}
    </Box>
  );
}
