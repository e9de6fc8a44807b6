// `[wave]` in config.toml: the loader validates the lists the policy relies on (one concurrency
// per threshold, rising thresholds, no empty lists), naming the file, line and key.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config/config-error.js";
import { parseConfigText } from "../config/parse-file.js";
import { rate, wavePolicy } from "./policy.js";

function problem(text: string): string {
  try {
    parseConfigText(text, "/cfg/config.toml");
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return "no error";
}

describe("[wave] validation", () => {
  it("accepts a consistent table and the policy follows it", () => {
    const file = parseConfigText('[wave]\nthresholds = [40, 70, 90]\nconcurrency = [6, 3, 1]\nwarn_at = 85\npause_at = 90\nresume_delay = 2\non_unknown = "run"\nswitch = true\n', "x.toml");
    const p = wavePolicy(file.wave);
    expect(p).toMatchObject({ resumeDelaySeconds: 2, onUnknown: "run", switch: true, pauseAt: 90 });
    expect(rate(39.9, p)).toMatchObject({ concurrency: 6 });
    expect(rate(89.9, p)).toMatchObject({ concurrency: 1, warn: true });
  });

  it("refuses lists of different lengths, naming the line and key", () => {
    expect(problem("[wave]\nthresholds = [50, 65, 75, 80]\nconcurrency = [3, 2, 1]\n")).toBe(
      "/cfg/config.toml:3: [wave] concurrency: needs one concurrency per threshold, got 3 concurrencies for 4 thresholds",
    );
    expect(problem("[wave]\nthresholds = [50, 65, 75, 80]\n")).toBe(
      "/cfg/config.toml:2: [wave] thresholds: needs one concurrency per threshold, got 3 default concurrencies for 4 thresholds",
    );
  });

  it("refuses empty lists, falling thresholds, negative or fractional concurrency, unknown on_unknown", () => {
    expect(problem("[wave]\nthresholds = []\nconcurrency = []\n")).toMatch(/^\/cfg\/config\.toml:2: \[wave\] thresholds: expected a non-empty list/);
    expect(problem("[wave]\nthresholds = [50, 40, 80]\n")).toMatch(/must rise, but 40 follows 50/);
    expect(problem("[wave]\nconcurrency = [3, -1, 1]\n")).toMatch(/\[wave\] concurrency \(item 2\)/);
    expect(problem("[wave]\nconcurrency = [3, 1.5, 1]\n")).toMatch(/\[wave\] concurrency \(item 2\)/);
    expect(problem('[wave]\non_unknown = "maybe"\n')).toMatch(/on_unknown: expected one of "pause", "run"/);
  });
});
