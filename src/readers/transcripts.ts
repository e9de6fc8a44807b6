// The transcripts reader (SPEC 3.2.7, 3.3): Claude Code's JSONL logs -> the estimated
// `five_hour` meter (the last link of the degradation chain), plus `tokens_day` and
// `api_budget` when their caps are configured. Reading is incremental through the index in
// the state dir; the same data feeds `usagetop report` and `/runtime-usage`.
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { expandHome } from "../config/paths.js";
import type { Meter, ReadResult } from "../model/meter.js";
import { buildPriceTable, type PriceTable } from "../model/cost.js";
import { fiveHourEstimate, identifyBlocks, type Block } from "../model/blocks.js";
import { runtimeUsage, type RuntimeUsageResponse } from "../model/runtime-usage.js";
import { blockPoints, dailyReport, dayKeyIn, monthlyReport, nextLocalBoundary } from "../model/usage-report.js";
import { LOCAL_ZONE } from "../model/zone-names.js";
import { labelFor, windowFor } from "../model/kinds.js";
import { loadTranscripts, type TranscriptData } from "../store/transcript-index.js";
import type { UsageReader } from "./reader.js";

/** The demo tree shipped with the package (`fixtures/demo/transcripts/projects/...`). */
export const DEMO_TRANSCRIPTS_DIR = fileURLToPath(new URL("../../fixtures/demo/transcripts", import.meta.url));

/** Claude config dirs whose `projects/` hold transcripts: the demo tree under --demo, else config, else CLAUDE_CONFIG_DIR / ~/.claude / ~/.config/claude. */
export function transcriptDirs(config: Config): string[] {
  if (config.demo && config.loadedFrom === null) return [DEMO_TRANSCRIPTS_DIR];
  const dirs = config.file.readers?.transcripts?.dirs ?? config.paths.claudeDirs;
  return dirs.map((d) => expandHome(d, config.paths.home));
}

/** The `projects/` dirs under transcriptDirs: where transcripts are read, said and followed. */
export function transcriptProjectDirs(config: Config): string[] {
  return transcriptDirs(config).map((d) => join(d, "projects"));
}

export function localTimeZone(config: Config): string {
  return config.timezone ?? LOCAL_ZONE;
}

export type TranscriptUsage = {
  data: TranscriptData;
  prices: PriceTable;
  blocks: Block[];
  runtime: RuntimeUsageResponse;
  /** The moment the views read the data at when it is not the clock's: the demo's recorded week. */
  fixedNow: Date | null;
};

/**
 * The demo transcripts are a recorded week (2026-01-10..14); under --demo the cost views read them
 * as of half an hour after the last call, so the Blocks view has an active block and a burn rate.
 */
export const DEMO_TRANSCRIPTS_NOW = new Date("2026-01-14T13:30:00.000Z");

/** Reads (incrementally) and models the transcripts: what the reader, `serve` and the TUI share. */
export function readTranscriptUsage(config: Config, realNow: Date, accountKey?: string): TranscriptUsage {
  const now = config.demo && config.loadedFrom === null ? DEMO_TRANSCRIPTS_NOW : realNow;
  const data = loadTranscripts({ stateDir: config.paths.stateDir, claudeDirs: transcriptDirs(config), now });
  const prices = buildPriceTable(config.file.prices);
  const blocks = identifyBlocks(blockPoints(data.buckets, prices), now.getTime());
  const limits = config.file.limits;
  const runtime = runtimeUsage({
    entries: data.recent,
    prices,
    now,
    limits: { tokens: limits?.five_hour_tokens ?? null, cost_usd: limits?.five_hour_cost_usd ?? null },
    accountKey: accountKey ?? config.slot ?? "default",
  });
  return { data, prices, blocks, runtime, fixedNow: now === realNow ? null : now };
}

export function transcriptMeters(usage: TranscriptUsage, config: Config, now: Date): { meters: Meter[]; notes: string[] } {
  const meters: Meter[] = [];
  const notes: string[] = [];
  const limits = config.file.limits;
  const five = fiveHourEstimate(usage.blocks, now, limits?.five_hour_tokens ?? null);
  if (five) meters.push(five);
  else notes.push("no five_hour estimate: set [limits] five_hour_tokens, or wait for 5 finished 5-hour blocks");
  const timeZone = localTimeZone(config);
  const today = dayKeyIn(timeZone)(now.getTime());
  if (limits?.tokens_day) {
    const day = dailyReport(usage.data.buckets, { prices: usage.prices, timeZone, since: today, until: today });
    const used = day.totals.totalTokens;
    meters.push(capMeter("tokens_day", used, limits.tokens_day, "tokens", new Date(nextLocalBoundary(now.getTime(), timeZone, "day")), now));
  }
  if (limits?.api_budget_usd) {
    const month = today.slice(0, 7);
    const m = monthlyReport(usage.data.buckets, { prices: usage.prices, timeZone, since: `${month}-01`, until: `${month}-31` });
    meters.push(capMeter("api_budget", m.totals.totalCost, limits.api_budget_usd, "usd", new Date(nextLocalBoundary(now.getTime(), timeZone, "month")), now));
  }
  return { meters, notes };
}

function capMeter(kind: string, used: number, limit: number, unit: "tokens" | "usd", resetsAt: Date, now: Date): Meter {
  return {
    kind,
    label: labelFor(kind),
    utilisation: (used / limit) * 100,
    resetsAt,
    windowSeconds: windowFor(kind),
    used,
    limit,
    unit,
    ...(unit === "usd" ? { currency: "USD" } : {}),
    source: "transcripts",
    observedAt: now,
    estimated: true,
  };
}

export const transcriptsReader: UsageReader = {
  name: "transcripts",
  perSlot: false,
  intervalSeconds: () => 0,
  enabled: (config) => config.file.readers?.transcripts?.enabled !== false,
  async read(ctx, signal): Promise<ReadResult> {
    if (signal.aborted) return { ok: false, error: { kind: "timeout", message: "transcripts: aborted" } };
    try {
      const usage = readTranscriptUsage(ctx.config, ctx.now, ctx.slot?.name);
      if (usage.data.buckets.length === 0) {
        return {
          ok: false,
          error: { kind: "unavailable", message: `no Claude Code transcripts with usage under ${transcriptProjectDirs(ctx.config).join(", ")}` },
        };
      }
      const { meters, notes } = transcriptMeters(usage, ctx.config, ctx.now);
      const limitNotes = usage.data.events.slice(-5).map((e) => `limit notice ${new Date(e.timestamp).toISOString()}: ${e.text}`);
      return { ok: true, meters, warnings: usage.data.warnings, notes: [...notes, ...limitNotes], raw: { runtime: usage.runtime } };
    } catch (err) {
      // Programmer errors aside, everything below reports through warnings; never throw past here.
      return { ok: false, error: { kind: "parse", message: `transcripts: ${err instanceof Error ? err.message : String(err)}` } };
    }
  },
};
