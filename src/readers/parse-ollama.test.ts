import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseOllamaPs } from "./parse-ollama.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/ollama");
const at = new Date("2026-09-16T21:00:00Z");
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as unknown;

describe("parseOllamaPs", () => {
  it("sums size_vram against the budget", () => {
    const got = parseOllamaPs(fixture("ps-two-models.json"), 16_000_000_000, at);
    if ("error" in got) throw new Error(got.error);
    expect(got.meters).toEqual([
      {
        kind: "local_vram",
        label: "Local VRAM",
        utilisation: (11_337_780_000 / 16_000_000_000) * 100,
        resetsAt: null,
        windowSeconds: null,
        used: 11_337_780_000,
        limit: 16_000_000_000,
        unit: "bytes",
        source: "ollama",
        observedAt: at,
        estimated: false,
      },
    ]);
    expect(got.models.map((m) => m.name)).toEqual(["qwen2.5-coder:14b", "nomic-embed-text:latest"]);
  });

  it("without a budget reports the bytes used and an unknown utilisation", () => {
    const got = parseOllamaPs(fixture("ps-two-models.json"), null, at);
    if ("error" in got) throw new Error(got.error);
    expect(got.meters[0]).toMatchObject({ utilisation: null, used: 11_337_780_000 });
    expect(got.meters[0]!.limit).toBeUndefined();
  });

  it("an idle server is a 0-byte meter", () => {
    const got = parseOllamaPs(fixture("ps-idle.json"), 8e9, at);
    if ("error" in got) throw new Error(got.error);
    expect(got.meters[0]).toMatchObject({ utilisation: 0, used: 0 });
  });

  it("names the bad field", () => {
    expect(parseOllamaPs({ models: [{ size_vram: -1 }] }, null, at)).toEqual({ error: expect.stringMatching(/models\.0\.size_vram/) });
    expect(parseOllamaPs("<html>", null, at)).toHaveProperty("error");
  });

  it("never throws and never reports a negative use", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ models: fc.array(fc.record({ name: fc.string(), size_vram: fc.double() }, { requiredKeys: [] })) })), (body) => {
        const got = parseOllamaPs(body, 1e9, at);
        if (!("error" in got)) expect(got.meters[0]!.used).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
