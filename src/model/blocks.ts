// 5-hour blocks in ccusage's sense (SPEC 2.7, 3.2.7). Pure. A block starts at its first call
// floored to the hour and lasts 5 h; a call past the block's end, or more than 5 h after the
// previous call, starts the next block. Works on points that are single calls or the
// ledger's 15-minute buckets (both carry first/last call time): block bounds fall on whole
// hours, so a bucket is always wholly inside or outside a block.
import type { Meter } from "./meter.js";
import { addTokens, totalTokens, type TokenCounts, ZERO_TOKENS } from "./usage-entry.js";

export const BLOCK_MS = 5 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

export type BlockPoint = {
  minTs: number;
  maxTs: number;
  model: string;
  calls: number;
  tokens: TokenCounts;
  cost: number;
  unpriced: boolean;
};

export type BurnRate = { tokensPerMinute: number; costPerHour: number };

export type Block = {
  /** Block start (whole hour), Unix ms. */
  start: number;
  /** start + 5 h. */
  end: number;
  firstActivity: number;
  lastActivity: number;
  isActive: boolean;
  calls: number;
  tokens: TokenCounts;
  totalTokens: number;
  cost: number;
  /** Some calls had no price: `cost` is a lower bound. */
  unpriced: boolean;
  models: string[];
  /** Over the block's active span; null when it spans no time (one call). */
  burnRate: BurnRate | null;
  /** Active block only: totals at the current burn rate by the block's end. */
  projection: { totalTokens: number; cost: number } | null;
};

export function identifyBlocks(points: readonly BlockPoint[], now: number, durationMs = BLOCK_MS): Block[] {
  const sorted = [...points].sort((a, b) => a.minTs - b.minTs);
  const blocks: Block[] = [];
  let cur: Block | null = null;
  const models = new Set<string>();
  const close = (): void => {
    if (!cur) return;
    cur.models = [...models].sort();
    finish(cur, now, durationMs);
    blocks.push(cur);
    models.clear();
  };
  for (const p of sorted) {
    if (cur && (p.minTs - cur.start > durationMs || p.minTs - cur.lastActivity > durationMs)) {
      close();
      cur = null;
    }
    if (!cur) {
      const start = Math.floor(p.minTs / HOUR_MS) * HOUR_MS;
      cur = {
        start,
        end: start + durationMs,
        firstActivity: p.minTs,
        lastActivity: p.maxTs,
        isActive: false,
        calls: 0,
        tokens: { ...ZERO_TOKENS },
        totalTokens: 0,
        cost: 0,
        unpriced: false,
        models: [],
        burnRate: null,
        projection: null,
      };
    }
    cur.calls += p.calls;
    cur.tokens = addTokens(cur.tokens, p.tokens);
    cur.cost += p.cost;
    cur.unpriced ||= p.unpriced;
    if (p.maxTs > cur.lastActivity) cur.lastActivity = p.maxTs;
    models.add(p.model);
  }
  close();
  return blocks;
}

function finish(b: Block, now: number, durationMs: number): void {
  b.totalTokens = totalTokens(b.tokens);
  b.isActive = now >= b.start && now < b.end && now - b.lastActivity < durationMs;
  const minutes = (b.lastActivity - b.firstActivity) / 60_000;
  b.burnRate = minutes > 0 ? { tokensPerMinute: b.totalTokens / minutes, costPerHour: (b.cost / minutes) * 60 } : null;
  if (b.isActive && b.burnRate) {
    const left = Math.max(0, (b.end - now) / 60_000);
    b.projection = {
      totalTokens: Math.round(b.totalTokens + b.burnRate.tokensPerMinute * left),
      cost: b.cost + (b.burnRate.costPerHour / 60) * left,
    };
  }
}

export function activeBlock(blocks: readonly Block[]): Block | null {
  const last = blocks[blocks.length - 1];
  return last?.isActive ? last : null;
}

/** Nearest-rank P90 of the finished blocks' totals; null with fewer than `minBlocks` of them. */
export function p90BlockTokens(blocks: readonly Block[], minBlocks = 5): number | null {
  const totals = blocks.filter((b) => !b.isActive && b.totalTokens > 0).map((b) => b.totalTokens).sort((a, b) => a - b);
  if (totals.length < minBlocks) return null;
  return totals[Math.ceil(0.9 * totals.length) - 1] ?? null;
}

/**
 * The estimated `five_hour` meter: the active block's tokens against a configured limit or,
 * without one, the P90 of past blocks (a heavy block of one's own is the best guess at where
 * the provider's cap lies). Totals count cache reads, as ccusage's `--token-limit` does.
 * Null when there is no limit to measure against.
 */
export function fiveHourEstimate(blocks: readonly Block[], now: Date, configuredLimit: number | null | undefined): Meter | null {
  const limit = configuredLimit ?? p90BlockTokens(blocks);
  if (limit === null || limit <= 0) return null;
  const active = activeBlock(blocks);
  const used = active?.totalTokens ?? 0;
  return {
    kind: "five_hour",
    label: "5h session",
    utilisation: (used / limit) * 100,
    resetsAt: active ? new Date(active.end) : null,
    windowSeconds: BLOCK_MS / 1000,
    used,
    limit,
    unit: "tokens",
    source: "transcripts",
    observedAt: now,
    estimated: true,
  };
}
