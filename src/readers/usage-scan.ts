// The WebAssembly line scanner (wasm/usage-scan.c) from TypeScript: the buffer files are read
// into, one call per usage line, and the entry built from what the scanner kept. The scanner
// answers for the plain common case; on FALLBACK the caller parses the line in JavaScript as
// before (parse-transcript-line.ts), so the two paths always give the same entries.
import type { UsageEntry } from "../model/usage-entry.js";
import { dedupKey, splitCacheWrites, type LineContext } from "./parse-transcript-line.js";
import { USAGE_SCAN_WASM_BASE64 } from "./wasm/usage-scan-wasm.js";

/** What the scanner says of a line: parse it in JavaScript, a usage entry, or a streamed copy of the one before. */
export const Verdict = { FALLBACK: 0, USAGE: 1, REPEAT: 2 } as const;
export type ScanVerdict = (typeof Verdict)[keyof typeof Verdict];

type Exports = {
  memory: { buffer: ArrayBuffer };
  in_ptr(): number;
  in_cap(): number;
  num_ptr(): number;
  span_ptr(): number;
  scan_line(start: number, end: number): number;
  forget(): void;
  find_newline(from: number, to: number): number;
  find_usage(from: number, to: number): number;
  key_ptr(): number;
  key_cap(): number;
};

// Slots of the scanner's outputs (see usage-scan.c).
const N_TS = 0, N_INPUT = 1, N_OUTPUT = 2, N_CACHE_READ = 3, N_FLAT = 4, N_E5 = 5, N_E1 = 6, N_COST = 7;
const S_MODEL = 0, S_SESSION = 2, S_ID = 4, S_REQ = 6, S_CWD = 8, F_SIDECHAIN = 10, F_NESTED = 11, F_SAME_MODEL = 12, F_SAME_SESSION = 13, F_SAME_CWD = 14, S_KEY_LEN = 15;

export class UsageScanner {
  /** Files are read into this buffer (a view of the scanner's memory); scanLine takes offsets into it. */
  readonly buffer: Buffer;
  private readonly x: Exports;
  /** The dedup key as the scanner joined it (ASCII keys; see S_KEY_LEN). */
  private readonly key: Buffer;
  private readonly nums: Float64Array;
  private readonly spans: Int32Array;
  // The strings of the last USAGE line: the scanner says when the next line repeats them.
  private model = "unknown";
  private session: string | null = null;
  private cwd: string | null = null;

  constructor(x: Exports) {
    this.x = x;
    // The memory never grows (the scanner allocates nothing), so these views stay valid.
    this.buffer = Buffer.from(x.memory.buffer, x.in_ptr(), x.in_cap());
    this.key = Buffer.from(x.memory.buffer, x.key_ptr(), x.key_cap());
    this.nums = new Float64Array(x.memory.buffer, x.num_ptr(), 8);
    this.spans = new Int32Array(x.memory.buffer, x.span_ptr(), 16);
  }

  /** A new file: nothing before it to repeat. */
  forget(): void {
    this.x.forget();
  }

  /** Scans buffer[start, end), one whole line. */
  scanLine(start: number, end: number): ScanVerdict {
    return this.x.scan_line(start, end) as ScanVerdict;
  }

  /** The first newline in buffer[from, to), or -1 (Buffer.indexOf without a call into Node's C++). */
  findNewline(from: number, to: number): number {
    return this.x.find_newline(from, to);
  }

  /** The first `"usage"` in buffer[from, to), or -1. */
  findUsage(from: number, to: number): number {
    return this.x.find_usage(from, to);
  }

  private text(at: number): string | null {
    const s = this.spans[at]!;
    return s < 0 ? null : this.buffer.toString("utf8", s, this.spans[at + 1]);
  }

  /** The entry of the line scanLine just called USAGE, as parseTranscriptLine builds it. */
  entry(ctx: LineContext): UsageEntry {
    const n = this.nums;
    const sp = this.spans;
    if (!sp[F_SAME_MODEL]) this.model = this.text(S_MODEL) ?? "unknown";
    if (!sp[F_SAME_SESSION]) this.session = this.text(S_SESSION);
    if (!sp[F_SAME_CWD]) this.cwd = this.text(S_CWD);
    // An ASCII key comes joined, one flat string; any other is built from its parts as the
    // JavaScript parser builds it.
    const keyLen = sp[S_KEY_LEN]!;
    let key: string | null;
    if (keyLen >= 0) key = this.key.toString("latin1", 0, keyLen);
    else {
      const id = this.text(S_ID);
      const requestId = id === null ? null : this.text(S_REQ);
      key = dedupKey(id, requestId);
    }
    const { w5, w1 } = splitCacheWrites(n[N_FLAT]!, sp[F_NESTED] ? { e5: n[N_E5]!, e1: n[N_E1]! } : null);
    const cost = n[N_COST]!;
    return {
      key,
      timestamp: n[N_TS]!,
      model: this.model,
      sessionId: this.session ?? ctx.fileSession,
      project: ctx.project,
      cwd: this.cwd,
      isSidechain: sp[F_SIDECHAIN] === 1,
      costUSD: cost < 0 ? null : cost,
      tokens: { input: n[N_INPUT]!, output: n[N_OUTPUT]!, cacheWrite5m: w5, cacheWrite1h: w1, cacheRead: n[N_CACHE_READ]! },
    };
  }
}

// The part of the WebAssembly API used here (@types/node 20 does not declare it).
type Wasm = {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

let scanner: UsageScanner | null | undefined;

/**
 * The process's one scanner (scans are synchronous, so one buffer serves every file), or null
 * where WebAssembly is unavailable (node --jitless): the JavaScript parser then reads everything.
 */
export function usageScanner(): UsageScanner | null {
  if (scanner === undefined) {
    try {
      const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;
      const module = new wasm.Module(Buffer.from(USAGE_SCAN_WASM_BASE64, "base64"));
      scanner = new UsageScanner(new wasm.Instance(module).exports as Exports);
    } catch {
      scanner = null;
    }
  }
  return scanner;
}
