import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { plainLines } from "../../../test/tui-fixture.js";
import { Table, type Row } from "./Table.js";
import type { ColumnSpec } from "../table-columns.js";

const columns: ColumnSpec[] = [
  { key: "name", header: "Name", width: 8 },
  { key: "n", header: "N", width: 4, align: "right" },
  { key: "note", header: "Note", width: 20, minWidth: 6, grow: true, collapse: 1 },
];
const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({ key: String(i), cells: { name: `row${i}`, n: String(i * 7), note: `a long note for row ${i} that will not fit` } }));

describe("Table", () => {
  it("draws a header, right-aligns, cuts long cells with … and marks the selected row", () => {
    const { lastFrame } = render(<Table columns={columns} rows={rows.slice(0, 3)} width={40} height={4} selected={1} />);
    const lines = plainLines(lastFrame());
    expect(lines[0]).toBe("  Name        N Note");
    expect(lines[1]).toMatch(/^  row0 {8}0 a long note for row 0 [^ ]*…$/);
    expect(lines[1]).toHaveLength(40);
    expect(lines[2]).toMatch(/^> row1 +7 /);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(40);
  });

  it("drops collapsible columns when narrow", () => {
    const { lastFrame } = render(<Table columns={columns} rows={rows.slice(0, 2)} width={16} height={3} />);
    const lines = plainLines(lastFrame());
    expect(lines[0]).toBe("  Name        N");
    expect(lines.join("\n")).not.toContain("Note");
  });

  it("scrolls to keep the selected row visible, with ↑/↓ hints", () => {
    const { lastFrame } = render(<Table columns={columns} rows={rows} width={40} height={4} selected={7} />);
    const lines = plainLines(lastFrame());
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^ ↑row5/);
    expect(lines[3]).toMatch(/^>↓row7/);
  });

  it("says so when empty", () => {
    const { lastFrame } = render(<Table columns={columns} rows={[]} width={40} height={3} emptyText="no slots" />);
    expect(plainLines(lastFrame())[1]).toBe("  no slots");
  });
});
