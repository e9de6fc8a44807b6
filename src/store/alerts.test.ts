import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { alertEnv, detectCrossings, runAlerts, type SlotAlertState } from "./alerts.js";

const T0 = new Date("2026-12-01T12:00:00Z");
const min = (n: number) => new Date(T0.getTime() + n * 60_000);
const reset = min(300);
const g = (u: number, resetsAt: Date | null = reset) => ({ kind: "five_hour", utilisation: u, resetsAt });

describe("detectCrossings", () => {
  it("fires once on the way up, re-arms below, and fires again", () => {
    let s: SlotAlertState | undefined;
    const step = (u: number, at = min(1)) => {
      const r = detectCrossings(s, { slot: "a", governing: g(u), now: at }, [80, 90]);
      s = r.state;
      return r.crossings.map((c) => c.threshold);
    };
    expect(step(70)).toEqual([]);
    expect(step(81)).toEqual([80]);
    expect(step(85)).toEqual([]);
    expect(step(95)).toEqual([90]);
    expect(step(92)).toEqual([]);
    expect(step(85)).toEqual([]); // 90 re-armed, 80 still fired
    expect(step(91)).toEqual([90]);
    expect(step(10)).toEqual([]);
    expect(step(99)).toEqual([90]); // a jump past both alerts once, at the higher one
    expect(s?.fired).toEqual([80, 90]);
  });

  it("re-arms after the window it fired in resets, even without seeing the fall", () => {
    const first = detectCrossings(undefined, { slot: "a", governing: g(85), now: min(1) }, [80]);
    expect(first.crossings).toHaveLength(1);
    const same = detectCrossings(first.state, { slot: "a", governing: g(86), now: min(2) }, [80]);
    expect(same.crossings).toHaveLength(0);
    const after = detectCrossings(same.state, { slot: "a", governing: g(82, min(600)), now: min(301) }, [80]);
    expect(after.crossings.map((c) => c.threshold)).toEqual([80]);
  });

  it("keeps the fired set through an outage (no data is not a fall)", () => {
    const first = detectCrossings(undefined, { slot: "a", governing: g(85), now: min(1) }, [80]);
    const gap = detectCrossings(first.state, { slot: "a", governing: null, now: min(2) }, [80]);
    expect(gap.state.fired).toEqual([80]);
    expect(detectCrossings(gap.state, { slot: "a", governing: g(85), now: min(3) }, [80]).crossings).toHaveLength(0);
  });

  it("never fires a threshold twice without the meter dropping below it or a reset (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 40 }), fc.uniqueArray(fc.integer({ min: 1, max: 110 }), { minLength: 1, maxLength: 4 }), (us, thresholds) => {
        let s: SlotAlertState | undefined;
        const armed = new Map(thresholds.map((t) => [t, true]));
        for (const u of us) {
          const r = detectCrossings(s, { slot: null, governing: g(u), now: min(1) }, thresholds);
          s = r.state;
          for (const c of r.crossings) {
            expect(armed.get(c.threshold)).toBe(true);
            expect(u).toBeGreaterThanOrEqual(c.threshold);
          }
          expect(r.crossings.length).toBeLessThanOrEqual(1);
          for (const t of thresholds) armed.set(t, u < t);
          // Every threshold at or under u is fired afterwards.
          for (const t of thresholds) if (u >= t) expect(s.fired).toContain(t);
        }
      }),
    );
  });

  it("puts the facts in the environment", () => {
    expect(alertEnv({ slot: "bob", threshold: 80, kind: "seven_day", utilisation: 81.25, resetsAt: reset })).toEqual({
      USAGETOP_ALERT_THRESHOLD: "80",
      USAGETOP_GOVERNING_KIND: "seven_day",
      USAGETOP_GOVERNING_UTILISATION: "81.3",
      USAGETOP_SLOT: "bob",
      USAGETOP_RESETS_AT: reset.toISOString(),
    });
  });
});

describe("runAlerts", () => {
  const root = mkdtempSync(join(tmpdir(), "usagetop-alerts-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function setup(name: string, extra = "") {
    const home = join(root, name);
    const out = join(home, "fired.log");
    const script = join(root, `${name}-alert.mjs`);
    // A real child process: appends what it was told to a file.
    writeFileSync(
      script,
      `#!/usr/bin/env node\nimport { appendFileSync } from "node:fs";\nappendFileSync(${JSON.stringify(out)}, JSON.stringify({ t: process.env.USAGETOP_ALERT_THRESHOLD, k: process.env.USAGETOP_GOVERNING_KIND, u: process.env.USAGETOP_GOVERNING_UTILISATION, s: process.env.USAGETOP_SLOT, r: process.env.USAGETOP_RESETS_AT, arg: process.argv[2] }) + "\\n");\n`,
    );
    chmodSync(script, 0o755);
    const env = { HOME: home, XDG_CONFIG_HOME: join(home, "cfg"), XDG_STATE_HOME: join(home, "state"), PATH: process.env.PATH };
    const cfgDir = join(home, "cfg", "usagetop");
    mkdirSync(cfgDir, { recursive: true });
    writeFileSync(join(cfgDir, "config.toml"), `[alerts]\nthresholds = [80, 90]\ncommand = [${JSON.stringify(process.execPath)}, ${JSON.stringify(script)}, "one arg; no shell"]\nbell = true\n${extra}`);
    const fired = () => {
      try {
        return readFileSync(out, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
      } catch {
        return [];
      }
    };
    return { config: loadConfig({}, env), fired };
  }

  it("runs the command once per crossing with the facts, and a second process does not re-fire", async () => {
    const { config, fired } = setup("once");
    const obs = [{ slot: "bob", governing: g(84) }];
    const first = await runAlerts({ config, observations: obs, now: min(1) });
    expect(first.crossings.map((c) => c.threshold)).toEqual([80]);
    expect(first.bell).toBe(true);
    expect(first.errors).toEqual([]);
    // Another process (fresh config object, same state dir) sees the persisted state.
    const again = await runAlerts({ config: loadConfig({}, config.env), observations: obs, now: min(2) });
    expect(again.crossings).toEqual([]);
    expect(fired()).toEqual([{ t: "80", k: "five_hour", u: "84.0", s: "bob", r: reset.toISOString(), arg: "one arg; no shell" }]);
  });

  it("fires once when several processes see the same change at the same time", async () => {
    const { config, fired } = setup("race");
    const obs = [{ slot: "a", governing: g(91) }];
    const results = await Promise.all([1, 2, 3, 4].map(() => runAlerts({ config: loadConfig({}, config.env), observations: obs, now: min(1) })));
    expect(results.flatMap((r) => r.crossings)).toHaveLength(1);
    expect(fired()).toHaveLength(1);
  });

  it("reports a failing command as an error line, and does nothing without thresholds", async () => {
    const { config } = setup("fail");
    const failing = await runAlerts({ config, observations: [{ slot: "a", governing: g(95) }], now: min(1), exec: async () => ({ ok: false, message: "alert command x exited 2" }) });
    expect(failing.errors).toEqual(["alert command x exited 2"]);
    const none = await runAlerts({ config: loadConfig({}, { HOME: join(root, "none"), XDG_STATE_HOME: join(root, "none", "s"), XDG_CONFIG_HOME: join(root, "none", "c") }), observations: [{ slot: "a", governing: g(95) }], now: min(1) });
    expect(none).toEqual({ crossings: [], bell: false, errors: [] });
  });
});
