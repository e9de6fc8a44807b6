// The deduplicated, aggregated usage that every transcript view reads (SPEC 3.2.7). Pure.
//
// Two tiers, so memory stays bounded while the dedup rule stays exact where it matters:
// - `recent`: full entries by dedup key for calls newer than a horizon (48 h by default).
//   Streamed copies of one call arrive within seconds, and the copy with the largest
//   output_tokens must win (early copies carry a placeholder), so recent keys keep their
//   tokens and a larger copy replaces a smaller one in the aggregates.
// - `retired`: only a 53-bit hash of each older key. A later copy of an old call (a resumed
//   or forked session copies rows into a new file) is then skipped outright. It carries the
//   same usage as the copy already counted, so nothing is lost. What is given up: a copy with a
//   LARGER output of a call older than the horizon would not replace it (not seen in practice),
//   and two different keys whose hashes collide would count once (odds ~ n^2 / 2^54: about 1e-4
//   for a million calls).
// Aggregates live in 15-minute buckets per (model, session) with the first and last call time:
// every time zone offset in use is a multiple of 15 minutes, and 5-hour blocks start on whole
// hours, so days, months and blocks computed from buckets are exact.
import { ZERO_TOKENS, type TokenCounts, type UsageEntry } from "./usage-entry.js";

export const BUCKET_MS = 15 * 60 * 1000;
export const DEFAULT_HORIZON_MS = 48 * 3600 * 1000;
/** Buckets apply() tries before the map: a session switching between a few models stays in them. */
const LAST_BUCKETS = 4;

export type Bucket = {
  /** Start of the 15-minute bucket, Unix ms (UTC). */
  start: number;
  model: string;
  sessionId: string;
  project: string;
  /** First and last call time inside the bucket. */
  minTs: number;
  maxTs: number;
  calls: number;
  tokens: TokenCounts;
  /** Sum of recorded `costUSD` and the tokens of the calls that carried one (priced from it, not from the table). */
  reportedCost: number;
  reportedTokens: TokenCounts;
  sidechainCalls: number;
};

export interface RetiredKeys {
  /** True when nothing was ever retired: a cold read then skips hashing every key. */
  readonly empty: boolean;
  has(hash: number): boolean;
  add(hash: number): void;
}

