// Every slot side by side (SPEC 1.2, 6.3): live marker, auth state, the governing meter and the
// plan's key meters, data age, token expiry. The selected row is the slot whose meters are shown
// above; moving it with ↑↓ picks that slot, as `s` and `1`–`9` do.
import { Box } from "ink";
import type { ReactElement } from "react";
import { kindInfo } from "../../model/kinds.js";
import type { SlotView } from "../../model/view.js";
import type { SlotInfo } from "../../store/store.js";
import { formatDuration, formatPercent, level, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import type { ColumnSpec } from "../table-columns.js";
import type { Theme } from "../theme.js";
import { Table, type Row } from "./Table.js";
import { Line } from "./Line.js";

const SHORT: Record<string, string> = {
  five_hour: "5h",
  seven_day: "Week",
  seven_day_opus: "Opus",
  seven_day_sonnet: "Sonnet",
  seven_day_oauth_apps: "Apps",
  api_requests: "Req/m",
  api_tokens: "Tok/m",
  api_input_tokens: "In/m",
  api_output_tokens: "Out/m",
  api_budget: "Budget",
  tokens_day: "Tok/day",
  codex_primary: "Cdx 5h",
  codex_secondary: "Cdx wk",
  local_vram: "VRAM",
};

/** The plan's key meters: its windows, not its money pools. */
export function keyKinds(planKinds: readonly string[]): string[] {
  return planKinds.filter((k) => !kindInfo(k)?.pool);
}

export type SlotRowData = { info: SlotInfo; view: SlotView };

export type SlotsViewProps = {
  slots: readonly SlotRowData[];
  planKinds: readonly string[];
  selected: string | null;
  width: number;
  height: number;
  now: Date;
  /** The decision engine's recommendation, when there is one. */
  recommendation?: string | null;
};

function tokenCell(info: SlotInfo, now: Date): string {
  if (!info.tokenExpiresAt) return "—";
  const secs = (info.tokenExpiresAt.getTime() - now.getTime()) / 1000;
  return secs >= 0 ? `${formatDuration(secs)}` : `lapsed ${formatDuration(-secs)}`;
}

function slotRow(d: SlotRowData, kinds: readonly string[], theme: Theme, now: Date): Row {
  const g = d.view.governing;
  const freshest = d.view.meters.filter((m) => !m.estimated).sort((a, b) => a.ageSeconds - b.ageSeconds)[0];
  const cells: Row["cells"] = {
    live: d.info.active ? "*" : "",
    slot: d.info.name,
    auth: { text: d.info.auth, style: d.info.auth === "ok" ? {} : theme.tone(d.info.auth === "stale" || d.info.auth === "old" ? "warn" : "crit") },
    governing: g ? { text: `${g.label} ${formatPercent(g)}`, style: theme.level(level(g.utilisation)) } : { text: "none", style: theme.tone("dim") },
    age: freshest ? { text: formatDuration(freshest.ageSeconds), style: freshest.stale ? theme.tone("warn") : {} } : "—",
    token: tokenCell(d.info, now),
    email: d.info.email ?? "",
  };
  for (const k of kinds) {
    const m = d.view.meters.find((x) => x.kind === k);
    cells[`k:${k}`] = m ? { text: formatPercent(m), style: theme.level(level(m.utilisation)) } : { text: "—", style: theme.tone("dim") };
  }
  return { key: d.info.name, cells };
}

export function slotColumns(kinds: readonly string[]): ColumnSpec[] {
  return [
    { key: "live", header: "", width: 1 },
    { key: "slot", header: "Slot", width: 10, minWidth: 6, grow: false },
    { key: "auth", header: "Auth", width: 9, collapse: 6 },
    { key: "governing", header: "Governing", width: 22, collapse: 5 },
    ...kinds.map(
      (k, i): ColumnSpec => ({ key: `k:${k}`, header: SHORT[k] ?? truncate(k, 7), width: 7, align: "right", collapse: 10 - i }),
    ),
    { key: "age", header: "Age", width: 6, align: "right", collapse: 3 },
    { key: "token", header: "Token", width: 12, collapse: 2 },
    { key: "email", header: "Email", width: 18, minWidth: 10, grow: true, collapse: 1 },
  ];
}

export function SlotsView({ slots, planKinds, selected, width, height, now, recommendation }: SlotsViewProps): ReactElement {
  const theme = useTheme();
  const kinds = keyKinds(planKinds);
  const rows = slots.map((d) => slotRow(d, kinds, theme, now));
  const index = slots.findIndex((d) => d.info.name === selected);
  const rec = recommendation && height >= 3 ? recommendation : null;
  return (
    <Box flexDirection="column" width={width}>
      <Table
        columns={slotColumns(kinds)}
        rows={rows}
        width={width}
        height={height - (rec ? 1 : 0)}
        selected={index >= 0 ? index : null}
        emptyText="no slots: the meters are the account logged in; usagetop slots adopt NAME makes its credentials file a slot"
      />
      {rec ? (
        <Line text={truncate(rec, width)} style={theme.tone("accent")} width={width} />
      ) : null}
    </Box>
  );
}
