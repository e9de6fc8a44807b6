import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseGoDuration, parseIsoInstant, unixToDate } from "./parse-time.js";

describe("parseIsoInstant", () => {
  it.each([
    ["2026-01-02T19:59:59.600956+00:00", "2026-01-02T19:59:59.600Z"],
    ["2026-01-02T20:00:00Z", "2026-01-02T20:00:00.000Z"],
    ["2026-01-02T04:59:59.000000+00:00", "2026-01-02T04:59:59.000Z"],
    ["2026-01-02T04:59:59+00:00", "2026-01-02T04:59:59.000Z"],
    ["2026-01-02T06:59:59+02:00", "2026-01-02T04:59:59.000Z"],
    ["2026-01-02T04:59:59-0530", "2026-01-02T10:29:59.000Z"],
    ["2025-02-24T20:37:51Z", "2025-02-24T20:37:51.000Z"],
  ])("%s", (text, iso) => {
    expect(parseIsoInstant(text)?.toISOString()).toBe(iso);
  });

  it.each(["", "2026-01-02", "2026-01-02T20:00:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "next tuesday", "2026-01-02T25:00:00Z"])(
    "rejects %s",
    (text) => {
      expect(parseIsoInstant(text)).toBeNull();
    },
  );

  it("never throws and returns a valid date or null", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (v) => {
        const d = parseIsoInstant(v);
        expect(d === null || !Number.isNaN(d.getTime())).toBe(true);
      }),
    );
  });

  it("round-trips any instant written as ISO with microseconds", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1971-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }), (d) => {
        const text = d.toISOString().replace("Z", "123+00:00");
        expect(parseIsoInstant(text)?.getTime()).toBe(d.getTime());
      }),
    );
  });
});

describe("unixToDate", () => {
  it("reads seconds, milliseconds by magnitude, and 0 as unknown", () => {
    expect(unixToDate(1790000000)?.toISOString()).toBe("2026-09-21T14:13:20.000Z");
    expect(unixToDate(1790000000000)?.toISOString()).toBe("2026-09-21T14:13:20.000Z");
    expect(unixToDate("1790000000")?.toISOString()).toBe("2026-09-21T14:13:20.000Z");
    expect(unixToDate(0)).toBeNull();
    expect(unixToDate(-5)).toBeNull();
    expect(unixToDate(1e308)).toBeNull();
    expect(unixToDate("2026-09-21")).toBeNull();
  });
});

describe("parseGoDuration", () => {
  it.each([
    ["1s", 1000],
    ["6m0s", 360_000],
    ["23h55m16.126s", 86_116_126],
    ["120ms", 120],
    ["34ms", 34],
    ["1m30s", 90_000],
    ["1500us", 1.5],
    ["2000000ns", 2],
    ["12", 12_000],
    ["0", 0],
  ])("%s", (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 6);
  });

  it.each(["", "-1", "6m0", "abc", "1d", "1h 2m"])("rejects %s", (text) => {
    expect(parseGoDuration(text)).toBeNull();
  });

  it("never throws", () => {
    fc.assert(fc.property(fc.anything(), (v) => void parseGoDuration(v)));
  });
});
