// A generic table (our replacement for ink-table, which cannot load under Ink 6): declared column
// widths and alignment, cells cut with `…`, columns dropped in a collapse order when narrow, the
// selected row marked with `>` (and inverse when coloured), and a window that keeps it in view.
import { Box } from "ink";
import type { ReactElement } from "react";
import { pad } from "../format.js";
import { useTheme } from "../hooks/use-theme.js";
import { layoutColumns, scrollOffset, type ColumnSpec } from "../table-columns.js";
import { NONE, paint, type TextStyle } from "../theme.js";
import { Line } from "./Line.js";

export type Cell = string | { text: string; style?: TextStyle };
export type Row = { key: string; cells: Record<string, Cell> };

export type TableProps = {
  columns: readonly ColumnSpec[];
  rows: readonly Row[];
  width: number;
  /** Lines for the whole table, header included. */
  height: number;
  selected?: number | null;
  emptyText?: string;
};

const MARK = 2;

function cellText(c: Cell | undefined): string {
  return c === undefined ? "" : typeof c === "string" ? c : c.text;
}

export function Table({ columns, rows, width, height, selected = null, emptyText = "nothing to show" }: TableProps): ReactElement | null {
  const theme = useTheme();
  if (height <= 0) return null;
  const cols = layoutColumns(columns, Math.max(1, width - MARK));
  const bodyRows = Math.max(0, height - 1);
  const top = scrollOffset(rows.length, bodyRows, selected ?? 0);
  const shown = rows.slice(top, top + bodyRows);
  const header = cols.map((c) => pad(c.header, c.placed, c.align)).join(" ");
  return (
    <Box flexDirection="column" width={width}>
      <Line text={`  ${header}`} style={theme.tone("heading")} width={width} />
      {rows.length === 0 && bodyRows > 0 ? <Line text={`  ${emptyText}`} style={theme.tone("dim")} width={width} /> : null}
      {shown.map((row, i) => {
        const index = top + i;
        const isSelected = index === selected;
        const more = i === 0 && top > 0 ? "↑" : i === shown.length - 1 && top + bodyRows < rows.length ? "↓" : " ";
        let text = `${isSelected ? ">" : " "}${more}`;
        cols.forEach((c, ci) => {
          const cell = row.cells[c.key];
          const style = typeof cell === "object" && cell.style ? cell.style : NONE;
          text += `${ci > 0 ? " " : ""}${paint(pad(cellText(cell), c.placed, c.align), style)}`;
        });
        return <Line key={row.key} text={text} style={isSelected ? theme.tone("selected") : NONE} width={width} />;
      })}
    </Box>
  );
}
