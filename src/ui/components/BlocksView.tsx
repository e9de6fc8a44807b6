// 5-hour blocks (ccusage's sense) newest first, with burn rate and the active block's projection.
import { Box } from "ink";
import type { ReactElement } from "react";
import type { CostViews } from "../cost-views.js";
import { formatResetClock, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { compactCount, costCell, usd } from "../plain/report-tables.js";
import type { ColumnSpec } from "../table-columns.js";
import { NO_TRANSCRIPTS } from "./ModelsView.js";
import { Table, type Row } from "./Table.js";
import { Line } from "./Line.js";

export type BlocksViewProps = { costs: CostViews | null; selected: number; width: number; height: number; now: Date; timeZone?: string };

const COLUMNS: ColumnSpec[] = [
  { key: "start", header: "Start", width: 9 },
  { key: "end", header: "End", width: 9, collapse: 3 },
  { key: "status", header: "Status", width: 6 },
  { key: "calls", header: "Calls", width: 6, align: "right", collapse: 2 },
  { key: "tokens", header: "Tokens", width: 8, align: "right" },
  { key: "cost", header: "Cost", width: 9, align: "right" },
  { key: "rate", header: "Tok/min", width: 8, align: "right", collapse: 4 },
  { key: "hourly", header: "$/h", width: 8, align: "right", collapse: 5 },
  { key: "models", header: "Models", width: 20, minWidth: 8, grow: true, collapse: 1 },
];

export function BlocksView({ costs, selected, width, height, now, timeZone }: BlocksViewProps): ReactElement {
  const theme = useTheme();
  if (!costs) {
    return (
      <Line text={truncate(`  ${NO_TRANSCRIPTS}`, width)} style={theme.tone("dim")} width={width} />
    );
  }
  const at = (ms: number) => formatResetClock(new Date(ms), now, timeZone);
  const rows: Row[] = costs.blocks.map((b) => ({
    key: String(b.start),
    cells: {
      start: at(b.start),
      end: at(b.end),
      status: b.isActive ? { text: "active", style: theme.tone("accent") } : { text: "done", style: theme.tone("dim") },
      calls: String(b.calls),
      tokens: compactCount(b.totalTokens),
      cost: costCell(b.cost, b.unpriced),
      rate: b.burnRate ? compactCount(b.burnRate.tokensPerMinute) : "-",
      hourly: b.burnRate ? usd(b.burnRate.costPerHour) : "-",
      models: b.models.map((m) => m.replace(/^claude-/, "")).join(", "),
    },
  }));
  const active = costs.blocks.find((b) => b.isActive);
  const head = active?.projection
    ? `Active block: ${compactCount(active.totalTokens)} tok, ${usd(active.cost)}; at this rate ${compactCount(active.projection.totalTokens)} tok, ${usd(active.projection.cost)} by ${at(active.end)}`
    : active
      ? `Active block: ${compactCount(active.totalTokens)} tok, ${usd(active.cost)}; ends ${at(active.end)}`
      : "No active block: the next call starts one";
  return (
    <Box flexDirection="column" width={width}>
      <Line text={truncate(`  ${head}`, width)} width={width} />
      <Table columns={COLUMNS} rows={rows} width={width} height={height - 1} selected={selected} emptyText="no 5-hour blocks yet" />
    </Box>
  );
}
