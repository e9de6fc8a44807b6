// Short names for table cells, shared by the TUI's views and the plain `report` tables
// (project names: model/project-match.ts).

/** `claude-sonnet-4-5-20250929` -> `sonnet-4-5`. */
export function shortModel(m: string): string {
  return m.replace(/^claude-/, "").replace(/-\d{8}$/, "");
}

// Session ids: the first 8 characters, as git abbreviates commits, lengthened where two
// ids share them. Real ids are random UUIDs, but with thousands of sessions a shared 8-character
// prefix happens (about one chance in a hundred at 10,000), and two rows that look like one
// session would mislead.

/** Each distinct id's shortest prefix of at least `min` characters that no other id starts with (or the whole id). */
export function uniquePrefixes(ids: readonly string[], min = 8): Map<string, string> {
  const sorted = [...new Set(ids)].sort();
  const out = new Map<string, string>();
  // In sorted order, the id sharing the longest prefix with a given id is one of its neighbours.
  const common = (a: string | undefined, b: string): number => {
    if (a === undefined) return 0;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  sorted.forEach((id, i) => {
    const shared = Math.max(common(sorted[i - 1], id), common(sorted[i + 1], id));
    out.set(id, id.slice(0, Math.max(min, shared + 1)));
  });
  return out;
}

/** The width a column of these abbreviations needs: at least `min`, wider for a lengthened one. */
export function prefixesWidth(prefixes: ReadonlyMap<string, string>, min = 8): number {
  let w = min;
  for (const p of prefixes.values()) w = Math.max(w, p.length);
  return w;
}
