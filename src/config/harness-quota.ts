// gptme-usage's per-agent quota file, `$XDG_CONFIG_HOME/gptme/harness-quota.toml` (SPEC 7.2),
// read when present and never written. Shape, from gptme-usage's own tests:
//   claude_plan_tier = "max-5x"                 # pro | max-5x | max-20x
//   [prices.claude-code]  opus = [5.0, 25.0]    # [input, output] USD per 1M tokens
//   [tps.claude-code]     opus = 10000          # tokens per second
// plus tables usagetop has no use for ([quota_sources], [model_routes], ...), which are ignored.
// It belongs to another tool, so a bad entry is skipped with a note rather than stopping
// usagetop: `config check` prints the notes.
import { parse } from "smol-toml";
import { tomlKey } from "./issue-text.js";
import { describeTomlError } from "./parse-file.js";
import { findKeyLine } from "./toml-lines.js";

export type HarnessPrice = { input: number; output: number };

export type HarnessQuota = {
  /** usagetop's plan for claude_plan_tier, or null when absent or not understood. */
  plan: string | null;
  /** The tier as written, for messages. */
  planTier: string | null;
  prices: Record<string, Record<string, HarnessPrice>>;
  tps: Record<string, Record<string, number>>;
  /** Entries skipped and why, each naming the file and line. */
  notes: string[];
};

const PLAN_TIERS: Record<string, string> = { pro: "pro", "max-5x": "max_5x", "max-20x": "max_20x" };

export function emptyHarnessQuota(): HarnessQuota {
  return { plan: null, planTier: null, prices: {}, tps: {}, notes: [] };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date);
}

function isAmount(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

export function parseHarnessQuota(text: string, file: string): HarnessQuota {
  const out = emptyHarnessQuota();
  const at = (path: Array<string | number>) => {
    const line = findKeyLine(text, path);
    return line === null ? file : `${file}:${line}`;
  };
  let data: Record<string, unknown>;
  try {
    data = parse(text.startsWith("\uFEFF") ? text.slice(1) : text) as Record<string, unknown>;
  } catch (err) {
    const { line, what } = describeTomlError(err);
    out.notes.push(`${line === null ? file : `${file}:${line}`}: not read: invalid TOML: ${what}`);
    return out;
  }
  const tier = data.claude_plan_tier;
  if (tier !== undefined) {
    if (typeof tier === "string" && Object.hasOwn(PLAN_TIERS, tier)) {
      out.plan = PLAN_TIERS[tier]!;
      out.planTier = tier;
    } else {
      out.notes.push(`${at(["claude_plan_tier"])}: skipped claude_plan_tier ${JSON.stringify(tier)}: expected "pro", "max-5x" or "max-20x"`);
    }
  }
  for (const [table, expected] of [
    ["prices", "[input, output] in USD per 1M tokens"],
    ["tps", "a positive number of tokens per second"],
  ] as const) {
    const harnesses = data[table];
    if (harnesses === undefined) continue;
    if (!isTable(harnesses)) {
      out.notes.push(`${at([table])}: skipped ${table}: expected a table of harnesses`);
      continue;
    }
    for (const [harness, models] of Object.entries(harnesses)) {
      if (!isTable(models)) {
        out.notes.push(`${at([table, harness])}: skipped [${table}.${tomlKey(harness)}]: expected a table of models`);
        continue;
      }
      for (const [model, value] of Object.entries(models)) {
        if (table === "prices" && Array.isArray(value) && value.length === 2 && isAmount(value[0]) && isAmount(value[1])) {
          (out.prices[harness] ??= {})[model] = { input: value[0], output: value[1] };
        } else if (table === "tps" && isAmount(value) && value > 0) {
          (out.tps[harness] ??= {})[model] = value;
        } else {
          out.notes.push(`${at([table, harness, model])}: skipped [${table}.${tomlKey(harness)}] ${tomlKey(model)}: expected ${expected}`);
        }
      }
    }
  }
  return out;
}

/** Names go into one-line messages: quote any that hold control characters. */
function printable(name: string): string {
  return /[\u0000-\u001f\u007f]/.test(name) ? JSON.stringify(name) : name;
}

function modelCount(table: Record<string, Record<string, unknown>>): { models: number; list: string } {
  let models = 0;
  const parts: string[] = [];
  for (const [harness, byModel] of Object.entries(table)) {
    const names = Object.keys(byModel);
    models += names.length;
    parts.push(`${printable(harness)}: ${names.map(printable).join(", ")}`);
  }
  return { models, list: parts.join("; ") };
}

/**
 * What was taken from the file, in words, for `config check`. `planSetBy` names what set the
 * plan instead when usagetop's own flags, environment or config did (they win, SPEC 7.2).
 */
export function describeImport(q: HarnessQuota, file: string, planSetBy: string | null): string[] {
  const lines: string[] = [];
  if (q.plan !== null) {
    lines.push(
      planSetBy === null
        ? `imported plan ${q.plan} from claude_plan_tier = "${q.planTier}" in ${file}`
        : `not imported: claude_plan_tier = "${q.planTier}" in ${file}: plan set by ${planSetBy}`,
    );
  }
  const prices = modelCount(q.prices);
  if (prices.models > 0) lines.push(`imported prices for ${prices.models} model${prices.models === 1 ? "" : "s"} (${prices.list}) from ${file}`);
  const tps = modelCount(q.tps);
  if (tps.models > 0) lines.push(`imported tokens per second for ${tps.models} model${tps.models === 1 ? "" : "s"} (${tps.list}) from ${file}`);
  return [...lines, ...q.notes];
}
