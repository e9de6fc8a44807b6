import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codexKindForMinutes, parseHeaderCapture } from "./parse-headers.js";

const DIR = join(import.meta.dirname, "..", "..", "fixtures", "headers");
const files = readdirSync(DIR);
const cases = files
  .filter((f) => f.endsWith(".expected.json"))
  .map((f) => {
    const name = f.replace(/\.expected\.json$/, "");
    const input = files.find((g) => g !== f && !g.endsWith(".expected.json") && g.replace(/\.[^.]+$/, "") === name);
    return { name, input: input! };
  });

type Expected = { mtime: string; meters: Array<Record<string, unknown>>; notes: string[]; warnings: string[] };

describe("parseHeaderCapture on recorded captures", () => {
  it("has at least 6 header captures with expectations", () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
    expect(cases.every((c) => c.input !== undefined)).toBe(true);
  });

  for (const { name, input } of cases) {
    it(name, () => {
      const text = readFileSync(join(DIR, input), "utf8");
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), "utf8")) as Expected;
      const mtime = new Date(expected.mtime);
      const r = parseHeaderCapture(text, mtime);
      const got = [...r.meters].sort((a, b) => a.kind.localeCompare(b.kind));
      expect(got.map((m) => m.kind)).toEqual(expected.meters.map((m) => m.kind));
      expected.meters.forEach((want, i) => {
        const m = got[i]!;
        const view: Record<string, unknown> = { ...m, resetsAt: m.resetsAt ? m.resetsAt.toISOString() : null };
        for (const [field, value] of Object.entries(want)) {
          if (typeof value === "number") expect(view[field], `${want.kind}.${field}`).toBeCloseTo(value, 9);
          else expect(view[field], `${want.kind}.${field}`).toEqual(value);
        }
        expect(m.source).toBe("headers");
        expect(m.observedAt.getTime()).toBe(mtime.getTime());
      });
      expect(r.notes).toHaveLength(expected.notes.length);
      for (const n of expected.notes) expect(r.notes.some((x) => x.includes(n)), n).toBe(true);
      expect(r.warnings).toHaveLength(expected.warnings.length);
    });
  }
});

describe("parseHeaderCapture rules", () => {
  const mtime = new Date("2026-09-20T12:00:00Z");

  it("reads a bare header block without a status line", () => {
    const r = parseHeaderCapture("anthropic-ratelimit-unified-5h-utilization: 0.5\nanthropic-ratelimit-unified-5h-reset: 1789916400\n", mtime);
    expect(r.meters.map((m) => [m.kind, m.utilisation])).toEqual([["five_hour", 50]]);
  });

  it("ignores header-looking lines in a body", () => {
    const r = parseHeaderCapture("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nanthropic-ratelimit-unified-5h-utilization: 0.99\r\n", mtime);
    expect(r.meters).toEqual([]);
  });

  it("never treats surpassed-threshold or fallback-percentage as usage", () => {
    const r = parseHeaderCapture(
      "HTTP/2 200\nanthropic-ratelimit-unified-5h-surpassed-threshold: 0.9\nanthropic-ratelimit-unified-fallback-percentage: 0.5\n",
      mtime,
    );
    expect(r.meters).toEqual([]);
  });

  it("reads curl -v output", () => {
    const r = parseHeaderCapture("> GET / HTTP/2\n< HTTP/2 200\n< anthropic-ratelimit-unified-7d-utilization: 0.25\n<\n", mtime);
    expect(r.meters.map((m) => [m.kind, m.utilisation])).toEqual([["seven_day", 25]]);
  });

  it("classifies codex windows by minutes", () => {
    expect(codexKindForMinutes(299)).toBe("codex_primary");
    expect(codexKindForMinutes(10079)).toBe("codex_secondary");
    expect(codexKindForMinutes(43800)).toBe("codex_43800m");
  });

  it("drops a relative reset past what a Date can hold, with a warning (found by the property below)", () => {
    const r = parseHeaderCapture("HTTP/2 200\r\nx-codex-a-b-secondary-reset-after-seconds: 8638210094400.001\r\nx-codex-a-b-secondary-used-percent: 1e308\r\n", mtime);
    for (const m of r.meters) expect(m.resetsAt).toBeNull();
    expect(r.warnings.join("\n")).toContain("reset-after-seconds: out of range");
  });

  it("never throws on hostile text", () => {
    const headerLine = fc
      .tuple(
        fc.constantFrom("anthropic-ratelimit-unified-5h-", "anthropic-ratelimit-unified-x-", "anthropic-ratelimit-tokens-", "x-ratelimit-", "x-codex-primary-", "x-codex-a-b-secondary-"),
        fc.constantFrom("utilization", "reset", "status", "limit", "remaining", "reset-tokens", "limit-tokens", "used-percent", "window-minutes", "reset-at", "reset-after-seconds"),
        fc.oneof(fc.string(), fc.double().map(String), fc.constantFrom("-1", "0", "1e308", "NaN", "6m0s", "2026-13-01T00:00:00Z")),
      )
      .map(([a, b, v]) => `${a}${b}: ${v}`);
    const capture = fc.oneof(
      fc.string(),
      fc.array(headerLine).map((l) => `HTTP/2 ${l.length % 2 ? 429 : 200}\r\n${l.join("\r\n")}\r\n`),
      fc.jsonValue().map((j) => JSON.stringify(j)),
      fc.array(fc.jsonValue()).map((a) => a.map((j) => JSON.stringify({ type: "rate_limit_event", rate_limit_info: j })).join("\n")),
    );
    fc.assert(
      fc.property(capture, (text) => {
        const r = parseHeaderCapture(text, mtime);
        for (const m of r.meters) {
          expect(m.utilisation === null || (Number.isFinite(m.utilisation) && m.utilisation >= 0)).toBe(true);
          expect(m.resetsAt === null || !Number.isNaN(m.resetsAt.getTime())).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
