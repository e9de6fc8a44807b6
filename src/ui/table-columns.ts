// Column widths for the generic Table (ink-table cannot load under Ink 6): fit the columns into a
// width by dropping them in a declared collapse order, then shrinking flexible ones, then giving
// spare room to flexible ones. Pure, so the layout is testable without rendering.

export type ColumnSpec = {
  key: string;
  header: string;
  /** Preferred width in cells. */
  width: number;
  /** A flexible column shrinks to this and grows into spare room (e.g. messages, emails). */
  minWidth?: number;
  grow?: boolean;
  align?: "left" | "right";
  /** Narrow widths drop columns with the lowest collapse rank first; absent = never dropped. */
  collapse?: number;
};

export type PlacedColumn = ColumnSpec & { placed: number };

/** One space between columns. The selection marker column is the caller's, outside `width`. */
export const GAP = 1;

function total(cols: readonly { placed: number }[]): number {
  return cols.reduce((sum, c) => sum + c.placed, 0) + Math.max(0, cols.length - 1) * GAP;
}

export function layoutColumns(specs: readonly ColumnSpec[], width: number): PlacedColumn[] {
  let cols: PlacedColumn[] = specs.map((s) => ({ ...s, placed: s.width }));
  const byCollapse = specs
    .filter((s) => s.collapse !== undefined)
    .sort((a, b) => (a.collapse ?? 0) - (b.collapse ?? 0));
  for (const drop of byCollapse) {
    if (total(cols) <= width) break;
    cols = cols.filter((c) => c.key !== drop.key);
  }
  let over = total(cols) - width;
  // Shrink flexible columns towards their minimum, the widest first.
  for (const c of [...cols].filter((x) => x.grow).sort((a, b) => b.placed - a.placed)) {
    if (over <= 0) break;
    const give = Math.min(over, c.placed - (c.minWidth ?? c.placed));
    c.placed -= give;
    over -= give;
  }
  // Still too wide: the last columns give way (their cells are cut with an ellipsis).
  for (let i = cols.length - 1; i >= 0 && over > 0; i--) {
    const c = cols[i]!;
    const give = Math.min(over, c.placed - 1);
    c.placed -= give;
    over -= give;
  }
  cols = cols.filter((c) => c.placed > 0);
  const spare = width - total(cols);
  const growers = cols.filter((c) => c.grow);
  if (spare > 0 && growers.length > 0) {
    const each = Math.floor(spare / growers.length);
    growers.forEach((c, i) => (c.placed += each + (i < spare % growers.length ? 1 : 0)));
  }
  return cols;
}

/** The first row index to show so that `selected` stays visible in `height` rows. */
export function scrollOffset(rows: number, height: number, selected: number, previous = 0): number {
  if (rows <= height || height <= 0) return 0;
  const max = rows - height;
  let top = Math.min(Math.max(0, previous), max);
  if (selected < top) top = selected;
  else if (selected >= top + height) top = selected - height + 1;
  return Math.min(Math.max(0, top), max);
}
