// codex reader (SPEC 3.2.6): tails `${CODEX_HOME}/sessions/**/rollout-*.jsonl`. Rollouts only grow
// and a heavy user has gigabytes of them, so each file is read once and then only its appended
// bytes: `<stateDir>/codex-index.json` remembers per file its size, mtime, inode, the offset after
// the last complete line, and the facts found so far (newest snapshot per limit family, the
// session's cumulative tokens and model).
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from "node:fs";
import { basename, join } from "node:path";
import * as z from "zod/mini";
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import { ensureStateDir, moveAsideCorrupt, readJsonFile, writeFileAtomic } from "../store/atomic-file.js";
import { codexMeters, mayCarryFacts, parseCodexLine, type CodexLimitSnapshot, type CodexTokenTotals } from "./parse-codex.js";
import type { UsageReader } from "./reader.js";
import { compareText } from "../model/compare-text.js";

const CHUNK_BYTES = 4 * 1024 * 1024;
/** A "line" longer than this is not a rollout line: skipped, never buffered without bound. */
const MAX_LINE_BYTES = 32 * 1024 * 1024;
/** First bytes of a file, kept to notice a file rewritten in place (same inode, new content). */
const HEAD_BYTES = 64;

const WindowEntry = z.object({
  slot: z.enum(["primary", "secondary"]),
  usedPercent: z.number(),
  windowMinutes: z.nullable(z.number()),
  resetsAtMs: z.nullable(z.number()),
});
const SnapshotEntry = z.object({
  limitId: z.string(),
  limitName: z.nullable(z.string()),
  planType: z.nullable(z.string()),
  observedAtMs: z.number(),
  windows: z.array(WindowEntry),
});
const TotalsEntry = z.object({ input: z.number(), cachedInput: z.number(), output: z.number(), reasoning: z.number(), total: z.number() });
const FileEntry = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  ino: z.number(),
  offset: z.number(),
  lines: z.number(),
  head: z.string(),
  invalidLines: z.number(),
  firstInvalid: z.nullable(z.string()),
  sessionId: z.nullable(z.string()),
  model: z.nullable(z.string()),
  limits: z.record(z.string(), SnapshotEntry),
  totals: z.nullable(TotalsEntry),
  totalsAtMs: z.nullable(z.number()),
});
const IndexSchema = z.object({ version: z.literal(1), files: z.record(z.string(), FileEntry) });

type FileState = z.infer<typeof FileEntry>;
type CodexIndex = z.infer<typeof IndexSchema>;

export type CodexRefresh = {
  index: CodexIndex;
  home: string;
  /** Bytes read from rollout files by this refresh (the bench prints it). */
  bytesRead: number;
  filesRead: number;
  warnings: string[];
};

export function codexHome(config: Config): string {
  return config.file.readers?.codex?.home ?? config.paths.codexHome;
}

export function codexIndexPath(config: Config): string {
  return join(config.paths.stateDir, "codex-index.json");
}

/** rollout-*.jsonl under `dir`, depth-first; symlinked directories are not followed (no loops). */
function listRollouts(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 8) return out;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listRollouts(p, out, depth + 1);
    else if ((e.isFile() || e.isSymbolicLink()) && /^rollout-.*\.jsonl$/.test(e.name)) out.push(p);
  }
  return out;
}

