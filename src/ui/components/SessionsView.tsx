// Sessions by last activity: project, models, calls, tokens, cost.
import type { ReactElement } from "react";
import type { CostViews } from "../cost-views.js";
import { formatResetClock, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { compactCount, costCell } from "../plain/report-tables.js";
import type { ColumnSpec } from "../table-columns.js";
import { NO_TRANSCRIPTS } from "./ModelsView.js";
import { Table, type Row } from "./Table.js";
import { Line } from "./Line.js";
import { prefixesWidth, shortModel, uniquePrefixes } from "../short-names.js";
import { shortProject } from "../../model/project-match.js";

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

export function SessionsView({ costs, selected, width, height, now, timeZone }: SessionsViewProps): ReactElement {
  const theme = useTheme();
  if (!costs) {
    return (
      <Line text={truncate(`  ${NO_TRANSCRIPTS}`, width)} style={theme.tone("dim")} width={width} />
    );
  }
  const ids = uniquePrefixes(costs.sessions.map((s) => s.sessionId));
  const rows: Row[] = costs.sessions.map((s) => ({
    key: s.sessionId,
    cells: {
      last: formatResetClock(new Date(s.lastActivity), now, timeZone),
      session: ids.get(s.sessionId)!,
      project: shortProject(s.projectPath),
      models: s.modelsUsed.map(shortModel).join(", "),
      calls: String(s.calls),
      tokens: compactCount(s.totalTokens),
      cost: costCell(s.totalCost, s.unpriced),
    },
  }));
  // An id lengthened to stay unique widens its column rather than being cut back to look like another.
  const sessionWidth = prefixesWidth(ids);
  const columns = COLUMNS.map((c) => (c.key === "session" ? { ...c, width: sessionWidth } : c));
  return <Table columns={columns} rows={rows} width={width} height={height} selected={selected} emptyText="no sessions yet" />;
}
