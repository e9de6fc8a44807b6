import fc from "fast-check";
import { parse, stringify } from "smol-toml";
import { describe, expect, it } from "vitest";
import { findKeyLine, scanKeyLines } from "./toml-lines.js";

const TEXT = `# comment line 1
title = "x"

[general]
plan = "max"
intervall = 3

[readers.oauth]
interval = "x"
base_url = """
[general]
plan = "not a header"
"""

[ readers . "usage_screen" ]
mode = 'tmux' # trailing comment

[plans.x]
# meters is missing here

[prices."claude-sonnet-4.5"]
input = 3

[[cost_tiers]]
id = "a"

[[cost_tiers]]
id = "b"
colour = "red"

[wave]
thresholds = [
  50,
  "[general]",
  80,
]
after = 1
slots.names = ["a"]
inline = { a = 1, b = "x" }
`;

describe("findKeyLine", () => {
  it("finds keys in simple tables", () => {
    expect(findKeyLine(TEXT, ["general", "intervall"])).toBe(6);
    expect(findKeyLine(TEXT, ["general", "plan"])).toBe(5);
    expect(findKeyLine(TEXT, ["title"])).toBe(2);
  });

  it("finds keys under dotted and spaced headers with quoted segments", () => {
    expect(findKeyLine(TEXT, ["readers", "oauth", "interval"])).toBe(9);
    expect(findKeyLine(TEXT, ["readers", "usage_screen", "mode"])).toBe(16);
    expect(findKeyLine(TEXT, ["prices", "claude-sonnet-4.5", "input"])).toBe(22);
  });

  it("does not read the inside of a multi-line string or array as keys", () => {
    // The fake [general] inside base_url must not shadow the real one or move later keys.
    expect(findKeyLine(TEXT, ["readers", "oauth", "base_url"])).toBe(10);
    expect(scanKeyLines(TEXT).filter((e) => e.path.join(".") === "general")).toHaveLength(1);
    expect(findKeyLine(TEXT, ["wave", "after"])).toBe(37);
  });

  it("counts array-of-tables elements", () => {
    expect(findKeyLine(TEXT, ["cost_tiers", 0, "id"])).toBe(25);
    expect(findKeyLine(TEXT, ["cost_tiers", 1, "id"])).toBe(28);
    expect(findKeyLine(TEXT, ["cost_tiers", 1, "colour"])).toBe(29);
  });

  it("falls back to the enclosing table for a missing key or an array element", () => {
    expect(findKeyLine(TEXT, ["plans", "x", "meters"])).toBe(18);
    expect(findKeyLine(TEXT, ["wave", "thresholds", 1])).toBe(32);
    expect(findKeyLine(TEXT, ["wave", "inline", "b"])).toBe(39);
  });

  it("finds dotted keys and tables defined only through sub-tables", () => {
    expect(findKeyLine(TEXT, ["wave", "slots", "names"])).toBe(38);
    expect(findKeyLine(TEXT, ["readers"])).toBe(8);
    expect(findKeyLine(TEXT, ["plans"])).toBe(18);
  });

  it("returns null when nothing matches", () => {
    expect(findKeyLine(TEXT, ["nope", "x"])).toBeNull();
    expect(findKeyLine("", ["general"])).toBeNull();
  });

  it("handles nested arrays of tables", () => {
    const text = "[[a]]\nx = 1\n[a.b]\ny = 2\n[[a]]\n[a.b]\ny = 3\n";
    expect(findKeyLine(text, ["a", 0, "b", "y"])).toBe(4);
    expect(findKeyLine(text, ["a", 1, "b", "y"])).toBe(7);
  });

  it("never throws, whatever the text and path", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.nat(5)), { maxLength: 4 }), (text, path) => {
        const line = findKeyLine(text, path);
        expect(line === null || (Number.isInteger(line) && line >= 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("locates every key of any config smol-toml writes", () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    const scalar = fc.oneof(fc.integer(), fc.string({ maxLength: 12 }), fc.boolean(), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }));
    const table = fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 4 });
    const doc = fc.dictionary(key, table, { minKeys: 1, maxKeys: 4 });
    fc.assert(
      fc.property(doc, (data) => {
        const text = stringify(data);
        const lines = text.split("\n");
        parse(text);
        for (const [section, values] of Object.entries(data)) {
          for (const name of Object.keys(values)) {
            const line = findKeyLine(text, [section, name]);
            expect(line).not.toBeNull();
            expect(lines[line! - 1]!.trimStart().startsWith(`${name} =`) || lines[line! - 1]!.includes(`"${name}"`)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
