import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error.js";
import { parseConfigText } from "./parse-file.js";

const FILE = "/home/u/.config/usagetop/config.toml";
const FIXTURES = join(import.meta.dirname, "../../fixtures/config");

/** The one-line message a text produces, or null when it parses. */
function errorOf(text: string): string | null {
  try {
    parseConfigText(text, FILE);
    return null;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    expect(err.message).not.toContain("\n");
    return err.message;
  }
}

describe("parseConfigText: valid files", () => {
  it("accepts an empty file, a comment-only file and a BOM", () => {
    expect(parseConfigText("", FILE)).toEqual({});
    expect(parseConfigText("# nothing\n\n", FILE)).toEqual({});
    expect(parseConfigText("\uFEFF[general]\nplan = \"pro\"\n", FILE)).toEqual({ general: { plan: "pro" } });
  });

  it("accepts a file that sets every section", () => {
    const file = parseConfigText(readFileSync(join(FIXTURES, "full.toml"), "utf8"), FILE);
    expect(file.general?.plan).toBe("team_plus");
    expect(file.cost_tiers).toHaveLength(2);
    expect(file.readers?.usage_script?.command).toEqual(["~/bin/usage.sh", "--quiet"]);
  });

  it("accepts the built-in plans and plans defined in [plans]", () => {
    for (const plan of ["pro", "max", "max_5x", "max_20x", "team", "enterprise", "api", "codex", "local"]) {
      expect(errorOf(`[general]\nplan = "${plan}"\n`)).toBeNull();
    }
    expect(errorOf(`[general]\nplan = "mine"\n[plans.mine]\nmeters = ["five_hour"]\n`)).toBeNull();
  });
});

