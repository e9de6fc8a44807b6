// Types shared by the transcripts reader, its index and the cost/blocks/runtime models.
// Plain types: the JSON that crosses a boundary (transcript lines, the index file) is
// checked where it is read (parse-transcript-line.ts, transcript-index.ts).

/** Token counts of one API call (or a sum of calls). Cache writes are split by TTL because they are priced differently. */
export type TokenCounts = {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
};

export const ZERO_TOKENS: Readonly<TokenCounts> = Object.freeze({
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
});

/** ccusage's "cacheCreationTokens": both TTLs together. */
export function cacheWriteTokens(t: TokenCounts): number {
  return t.cacheWrite5m + t.cacheWrite1h;
}

/** ccusage's "totalTokens": every token kind, cache reads included. */
export function totalTokens(t: TokenCounts): number {
  return t.input + t.output + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite5m: a.cacheWrite5m + b.cacheWrite5m,
    cacheWrite1h: a.cacheWrite1h + b.cacheWrite1h,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

/** One deduplicated assistant API call taken from a transcript line. */
export type UsageEntry = {
  /** Dedup key (`message.id:requestId`, or `message.id`); null when the line has no message.id. */
  key: string | null;
  /** Unix ms. */
  timestamp: number;
  /** Raw model id as written (`claude-sonnet-4-5-20250929`); normalised only for pricing. */
  model: string;
  sessionId: string;
  /** Project dir name under projects/ (`-home-user-project`). */
  project: string;
  cwd: string | null;
  isSidechain: boolean;
  /** `costUSD` as recorded by early-2025 Claude Code; null when absent. */
  costUSD: number | null;
  tokens: TokenCounts;
};

/** A `<synthetic>` limit notice ("You've hit your session limit · resets 2pm (Europe/Helsinki)"). */
export type LimitEvent = {
  timestamp: number;
  text: string;
  sessionId: string;
  project: string;
};
