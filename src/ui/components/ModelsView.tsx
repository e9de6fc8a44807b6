// Tokens and cost by model (SPEC 2.8, 6.3), each model's cost tier in the tier's colour, with
// today's cost, the rolling 5-hour window and the last hour's burn rate on the first line.
import { Box } from "ink";
import type { ReactElement } from "react";
import type { CostTierDefinition } from "../../model/tiers.js";
import type { CostViews } from "../cost-views.js";
import { truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { compactCount, costCell, usd } from "../plain/report-tables.js";
import type { ColumnSpec } from "../table-columns.js";
import { Table, type Row } from "./Table.js";
import { Line } from "./Line.js";

export const NO_TRANSCRIPTS = "no transcript data yet";

export type ModelsViewProps = {
  costs: CostViews | null;
  tiers: readonly CostTierDefinition[];
  selected: number;
  width: number;
  height: number;
};

const COLUMNS: ColumnSpec[] = [
  { key: "model", header: "Model", width: 24, minWidth: 14, grow: true },
  { key: "tier", header: "Tier", width: 8 },
  { key: "calls", header: "Calls", width: 6, align: "right", collapse: 2 },
  { key: "input", header: "Input", width: 7, align: "right", collapse: 4 },
  { key: "output", header: "Output", width: 7, align: "right", collapse: 5 },
  { key: "cw", header: "Cache wr", width: 8, align: "right", collapse: 1 },
  { key: "cr", header: "Cache rd", width: 8, align: "right", collapse: 3 },
  { key: "total", header: "Total", width: 7, align: "right" },
  { key: "cost", header: "Cost", width: 9, align: "right" },
];

export function costSummary(c: CostViews): string {
  return (
    `Today ${usd(c.todayCost)} · 5h window ${usd(c.window.cost)}, ${compactCount(c.window.tokens)} tok · ` +
    `burn ${compactCount(c.burn.tokensPerMinute)} tok/min, ${usd(c.burn.costPerHour)}/h`
  );
}

export function ModelsView({ costs, tiers, selected, width, height }: ModelsViewProps): ReactElement {
  const theme = useTheme();
  if (!costs) {
    return (
      <Line text={truncate(`  ${NO_TRANSCRIPTS}: Claude Code transcripts under ~/.claude/projects feed cost, blocks and sessions`, width)} style={theme.tone("dim")} width={width} />
    );
  }
  const byId = new Map(tiers.map((t) => [t.id, t]));
  const rows: Row[] = costs.models.map((m) => {
    const tier = m.tier ? byId.get(m.tier) : undefined;
    return {
      key: m.model,
      cells: {
        model: m.model,
        tier: m.local
          ? { text: "local", style: theme.tone("dim") }
          : m.unpriced
            ? { text: "unpriced", style: theme.tone("crit") }
            : { text: tier?.displayName ?? m.tier ?? "-", style: theme.tier(tier?.color) },
        calls: String(m.calls),
        input: compactCount(m.inputTokens),
        output: compactCount(m.outputTokens),
        cw: compactCount(m.cacheCreationTokens),
        cr: compactCount(m.cacheReadTokens),
        total: compactCount(m.totalTokens),
        cost: costCell(m.totalCost, m.unpriced),
      },
    };
  });
  const note = costs.unpriced.length > 0 ? `* unpriced, counted as $0: ${costs.unpriced.join(", ")}` : "";
  const tableHeight = height - 1 - (note && height > 4 ? 1 : 0);
  return (
    <Box flexDirection="column" width={width}>
      <Line text={truncate(`  ${costSummary(costs)} · by model, ${costs.period}`, width)} width={width} />
      <Table columns={COLUMNS} rows={rows} width={width} height={tableHeight} selected={selected} />
      {note && height > 4 ? (
        <Line text={truncate(`  ${note}`, width)} style={theme.tone("dim")} width={width} />
      ) : null}
    </Box>
  );
}