describe("parseConfigText: one line naming file, line and key", () => {
  it("names a misspelt key in [general] with its line and a suggestion", () => {
    const msg = errorOf(readFileSync(join(FIXTURES, "typo.toml"), "utf8"));
    expect(msg).toBe(`${FILE}:4: unknown key "intervall" in [general] (did you mean "interval"?)`);
  });

  it.each([
    ["[readers.oauth]\nenabled = true\nbase_ur = \"http://x\"\n", 3, 'unknown key "base_ur" in [readers.oauth] (did you mean "base_url"?)'],
    ["[slots]\nnames = [\"a\"]\nfalback_order = [\"a\"]\n", 3, 'unknown key "falback_order" in [slots] (did you mean "fallback_order"?)'],
    ["[wave]\n\n\nconcurency = [1]\n", 4, 'unknown key "concurency" in [wave] (did you mean "concurrency"?)'],
    ["[[cost_tiers]]\nid = \"a\"\n[[cost_tiers]]\nid = \"b\"\ncolour = \"red\"\n", 5, 'unknown key "colour" in [[cost_tiers]] #2 (did you mean "color"?)'],
    ["[prices.\"claude-x\"]\ninput = 1\noutput = 2\ncache = 3\n", 4, 'unknown key "cache" in [prices.claude-x]'],
    ["[prices.\"claude-4.5\"]\ninput = 1\noutput = 2\ncache = 3\n", 4, 'unknown key "cache" in [prices."claude-4.5"]'],
    ["[readers.oauht]\nenabled = true\n", 1, "unknown section [readers.oauht] (did you mean [readers.oauth]?)"],
    ["[genral]\nplan = \"max\"\n", 1, "unknown section [genral] (did you mean [general]?)"],
    ["color = true\n", 1, 'unknown key "color" at top level'],
  ])("unknown key %#", (text, line, what) => {
    expect(errorOf(text)).toBe(`${FILE}:${line}: ${what}`);
  });

  it.each([
    ["[general]\nplan = \"max\"\ninterval = \"x\"\n", 3, '[general] interval: expected a positive number, got "x"'],
    ["[general]\ninterval = -5\n", 2, "[general] interval: expected a positive number, got -5"],
    ["[readers.usage_screen]\nmode = \"screen\"\n", 2, '[readers.usage_screen] mode: expected one of "headless", "tmux", got "screen"'],
    ["[readers.oauth]\nbase_url = \"not a url\"\n", 2, '[readers.oauth] base_url: expected a URL, got "not a url"'],
    ["[readers.usage_script]\ncommand = 5\n", 2, "[readers.usage_script] command: expected a non-empty string or a non-empty list of strings, got 5"],
    ["[plans.x]\n# no meters\n", 1, "[plans.x] meters: expected a non-empty list of strings, got nothing (the key is required)"],
    ["[plans.x]\nmeters = []\n", 2, "[plans.x] meters: expected a non-empty list of strings, got an empty list"],
    ["[[cost_tiers]]\nid = \"a\"\n[[cost_tiers]]\nid = 7\n", 4, "[[cost_tiers]] #2 id: expected a non-empty string, got 7"],
    ["[wave]\nthresholds = [50, \"x\", 80]\n", 2, '[wave] thresholds (item 2): expected a number from 0 to 200, got "x"'],
    ["[serve]\nport = 1.5\n", 2, "[serve] port: expected an integer from 0 to 65535, got 1.5"],
    ["[general]\ntimezone = 1979-05-27\n", 2, "[general] timezone: expected a string, got a date"],
    ["general = 5\n", 1, "general: expected a table, got 5"],
  ])("wrong type %#", (text, line, what) => {
    expect(errorOf(text)).toBe(`${FILE}:${line}: ${what}`);
  });

  it.each([
    ["[general]\nplan = \"maxx\"\n", 2, '[general] plan: unknown plan "maxx"'],
    ["[general]\ntimezone = \"Europe/Helsink\"\n", 2, '[general] timezone: unknown time zone "Europe/Helsink"'],
    ["[general]\nslot = \"Bob Smith\"\n", 2, '[general] slot: "Bob Smith" is not a slot name'],
    ["[slots]\nnames = [\"a\", \"b\"]\nprimary = \"c\"\n", 3, '[slots] primary: "c" is not in [slots] names'],
    ["[slots]\nnames = [\"a\"]\nfallback_order = [\"a\", \"z\"]\n", 3, '[slots] fallback_order: "z" is not in [slots] names'],
    ["[wave]\nthresholds = [50, 40]\n", 2, "[wave] thresholds: must rise, but 40 follows 50"],
    ["[wave]\nthresholds = [50, 80]\nconcurrency = [3, 2, 1]\n", 3, "[wave] concurrency: needs one concurrency per threshold"],
    ["[wave]\nthresholds = [50, 80]\n", 2, "[wave] thresholds: needs one concurrency per threshold"],
    ["[[cost_tiers]]\nid = \"x\"\nprice_range_min = 5\nprice_range_max = 1\n", 4, "[[cost_tiers]] #1 price_range_max: 1 is below price_range_min 5"],
  ])("invalid value %#", (text, line, what) => {
    expect(errorOf(text)).toContain(`${FILE}:${line}: ${what}`);
  });

  it("reports the first problem in the file and counts the rest", () => {
    const msg = errorOf("[wave]\nswitch = 1\n[general]\nintervall = 3\ninterval = \"x\"\n");
    expect(msg).toBe(`${FILE}:2: [wave] switch: expected true or false, got 1 (and 2 more)`);
  });

  it("gives TOML syntax errors their line and column", () => {
    expect(errorOf("[general]\nplan = \"max\"\ninterval = \n")).toBe(`${FILE}:3: invalid TOML at column 12: invalid value`);
    expect(errorOf("[general]\n[general]\n")).toBe(`${FILE}:2: invalid TOML at column 2: trying to redefine an already defined table or value`);
    expect(errorOf("a = \"unterminated\n")).toMatch(new RegExp(`^${FILE}:1: invalid TOML`));
  });

  it("refuses a file too large to be a config", () => {
    expect(errorOf(`# ${"x".repeat(1024 * 1024)}\n`)).toBe(`${FILE}: too large for a config file (over 1 MiB)`);
  });
});

describe("parseConfigText: hostile input", () => {
  const onlyConfigErrors = (text: string) => {
    try {
      parseConfigText(text, FILE);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message.startsWith(FILE)).toBe(true);
      expect((err as Error).message).not.toContain("\n");
    }
  };

  it("throws nothing but a one-line ConfigError for arbitrary text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), onlyConfigErrors), { numRuns: 500 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), onlyConfigErrors), { numRuns: 300 });
  });

  it("throws nothing but a one-line ConfigError for TOML-shaped fragments", () => {
    const fragment = fc.constantFrom(
      "[general]", "[readers.oauth]", "[[cost_tiers]]", "[plans.x]", "[prices.\"m\"]", "[slots]", "[wave]",
      "plan = ", "interval = ", "id = ", "meters = ", "names = ", "__proto__ = ", "constructor = ", "toString = ",
      "\"x\"", "1", "-1", "1.5", "true", "1979-05-27", "[", "]", "{", "}", ",", "=", ".", "\"\"\"", "'''", "#", "\n", " ",
      "[\"a\", \"b\"]", "{ a = 1 }", "\"max\"", "\"Bad Slot\"",
    );
    fc.assert(fc.property(fc.array(fragment, { maxLength: 40 }).map((a) => a.join("")), onlyConfigErrors), { numRuns: 1000 });
  });

  it("survives deep nesting", () => {
    onlyConfigErrors(`a = ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    onlyConfigErrors(`a = ${"{ b = ".repeat(2000)}1${" }".repeat(2000)}\n`);
  });
});
