// Cost of token counts (SPEC 2.8). Pure: a price table in, dollars out.
import type { ConfigFile } from "../config/schema.js";
import { BUILTIN_PRICES, type ModelPrice } from "./prices.js";
import type { TokenCounts } from "./usage-entry.js";

/** Local runtimes are free on purpose: priced 0 and not flagged as unpriced. */
const LOCAL_PREFIXES = ["ollama/", "ollama_chat/", "lmstudio/", "lm-studio/", "lm_studio/", "local/"];

/**
 * Canonical id for pricing: `claude-sonnet-4-5-20250929` -> `claude-sonnet-4-5`,
 * `anthropic/claude-opus-4-5` and `bedrock/us.anthropic.claude-opus-4-5-20251101-v1:0`
 * -> `claude-opus-4-5`, `claude-opus-4-6[1m]` -> `claude-opus-4-6`, `claude-sonnet-4.5`
 * (OpenRouter spelling) -> `claude-sonnet-4-5`, `gpt-4.1-2025-04-14` -> `gpt-4.1`.
 */
export function normaliseModel(raw: string): string {
  let id = raw.trim().toLowerCase();
  id = id.replace(/\[[^\]]*\]$/, ""); // context-size suffix: [1m]
  const slash = id.lastIndexOf("/");
  if (slash >= 0) id = id.slice(slash + 1); // provider/router prefixes
  id = id.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, ""); // Bedrock: us.anthropic.claude-...
  id = id.replace(/-v\d+(?::\d+)?$/, ""); // Bedrock version: -v1:0
  id = id.replace(/@.*$/, ""); // Vertex: claude-...@20250929
  id = id.replace(/-\d{8}$/, ""); // Anthropic date
  id = id.replace(/-\d{4}-\d{2}-\d{2}$/, ""); // OpenAI date
  if (id.startsWith("claude-")) id = id.replace(/(\d)\.(\d)/g, "$1-$2");
  return id;
}

export function isLocalModel(raw: string): boolean {
  const id = raw.trim().toLowerCase();
  return LOCAL_PREFIXES.some((p) => id.startsWith(p));
}

export type Pricing = {
  /** Normalised id. */
  model: string;
  price: ModelPrice | null;
  /** True when no price is known: the model costs 0 in sums and is flagged in every view. */
  unpriced: boolean;
  local: boolean;
};

export type PriceTable = {
  prices: ReadonlyMap<string, ModelPrice>;
  /** Memo of raw id -> pricing; a report asks for the same few models thousands of times. */
  resolved: Map<string, Pricing>;
};

type PriceOverrides = ConfigFile["prices"];

/** Built-in table plus config rows (keys normalised, so `[prices."anthropic/claude-x-20250101"]` works). */
export function buildPriceTable(overrides?: PriceOverrides): PriceTable {
  const prices = new Map<string, ModelPrice>(Object.entries(BUILTIN_PRICES));
  for (const [model, p] of Object.entries(overrides ?? {})) {
    prices.set(normaliseModel(model), {
      input: p.input,
      output: p.output,
      cacheWrite5m: p.cache_write_5m,
      cacheWrite1h: p.cache_write_1h,
      cacheRead: p.cache_read,
    });
  }
  return { prices, resolved: new Map() };
}

export function resolvePrice(rawModel: string, table: PriceTable): Pricing {
  const memo = table.resolved.get(rawModel);
  if (memo) return memo;
  const model = normaliseModel(rawModel);
  let pricing: Pricing;
  if (isLocalModel(rawModel)) {
    pricing = { model, price: { input: 0, output: 0 }, unpriced: false, local: true };
  } else {
    // `-latest` aliases: `codex-mini-latest` is a row of its own, `claude-3-5-sonnet-latest` is not.
    const price = table.prices.get(model) ?? table.prices.get(model.replace(/-latest$/, "")) ?? null;
    pricing = { model, price, unpriced: price === null, local: false };
  }
  table.resolved.set(rawModel, pricing);
  return pricing;
}

