// Built-in price table (SPEC 2.8), USD per million tokens, keyed by normalised model id
// (see normaliseModel in cost.ts). Config `[prices."<model>"]` overrides and adds rows.
//
// Anthropic rows: input/output from the public pricing page; cache writes and reads follow
// the published multipliers (5 min write 1.25x input, 1 h write 2x input, read 0.1x input),
// so they are left to the defaults in cost.ts. OpenAI bills no cache writes (writes cost as
// plain input) and publishes its own cached-input price, hence the explicit fields there.
// Long-context surcharges (Sonnet 4/4.5 above 200k input tokens) are not modelled: a row has
// one price, as in ccusage's default mode.

export const PRICES_DATE = "2026-01-15";

export type ModelPrice = {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
};

function openai(input: number, output: number, cachedInput: number): ModelPrice {
  return { input, output, cacheWrite5m: input, cacheWrite1h: input, cacheRead: cachedInput };
}

export const BUILTIN_PRICES: Readonly<Record<string, ModelPrice>> = {
  // Anthropic: Opus 4.5+ dropped to $5/$25; Opus 4 and 4.1 stay at $15/$75.
  "claude-opus-4-6": { input: 5, output: 25 },
  "claude-opus-4-5": { input: 5, output: 25 },
  "claude-opus-4-1": { input: 15, output: 75 },
  "claude-opus-4": { input: 15, output: 75 },
  "claude-sonnet-4-5": { input: 3, output: 15 },
  "claude-sonnet-4": { input: 3, output: 15 },
  "claude-haiku-4-5": { input: 1, output: 5 },
  "claude-3-7-sonnet": { input: 3, output: 15 },
  "claude-3-5-sonnet": { input: 3, output: 15 },
  "claude-3-5-haiku": { input: 0.8, output: 4 },
  "claude-3-opus": { input: 15, output: 75 },
  "claude-3-haiku": { input: 0.25, output: 1.25 },
  // OpenAI (Codex CLI and API).
  "gpt-5.2": openai(1.75, 14, 0.175),
  "gpt-5.2-codex": openai(1.75, 14, 0.175),
  "gpt-5.1": openai(1.25, 10, 0.125),
  "gpt-5.1-codex": openai(1.25, 10, 0.125),
  "gpt-5.1-codex-max": openai(1.25, 10, 0.125),
  "gpt-5.1-codex-mini": openai(0.25, 2, 0.025),
  "gpt-5": openai(1.25, 10, 0.125),
  "gpt-5-codex": openai(1.25, 10, 0.125),
  "gpt-5-mini": openai(0.25, 2, 0.025),
  "gpt-5-nano": openai(0.05, 0.4, 0.005),
  "gpt-4.1": openai(2, 8, 0.5),
  "gpt-4.1-mini": openai(0.4, 1.6, 0.1),
  "gpt-4.1-nano": openai(0.1, 0.4, 0.025),
  "gpt-4o": openai(2.5, 10, 1.25),
  "gpt-4o-mini": openai(0.15, 0.6, 0.075),
  o3: openai(2, 8, 0.5),
  "o3-mini": openai(1.1, 4.4, 0.55),
  "o4-mini": openai(1.1, 4.4, 0.275),
  "codex-mini-latest": openai(1.5, 6, 0.375),
  "codex-mini": openai(1.5, 6, 0.375),
};