function emptyState(st: Stats): FileState {
  return {
    size: 0,
    mtimeMs: st.mtimeMs,
    ino: st.ino,
    offset: 0,
    lines: 0,
    head: "",
    invalidLines: 0,
    firstInvalid: null,
    sessionId: null,
    model: null,
    limits: {},
    totals: null,
    totalsAtMs: null,
  };
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function applyLine(state: FileState, line: string, lineNo: number, path: string): void {
  if (!mayCarryFacts(line)) return;
  const facts = parseCodexLine(line);
  if (facts === null) return;
  if (typeof facts === "string") {
    state.invalidLines++;
    state.firstInvalid ??= `${path}:${lineNo}: ${facts}`;
    return;
  }
  if (facts.sessionId) state.sessionId = facts.sessionId;
  if (facts.model) state.model = facts.model;
  if (facts.warning) {
    state.invalidLines++;
    state.firstInvalid ??= `${path}:${lineNo}: ${facts.warning}`;
  }
  if (facts.limits) {
    const prev = state.limits[facts.limits.limitId];
    if (!prev || prev.observedAtMs <= facts.limits.observedAtMs) state.limits[facts.limits.limitId] = facts.limits;
  }
  if (facts.totals && (state.totalsAtMs === null || state.totalsAtMs <= facts.timestampMs)) {
    state.totals = facts.totals;
    state.totalsAtMs = facts.timestampMs;
  }
}

/** The line types that carry facts, found in one pass; mayCarryFacts() is the same test per line. */
const MARKER = /"(?:token_count|turn_context|session_meta)"/g;

/**
 * Applies the complete lines in buf[from, end) (end is just past a newline). Most bytes are tool
 * output: instead of decoding every line, jump from marker hit to marker hit, counting newlines on
 * the way so warnings can still name the line. The search runs on a latin1 view (one char per
 * byte, so offsets are byte offsets); only the lines hit are decoded as UTF-8.
 */
function scanLines(buf: Buffer, from: number, end: number, state: FileState, path: string): void {
  const view = buf.toString("latin1", from, end);
  const marker = new RegExp(MARKER.source, "g");
  let pos = 0;
  for (;;) {
    marker.lastIndex = pos;
    const hit = marker.exec(view)?.index ?? -1;
    const stop = hit < 0 ? view.length : hit;
    for (let nl = view.indexOf("\n", pos); nl >= 0 && nl < stop; nl = view.indexOf("\n", pos)) {
      state.lines++;
      pos = nl + 1;
    }
    if (hit < 0) return;
    const lineEnd = view.indexOf("\n", hit);
    state.lines++;
    applyLine(state, buf.toString("utf8", from + pos, from + lineEnd), state.lines, path);
    pos = lineEnd + 1;
  }
}

/** Reads what was appended to one rollout since `prev`; returns the new state and bytes read. */
function tailFile(path: string, prev: FileState | undefined): { state: FileState; bytes: number } | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (prev && prev.ino === st.ino && prev.size === st.size && prev.mtimeMs === st.mtimeMs) return { state: prev, bytes: 0 };
    let bytes = 0;
    let state: FileState;
    const head = readAt(fd, 0, Math.min(HEAD_BYTES, st.size));
    bytes += head.length;
    const headHex = head.toString("hex");
    // Same file grown: continue at the offset. Rotated (new inode), truncated, or rewritten in place
    // (its first bytes differ): read it again from the start.
    const continues = prev && prev.ino === st.ino && st.size >= prev.offset && headHex.startsWith(prev.head.slice(0, headHex.length)) && prev.head.startsWith(headHex.slice(0, prev.head.length));
    if (continues) state = { ...prev!, limits: { ...prev!.limits } };
    else state = emptyState(st);
    state.head = headHex;
    let position = state.offset;
    let carry: Buffer | null = null;
    let skipping = false;
    while (position < st.size) {
      const chunk = readAt(fd, position, Math.min(CHUNK_BYTES, st.size - position));
      if (chunk.length === 0) break;
      bytes += chunk.length;
      position += chunk.length;
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const lastNl = buf.lastIndexOf(10);
      if (lastNl < 0) {
        if (buf.length > MAX_LINE_BYTES) {
          skipping = true;
          carry = null;
        } else carry = buf;
        continue;
      }
      let from = 0;
      if (skipping) {
        // The rest of an over-long line: count it as one bad line and move on.
        from = buf.indexOf(10) + 1;
        state.lines++;
        state.invalidLines++;
        state.firstInvalid ??= `${path}:${state.lines}: line over ${MAX_LINE_BYTES / 1048576} MiB skipped`;
        skipping = false;
      }
      scanLines(buf, from, lastNl + 1, state, path);
      state.offset = position - (buf.length - lastNl - 1);
      carry = lastNl + 1 < buf.length ? buf.subarray(lastNl + 1) : null;
    }
    // A last line without its newline is not consumed (the offset stays before it, so the next read
    // sees it whole), but if it already parses it is the freshest value: use it now. Re-applying it
    // later is harmless, every fact kept is "newest wins".
    if (carry && carry.length > 0 && !skipping) {
      const tail = carry.toString("utf8");
      if (mayCarryFacts(tail) && typeof parseCodexLine(tail) === "object") applyLine(state, tail, state.lines + 1, path);
    }
    state.size = st.size;
    state.mtimeMs = st.mtimeMs;
    state.ino = st.ino;
    return { state, bytes };
  } finally {
    closeSync(fd);
  }
}

