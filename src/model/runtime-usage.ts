// The runtime usage model (SPEC 7.3), after seed `runtime_usage.py`: a rolling 5-hour window
// over transcript calls, current totals against optional limits, burn rate over the last
// hour, a time-to-limit prediction, per-model rows and the costliest sessions. Pure. JSON
// field names are the seed's snake_case, served as-is on `/runtime-usage`.
import { costForModel, normaliseModel, providerOf, type PriceTable } from "./cost.js";
import { cacheWriteTokens, totalTokens, type UsageEntry } from "./usage-entry.js";
import { compareText } from "./compare-text.js";

export const RUNTIME_WINDOW_MS = 5 * 3600 * 1000;
export const BURN_WINDOW_MS = 60 * 60 * 1000;

export type RuntimeLimits = { tokens?: number | null; cost_usd?: number | null };

export type RuntimeModelUsage = {
  provider: string;
  account_key: string;
  model: string;
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  total: number;
  cost: number;
  calls: number;
  unpriced: boolean;
};

export type RuntimeSession = { session_id: string; project: string; cost: number; tokens: number; calls: number; last_activity: string };

export type RuntimeUsageResponse = {
  generated_at: string;
  window: { duration_ms: number; started_at: string | null; resets_at: string | null; reset_in_ms: number | null };
  current: {
    cost: number;
    tokens: number;
    calls: number;
    token_limit: number | null;
    cost_limit: number | null;
    token_percent: number | null;
    cost_percent: number | null;
    unpriced_models: string[];
  };
  burn_rate: { window_ms: number; tokens_per_minute: number; cost_per_minute: number };
  predictions: { time_to_limit_ms: number | null; limit_kind: "tokens" | "cost" | null; safe: boolean };
  per_model: Record<string, RuntimeModelUsage>;
  top_sessions: RuntimeSession[];
};

export type RuntimeUsageInput = {
  entries: readonly UsageEntry[];
  prices: PriceTable;
  now: Date;
  limits?: RuntimeLimits;
  /** Which account the calls belong to (the active slot); transcripts themselves do not say. */
  accountKey?: string;
  topSessions?: number;
};

export function runtimeUsage(input: RuntimeUsageInput): RuntimeUsageResponse {
  const now = input.now.getTime();
  const account = input.accountKey ?? "default";
  const inWindow = input.entries.filter((e) => e.timestamp > now - RUNTIME_WINDOW_MS && e.timestamp <= now);
  let cost = 0;
  let tokens = 0;
  let oldest: number | null = null;
  let burnTokens = 0;
  let burnCost = 0;
  const unpriced = new Set<string>();
  const perModel: Record<string, RuntimeModelUsage> = {};
  const sessions = new Map<string, RuntimeSession & { last: number }>();
  for (const e of inWindow) {
    const c = costForModel(e.model, e.tokens, input.prices);
    const callCost = e.costUSD ?? c.cost;
    const t = totalTokens(e.tokens);
    cost += callCost;
    tokens += t;
    if (c.unpriced && e.costUSD === null) unpriced.add(e.model);
    if (oldest === null || e.timestamp < oldest) oldest = e.timestamp;
    if (e.timestamp > now - BURN_WINDOW_MS) {
      burnTokens += t;
      burnCost += callCost;
    }
    const provider = providerOf(e.model);
    const model = normaliseModel(e.model);
    const key = `${provider}/${model}`;
    const row = (perModel[key] ??= { provider, account_key: account, model, input: 0, output: 0, cache_read: 0, cache_write: 0, total: 0, cost: 0, calls: 0, unpriced: false });
    row.input += e.tokens.input;
    row.output += e.tokens.output;
    row.cache_read += e.tokens.cacheRead;
    row.cache_write += cacheWriteTokens(e.tokens);
    row.total += t;
    row.cost += callCost;
    row.calls++;
    row.unpriced ||= c.unpriced && e.costUSD === null;
    let s = sessions.get(e.sessionId);
    if (!s) {
      s = { session_id: e.sessionId, project: e.project, cost: 0, tokens: 0, calls: 0, last_activity: "", last: 0 };
      sessions.set(e.sessionId, s);
    }
    s.cost += callCost;
    s.tokens += t;
    s.calls++;
    s.last = Math.max(s.last, e.timestamp);
  }
  const tokenLimit = positive(input.limits?.tokens);
  const costLimit = positive(input.limits?.cost_usd);
  const tokensPerMinute = burnTokens / 60;
  const costPerMinute = burnCost / 60;
  const resetsAt = oldest === null ? null : oldest + RUNTIME_WINDOW_MS;

  // Time to the nearer limit at the last hour's pace; null without a limit or a pace.
  let ttl: number | null = null;
  let kind: "tokens" | "cost" | null = null;
  const consider = (limit: number | null, used: number, perMinute: number, k: "tokens" | "cost"): void => {
    if (limit === null) return;
    const ms = used >= limit ? 0 : perMinute > 0 ? ((limit - used) / perMinute) * 60_000 : null;
    if (ms !== null && (ttl === null || ms < ttl)) {
      ttl = ms;
      kind = k;
    }
  };
  consider(tokenLimit, tokens, tokensPerMinute, "tokens");
  consider(costLimit, cost, costPerMinute, "cost");
  const resetIn = resetsAt === null ? null : Math.max(0, resetsAt - now);
  // Safe: no limit will be reached before the window's oldest calls age out.
  const safe = ttl === null || (ttl > 0 && resetIn !== null && ttl >= resetIn);

  return {
    generated_at: input.now.toISOString(),
    window: {
      duration_ms: RUNTIME_WINDOW_MS,
      started_at: oldest === null ? null : new Date(oldest).toISOString(),
      resets_at: resetsAt === null ? null : new Date(resetsAt).toISOString(),
      reset_in_ms: resetIn,
    },
    current: {
      cost,
      tokens,
      calls: inWindow.length,
      token_limit: tokenLimit,
      cost_limit: costLimit,
      token_percent: tokenLimit === null ? null : (tokens / tokenLimit) * 100,
      cost_percent: costLimit === null ? null : (cost / costLimit) * 100,
      unpriced_models: [...unpriced].sort(),
    },
    burn_rate: { window_ms: BURN_WINDOW_MS, tokens_per_minute: tokensPerMinute, cost_per_minute: costPerMinute },
    predictions: { time_to_limit_ms: ttl, limit_kind: kind, safe },
    per_model: perModel,
    top_sessions: [...sessions.values()]
      .sort((a, b) => b.cost - a.cost || b.tokens - a.tokens || compareText(a.session_id, b.session_id))
      .slice(0, input.topSessions ?? 5)
      .map(({ last, ...s }) => ({ ...s, last_activity: new Date(last).toISOString() })),
  };
}

function positive(v: number | null | undefined): number | null {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : null;
}
