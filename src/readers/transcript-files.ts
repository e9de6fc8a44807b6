// Finding and streaming Claude Code transcripts (SPEC 3.2.7, FORMATS §7). I/O only: lines go
// to parseTranscriptLine, results to a callback. Files are read in fixed chunks, so a 1 GB
// file without a newline costs one chunk plus at most `lineCap` bytes of memory.
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync, type Dirent } from "node:fs";
import { basename, join, sep } from "node:path";
import { parseTranscriptLine, type LineContext, type ParsedLine } from "./parse-transcript-line.js";
import { compareText } from "../model/compare-text.js";
import { usageScanner, Verdict } from "./usage-scan.js";

export type TranscriptFile = {
  path: string;
  /** Project dir name under projects/. */
  project: string;
  /** Session id implied by the path: the file name, or the session dir of a sub-agent file. */
  fileSession: string;
};

const MAX_DEPTH = 6;

/** Every `projects/**\/*.jsonl` under each Claude config dir, sub-agent files included, in path order. */
export function listTranscriptFiles(claudeDirs: readonly string[]): TranscriptFile[] {
  const out: TranscriptFile[] = [];
  const seen = new Set<string>();
  for (const root of claudeDirs) {
    // Paths are built by concatenation and the project and session taken from the walk's own
    // path parts: path.join/relative per entry were most of a warm run's listing time.
    walk(join(root, "projects"), [], (path, parts) => {
      if (seen.has(path)) return;
      seen.add(path);
      const project = parts.length > 1 ? parts[0]! : "";
      // <project>/<session>.jsonl, or <project>/<session>/subagents/agent-<id>.jsonl
      const fileSession = parts.length >= 4 && parts[parts.length - 2] === "subagents" ? parts[parts.length - 3]! : basename(path, ".jsonl");
      out.push({ path, project, fileSession });
    });
  }
  return out.sort((a, b) => compareText(a.path, b.path));
}

function walk(dir: string, parts: string[], onFile: (path: string, parts: string[]) => void): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // missing or unreadable dir: nothing to read there
  }
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  for (const e of entries) {
    const path = prefix + e.name;
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // dangling link
      }
    }
    if (isFile && e.name.endsWith(".jsonl")) onFile(path, [...parts, e.name]);
    else if (isDir && parts.length < MAX_DEPTH) walk(path, [...parts, e.name], onFile);
  }
}

export type ScanStart = {
  /** Byte offset to start at (0, or the end of the last complete line read before). */
  offset: number;
  /** Lines before `offset`, for 1-based line numbers in warnings. */
  line: number;
  /** The previous read stopped inside an over-long line: skip to the next newline first. */
  skipping: boolean;
};

export type ScanOptions = {
  /** Longest line parsed; longer lines are skipped and counted. */
  lineCap: number;
  chunkSize: number;
  /** false: every line through the JavaScript parser, never the WebAssembly scanner (tests compare the two). */
  wasm?: boolean;
};

export const DEFAULT_SCAN: ScanOptions = { lineCap: 32 * 1024 * 1024, chunkSize: 1024 * 1024 };

export type ScanResult = {
  bytesRead: number;
  /** Where the next read starts: after the last complete line (a line still being written is read again). */
  offset: number;
  line: number;
  skipping: boolean;
  size: number;
  mtimeMs: number;
  ino: number;
  invalid: number;
  firstInvalid: { line: number; reason: string } | null;
  oversized: number;
  firstOversized: number | null;
  /** I/O failure (unreadable, vanished); the file is then left as it was. */
  error: string | null;
  /** The first HEAD_BYTES bytes as hex (see headSignature), when the read started at offset 0. */
  head: string | null;
};

/**
 * A streamed copy of the usage line before it (same message.id and requestId, output not
 * larger), recognised by the scanner (usage-scan.c): a duplicate under the ledger's rule.
 */
export const REPEATED = Object.freeze({ kind: "repeat" as const });
export type ScannedLine = ParsedLine | typeof REPEATED;
export type LineSink = (parsed: ScannedLine, lineStart: number) => void;

// One read buffer for every file: scanFile is synchronous, so it is never shared by two reads,
// and a fresh megabyte per file made the garbage collector the largest cost of a cold read.
let sharedBuffer: Buffer | null = null;
function readBuffer(size: number): Buffer {
  if (sharedBuffer === null || sharedBuffer.length !== size) sharedBuffer = Buffer.allocUnsafe(size);
  return sharedBuffer;
}

const USAGE = Buffer.from('"usage"');
const NL = 10;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CR = 13;

