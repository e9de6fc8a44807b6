// config.toml schema (SPEC 7.2). Every object is strict so a typo is an error naming the key.
// zod/mini, not classic zod: the same validation with a tree-shakable API, so a start-up does not
// load and compile zod's whole method-chaining API (~290 KB of bundle, ~30 ms per command).
import * as z from "zod/mini";

const positive = z.number().check(z.positive());
const nonNegative = z.number().check(z.nonnegative());
const percent = z.number().check(z.gte(0), z.lte(200));
const nonEmptyStrings = z.array(z.string()).check(z.minLength(1));
const readerBase = { enabled: z.optional(z.boolean()) };

export const ReadersSchema = z.optional(
  z.strictObject({
    oauth: z.optional(z.strictObject({ ...readerBase, interval: z.optional(positive), base_url: z.optional(z.url()) })),
    claude_cache: z.optional(z.strictObject({ ...readerBase, path: z.optional(z.string()) })),
    statusline: z.optional(z.strictObject({ ...readerBase, max_age: z.optional(positive) })),
    headers: z.optional(z.strictObject({ ...readerBase, path: z.optional(z.string()), probe: z.optional(z.boolean()) })),
    usage_screen: z.optional(
      z.strictObject({
        ...readerBase,
        mode: z.optional(z.enum(["headless", "tmux"])),
        claude_bin: z.optional(z.string()),
        tmux_bin: z.optional(z.string()),
        tmux_target: z.optional(z.string()),
        interval: z.optional(positive),
      }),
    ),
    usage_script: z.optional(
      z.strictObject({
        ...readerBase,
        command: z.optional(z.union([z.string().check(z.minLength(1)), nonEmptyStrings])),
        interval: z.optional(positive),
      }),
    ),
    codex: z.optional(z.strictObject({ ...readerBase, home: z.optional(z.string()) })),
    transcripts: z.optional(z.strictObject({ ...readerBase, dirs: z.optional(z.array(z.string())) })),
    ollama: z.optional(z.strictObject({ ...readerBase, url: z.optional(z.url()), vram_budget_bytes: z.optional(positive) })),
  }),
);

export const SlotsSchema = z.optional(
  z.strictObject({
    names: z.optional(z.array(z.string())),
    primary: z.optional(z.string()),
    fallback_order: z.optional(z.array(z.string())),
    dir: z.optional(z.string()),
    lock_glob: z.optional(z.string()),
    weekly_exhausted: z.optional(percent),
    five_hour_exhausted: z.optional(percent),
    sonnet_exhausted: z.optional(percent),
    probe_cooldown: z.optional(nonNegative),
    return_cooldown: z.optional(nonNegative),
  }),
);

export const PriceSchema = z.strictObject({
  input: nonNegative,
  output: nonNegative,
  cache_write_5m: z.optional(nonNegative),
  cache_write_1h: z.optional(nonNegative),
  cache_read: z.optional(nonNegative),
});

export const CostTierSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  display_name: z.optional(z.string()),
  description: z.optional(z.string()),
  price_range_min: z.optional(nonNegative),
  price_range_max: z.optional(nonNegative),
  color: z.optional(z.string()),
  remove: z.optional(z.boolean()),
});

export const WaveSchema = z.optional(
  z.strictObject({
    /** Ascending governing-utilisation thresholds; concurrency[i] applies below thresholds[i]. */
    thresholds: z.optional(z.array(percent).check(z.minLength(1))),
    /** Same length as thresholds (checked in validate.ts); 0 makes that band pause. */
    concurrency: z.optional(z.array(z.number().check(z.int(), z.nonnegative())).check(z.minLength(1))),
    warn_at: z.optional(percent),
    pause_at: z.optional(percent),
    resume_delay: z.optional(nonNegative),
    on_unknown: z.optional(z.enum(["pause", "run"])),
    switch: z.optional(z.boolean()),
  }),
);

export const AlertsSchema = z.optional(
  z.strictObject({
    thresholds: z.optional(z.array(percent)),
    command: z.optional(nonEmptyStrings),
    bell: z.optional(z.boolean()),
  }),
);

export const LimitsSchema = z.optional(
  z.strictObject({
    five_hour_tokens: z.optional(positive),
    five_hour_cost_usd: z.optional(positive),
    tokens_day: z.optional(positive),
    api_budget_usd: z.optional(positive),
    agent_sdk_credit_usd: z.optional(positive),
  }),
);

export const PacingSchema = z.optional(
  z.strictObject({
    target: z.optional(z.number().check(z.positive(), z.lte(2))),
    band: z.optional(nonNegative),
  }),
);

export const ConfigFileSchema = z.strictObject({
  general: z.optional(
    z.strictObject({
      plan: z.optional(z.string()),
      slot: z.optional(z.string()),
      interval: z.optional(positive),
      timezone: z.optional(z.string()),
    }),
  ),
  readers: ReadersSchema,
  slots: SlotsSchema,
  plans: z.optional(z.record(z.string(), z.strictObject({ meters: nonEmptyStrings }))),
  prices: z.optional(z.record(z.string(), PriceSchema)),
  cost_tiers: z.optional(z.array(CostTierSchema)),
  wave: WaveSchema,
  alerts: AlertsSchema,
  limits: LimitsSchema,
  pacing: PacingSchema,
  serve: z.optional(
    z.strictObject({ port: z.optional(z.number().check(z.int(), z.gte(0), z.lte(65535))), host: z.optional(z.string()) }),
  ),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
