import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dayKeyIn, nextLocalBoundary, offsetIn, parseReportDate, projectReport, sessionReport } from "./usage-report.js";
import { buildPriceTable } from "./cost.js";
import { BUCKET_MS, type Bucket } from "./usage-ledger.js";
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

describe("projectReport", () => {
  const T0 = Date.parse("2026-01-05T10:00:00Z");
  const bucket = (project: string, sessionId: string, model: string, at: number, input: number, output: number): Bucket => ({
    start: Math.floor(at / BUCKET_MS) * BUCKET_MS,
    model,
    sessionId,
    project,
    minTs: at,
    maxTs: at,
    calls: 1,
    tokens: { input, output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    reportedCost: 0,
    reportedTokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    sidechainCalls: 0,
  });
  const options = { prices: buildPriceTable(), timeZone: "UTC" };

  it("sums each project's sessions, costliest first, with its first and last activity", () => {
    const r = projectReport(
      [
        bucket("-home-a-web", "s1", "claude-sonnet-4-5-20250929", T0, 1000, 100),
        bucket("-home-a-web", "s2", "claude-opus-4-5-20251101", T0 + 3600_000, 2000, 200),
        bucket("-home-a-cli", "s3", "claude-haiku-4-5-20251001", T0 + 7200_000, 10, 1),
      ],
      options,
    );
    expect(r.projects.map((p) => [p.projectPath, p.sessions, p.calls, p.inputTokens])).toEqual([
      ["-home-a-web", 2, 2, 3000],
      ["-home-a-cli", 1, 1, 10],
    ]);
    expect(r.projects[0]).toMatchObject({ firstActivity: new Date(T0).toISOString(), lastActivity: new Date(T0 + 3600_000).toISOString(), modelsUsed: ["claude-opus-4-5-20251101", "claude-sonnet-4-5-20250929"] });
    expect(r.projects[0]!.totalCost).toBeGreaterThan(r.projects[1]!.totalCost);
  });

  it("property: projects partition the sessions, and their totals are the sessions' totals", () => {
    const arb = fc.array(
      fc.record({ project: fc.constantFrom("-p-a", "-p-b", "-p-c"), session: fc.constantFrom("s1", "s2", "s3", "s4"), hour: fc.integer({ min: 0, max: 200 }), input: fc.nat(10_000), output: fc.nat(10_000) }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(arb, (calls) => {
        const buckets = calls.map((c) => bucket(c.project, c.session, "claude-sonnet-4-5-20250929", T0 + c.hour * 3600_000, c.input, c.output));
        const projects = projectReport(buckets, options);
        const sessions = sessionReport(buckets, options);
        expect(projects.projects.reduce((a, p) => a + p.sessions, 0)).toBe(sessions.sessions.length);
        expect(projects.totals.totalTokens).toBe(sessions.totals.totalTokens);
        expect(projects.totals.totalCost).toBeCloseTo(sessions.totals.totalCost, 9);
      }),
    );
  });
});