const CONTENT_OPEN = Buffer.from('"content":[');
const CONTENT_CLOSE = Buffer.from('],"stop_reason":');

/**
 * Fast path for assistant lines: the line with its `message.content` array cut out, or null.
 * Content (text, thinking, tool input) is most of an assistant line's bytes and none of its
 * usage, so skipping it halves the JSON work. Claude Code writes `content` just before
 * `stop_reason` (the API's own key order); the first `"content":[` of a line is the message's
 * (nothing before it holds objects) and the last `],"stop_reason":` closes it (nothing after it
 * holds free-form data). These byte sequences cannot occur inside JSON strings, whose quotes
 * are escaped. Lines of another shape return null and are parsed whole; so does any cut line
 * that does not parse to a usage entry (limit notices need their text).
 */
export function slimAssistantLine(data: Buffer, start: number, end: number): string | null {
  const open = data.indexOf(CONTENT_OPEN, start);
  if (open < 0 || open >= end) return null;
  const close = data.lastIndexOf(CONTENT_CLOSE, end - CONTENT_CLOSE.length);
  if (close < open + CONTENT_OPEN.length) return null;
  return data.toString("utf8", start, open + CONTENT_OPEN.length) + data.toString("utf8", close, end);
}

/** The JavaScript reading of one line: its slim form when that parses to usage, else the whole line. */
export function parseLineBytes(data: Buffer, start: number, end: number, lineStart: number, ctx: LineContext): ParsedLine {
  const slim = slimAssistantLine(data, start, end);
  const parsed = slim === null ? null : parseTranscriptLine(slim, ctx);
  if (parsed !== null && parsed.kind === "usage") return parsed;
  const text = data.toString("utf8", start, end);
  return parseTranscriptLine(lineStart === 0 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, ctx);
}

/** A JSON object line starts with `{` and ends with `}`: a cheap test that catches torn writes and binary noise without parsing. */
function looksWhole(data: Buffer, start: number, end: number): boolean {
  let e = end;
  if (e > start && data[e - 1] === CR) e--;
  return e > start && data[start] === OPEN_BRACE && data[e - 1] === CLOSE_BRACE;
}