/** Full price row with the SPEC 2.8 multipliers filled in. */
export function fullPrice(p: ModelPrice): Required<ModelPrice> {
  return {
    input: p.input,
    output: p.output,
    cacheWrite5m: p.cacheWrite5m ?? p.input * 1.25,
    cacheWrite1h: p.cacheWrite1h ?? p.input * 2,
    cacheRead: p.cacheRead ?? p.input * 0.1,
  };
}

/** USD for the given counts at a price row (per million tokens). */
export function costOf(tokens: TokenCounts, price: ModelPrice): number {
  const p = fullPrice(price);
  return (
    (tokens.input * p.input +
      tokens.output * p.output +
      tokens.cacheWrite5m * p.cacheWrite5m +
      tokens.cacheWrite1h * p.cacheWrite1h +
      tokens.cacheRead * p.cacheRead) /
    1_000_000
  );
}

export type ModelCost = { cost: number; unpriced: boolean };

export function costForModel(rawModel: string, tokens: TokenCounts, table: PriceTable): ModelCost {
  const pricing = resolvePrice(rawModel, table);
  if (!pricing.price) return { cost: 0, unpriced: true };
  return { cost: costOf(tokens, pricing.price), unpriced: false };
}

/**
 * Per-harness prices and throughputs as gptme's harness-quota.toml gives them
 * (`[prices.<harness>] <model> = [input, output]`, `[tps.<harness>] <model> = N`).
 * The config helper may add these to Config; absent, every estimate is null.
 */
type HarnessPrice = { input: number; output: number } | readonly number[];

export type HarnessTables = {
  /** Config gives `{input, output}`; the raw TOML pair `[input, output]` is accepted too. */
  harnessPrices?: Record<string, Record<string, HarnessPrice>> | null;
  harnessTps?: Record<string, Record<string, number>> | null;
};

function harnessEntry<T>(table: Record<string, Record<string, T>> | null | undefined, harness: string, model: string): T | undefined {
  const byModel = table?.[harness];
  if (!byModel) return undefined;
  if (Object.hasOwn(byModel, model)) return byModel[model];
  const wanted = normaliseModel(model);
  const hit = Object.keys(byModel).find((k) => normaliseModel(k) === wanted);
  return hit === undefined ? undefined : byModel[hit];
}

/** USD for a harness session from its input/output tokens, or null when the harness has no price for the model. */
export function estimateSessionCost(
  harness: string,
  model: string,
  tokens: { input: number; output: number },
  config: HarnessTables | null | undefined,
): number | null {
  const entry = harnessEntry(config?.harnessPrices, harness, model);
  if (!entry) return null;
  const [input, output] = Array.isArray(entry) ? [entry[0], entry[1]] : [(entry as { input: number }).input, (entry as { output: number }).output];
  if (input === undefined || output === undefined) return null;
  if (![input, output, tokens.input, tokens.output].every((n) => Number.isFinite(n) && n >= 0)) return null;
  return (tokens.input * input + tokens.output * output) / 1_000_000;
}

/** Output tokens a harness produced in `seconds` at `tps` tokens/second; null when either is unusable. */
export function estimateTokensFromDuration(seconds: number, tps: number | null | undefined): number | null {
  if (tps === null || tps === undefined) return null;
  if (!Number.isFinite(seconds) || !Number.isFinite(tps) || seconds < 0 || tps <= 0) return null;
  return Math.round(seconds * tps);
}

/** The configured throughput of a harness/model, for estimateTokensFromDuration. */
export function harnessTps(harness: string, model: string, config: HarnessTables | null | undefined): number | null {
  const tps = harnessEntry(config?.harnessTps, harness, model);
  return typeof tps === "number" && Number.isFinite(tps) && tps > 0 ? tps : null;
}

/** Provider of a model for `provider/model` keys: anthropic, openai, local, or unknown. */
export function providerOf(rawModel: string): "anthropic" | "openai" | "local" | "unknown" {
  if (isLocalModel(rawModel)) return "local";
  const id = normaliseModel(rawModel);
  if (id.startsWith("claude")) return "anthropic";
  if (/^(gpt-|o\d|codex)/.test(id)) return "openai";
  return "unknown";
}
