// Maps a path inside parsed TOML (as zod reports it: ["general", "intervall"],
// ["plans", "x", "meters"], ["cost_tiers", 1, "id"]) back to the line that defines it, so a
// config error can say `config.toml:12:`. smol-toml keeps no positions, so this is a small
// line scanner that understands just enough TOML to know which table each key sits in:
// [table] and [[array]] headers (dotted, quoted, spaced), dotted keys, and values that span
// lines (multi-line strings, arrays, inline tables), whose inner lines must not be read as keys.
// It never throws: text it cannot follow simply yields fewer entries.

export type TomlPath = ReadonlyArray<string | number>;
export type KeyLine = { path: Array<string | number>; line: number };

type KeyParse = { segments: string[]; end: number };

const BARE = /[A-Za-z0-9_-]/;

function skipSpace(s: string, i: number): number {
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  return i;
}

const ESCAPES: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", e: "\u001b", '"': '"', "\\": "\\" };

/** Parses a dotted key (`a."b.c".'d'`) starting at i; null when there is none. */
function parseKey(s: string, start: number): KeyParse | null {
  const segments: string[] = [];
  let i = start;
  for (;;) {
    i = skipSpace(s, i);
    let seg = "";
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\") {
          const c = s[i + 1] ?? "";
          if (c === "u" || c === "U") {
            const len = c === "u" ? 4 : 8;
            const hex = s.slice(i + 2, i + 2 + len);
            if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) return null;
            const code = Number.parseInt(hex, 16);
            if (code > 0x10ffff) return null;
            seg += String.fromCodePoint(code);
            i += 2 + len;
            continue;
          }
          const e = ESCAPES[c];
          if (e === undefined) return null;
          seg += e;
          i += 2;
          continue;
        }
        seg += s[i];
        i++;
      }
      if (s[i] !== '"') return null;
      i++;
    } else if (s[i] === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return null;
      seg = s.slice(i + 1, close);
      i = close + 1;
    } else {
      const from = i;
      while (i < s.length && BARE.test(s[i]!)) i++;
      if (i === from) return null;
      seg = s.slice(from, i);
    }
    segments.push(seg);
    i = skipSpace(s, i);
    if (s[i] === ".") {
      i++;
      continue;
    }
    return { segments, end: i };
  }
}

type ValueState = { depth: number; multiline: '"""' | "'''" | null };

/**
 * Scans a value (or the rest of one) from i to the end of the line, tracking bracket depth
 * and multi-line strings so the next lines are known to be inside a value.
 */
function scanValue(s: string, start: number, state: ValueState): void {
  let i = start;
  while (i < s.length) {
    if (state.multiline) {
      const close = findClose(s, i, state.multiline);
      if (close < 0) return;
      i = close + 3;
      // A closing delimiter may be followed by up to two more quotes that belong to the string.
      while (s[i] === state.multiline[0]) i++;
      state.multiline = null;
      continue;
    }
    const c = s[i]!;
    if (c === "#") return;
    if (c === '"' || c === "'") {
      const triple = c.repeat(3);
      if (s.startsWith(triple, i)) {
        state.multiline = triple as '"""' | "'''";
        i += 3;
        continue;
      }
      i = c === '"' ? skipBasicString(s, i + 1) : s.indexOf("'", i + 1) + 1 || s.length;
      continue;
    }
    if (c === "[" || c === "{") state.depth++;
    else if ((c === "]" || c === "}") && state.depth > 0) state.depth--;
    i++;
  }
}

function findClose(s: string, from: number, delim: '"""' | "'''"): number {
  let i = from;
  for (;;) {
    const at = s.indexOf(delim, i);
    if (at < 0) return -1;
    if (delim === '"""') {
      let slashes = 0;
      for (let j = at - 1; j >= from && s[j] === "\\"; j--) slashes++;
      if (slashes % 2 === 1) {
        i = at + 1;
        continue;
      }
    }
    return at;
  }
}

function skipBasicString(s: string, from: number): number {
  let i = from;
  while (i < s.length) {
    if (s[i] === "\\") i += 2;
    else if (s[i] === '"') return i + 1;
    else i++;
  }
  return s.length;
}

/** Every table header and key definition in the text, with its 1-based line and full path. */
export function scanKeyLines(text: string): KeyLine[] {
  const lines = text.split(/\r?\n|\r/);
  const out: KeyLine[] = [];
  const aotIndex = new Map<string, number>();
  const keyOf = (p: ReadonlyArray<string | number>) => JSON.stringify(p);
  // Inserts the current element index after every array-of-tables prefix: [[a]] then [a.b] is a[n].b.
  const resolvePath = (segments: string[]): Array<string | number> => {
    const result: Array<string | number> = [];
    for (const seg of segments) {
      result.push(seg);
      const idx = aotIndex.get(keyOf(result));
      if (idx !== undefined) result.push(idx);
    }
    return result;
  };
  let table: Array<string | number> = [];
  const state: ValueState = { depth: 0, multiline: null };
  for (let n = 0; n < lines.length; n++) {
    const s = lines[n]!;
    const lineNo = n + 1;
    if (state.multiline || state.depth > 0) {
      scanValue(s, 0, state);
      continue;
    }
    const i = skipSpace(s, 0);
    if (i >= s.length || s[i] === "#") continue;
    if (s[i] === "[") {
      const isArray = s[i + 1] === "[";
      const key = parseKey(s, i + (isArray ? 2 : 1));
      if (!key) continue;
      const close = isArray ? "]]" : "]";
      if (!s.startsWith(close, key.end)) continue;
      if (isArray) {
        const parent = resolvePath(key.segments.slice(0, -1));
        const full = [...parent, key.segments[key.segments.length - 1]!];
        const next = (aotIndex.get(keyOf(full)) ?? -1) + 1;
        aotIndex.set(keyOf(full), next);
        table = [...full, next];
      } else {
        table = resolvePath(key.segments);
      }
      out.push({ path: table, line: lineNo });
      continue;
    }
    const key = parseKey(s, i);
    if (!key || s[key.end] !== "=") continue;
    out.push({ path: [...table, ...key.segments], line: lineNo });
    scanValue(s, key.end + 1, state);
  }
  return out;
}

function startsWith(path: TomlPath, prefix: TomlPath): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/**
 * The line that best locates `path`: its own definition; else the first line inside it (a
 * table defined only through sub-tables); else the nearest enclosing table or key (an array
 * element, a missing required key, a key inside an inline table). Null when nothing matches.
 */
export function findKeyLine(text: string, path: TomlPath): number | null {
  const entries = scanKeyLines(text);
  const exact = entries.find((e) => e.path.length === path.length && startsWith(e.path, path));
  if (exact) return exact.line;
  if (path.length > 0) {
    const inside = entries.find((e) => startsWith(e.path, path));
    if (inside) return inside.line;
  }
  let best: KeyLine | null = null;
  for (const e of entries) {
    if (e.path.length > 0 && startsWith(path, e.path) && (!best || e.path.length > best.path.length)) best = e;
  }
  return best?.line ?? null;
}
