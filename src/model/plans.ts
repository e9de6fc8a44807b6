// Plans name the meters that apply (SPEC 2.3). Built-ins are data; config adds and overrides.
import type { Config } from "../config/config.js";
import { kindInfo, type Provider } from "./kinds.js";
import type { Meter, ReaderName } from "./meter.js";

const MAX_SET = ["five_hour", "seven_day", "seven_day_opus", "seven_day_sonnet", "extra_usage", "agent_sdk_credit"];

export const BUILTIN_PLANS: Readonly<Record<string, readonly string[]>> = {
  pro: ["five_hour", "seven_day", "seven_day_sonnet"],
  max: MAX_SET,
  max_5x: MAX_SET,
  max_20x: MAX_SET,
  team: MAX_SET,
  enterprise: MAX_SET,
  api: ["api_requests", "api_tokens", "api_input_tokens", "api_output_tokens", "api_budget", "tokens_day"],
  codex: ["codex_primary", "codex_secondary"],
  local: ["local_vram"],
};

/** The plans `p` cycles through: one per distinct meter set, then config plans by name. */
const CYCLE_BUILTINS = ["pro", "max", "api", "codex", "local"];

export type PlanTable = Record<string, readonly string[]>;

export function planTable(config: Pick<Config, "file"> | null): PlanTable {
  const table: PlanTable = { ...BUILTIN_PLANS };
  for (const [name, plan] of Object.entries(config?.file.plans ?? {})) table[name] = plan.meters;
  return table;
}

export function planCycle(table: PlanTable): string[] {
  const custom = Object.keys(table)
    .filter((p) => !(p in BUILTIN_PLANS))
    .sort();
  return [...CYCLE_BUILTINS, ...custom];
}

/** The next plan for the `p` key; team/enterprise/max_* continue from max (they share its set). */
export function nextPlan(current: string, table: PlanTable): string {
  const cycle = planCycle(table);
  const base = cycle.includes(current) ? current : table[current] === MAX_SET ? "max" : current;
  const i = cycle.indexOf(base);
  return cycle[(i + 1) % cycle.length] ?? "max";
}

/** Which provider a plan serves, from its first registry meter (config plans included). */
export function planProvider(plan: string, table: PlanTable): Provider {
  for (const kind of table[plan] ?? []) {
    const info = kindInfo(kind);
    if (info) return info.provider;
  }
  return "anthropic";
}

const READER_PROVIDERS: Record<ReaderName, Provider[]> = {
  oauth: ["anthropic"],
  claude_cache: ["anthropic"],
  statusline: ["anthropic"],
  usage_screen: ["anthropic"],
  usage_script: ["anthropic"],
  // Header dumps carry unified subscription headers and API-key headers alike.
  headers: ["anthropic", "api"],
  codex: ["openai"],
  transcripts: ["anthropic", "api"],
  ollama: ["local"],
};

/**
 * Whether a meter governs under the plan (SPEC 2.2, 2.3): pools never; registry kinds when in the
 * plan's set; unknown kinds when their reader serves the plan's provider (fail-safe: a window the
 * provider enforces does stop work).
 */
export function isApplicable(meter: Pick<Meter, "kind" | "source">, plan: string, table: PlanTable): boolean {
  const info = kindInfo(meter.kind);
  if (info) return !info.pool && (table[plan] ?? []).includes(meter.kind);
  const set = table[plan];
  if (set && set.includes(meter.kind)) return true;
  return READER_PROVIDERS[meter.source]?.includes(planProvider(plan, table)) ?? false;
}

/** Whether a registry meter belongs to the plan's displayed set (pools included, shown not governing). */
export function inPlanSet(kind: string, plan: string, table: PlanTable): boolean {
  return (table[plan] ?? []).includes(kind);
}

/** Plan from credentials (SPEC 2.3): subscriptionType, rateLimitTier, then ~/.claude.json organizationType. */
export function detectPlan(input: {
  subscriptionType?: string | null;
  rateLimitTier?: string | null;
  organizationType?: string | null;
}): string | null {
  const tier = input.rateLimitTier ?? "";
  if (/max_20x/.test(tier)) return "max_20x";
  if (/max_5x/.test(tier)) return "max_5x";
  const sub = input.subscriptionType?.toLowerCase();
  if (sub && sub in BUILTIN_PLANS) return sub;
  const org = input.organizationType?.toLowerCase().replace(/^claude_/, "");
  if (org && org in BUILTIN_PLANS) return org;
  return null;
}