/** Brings the index up to date with the rollout files and saves it (atomic, 0600). */
export function refreshCodexIndex(config: Config, now: Date): CodexRefresh {
  const home = codexHome(config);
  const indexPath = codexIndexPath(config);
  const warnings: string[] = [];
  let index: CodexIndex = { version: 1, files: {} };
  const loaded = readJsonFile(indexPath, IndexSchema);
  if (loaded.ok) index = loaded.value;
  else if ("corrupt" in loaded) warnings.push(moveAsideCorrupt(indexPath, now, loaded.reason));
  else if ("unreadable" in loaded) warnings.push(`codex index unreadable (${loaded.reason}); rebuilt in memory`);

  const files = listRollouts(join(home, "sessions"));
  const next: CodexIndex = { version: 1, files: {} };
  let bytesRead = 0;
  let filesRead = 0;
  let changed = Object.keys(index.files).some((p) => !files.includes(p));
  for (const path of files) {
    const prev = index.files[path];
    const tailed = tailFile(path, prev);
    if (!tailed) continue;
    next.files[path] = tailed.state;
    if (tailed.bytes > 0) {
      bytesRead += tailed.bytes;
      filesRead++;
      changed = true;
    }
  }
  // A missing index with no rollouts to index stays missing: writing an empty one (a file and
  // an fsync) cost every `report` of a machine without Codex about 10 ms.
  if (changed || (!loaded.ok && !("missing" in loaded && files.length === 0))) {
    try {
      ensureStateDir(config.paths.stateDir);
      writeFileAtomic(indexPath, JSON.stringify(next));
    } catch (err) {
      warnings.push(`could not save ${indexPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  for (const state of Object.values(next.files)) {
    if (state.invalidLines > 0) warnings.push(`${state.invalidLines} unreadable line(s) skipped, first ${state.firstInvalid}`);
  }
  return { index: next, home, bytesRead, filesRead, warnings };
}

/** Newest snapshot per limit family across every rollout. */
function newestSnapshots(index: CodexIndex): CodexLimitSnapshot[] {
  const best = new Map<string, CodexLimitSnapshot>();
  for (const state of Object.values(index.files)) {
    for (const snap of Object.values(state.limits)) {
      const prev = best.get(snap.limitId);
      if (!prev || prev.observedAtMs < snap.observedAtMs) best.set(snap.limitId, snap);
    }
  }
  return [...best.values()].sort((a, b) => (a.limitId === "codex" ? -1 : b.limitId === "codex" ? 1 : compareText(a.limitId, b.limitId)));
}

export function readCodexMeters(config: Config, now: Date): ReadResult & { refresh?: CodexRefresh } {
  const home = codexHome(config);
  try {
    statSync(join(home, "sessions"));
  } catch {
    return { ok: false, error: { kind: "unavailable", message: `no Codex sessions at ${join(home, "sessions")}` } };
  }
  const refresh = refreshCodexIndex(config, now);
  const { meters, warnings } = codexMeters(newestSnapshots(refresh.index));
  if (meters.length === 0) {
    const files = Object.keys(refresh.index.files).length;
    return {
      ok: false,
      error: {
        kind: "unavailable",
        message: files === 0 ? `no rollout-*.jsonl under ${join(home, "sessions")}` : `no rate limits in ${files} Codex rollout file(s) (API-key sessions and some \`codex exec\` builds record none)`,
      },
    };
  }
  return { ok: true, meters, warnings: [...refresh.warnings, ...warnings], refresh };
}

export type CodexSessionUsage = {
  provider: "openai";
  sessionId: string;
  model: string | null;
  /** ISO time of the newest token_count line carrying totals. */
  timestamp: string;
  input: number;
  cachedInput: number;
  output: number;
  reasoning: number;
  total: number;
  file: string;
};

/**
 * Per-session cumulative token usage for cost (SPEC 3.2.6: cached ⊂ input, reasoning ⊂ output).
 * The model is the session's latest `turn_context` model: a session that switched models is
 * priced at its last one.
 */
export function readCodexUsage(config: Config, now: Date): { sessions: CodexSessionUsage[]; warnings: string[] } {
  const refresh = refreshCodexIndex(config, now);
  const sessions: CodexSessionUsage[] = [];
  for (const [file, state] of Object.entries(refresh.index.files)) {
    if (!state.totals || state.totalsAtMs === null) continue;
    const fromName = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(basename(file))?.[1];
    sessions.push({
      provider: "openai",
      sessionId: state.sessionId ?? fromName ?? basename(file, ".jsonl"),
      model: state.model,
      timestamp: new Date(state.totalsAtMs).toISOString(),
      ...(state.totals as CodexTokenTotals),
      file,
    });
  }
  sessions.sort((a, b) => compareText(a.timestamp, b.timestamp));
  return { sessions, warnings: refresh.warnings };
}

export const codexReader: UsageReader = {
  name: "codex",
  perSlot: false,
  // Local files: cheap to check on every tick (only appended bytes are read).
  intervalSeconds: () => 0,
  enabled: (config) => config.file.readers?.codex?.enabled ?? true,
  async read(ctx) {
    try {
      const { refresh: _refresh, ...result } = readCodexMeters(ctx.config, ctx.now);
      return result as ReadResult;
    } catch (err) {
      return { ok: false, error: { kind: "unavailable", message: `codex: ${(err as Error).message}` } };
    }
  },
};
