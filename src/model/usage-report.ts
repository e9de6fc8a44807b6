// Report tables from the ledger's buckets (SPEC 6.1 `report`): daily, monthly, sessions,
// models, and blocks points. Pure. `daily` is ccusage-compatible JSON so existing ccusage
// consumers can switch.
import type { Bucket } from "./usage-ledger.js";
import { BUCKET_MS } from "./usage-ledger.js";
import type { BlockPoint } from "./blocks.js";
import { costForModel, normaliseModel, providerOf, resolvePrice, type PriceTable } from "./cost.js";
import { tierFor, type CostTierDefinition } from "./tiers.js";
import { cacheWriteTokens, totalTokens, type TokenCounts } from "./usage-entry.js";
import { compareText } from "./compare-text.js";
import { isUtcName, LOCAL_ZONE } from "./zone-names.js";

/** `…, GMT+05:30` (or `GMT` alone at offset 0) -> ms east of UTC; null for anything else. */
function gmtOffset(text: string): number | null {
  const m = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  if (m[1] === undefined) return 0;
  const ms = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000;
  return m[1] === "-" ? -ms : ms;
}

/** (ts) -> the zone's UTC offset in ms at ts, looked up once per 15 minutes (every zone's offset is a multiple of that). */
export function offsetIn(timeZone: string): (ts: number) => number {
  if (isUtcName(timeZone)) return () => 0;
  if (timeZone === LOCAL_ZONE) return perSlot((at) => -new Date(at).getTimezoneOffset() * 60_000);
  // One `longOffset` name per lookup is several times cheaper than formatToParts; the parts
  // are the fallback should an ICU version spell the name some other way.
  const named = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
  return perSlot((at) => gmtOffset(named.format(at)) ?? offsetFromParts(timeZone, at));
}

/** `offsetAt` asked once per 15-minute slot, at its start. */
function perSlot(offsetAt: (at: number) => number): (ts: number) => number {
  const offsets = new Map<number, number>();
  return (ts) => {
    const slot = Math.floor(ts / BUCKET_MS);
    let off = offsets.get(slot);
    if (off === undefined) {
      off = offsetAt(slot * BUCKET_MS);
      offsets.set(slot, off);
    }
    return off;
  };
}

function offsetFromParts(timeZone: string, at: number): number {
  const fmt = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(at))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - at;
}

const DAY_MS = 86_400_000;

/** (ts) -> "YYYY-MM-DD" in `timeZone`. */
export function dayKeyIn(timeZone: string): (ts: number) => string {
  const offset = offsetIn(timeZone);
  const keys = new Map<number, string>();
  return (ts) => {
    const day = Math.floor((ts + offset(ts)) / DAY_MS);
    let key = keys.get(day);
    if (key === undefined) {
      key = new Date(day * DAY_MS).toISOString().slice(0, 10);
      keys.set(day, key);
    }
    return key;
  };
}

/** The first instant after `now` at which the local day (or month) changes in `timeZone`. */
export function nextLocalBoundary(now: number, timeZone: string, unit: "day" | "month"): number {
  const offset = offsetIn(timeZone);
  const keyOf = (ts: number): string => new Date(ts + offset(ts)).toISOString().slice(0, unit === "day" ? 10 : 7);
  const local = new Date(now + offset(now));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const wall = unit === "day" ? Date.UTC(y, m, local.getUTCDate() + 1) : Date.UTC(y, m + 1, 1);
  // Guess with today's offset, then step by 15 minutes across a DST change on the way.
  const current = keyOf(now);
  let t = wall - offset(now);
  while (keyOf(t) === current) t += BUCKET_MS;
  while (keyOf(t - BUCKET_MS) !== current && t - BUCKET_MS > now) t -= BUCKET_MS;
  return t;
}

/** `20260105` or `2026-01-05` -> `2026-01-05`; null when neither. */
export function parseReportDate(text: string): string | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

function minus(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    input: a.input - b.input,
    output: a.output - b.output,
    cacheWrite5m: a.cacheWrite5m - b.cacheWrite5m,
    cacheWrite1h: a.cacheWrite1h - b.cacheWrite1h,
    cacheRead: a.cacheRead - b.cacheRead,
  };
}

/** Recorded `costUSD` where calls carried one (as ccusage's default "auto" mode), the price table for the rest. */
export function bucketCost(b: Bucket, prices: PriceTable): { cost: number; unpriced: boolean } {
  const rest = b.reportedCost > 0 || b.reportedTokens.input > 0 || b.reportedTokens.output > 0 ? minus(b.tokens, b.reportedTokens) : b.tokens;
  const priced = costForModel(b.model, rest, prices);
  const restCalls = totalTokens(rest) > 0;
  return { cost: b.reportedCost + priced.cost, unpriced: priced.unpriced && restCalls };
}

type Totals = {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
};

