// Cost tiers (SPEC 2.8, seed 002): bands of USD per million OUTPUT tokens, referenced by id.
import type { ConfigFile } from "../config/schema.js";
import { compareText } from "./compare-text.js";

export type CostTierDefinition = {
  id: string;
  displayName: string;
  description: string;
  /** Inclusive lower bound, USD per 1M output tokens. */
  priceRangeMin: number;
  /** Exclusive upper bound; null = no upper bound. */
  priceRangeMax: number | null;
  color: string;
};

export const BUILTIN_TIERS: readonly CostTierDefinition[] = [
  { id: "low", displayName: "Low", description: "under $1 per 1M output tokens", priceRangeMin: 0, priceRangeMax: 1, color: "green" },
  { id: "medium", displayName: "Medium", description: "$1-5 per 1M output tokens", priceRangeMin: 1, priceRangeMax: 5, color: "cyan" },
  { id: "high", displayName: "High", description: "$5-20 per 1M output tokens", priceRangeMin: 5, priceRangeMax: 20, color: "yellow" },
  { id: "premium", displayName: "Premium", description: "$20 or more per 1M output tokens", priceRangeMin: 20, priceRangeMax: null, color: "magenta" },
];

type TierRows = ConfigFile["cost_tiers"];

/** Built-ins with config rows applied in order: `remove = true` drops an id, a known id is modified field by field, a new id is added. */
export function resolveTiers(rows?: TierRows): CostTierDefinition[] {
  const tiers = new Map(BUILTIN_TIERS.map((t) => [t.id, { ...t }]));
  for (const row of rows ?? []) {
    if (row.remove) {
      tiers.delete(row.id);
      continue;
    }
    const base = tiers.get(row.id);
    tiers.set(row.id, {
      id: row.id,
      displayName: row.display_name ?? base?.displayName ?? row.id,
      description: row.description ?? base?.description ?? "",
      priceRangeMin: row.price_range_min ?? base?.priceRangeMin ?? 0,
      priceRangeMax: row.price_range_max ?? base?.priceRangeMax ?? null,
      color: row.color ?? base?.color ?? "white",
    });
  }
  return [...tiers.values()].sort((a, b) => a.priceRangeMin - b.priceRangeMin || compareText(a.id, b.id));
}

/**
 * Tier id for an output price (USD per 1M tokens). Overlapping config ranges resolve to the
 * most specific tier: the highest lower bound, then the lowest upper bound; no match (a gap) -> null.
 */
export function tierFor(outputPricePerMillion: number, tiers: readonly CostTierDefinition[] = BUILTIN_TIERS): string | null {
  let best: CostTierDefinition | null = null;
  for (const t of tiers) {
    const inside = outputPricePerMillion >= t.priceRangeMin && (t.priceRangeMax === null || outputPricePerMillion < t.priceRangeMax);
    if (inside && (best === null || t.priceRangeMin > best.priceRangeMin || (t.priceRangeMin === best.priceRangeMin && narrower(t, best)))) best = t;
  }
  return best?.id ?? null;
}

function narrower(a: CostTierDefinition, b: CostTierDefinition): boolean {
  return a.priceRangeMax !== null && (b.priceRangeMax === null || a.priceRangeMax < b.priceRangeMax);
}
