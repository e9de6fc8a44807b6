import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { describeValue, expectation, keyName, knownKeys, schemaAt, tableName } from "./issue-text.js";
import { ConfigFileSchema } from "./schema.js";

describe("expectation", () => {
  it.each([
    [z.number().check(z.positive()), "a positive number"],
    [z.number().check(z.nonnegative()), "a non-negative number"],
    [z.number().check(z.int(), z.gte(0), z.lte(65535)), "an integer from 0 to 65535"],
    [z.int().check(z.gte(0), z.lte(65535)), "an integer from 0 to 65535"],
    [z.int(), "an integer"],
    [z.number().check(z.positive(), z.lte(2)), "a positive number up to 2"],
    [z.number().check(z.gt(1)), "a number > 1"],
    [z.string(), "a string"],
    [z.string().check(z.minLength(1)), "a non-empty string"],
    [z.url(), "a URL"],
    [z.string().check(z.url()), "a URL"],
    [z.optional(z.url()), "a URL"],
    [z.boolean(), "true or false"],
    [z.enum(["pause", "run"]), 'one of "pause", "run"'],
    [z.array(z.number().check(z.int(), z.nonnegative())), "a list of non-negative integers"],
    [z.optional(z.array(z.string()).check(z.minLength(1))), "a non-empty list of strings"],
    [z.union([z.string().check(z.minLength(1)), z.array(z.string()).check(z.minLength(1))]), "a non-empty string or a non-empty list of strings"],
    [z.strictObject({ a: z.string() }), "a table"],
  ])("%#", (schema, words) => {
    expect(expectation(schema)).toBe(words);
  });

  it("describes every key the config schema has, so a new field needs no new words", () => {
    const leaves: Array<Array<string | number>> = [];
    const walk = (path: Array<string | number>) => {
      const keys = knownKeys(ConfigFileSchema, path);
      if (keys.length === 0) return leaves.push(path);
      for (const k of keys) walk([...path, k]);
    };
    walk([]);
    // Records and arrays of tables: reach inside with a sample key / index.
    for (const k of knownKeys(ConfigFileSchema, ["plans", "x"])) walk(["plans", "x", k]);
    for (const k of knownKeys(ConfigFileSchema, ["prices", "m"])) walk(["prices", "m", k]);
    for (const k of knownKeys(ConfigFileSchema, ["cost_tiers", 0])) walk(["cost_tiers", 0, k]);
    expect(leaves.length).toBeGreaterThan(60);
    for (const path of leaves) {
      expect(schemaAt(ConfigFileSchema, path), path.join(".")).not.toBeNull();
      expect(expectation(schemaAt(ConfigFileSchema, path)), path.join(".")).not.toMatch(/value/);
    }
  });
});

describe("names for tables and keys", () => {
  it.each([
    [["general"], "[general]"],
    [["readers", "oauth"], "[readers.oauth]"],
    [["prices", "claude-sonnet-4.5"], '[prices."claude-sonnet-4.5"]'],
    [["cost_tiers", 1], "[[cost_tiers]] #2"],
    [[], null],
  ] as Array<[Array<string | number>, string | null]>)("tableName %#", (path, name) => {
    expect(tableName(path)).toBe(name);
  });

  it.each([
    [["general", "interval"], "[general] interval"],
    [["cost_tiers", 0, "id"], "[[cost_tiers]] #1 id"],
    [["wave", "thresholds", 2], "[wave] thresholds (item 3)"],
    [["general"], "general"],
    [["prices", "a b", "input"], '[prices."a b"] input'],
  ] as Array<[Array<string | number>, string]>)("keyName %#", (path, name) => {
    expect(keyName(path)).toBe(name);
  });
});

describe("describeValue", () => {
  it("renders what was found briefly and on one line", () => {
    expect(describeValue("x\ny")).toBe('"x\\ny"');
    expect(describeValue(undefined)).toBe("nothing (the key is required)");
    expect(describeValue([])).toBe("an empty list");
    expect(describeValue([1, 2])).toBe("[1,2]");
    expect(describeValue({})).toBe("a table");
    expect(describeValue(new Date(0))).toBe("a date");
    expect(describeValue("y".repeat(100))).toHaveLength(43);
  });
});