/** 53-bit hash of a dedup key: two 32-bit FNV-1a variants, combined into a safe integer. */
export function keyHash(key: string): number {
  let a = 0x811c9dc5;
  let b = 0x9e3779b1;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

function bucketId(start: number, model: string, sessionId: string): string {
  return `${start}\u0000${model}\u0000${sessionId}`;
}

function accumulate(into: TokenCounts, t: TokenCounts, sign: 1 | -1): void {
  into.input += sign * t.input;
  into.output += sign * t.output;
  into.cacheWrite5m += sign * t.cacheWrite5m;
  into.cacheWrite1h += sign * t.cacheWrite1h;
  into.cacheRead += sign * t.cacheRead;
}

const zero = (): TokenCounts => ({ input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 });

export type LedgerState = {
  buckets: Bucket[];
  recent: UsageEntry[];
};

/** What one run changed, for an index that stores changes instead of rewriting everything. */
export type LedgerChanges = {
  /** Buckets added or changed; one with `calls <= 0` was removed. */
  buckets: Bucket[];
  /** Recent entries added or replaced (and still recent). */
  recent: UsageEntry[];
  /** Keys that left the recent tier. */
  recentGone: string[];
};

export class UsageLedger {
  /** Built on the first call that needs a lookup: a warm run that adds nothing never pays for it. */
  private map: Map<string, Bucket> | null = null;
  private readonly initial: readonly Bucket[];
  private recent = new Map<string, UsageEntry>();
  /** The buckets touched last, newest first (see apply). */
  private readonly lastBuckets: Bucket[] = [];
  private readonly touched = new Set<Bucket>();
  private readonly recentChanged = new Set<string>();
  private readonly recentGone = new Set<string>();
  /** Keys of the recent tier as loaded: only their removal is a change worth storing. */
  private readonly initialRecent = new Set<string>();
  /** Counters for tests and --debug: how often the dedup rule fired. */
  readonly stats = { added: 0, replaced: 0, duplicates: 0 };

  /**
   * `trackChanges`: remember what add() and retire() change, for changes(). Off, a cold read of
   * everything skips that bookkeeping (its result is stored whole anyway).
   */
  constructor(
    private readonly retired: RetiredKeys,
    state?: LedgerState,
    private readonly trackChanges = true,
  ) {
    this.initial = state?.buckets ?? [];
    for (const e of state?.recent ?? []) {
      if (e.key === null) continue;
      this.recent.set(e.key, e);
      this.initialRecent.add(e.key);
    }
  }

  private get bucketMap(): Map<string, Bucket> {
    if (this.map === null) {
      this.map = new Map();
      for (const b of this.initial) this.map.set(bucketId(b.start, b.model, b.sessionId), b);
    }
    return this.map;
  }

  /**
   * Adds one call. `fallbackKey` stands in for a missing message.id (`<path>:<offset>`): such
   * rows are never duplicates of one another, yet re-reading the same bytes of the same file
   * (a rewritten file, a re-read tail) must not count them twice.
   */
  add(entry: UsageEntry, fallbackKey: string): void {
    const key = entry.key ?? fallbackKey;
    const prev = this.recent.get(key);
    if (prev) {
      if (prev.tokens.output >= entry.tokens.output) {
        this.stats.duplicates++;
        return;
      }
      this.apply(prev, -1);
      this.stats.replaced++;
    } else if (!this.retired.empty && this.retired.has(keyHash(key))) {
      this.stats.duplicates++;
      return;
    } else {
      this.stats.added++;
    }
    const stored = entry.key === key ? entry : { ...entry, key };
    this.recent.set(key, stored);
    if (this.trackChanges) {
      this.recentChanged.add(key);
      this.recentGone.delete(key);
    }
    this.apply(stored, 1);
  }

  /**
   * A streamed copy of the call added just before, recognised by the scanner without parsing
   * (readers/wasm/usage-scan.c): its key was added with at least its output, so it is a duplicate.
   */
  repeat(): void {
    this.stats.duplicates++;
  }

  /**
   * Moves calls older than `beforeMs` from the keyed tier to the hash tier. The survivors go to a
   * new map rather than the rest being deleted one by one: a cold read retires nearly everything
   * (tens of thousands of deletes were most of this step).
   */
  retire(beforeMs: number): void {
    const kept = new Map<string, UsageEntry>();
    for (const [key, e] of this.recent) {
      if (e.timestamp >= beforeMs) {
        kept.set(key, e);
        continue;
      }
      this.retired.add(keyHash(key));
      if (this.trackChanges) {
        this.recentChanged.delete(key);
        if (this.initialRecent.has(key)) this.recentGone.add(key);
      }
    }
    if (kept.size !== this.recent.size) this.recent = kept;
  }

  buckets(): Bucket[] {
    return this.map === null ? [...this.initial] : [...this.map.values()];
  }

  recentEntries(): UsageEntry[] {
    return [...this.recent.values()];
  }

  toState(): LedgerState {
    return { buckets: this.buckets(), recent: this.recentEntries() };
  }

  /** Everything add() and retire() changed since the ledger was built (empty without trackChanges). */
  changes(): LedgerChanges {
    return {
      buckets: [...this.touched],
      recent: [...this.recentChanged].map((k) => this.recent.get(k)!),
      recentGone: [...this.recentGone],
    };
  }

  private apply(e: UsageEntry, sign: 1 | -1): void {
    const start = Math.floor(e.timestamp / BUCKET_MS) * BUCKET_MS;
    // Consecutive calls of a session land in a few buckets (one per model in use): try the last
    // few before building a map key (a string per call was a visible part of a cold read).
    let b: Bucket | null = null;
    const mru = this.lastBuckets;
    for (let i = 0; i < mru.length; i++) {
      const c = mru[i]!;
      if (c.start === start && c.model === e.model && c.sessionId === e.sessionId) {
        b = c;
        if (i > 0) {
          mru.splice(i, 1);
          mru.unshift(c);
        }
        break;
      }
    }
    if (b === null) {
      b = this.bucketMap.get(bucketId(start, e.model, e.sessionId)) ?? null;
      if (b !== null) this.remember(b);
    }
    if (!b) {
      if (sign < 0) return;
      b = {
        start,
        model: e.model,
        sessionId: e.sessionId,
        project: e.project,
        minTs: e.timestamp,
        maxTs: e.timestamp,
        calls: 0,
        tokens: zero(),
        reportedCost: 0,
        // Most buckets never see a recorded cost: share the frozen zeros until one does (below).
        reportedTokens: ZERO_TOKENS,
        sidechainCalls: 0,
      };
      this.bucketMap.set(bucketId(start, e.model, e.sessionId), b);
      this.remember(b);
    }
    if (this.trackChanges) this.touched.add(b);
    b.calls += sign;
    if (e.isSidechain) b.sidechainCalls += sign;
    accumulate(b.tokens, e.tokens, sign);
    if (e.costUSD !== null) {
      b.reportedCost += sign * e.costUSD;
      // A bucket may share the frozen ZERO_TOKENS (new ones, and the index's for buckets without
      // recorded costs, most of them): give it its own counts before the first one.
      if (Object.isFrozen(b.reportedTokens)) b.reportedTokens = zero();
      accumulate(b.reportedTokens, e.tokens, sign);
    }
    if (sign > 0) {
      if (e.timestamp < b.minTs) b.minTs = e.timestamp;
      if (e.timestamp > b.maxTs) b.maxTs = e.timestamp;
    } else if (b.calls === 0) {
      // A replaced copy was the bucket's only call; its replacement may sit in another bucket.
      // minTs/maxTs of a bucket that keeps other calls may then be off by the seconds between
      // streamed copies, which no view can see.
      this.bucketMap.delete(bucketId(start, e.model, e.sessionId));
      const at = this.lastBuckets.indexOf(b);
      if (at >= 0) this.lastBuckets.splice(at, 1);
    }
  }

  private remember(b: Bucket): void {
    this.lastBuckets.unshift(b);
    if (this.lastBuckets.length > LAST_BUCKETS) this.lastBuckets.pop();
  }
}
