// The documents `serve` answers with, rendered from the store's memory (SPEC 6.4): never a read
// per request. Each is memoised per store change and wall-clock second (ages and countdowns move
// with the clock), so 2,000 requests a second cost one render per second per endpoint.
import type { Config } from "../../config/config.js";
import type { Meter } from "../../model/meter.js";
import type { ReaderEntry } from "../../model/reader-state.js";
import { runtimeUsage, type RuntimeUsageResponse } from "../../model/runtime-usage.js";
import { snapshotDocument } from "../../model/snapshot-document.js";
import { slotSummaries } from "../../store/collect.js";
import type { UsageStore } from "../../store/store.js";
import { modelTotals, renderMetrics } from "./metrics.js";
import type { ServeSources } from "./routes.js";
import { allViews } from "../../store/all-views.js";
import { usagetopVersion } from "../../config/version.js";

/** Seed gptme-subscription's scrape result as JSON (src/readers/usage-screen.ts has the in-memory shape). */
export type ProviderUsageScrapeJson = {
  provider: "anthropic";
  mode: "headless" | "tmux";
  fresh: boolean;
  freshness_ttl_seconds: number;
  scraped_at: string | null;
  error: string | null;
  meters: Array<{ kind: string; label: string; utilisation: number | null; resetsAt: string | null; windowSeconds: number | null; observedAt: string; estimated: boolean }>;
  warnings: string[];
  missing: string[];
};

export type ProviderUsageResponse = { generated_at: string; providers: ProviderUsageScrapeJson[] };

const meterJson = (m: Meter) => ({
  kind: m.kind,
  label: m.label,
  utilisation: m.utilisation,
  resetsAt: m.resetsAt === null ? null : m.resetsAt.toISOString(),
  windowSeconds: m.windowSeconds,
  observedAt: m.observedAt.toISOString(),
  estimated: m.estimated,
});

/** The usage-screen reader's latest outcome in the seed's shape, from the store (what the scheduler cached). */
export function providerUsage(entries: readonly ReaderEntry[], config: Config, now: Date): ProviderUsageResponse {
  const screens = entries.filter((e) => e.name === "usage_screen" && e.enabled);
  const newest = screens.sort((a, b) => (b.lastAttempt?.at.getTime() ?? 0) - (a.lastAttempt?.at.getTime() ?? 0))[0];
  const providers: ProviderUsageScrapeJson[] = [];
  if (newest) {
    const section = config.file.readers?.usage_screen;
    const error = newest.lastAttempt && !newest.lastAttempt.ok ? (newest.lastAttempt.error?.message ?? "failed") : null;
    const meters = newest.lastGood?.meters ?? [];
    const age = newest.lastGood ? (now.getTime() - newest.lastGood.at.getTime()) / 1000 : Number.POSITIVE_INFINITY;
    providers.push({
      provider: "anthropic",
      mode: section?.mode ?? "headless",
      fresh: error === null && meters.length > 0 && age <= newest.freshForSeconds,
      freshness_ttl_seconds: newest.freshForSeconds,
      scraped_at: newest.lastAttempt ? newest.lastAttempt.at.toISOString() : null,
      error,
      meters: meters.map(meterJson),
      warnings: [...(newest.lastGood?.warnings ?? [])],
      missing: [],
    });
  }
  return { generated_at: now.toISOString(), providers };
}

export type SourceOptions = {
  store: UsageStore;
  config: Config;
  now: () => Date;
  startedAt: Date;
};

export function serveSources(o: SourceOptions): ServeSources {
  let version = 0;
  o.store.on("change", () => {
    version++;
  });
  const memo = <T>(render: (now: Date) => T): (() => T) => {
    let key = "";
    let value: T;
    return () => {
      const now = o.now();
      const k = `${version}:${Math.floor(now.getTime() / 1000)}`;
      if (k !== key) {
        value = render(now);
        key = k;
      }
      return value;
    };
  };
  const entriesEverywhere = () => [null, ...o.store.slots.map((s) => s.name)].flatMap((s) => o.store.entriesFor(s));
  return {
    snapshot: memo((now) => snapshotDocument({ view: o.store.current(now), generatedAt: now, slots: slotSummaries(o.store, now) })),
    runtimeUsage: memo((now): RuntimeUsageResponse | null => {
      const t = o.store.transcripts;
      if (t === null) return null;
      const limits = o.config.file.limits;
      return runtimeUsage({
        entries: t.data.recent,
        prices: t.prices,
        // Under --demo the recorded week is read as of its own moment, as the TUI's views read it.
        now: t.fixedNow ?? now,
        limits: { tokens: limits?.five_hour_tokens ?? null, cost_usd: limits?.five_hour_cost_usd ?? null },
        accountKey: o.store.slots.find((s) => s.active)?.name ?? o.config.slot ?? "default",
      });
    }),
    providerUsage: memo((now) => providerUsage(entriesEverywhere(), o.config, now)),
    metrics: memo((now) => {
      const t = o.store.transcripts;
      return renderMetrics({
        views: allViews(o.store, now),
        models: t ? modelTotals(t.data.buckets, t.prices) : [],
        slots: o.store.slots.map((s) => ({ name: s.name, active: s.active, auth: s.auth })),
        version: usagetopVersion(),
      });
    }),
    health: () => {
      const now = o.now();
      return { status: "ok", startedAt: o.startedAt.toISOString(), uptimeSeconds: Math.round((now.getTime() - o.startedAt.getTime()) / 1000), slots: o.store.slots.length };
    },
  };
}