export function scanFile(file: TranscriptFile, start: ScanStart, onLine: LineSink, options: ScanOptions = DEFAULT_SCAN): ScanResult {
  const result: ScanResult = {
    bytesRead: 0,
    offset: start.offset,
    line: start.line,
    skipping: start.skipping,
    size: 0,
    mtimeMs: 0,
    ino: 0,
    invalid: 0,
    firstInvalid: null,
    oversized: 0,
    firstOversized: null,
    error: null,
    head: null,
  };
  let fd: number;
  try {
    fd = openSync(file.path, "r");
  } catch (err) {
    result.error = (err as NodeJS.ErrnoException).code ?? String(err);
    return result;
  }
  const ctx: LineContext = { project: file.project, fileSession: file.fileSession };
  const { lineCap, chunkSize } = options;
  try {
    const st = fstatSync(fd);
    result.size = st.size;
    result.mtimeMs = st.mtimeMs;
    result.ino = st.ino;
    // The scanner reads lines where they were read to: its own memory is the read buffer.
    const scanner = options.wasm === false ? null : usageScanner();
    const wasm = scanner !== null && chunkSize <= scanner.buffer.length ? scanner : null;
    wasm?.forget();
    const buf = wasm ? wasm.buffer.subarray(0, chunkSize) : readBuffer(chunkSize);
    let pos = start.offset;
    let lineNo = start.line;
    let skipping = start.skipping;
    // A line that spans chunks: its pieces and where it started.
    let parts: Buffer[] = [];
    let partsLen = 0;
    let partStart = pos;

    const bad = (reason: string): void => {
      result.invalid++;
      result.firstInvalid ??= { line: lineNo, reason };
    };
    // An over-long line counts once, in the read where it passes the cap: a line still without
    // its newline (a 1 GB file without one) is named now, not whenever it ends. `line` is its
    // 1-based number (lineNo counts the lines already ended).
    const long = (line = lineNo): void => {
      result.oversized++;
      result.firstOversized ??= line;
    };
    const handle = (data: Buffer, s: number, e: number, lineStart: number): void => {
      const parsed = parseLineBytes(data, s, e, lineStart, ctx);
      if (parsed.kind === "invalid") bad(parsed.reason);
      else onLine(parsed, lineStart);
    };
    const wholeLine = (data: Buffer, s: number, e: number, lineStart: number): void => {
      if (e === s || (e === s + 1 && data[s] === CR)) return; // blank line
      if (e - s > lineCap) return long();
      if (!looksWhole(data, s, e)) return bad("torn line or not a JSON object");
      if (data.subarray(s, e).includes(USAGE)) handle(data, s, e, lineStart);
    };

    for (;;) {
      const n = readSync(fd, buf, 0, chunkSize, pos);
      if (pos === 0 && start.offset === 0 && chunkSize >= HEAD_BYTES) result.head = buf.toString("hex", 0, Math.min(n, HEAD_BYTES)); // saves headSignature opening the file again
      if (n === 0) break;
      result.bytesRead += n;
      const data = buf.subarray(0, n);
      let i = 0;
      if (skipping) {
        const nl = data.indexOf(NL);
        if (nl < 0) {
          pos += n;
          continue;
        }
        // Its end: counted when it passed the cap.
        skipping = false;
        lineNo++;
        i = nl + 1;
        partStart = pos + i;
      } else if (partsLen > 0) {
        const nl = data.indexOf(NL);
        if (nl < 0) {
          if (partsLen + n > lineCap) {
            skipping = true;
            long(lineNo + 1);
            parts = [];
            partsLen = 0;
          } else {
            parts.push(Buffer.from(data));
            partsLen += n;
          }
          pos += n;
          continue;
        }
        lineNo++;
        if (partsLen + nl > lineCap) long();
        else {
          parts.push(data.subarray(0, nl));
          const joined = Buffer.concat(parts, partsLen + nl);
          wholeLine(joined, 0, joined.length, partStart);
        }
        parts = [];
        partsLen = 0;
        i = nl + 1;
      }
      // Hot loop: find newlines; only lines holding the `"usage"` bytes are decoded.
      // The scanner searches its own memory without a call into Node per line.
      const findNl = (from: number): number => (wasm === null ? data.indexOf(NL, from) : wasm.findNewline(from, n));
      const findUsage = (from: number): number => (wasm === null ? data.indexOf(USAGE, from) : wasm.findUsage(from, n));
      let nextUsage = findUsage(i);
      for (;;) {
        const nl = findNl(i);
        if (nl < 0) break;
        lineNo++;
        const lineLen = nl - i;
        if (lineLen > lineCap) long();
        else if (nextUsage >= i && nextUsage < nl) {
          if (!looksWhole(data, i, nl)) bad("torn line or not a JSON object");
          else if (wasm === null) handle(data, i, nl, pos + i);
          else {
            // `data` starts at the scanner's offset 0, so line offsets are scanner offsets.
            const verdict = wasm.scanLine(i, nl);
            if (verdict === Verdict.USAGE) onLine({ kind: "usage", entry: wasm.entry(ctx) }, pos + i);
            else if (verdict === Verdict.REPEAT) onLine(REPEATED, pos + i);
            else handle(data, i, nl, pos + i);
          }
        } else if (lineLen > 0 && !(lineLen === 1 && data[i] === CR) && !looksWhole(data, i, nl)) {
          bad("torn line or not a JSON object");
        }
        if (nextUsage >= 0 && nextUsage < nl) nextUsage = findUsage(nl + 1);
        i = nl + 1;
      }
      if (i < n) {
        partStart = pos + i;
        if (n - i > lineCap) {
          skipping = true;
          long(lineNo + 1);
        } else {
          parts = [Buffer.from(data.subarray(i))];
          partsLen = n - i;
        }
      }
      pos += n;
    }
    result.line = lineNo;
    if (skipping) {
      // Inside an over-long line at EOF: remember to skip the rest of it, never re-read it.
      result.offset = pos;
      result.skipping = true;
    } else {
      result.offset = partsLen > 0 ? partStart : pos;
      result.skipping = false;
      if (partsLen > 0) {
        // A last line without its newline is usually still being written. Count it when it is
        // already whole (a file may simply end without a newline) but read it again next time:
        // the dedup keys make the second reading a no-op.
        const tail = Buffer.concat(parts, partsLen);
        if (looksWhole(tail, 0, tail.length) && tail.includes(USAGE)) {
          const parsed = parseLineBytes(tail, 0, tail.length, partStart, ctx);
          if (parsed.kind !== "invalid") onLine(parsed, partStart);
        }
      }
    }
  } catch (err) {
    result.error = (err as NodeJS.ErrnoException).code ?? String(err);
  } finally {
    closeSync(fd);
  }
  return result;
}

export const HEAD_BYTES = 64;

/**
 * Up to the first `n` bytes of a file as hex, to notice a file rewritten in place (same or
 * larger size, other content). Compare with the same `n` as stored: a young file's head grows.
 */
export function headSignature(path: string, n = HEAD_BYTES): string | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got).toString("hex");
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
