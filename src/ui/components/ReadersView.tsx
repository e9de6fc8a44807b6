// Readers of the shown slot (state, last success, next attempt, last error) and, below, the
// store's log: corrupt files moved aside, torn lines, switch outcomes.
import { Box, Text } from "ink";
import type { ReactElement } from "react";
import type { ReaderStatus } from "../../model/meter.js";
import { formatDuration, truncate } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import type { ColumnSpec } from "../table-columns.js";
import { formatClock } from "./Header.js";
import { Table, type Row } from "./Table.js";
import { Line } from "./Line.js";

export type LogEntry = { at: Date; message: string };

export type ReadersViewProps = {
  readers: readonly ReaderStatus[];
  log: readonly LogEntry[];
  selected: number | null;
  width: number;
  height: number;
  now: Date;
  timeZone?: string;
};

const COLUMNS: ColumnSpec[] = [
  { key: "name", header: "Reader", width: 13 },
  { key: "state", header: "State", width: 8 },
  { key: "age", header: "Last ok", width: 8, align: "right", collapse: 3 },
  { key: "next", header: "Next", width: 7, align: "right", collapse: 2 },
  { key: "detail", header: "Error / warnings", width: 30, minWidth: 12, grow: true },
];

function ago(at: Date | null, now: Date): string {
  return at ? `${formatDuration((now.getTime() - at.getTime()) / 1000)} ago` : "never";
}

export function ReadersView({ readers, log, selected, width, height, now, timeZone }: ReadersViewProps): ReactElement {
  const theme = useTheme();
  const rows: Row[] = readers.map((r) => ({
    key: `${r.name}:${r.slot ?? ""}`,
    cells: {
      name: r.name,
      state: { text: r.state, style: theme.readerState(r.state) },
      age: ago(r.lastSuccessAt, now),
      next: r.nextAttemptAt && r.state !== "ok" && r.state !== "disabled" ? `in ${formatDuration((r.nextAttemptAt.getTime() - now.getTime()) / 1000)}` : "",
      detail: r.error ?? r.warnings?.join("; ") ?? "",
    },
  }));
  // The log takes what the table leaves, but at most half, and only when there is something.
  const tableHeight = Math.min(height, rows.length + 1);
  const logRoom = height - tableHeight - 1;
  const entries = logRoom > 0 ? [...log].reverse().slice(0, logRoom) : [];
  return (
    <Box flexDirection="column" width={width}>
      <Table columns={COLUMNS} rows={rows} width={width} height={tableHeight} selected={selected} emptyText="no reader ran for this slot" />
      {entries.length > 0 ? (
        <>
          <Text {...theme.tone("heading")}>{"  Log"}</Text>
          {entries.map((e, i) => (
            <Line key={i} text={truncate(`  ${formatClock(e.at, timeZone)} ${e.message}`, width)} width={width} />
          ))}
        </>
      ) : null}
    </Box>
  );
}
