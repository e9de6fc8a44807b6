import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cleanScreenLines, MAX_SCREEN_BYTES, parseUsageScreen } from "./parse-usage-screen.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/usage-screen");

type ExpectedMeter = {
  kind: string;
  utilisation: number | null;
  resetsAt: string | null;
  windowSeconds?: number | null;
  used?: number;
  limit?: number;
  currency?: string;
};
type Expected = {
  capturedAt: string;
  meters: ExpectedMeter[];
  missing: string[];
  error: string | null;
  loading?: boolean;
  warnings: string[];
};

const fixtureNames = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".txt"))
  .sort();

describe("parseUsageScreen on recorded screens", () => {
  it("has at least 8 screens with data and an expected file for each screen", () => {
    const withData = fixtureNames.filter((f) => {
      const exp = JSON.parse(readFileSync(join(FIXTURES, f.replace(/\.txt$/, ".expected.json")), "utf8")) as Expected;
      return exp.meters.length > 0;
    });
    expect(withData.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of fixtureNames) {
    it(name, () => {
      const text = readFileSync(join(FIXTURES, name), "utf8");
      const exp = JSON.parse(readFileSync(join(FIXTURES, name.replace(/\.txt$/, ".expected.json")), "utf8")) as Expected;
      const capturedAt = new Date(exp.capturedAt);
      const got = parseUsageScreen(text, capturedAt);
      const meters = got.meters
        .map((m) => {
          const out: ExpectedMeter = {
            kind: m.kind,
            utilisation: m.utilisation,
            resetsAt: m.resetsAt?.toISOString() ?? null,
          };
          if (m.used !== undefined) out.used = m.used;
          if (m.limit !== undefined) out.limit = m.limit;
          if (m.currency !== undefined) out.currency = m.currency;
          return { out, windowSeconds: m.windowSeconds, source: m.source, observedAt: m.observedAt };
        });
      const want = exp.meters.map(({ windowSeconds: _w, ...rest }) => rest);
      const byKind = (a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind);
      expect(meters.map((m) => m.out).sort(byKind)).toEqual([...want].sort(byKind));
      for (const m of meters) {
        expect(m.source).toBe("usage_screen");
        expect(m.observedAt.getTime()).toBe(capturedAt.getTime());
        const w = exp.meters.find((e) => e.kind === m.out.kind);
        if (w && w.windowSeconds !== undefined) expect(m.windowSeconds).toBe(w.windowSeconds);
      }
      expect([...got.missing].sort()).toEqual([...exp.missing].sort());
      if (exp.error === null) expect(got.error).toBeUndefined();
      else expect(got.error?.toLowerCase()).toContain(exp.error.toLowerCase());
      expect(got.loading ?? false).toBe(exp.loading ?? false);
      for (const w of exp.warnings) expect(got.warnings.join("\n")).toContain(w);
      if (exp.warnings.length === 0) expect(got.warnings).toEqual([]);
    });
  }

  it("the DST fixture is not read with the capture instant's offset", () => {
    // Capture on Saturday 2026-03-28 (CET, +1); the reset is after the change (CEST, +2).
    const text = readFileSync(join(FIXTURES, "06-dst-spring-berlin.txt"), "utf8");
    const got = parseUsageScreen(text, new Date("2026-03-28T09:00:00Z"));
    const week = got.meters.find((m) => m.kind === "seven_day")!;
    expect(week.resetsAt!.toISOString()).not.toBe("2026-03-29T02:00:00.000Z");
    expect(week.resetsAt!.toISOString()).toBe("2026-03-29T01:00:00.000Z");
  });
});

describe("parseUsageScreen rules", () => {
  const at = new Date("2026-09-20T10:00:00Z");

  it("matches labels with up to two dropped letters, not three", () => {
    expect(parseUsageScreen("Curretsesion\n5% used\n", at).meters[0]?.kind).toBe("five_hour");
    expect(parseUsageScreen("Current week (all modls)\n5% used\n", at).meters[0]?.kind).toBe("seven_day");
    expect(parseUsageScreen("Curetsesion\n5% used\n", at).meters).toEqual([]);
  });

  it("maps scoped weeks to their slug and other labelled rows to theirs", () => {
    const got = parseUsageScreen("Current week (Sonnet)\n3% used\nCurrent week (Fable 5)\n9% used\nDaily routines: 4% used\n", at);
    expect(got.meters.map((m) => [m.kind, m.utilisation])).toEqual([
      ["seven_day_sonnet", 3],
      ["seven_day_fable_5", 9],
      ["daily_routines", 4],
    ]);
    expect(got.meters[1]!.label).toBe("Week (Fable 5)");
  });

  it("does not read a chat line that quotes a label as a meter", () => {
    const got = parseUsageScreen("⏺ my five-hour window says Current session: 99% used\n", at);
    expect(got.meters).toEqual([]);
  });

  it("ignores the status bar's context gauge and the per-category breakdown", () => {
    const text = [
      "Current session",
      "██ 4% used",
      "Resets 3pm (Europe/Berlin)",
      "What is contributing to your limits usage?",
      "Last 24h · these are independent characteristics of your usage",
      "Subagents",
      "██ 40% used",
      "Context: 12% left",
    ].join("\n");
    const got = parseUsageScreen(text, at);
    expect(got.meters.map((m) => [m.kind, m.utilisation])).toEqual([["five_hour", 4]]);
  });

  it("latest frame wins over an earlier loading frame, and a later loading frame wins over data", () => {
    expect(parseUsageScreen("Loading usage data…\nCurrent session\n4% used\n", at).meters).toHaveLength(1);
    const later = parseUsageScreen("Current session\n4% used\nLoading usage data…\n", at);
    expect(later.meters).toEqual([]);
    expect(later.loading).toBe(true);
  });

  it("a time without a date on the session row is the next occurrence, without a warning", () => {
    // 11:00 in Berlin; 9am has passed today, so tomorrow.
    const got = parseUsageScreen("Current session\n4% used\nResets 9am (Europe/Berlin)\n", at);
    expect(got.meters[0]!.resetsAt!.toISOString()).toBe("2026-09-21T07:00:00.000Z");
    expect(got.warnings).toEqual([]);
  });

  it("a date without a year rolls into next year only when it is before the capture date", () => {
    const dec = new Date("2026-12-30T12:00:00Z");
    const got = parseUsageScreen("Current week (all models): 3% used · resets Jan 2 at 9am (UTC)\n", dec);
    expect(got.meters[0]!.resetsAt!.toISOString()).toBe("2027-01-02T09:00:00.000Z");
  });

  it("drops a reset that lies before the capture time instead of inventing one", () => {
    const got = parseUsageScreen("Current session: 4% used · resets Sep 20 at 9am (Europe/Berlin)\n", at);
    expect(got.meters[0]!.resetsAt).toBeNull();
    expect(got.missing).toContain("five_hour.resetsAt");
    expect(got.warnings.join()).toContain("before the capture time");
  });

  it("uses a default zone only when one is given", () => {
    const text = "Current session\n4% used\nResets 3pm\n";
    expect(parseUsageScreen(text, at).meters[0]!.resetsAt).toBeNull();
    expect(parseUsageScreen(text, at, { defaultZone: "Europe/Berlin" }).meters[0]!.resetsAt!.toISOString()).toBe(
      "2026-09-20T13:00:00.000Z",
    );
  });

  it("reads weekday-prefixed and 24-hour resets, and refuses nonsense times", () => {
    const ok = parseUsageScreen("Current week (all models)\n5% used\nResets Tuesday Sep 22 at 11:45 (UTC)\n", at);
    expect(ok.meters[0]!.resetsAt!.toISOString()).toBe("2026-09-22T11:45:00.000Z");
    const bad = parseUsageScreen("Current session\n8% used\nResets 25:99pm (UTC)\nCurrent week (all models)\n3% used\nResets Feb 31 at 3pm (UTC)\n", at);
    expect(bad.meters.map((m) => m.resetsAt)).toEqual([null, null]);
    expect(bad.missing.sort()).toEqual(["five_hour.resetsAt", "seven_day.resetsAt"]);
  });

  it("clamps shown values to 0..100 and skips an impossible '% left'", () => {
    const got = parseUsageScreen("Current session\n130% left\nCurrent week (all models)\n104% used\n", at);
    expect(got.meters.map((m) => [m.kind, m.utilisation])).toEqual([["seven_day", 100]]);
    expect(got.missing).toContain("five_hour");
  });

  it("refuses input over 256 KiB", () => {
    const got = parseUsageScreen("x".repeat(MAX_SCREEN_BYTES + 1), at);
    expect(got.error).toMatch(/over the 256 KiB limit/);
    expect(got.meters).toEqual([]);
  });

  it("survives pathological input up to the size limit (no regex blow-up)", () => {
    const fill = (unit: string) => {
      const line = unit.repeat(Math.ceil(500 / unit.length)).slice(0, 500);
      return Array.from({ length: Math.floor(MAX_SCREEN_BYTES / 501) }, () => line).join("\n");
    };
    for (const unit of ["1", "1,", "- ", "(a", "Resets (a/", "1.", "$1 / ", "\x1b[", "\x1b]", "Current session ", "%used "]) {
      const got = parseUsageScreen(fill(unit), at);
      expect(got.meters.every((m) => m.utilisation === null || (m.utilisation >= 0 && m.utilisation <= 100))).toBe(true);
    }
  });

  it("says so when the screen holds nothing it recognises", () => {
    expect(parseUsageScreen("", at).error).toMatch(/no usage meters/);
  });

  it("strips escapes, CR, NUL and bars", () => {
    expect(cleanScreenLines("\x1b]0;t\x07\x1b[1mCur\0rent\x1b[0m session\r██▌ 4% used\r\n")).toEqual([
      "Current session",
      "4% used",
      "",
    ]);
  });
});

describe("parseUsageScreen properties", () => {
  const noisy = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.tuple(fc.array(
      fc.oneof(
        fc.constantFrom(
          "Current session",
          "Current week (all models)",
          "Current week (Opus)",
          "Extra usage",
          "Usage credits",
          "Curretsession",
          "Loading usage data…",
          "$1.96 / $100.00 spent",
          "Context 12% left",
          "\x1b[1m",
          "\r",
          "\0",
          "█▌",
          " · ",
          "(",
          ")",
        ),
        fc.integer({ min: 0, max: 999 }).map((n) => `${n}% used`),
        fc.integer({ min: 0, max: 999 }).map((n) => `${n}% left`),
        fc
          .tuple(
            fc.constantFrom("", "Jan 2, ", "Dec 31 at ", "Mar 29 at ", "Feb 29, 2027, ", "Sun Nov 1 at "),
            fc.integer({ min: 0, max: 25 }),
            fc.constantFrom("am", "pm", ":00", ":59pm", ""),
            fc.constantFrom("Europe/Berlin", "America/New_York", "Asia/Calcutta", "UTC", "Nope/Zone", "Australia/Lord_Howe"),
          )
          .map(([d, h, s, z]) => `Resets ${d}${h}${s} (${z})`),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 40 },
    ), fc.constantFrom("\n", " ", "\r\n")).map(([parts, sep]) => parts.join(sep)),
  );

  it("never throws, keeps utilisation in 0..100 and never puts a reset before the capture time", () => {
    fc.assert(
      fc.property(noisy, fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }), (text, at) => {
        const got = parseUsageScreen(text, at);
        for (const m of got.meters) {
          if (m.utilisation !== null) {
            expect(m.utilisation).toBeGreaterThanOrEqual(0);
            expect(m.utilisation).toBeLessThanOrEqual(100);
          }
          if (m.resetsAt) expect(m.resetsAt.getTime()).toBeGreaterThanOrEqual(at.getTime());
          expect(m.source).toBe("usage_screen");
        }
        if (got.meters.length === 0) expect(typeof got.error).toBe("string");
      }),
      { numRuns: Number(process.env.USAGETOP_FC_RUNS ?? 400) },
    );
  });
});
