// Sessions by last activity: project, models, calls, tokens, cost.
import type { ReactElement } from "react";
import type { CostViews } from "../cost-views.js";
import { formatResetClock, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { compactCount, usd } from "../plain/report-tables.js";
import type { ColumnSpec } from "../table-columns.js";
import { NO_TRANSCRIPTS } from "./ModelsView.js";
import { Table, type Row } from "./Table.js";
import { Line } from "./Line.js";

export type SessionsViewProps = { costs: CostViews | null; selected: number; width: number; height: number; now: Date; timeZone?: string };

const COLUMNS: ColumnSpec[] = [
  { key: "last", header: "Last", width: 9 },
  { key: "session", header: "Session", width: 8, collapse: 2 },
  { key: "project", header: "Project", width: 24, minWidth: 10, grow: true },
  { key: "models", header: "Models", width: 18, collapse: 1 },
  { key: "calls", header: "Calls", width: 6, align: "right", collapse: 3 },
  { key: "tokens", header: "Tokens", width: 8, align: "right" },
  { key: "cost", header: "Cost", width: 9, align: "right" },
];

/** `-home-alice-src-app` -> `src-app`: the directory name Claude Code derives from the cwd, less the home part. */
export function shortProject(p: string): string {
  return p.replace(/^-/, "").replace(/^(home|Users)-[^-]+-/, "");
}

export function SessionsView({ costs, selected, width, height, now, timeZone }: SessionsViewProps): ReactElement {
  const theme = useTheme();
  if (!costs) {
    return (
      <Line text={truncate(`  ${NO_TRANSCRIPTS}`, width)} style={theme.tone("dim")} width={width} />
    );
  }
  const rows: Row[] = costs.sessions.map((s) => ({
    key: s.sessionId,
    cells: {
      last: formatResetClock(new Date(s.lastActivity), now, timeZone),
      session: s.sessionId.slice(0, 8),
      project: shortProject(s.projectPath),
      models: s.modelsUsed.map((m) => m.replace(/^claude-/, "").replace(/-\d{8}$/, "")).join(", "),
      calls: String(s.calls),
      tokens: compactCount(s.totalTokens),
      cost: `${usd(s.totalCost)}${s.unpriced ? "*" : ""}`,
    },
  }));
  return <Table columns={COLUMNS} rows={rows} width={width} height={height} selected={selected} emptyText="no sessions yet" />;
}