export type ModelBreakdown = {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  cost: number;
};

export type DailyRow = Totals & { date: string; modelsUsed: string[]; modelBreakdowns: ModelBreakdown[]; unpricedModels: string[] };
export type MonthlyRow = Totals & { month: string; modelsUsed: string[]; modelBreakdowns: ModelBreakdown[]; unpricedModels: string[] };

export type ReportOptions = {
  prices: PriceTable;
  timeZone: string;
  /** Inclusive `YYYY-MM-DD` bounds on the local day. */
  since?: string | null;
  until?: string | null;
};

function zeroTotals(): Totals {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0, totalCost: 0 };
}

function addInto(t: Totals, tokens: TokenCounts, cost: number): void {
  t.inputTokens += tokens.input;
  t.outputTokens += tokens.output;
  t.cacheCreationTokens += cacheWriteTokens(tokens);
  t.cacheReadTokens += tokens.cacheRead;
  t.totalTokens += totalTokens(tokens);
  t.totalCost += cost;
}

/** Buckets inside the date bounds, with their local day and cost. */
function dated(buckets: readonly Bucket[], o: ReportOptions): { b: Bucket; day: string; cost: number; unpriced: boolean }[] {
  const dayOf = dayKeyIn(o.timeZone);
  const out = [];
  for (const b of buckets) {
    if (b.calls <= 0) continue;
    const day = dayOf(b.minTs);
    if ((o.since && day < o.since) || (o.until && day > o.until)) continue;
    out.push({ b, day, ...bucketCost(b, o.prices) });
  }
  return out;
}

function grouped(rows: ReturnType<typeof dated>, keyOf: (r: ReturnType<typeof dated>[number]) => string) {
  const groups = new Map<string, { totals: Totals; models: Map<string, ModelBreakdown>; unpriced: Set<string> }>();
  for (const r of rows) {
    const k = keyOf(r);
    let g = groups.get(k);
    if (!g) {
      g = { totals: zeroTotals(), models: new Map(), unpriced: new Set() };
      groups.set(k, g);
    }
    addInto(g.totals, r.b.tokens, r.cost);
    if (r.unpriced) g.unpriced.add(r.b.model);
    let m = g.models.get(r.b.model);
    if (!m) {
      m = { modelName: r.b.model, inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, cost: 0 };
      g.models.set(r.b.model, m);
    }
    m.inputTokens += r.b.tokens.input;
    m.outputTokens += r.b.tokens.output;
    m.cacheCreationTokens += cacheWriteTokens(r.b.tokens);
    m.cacheReadTokens += r.b.tokens.cacheRead;
    m.cost += r.cost;
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, g]) => ({
      key,
      totals: g.totals,
      modelsUsed: [...g.models.keys()].sort(),
      modelBreakdowns: [...g.models.values()].sort((a, b) => b.cost - a.cost || compareText(a.modelName, b.modelName)),
      unpricedModels: [...g.unpriced].sort(),
    }));
}

function addTotals(into: Totals, r: Totals): void {
  into.inputTokens += r.inputTokens;
  into.outputTokens += r.outputTokens;
  into.cacheCreationTokens += r.cacheCreationTokens;
  into.cacheReadTokens += r.cacheReadTokens;
  into.totalTokens += r.totalTokens;
  into.totalCost += r.totalCost;
}

function sumTotals(rows: readonly Totals[]): Totals {
  const t = zeroTotals();
  for (const r of rows) addTotals(t, r);
  return t;
}

export function dailyReport(buckets: readonly Bucket[], o: ReportOptions): { daily: DailyRow[]; totals: Totals } {
  const daily = grouped(dated(buckets, o), (r) => r.day).map((g) => ({
    date: g.key,
    ...g.totals,
    modelsUsed: g.modelsUsed,
    modelBreakdowns: g.modelBreakdowns,
    unpricedModels: g.unpricedModels,
  }));
  return { daily, totals: sumTotals(daily) };
}

export function monthlyReport(buckets: readonly Bucket[], o: ReportOptions): { monthly: MonthlyRow[]; totals: Totals } {
  const monthly = grouped(dated(buckets, o), (r) => r.day.slice(0, 7)).map((g) => ({
    month: g.key,
    ...g.totals,
    modelsUsed: g.modelsUsed,
    modelBreakdowns: g.modelBreakdowns,
    unpricedModels: g.unpricedModels,
  }));
  return { monthly, totals: sumTotals(monthly) };
}

export type SessionRow = Totals & {
  sessionId: string;
  projectPath: string;
  lastActivity: string;
  firstActivity: string;
  calls: number;
  sidechainCalls: number;
  modelsUsed: string[];
  unpriced: boolean;
};

