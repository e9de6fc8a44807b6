import { describe, expect, it } from "vitest";
import { EXAMPLE_CONFIG } from "./example.js";
import { knownKeys } from "./issue-text.js";
import { parseConfigText } from "./parse-file.js";
import { ConfigFileSchema, type ConfigFile } from "./schema.js";

/** Turns every commented setting (`# key = value`, `# [table]`, `# [[array]]`) into a live line. */
function uncomment(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/^# (?=\[|[A-Za-z0-9_"-]+(\.[A-Za-z0-9_"-]+)* = )/, ""))
    .join("\n");
}

const FILE = "/example/config.toml";

describe("the config init example", () => {
  it("changes nothing as shipped: every line is a comment", () => {
    expect(parseConfigText(EXAMPLE_CONFIG, FILE)).toEqual({});
    for (const line of EXAMPLE_CONFIG.split("\n")) expect(line === "" || line.startsWith("#"), line).toBe(true);
  });

  it("is a valid config with every example line uncommented", () => {
    const live = uncomment(EXAMPLE_CONFIG);
    expect(live).not.toBe(EXAMPLE_CONFIG);
    // Explanations stay comments; only settings came alive.
    for (const line of live.split("\n")) if (line.startsWith("#")) expect(line.startsWith("## "), line).toBe(true);
    const file: ConfigFile = parseConfigText(live, FILE);
    expect(file.general?.interval).toBe(180);
    expect(file.readers?.oauth?.base_url).toBe("https://api.anthropic.com");
    expect(file.wave).toMatchObject({ thresholds: [50, 65, 80], concurrency: [3, 2, 1], on_unknown: "pause" });
    expect(file.slots).toMatchObject({ weekly_exhausted: 85, five_hour_exhausted: 90, sonnet_exhausted: 95, probe_cooldown: 3600 });
    expect(file.cost_tiers).toHaveLength(1);
  });

  it("shows every section of SPEC 7.2 and every key the schema accepts", () => {
    const file = parseConfigText(uncomment(EXAMPLE_CONFIG), FILE) as Record<string, unknown>;
    const missing: string[] = [];
    const visit = (path: Array<string | number>, value: unknown) => {
      for (const key of knownKeys(ConfigFileSchema, path)) {
        const child = (value as Record<string, unknown> | undefined)?.[key];
        if (child === undefined) missing.push([...path, key].join("."));
        else visit([...path, key], child);
      }
    };
    visit([], file);
    const plans = file.plans as Record<string, unknown>;
    const prices = file.prices as Record<string, unknown>;
    const tiers = file.cost_tiers as unknown[];
    for (const [name, value] of Object.entries(plans)) visit(["plans", name], value);
    for (const [name, value] of Object.entries(prices)) visit(["prices", name], value);
    visit(["cost_tiers", 0], tiers[0]);
    expect(missing).toEqual([]);
  });
});
