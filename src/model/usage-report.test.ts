import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dayKeyIn, nextLocalBoundary, offsetIn, parseReportDate } from "./usage-report.js";
import { isTimeZone, LOCAL_ZONE } from "./zone-names.js";

describe("time zones", () => {
  it("dates a call in the report's zone", () => {
    const t = Date.parse("2026-01-06T23:30:00Z");
    expect(dayKeyIn("UTC")(t)).toBe("2026-01-06");
    expect(dayKeyIn("Asia/Tokyo")(t)).toBe("2026-01-07");
    expect(dayKeyIn("America/Los_Angeles")(t)).toBe("2026-01-06");
    expect(dayKeyIn("Asia/Kathmandu")(Date.parse("2026-01-06T18:14:59Z"))).toBe("2026-01-06");
    expect(dayKeyIn("Asia/Kathmandu")(Date.parse("2026-01-06T18:15:00Z"))).toBe("2026-01-07");
  });

  it("agrees with Intl for any instant", () => {
    const zones = ["UTC", "Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2024-01-01"), max: Date.parse("2028-01-01") }), fc.constantFrom(...zones), (t, zone) => {
        const want = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(t));
        return dayKeyIn(zone)(t) === want;
      }),
    );
  });

  it("finds the next local midnight and month start, across DST", () => {
    const berlin = nextLocalBoundary(Date.parse("2026-03-29T00:30:00Z"), "Europe/Berlin", "day");
    expect(new Date(berlin).toISOString()).toBe("2026-03-29T22:00:00.000Z");
    const month = nextLocalBoundary(Date.parse("2026-01-31T23:30:00Z"), "Asia/Tokyo", "month");
    expect(new Date(month).toISOString()).toBe("2026-02-28T15:00:00.000Z");
    expect(nextLocalBoundary(Date.parse("2026-01-05T10:00:00Z"), "UTC", "day")).toBe(Date.parse("2026-01-06T00:00:00Z"));
  });

  it("reads ccusage-style and ISO dates, and refuses others", () => {
    expect(parseReportDate("20260105")).toBe("2026-01-05");
    expect(parseReportDate("2026-01-05")).toBe("2026-01-05");
    expect(parseReportDate("2026-02-30")).toBeNull();
    expect(parseReportDate("yesterday")).toBeNull();
  });
});

describe("time zone offsets", () => {
  it("needs no Intl formatter for UTC under any of its names", () => {
    const t = Date.parse("2026-07-01T23:59:59Z");
    for (const zone of ["UTC", "utc", "Etc/UTC", "GMT", "Etc/GMT", "Zulu", "Etc/Universal"]) {
      expect(offsetIn(zone)(t)).toBe(0);
      expect(dayKeyIn(zone)(t)).toBe("2026-07-01");
    }
  });

  it("agrees with Intl's calendar fields for offsets with minutes and across DST", () => {
    const zones = ["Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/Sao_Paulo"];
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2020-01-01"), max: Date.parse("2030-01-01") }), fc.constantFrom(...zones), (t, zone) => {
        const p = Object.fromEntries(
          new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
            .formatToParts(new Date(t))
            .filter((x) => x.type !== "literal")
            .map((x) => [x.type, Number(x.value)]),
        );
        const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
        return wall - Math.floor(t / 60_000) * 60_000 === offsetIn(zone)(t);
      }),
    );
  });

  it("reads the process's own zone through Date exactly as Intl reads the same zone", () => {
    const saved = process.env.TZ;
    try {
      for (const zone of ["Europe/Berlin", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham", "UTC"]) {
        // Node re-reads TZ when it is assigned: Date's local time follows at once.
        process.env.TZ = zone;
        const local = offsetIn(LOCAL_ZONE);
        const named = offsetIn(zone);
        fc.assert(fc.property(fc.integer({ min: Date.parse("2020-01-01"), max: Date.parse("2030-01-01") }), (t) => local(t) === named(t)));
        expect(dayKeyIn(LOCAL_ZONE)(Date.parse("2026-01-06T23:30:00Z"))).toBe(dayKeyIn(zone)(Date.parse("2026-01-06T23:30:00Z")));
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
    expect([isTimeZone(LOCAL_ZONE), isTimeZone("utc"), isTimeZone("Etc/GMT"), isTimeZone("Europe/Berlin"), isTimeZone("Mars/Olympus")]).toEqual([false, true, true, true, false]);
  });
});