export function sessionReport(buckets: readonly Bucket[], o: ReportOptions): { sessions: SessionRow[]; totals: Totals } {
  const rows = new Map<string, SessionRow & { first: number; last: number }>();
  const models = new Map<string, Set<string>>();
  for (const r of dated(buckets, o)) {
    let s = rows.get(r.b.sessionId);
    if (!s) {
      s = { sessionId: r.b.sessionId, projectPath: r.b.project, ...zeroTotals(), lastActivity: "", firstActivity: "", calls: 0, sidechainCalls: 0, modelsUsed: [], unpriced: false, first: r.b.minTs, last: r.b.maxTs };
      rows.set(r.b.sessionId, s);
      models.set(r.b.sessionId, new Set());
    }
    addInto(s, r.b.tokens, r.cost);
    s.calls += r.b.calls;
    s.sidechainCalls += r.b.sidechainCalls;
    s.unpriced ||= r.unpriced;
    s.first = Math.min(s.first, r.b.minTs);
    s.last = Math.max(s.last, r.b.maxTs);
    models.get(r.b.sessionId)!.add(r.b.model);
  }
  const sessions = [...rows.values()]
    .sort((a, b) => b.last - a.last || compareText(a.sessionId, b.sessionId))
    .map(({ first, last, ...s }) => ({
      ...s,
      firstActivity: new Date(first).toISOString(),
      lastActivity: new Date(last).toISOString(),
      modelsUsed: [...(models.get(s.sessionId) ?? [])].sort(),
    }));
  return { sessions, totals: sumTotals(sessions) };
}

export type ProjectRow = Totals & {
  projectPath: string;
  sessions: number;
  calls: number;
  firstActivity: string;
  lastActivity: string;
  modelsUsed: string[];
  unpriced: boolean;
};

/** Sessions summed per project (ccusage's `--instances`), costliest first: which project the money went to. */
export function projectReport(buckets: readonly Bucket[], o: ReportOptions): { projects: ProjectRow[]; totals: Totals } {
  const rows = new Map<string, ProjectRow & { models: Set<string> }>();
  for (const s of sessionReport(buckets, o).sessions) {
    let p = rows.get(s.projectPath);
    if (!p) {
      p = { projectPath: s.projectPath, ...zeroTotals(), sessions: 0, calls: 0, firstActivity: s.firstActivity, lastActivity: s.lastActivity, modelsUsed: [], unpriced: false, models: new Set() };
      rows.set(s.projectPath, p);
    }
    addTotals(p, s);
    p.sessions++;
    p.calls += s.calls;
    p.unpriced ||= s.unpriced;
    // ISO instants in UTC compare as text.
    if (s.firstActivity < p.firstActivity) p.firstActivity = s.firstActivity;
    if (s.lastActivity > p.lastActivity) p.lastActivity = s.lastActivity;
    for (const m of s.modelsUsed) p.models.add(m);
  }
  const projects = [...rows.values()]
    .sort((a, b) => b.totalCost - a.totalCost || compareText(a.projectPath, b.projectPath))
    .map(({ models, ...p }) => ({ ...p, modelsUsed: [...models].sort() }));
  return { projects, totals: sumTotals(projects) };
}

export type ModelRow = Totals & {
  model: string;
  provider: string;
  calls: number;
  tier: string | null;
  /** USD per 1M output tokens; null when unpriced. */
  outputPrice: number | null;
  unpriced: boolean;
  local: boolean;
};

export function modelReport(buckets: readonly Bucket[], o: ReportOptions & { tiers: readonly CostTierDefinition[] }): { models: ModelRow[]; totals: Totals } {
  const rows = new Map<string, ModelRow>();
  for (const r of dated(buckets, o)) {
    const name = normaliseModel(r.b.model);
    let m = rows.get(name);
    if (!m) {
      const pricing = resolvePrice(r.b.model, o.prices);
      const out = pricing.price?.output ?? null;
      m = {
        model: name,
        provider: providerOf(r.b.model),
        ...zeroTotals(),
        calls: 0,
        tier: out === null || pricing.local ? null : tierFor(out, o.tiers),
        outputPrice: out,
        unpriced: pricing.unpriced,
        local: pricing.local,
      };
      rows.set(name, m);
    }
    addInto(m, r.b.tokens, r.cost);
    m.calls += r.b.calls;
  }
  const models = [...rows.values()].sort((a, b) => b.totalCost - a.totalCost || compareText(a.model, b.model));
  return { models, totals: sumTotals(models) };
}

/** Buckets as block points (each with its cost), for identifyBlocks. */
export function blockPoints(buckets: readonly Bucket[], prices: PriceTable): BlockPoint[] {
  return buckets
    .filter((b) => b.calls > 0)
    .map((b) => {
      const c = bucketCost(b, prices);
      return { minTs: b.minTs, maxTs: b.maxTs, model: b.model, calls: b.calls, tokens: b.tokens, cost: c.cost, unpriced: c.unpriced };
    });
}
