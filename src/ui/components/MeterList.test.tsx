import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { FIXED_NOW, plainLines } from "../../../test/tui-fixture.js";
import { UsageStore } from "../../store/store.js";
import { BUILTIN_PLANS } from "../../model/plans.js";
import type { Meter } from "../../model/meter.js";
import { groupMeters, screenBudget } from "../screen-budget.js";
import { MeterList } from "./MeterList.js";

function storeWith(meters: Array<Partial<Meter> & { kind: string }>, plan = "max") {
  const store = new UsageStore({ plan, plans: { ...BUILTIN_PLANS }, pacing: { paceTarget: 1, band: 5 }, slots: [], selectedSlot: null });
  const full: Meter[] = meters.map((m) => ({
    label: m.kind,
    utilisation: 0,
    resetsAt: null,
    windowSeconds: null,
    source: "oauth",
    observedAt: FIXED_NOW,
    estimated: false,
    ...m,
  }));
  store.ingest({ name: "oauth", slot: null, enabled: true, lastGood: { at: FIXED_NOW, meters: full }, lastAttempt: { at: FIXED_NOW, ok: true }, nextAttemptAt: null, freshForSeconds: 180 });
  return store;
}

function draw(store: UsageStore, rows = 40) {
  const view = store.current(FIXED_NOW);
  const groups = groupMeters(view);
  const budget = screenBudget(rows, groups, view.governing, { message: false });
  return plainLines(render(<MeterList groups={groups} budget={budget} plan={view.plan} width={99} now={FIXED_NOW} timeZone="UTC" />).lastFrame());
}

describe("MeterList", () => {
  it("folds idle meters of another provider into one Other line", () => {
    const store = storeWith(
      [
        { kind: "five_hour", label: "5h session", utilisation: 40, resetsAt: new Date(FIXED_NOW.getTime() + 3600_000), windowSeconds: 18000 },
        { kind: "iguana_necktie", label: "iguana necktie", source: "codex" },
        { kind: "nimbus_quill", label: "nimbus quill", source: "codex" },
      ],
      "max",
    );
    const lines = draw(store);
    expect(lines[0]).toMatch(/^5h session/);
    expect(lines).toContain("Other");
    expect(lines.at(-1)).toBe("Other: 2 idle (iguana_necktie, nimbus_quill)");
  });

  it("says when the plan has no meters", () => {
    expect(draw(storeWith([{ kind: "five_hour", utilisation: 10 }], "api"))[0]).toBe("No api meters: no reader reports them (p cycles plans)");
  });

  it("on a first run with no data at all, points to the Readers view and the demo instead of to other plans", () => {
    expect(draw(storeWith([], "max"))[0]).toBe("No data yet: the Readers view (Tab) says why; usagetop --demo shows a demo");
  });

  it("folds plan meters into the most used ones when rows are few", () => {
    const soon = new Date(FIXED_NOW.getTime() + 3600_000);
    const store = storeWith([
      { kind: "five_hour", label: "5h session", utilisation: 10, resetsAt: soon, windowSeconds: 18000 },
      { kind: "seven_day", label: "Week (all models)", utilisation: 70, resetsAt: soon, windowSeconds: 604800 },
      { kind: "seven_day_opus", label: "Week (Opus)", utilisation: 50, resetsAt: soon, windowSeconds: 604800 },
      { kind: "seven_day_sonnet", label: "Week (Sonnet)", utilisation: 20, resetsAt: soon, windowSeconds: 604800 },
    ]);
    const lines = draw(store, 7);
    expect(lines[0]).toMatch(/^Week \(all models\)/);
    expect(lines[1]).toMatch(/^Week \(Opus\)/);
    expect(lines[2]).toBe("+2 more: 5h session 10% · Week (Sonnet) 20%");
  });
});
