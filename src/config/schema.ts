// config.toml schema (SPEC 7.2). Every object is strict so a typo is an error naming the key.
import { z } from "zod";

const positive = z.number().positive();
const readerBase = { enabled: z.boolean().optional() };

export const ReadersSchema = z
  .strictObject({
    oauth: z.strictObject({ ...readerBase, interval: positive.optional(), base_url: z.string().url().optional() }).optional(),
    claude_cache: z.strictObject({ ...readerBase, path: z.string().optional() }).optional(),
    statusline: z.strictObject({ ...readerBase, max_age: positive.optional() }).optional(),
    headers: z.strictObject({ ...readerBase, path: z.string().optional(), probe: z.boolean().optional() }).optional(),
    usage_screen: z
      .strictObject({
        ...readerBase,
        mode: z.enum(["headless", "tmux"]).optional(),
        claude_bin: z.string().optional(),
        tmux_bin: z.string().optional(),
        tmux_target: z.string().optional(),
        interval: positive.optional(),
      })
      .optional(),
    usage_script: z
      .strictObject({
        ...readerBase,
        command: z.union([z.string().min(1), z.array(z.string()).min(1)]).optional(),
        interval: positive.optional(),
      })
      .optional(),
    codex: z.strictObject({ ...readerBase, home: z.string().optional() }).optional(),
    transcripts: z.strictObject({ ...readerBase, dirs: z.array(z.string()).optional() }).optional(),
    ollama: z
      .strictObject({ ...readerBase, url: z.string().url().optional(), vram_budget_bytes: positive.optional() })
      .optional(),
  })
  .optional();

export const SlotsSchema = z
  .strictObject({
    names: z.array(z.string()).optional(),
    primary: z.string().optional(),
    fallback_order: z.array(z.string()).optional(),
    dir: z.string().optional(),
    lock_glob: z.string().optional(),
    weekly_exhausted: z.number().min(0).max(200).optional(),
    five_hour_exhausted: z.number().min(0).max(200).optional(),
    sonnet_exhausted: z.number().min(0).max(200).optional(),
    probe_cooldown: z.number().nonnegative().optional(),
    return_cooldown: z.number().nonnegative().optional(),
  })
  .optional();

export const PriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cache_write_5m: z.number().nonnegative().optional(),
  cache_write_1h: z.number().nonnegative().optional(),
  cache_read: z.number().nonnegative().optional(),
});

export const CostTierSchema = z.strictObject({
  id: z.string().min(1),
  display_name: z.string().optional(),
  description: z.string().optional(),
  price_range_min: z.number().nonnegative().optional(),
  price_range_max: z.number().nonnegative().optional(),
  color: z.string().optional(),
  remove: z.boolean().optional(),
});

export const WaveSchema = z
  .strictObject({
    /** Ascending governing-utilisation thresholds; concurrency[i] applies below thresholds[i]. */
    thresholds: z.array(z.number().min(0).max(200)).min(1).optional(),
    /** Same length as thresholds (checked in validate.ts); 0 makes that band pause. */
    concurrency: z.array(z.number().int().nonnegative()).min(1).optional(),
    warn_at: z.number().min(0).max(200).optional(),
    pause_at: z.number().min(0).max(200).optional(),
    resume_delay: z.number().nonnegative().optional(),
    on_unknown: z.enum(["pause", "run"]).optional(),
    switch: z.boolean().optional(),
  })
  .optional();

export const AlertsSchema = z
  .strictObject({
    thresholds: z.array(z.number().min(0).max(200)).optional(),
    command: z.array(z.string()).min(1).optional(),
    bell: z.boolean().optional(),
  })
  .optional();

export const LimitsSchema = z
  .strictObject({
    five_hour_tokens: positive.optional(),
    five_hour_cost_usd: positive.optional(),
    tokens_day: positive.optional(),
    api_budget_usd: positive.optional(),
    agent_sdk_credit_usd: positive.optional(),
  })
  .optional();

export const PacingSchema = z
  .strictObject({
    target: z.number().positive().max(2).optional(),
    band: z.number().nonnegative().optional(),
  })
  .optional();

export const ConfigFileSchema = z.strictObject({
  general: z
    .strictObject({
      plan: z.string().optional(),
      slot: z.string().optional(),
      interval: positive.optional(),
      timezone: z.string().optional(),
    })
    .optional(),
  readers: ReadersSchema,
  slots: SlotsSchema,
  plans: z.record(z.string(), z.strictObject({ meters: z.array(z.string()).min(1) })).optional(),
  prices: z.record(z.string(), PriceSchema).optional(),
  cost_tiers: z.array(CostTierSchema).optional(),
  wave: WaveSchema,
  alerts: AlertsSchema,
  limits: LimitsSchema,
  pacing: PacingSchema,
  serve: z.strictObject({ port: z.number().int().min(0).max(65535).optional(), host: z.string().optional() }).optional(),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;
