import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoFixture, FIXED_NOW } from "../../../test/tui-fixture.js";
import type { MeterView } from "../../model/view.js";
import { meterColumns } from "../meter-layout.js";
import { MeterRow } from "./MeterRow.js";
import { meterRowParts } from "../meter-row-parts.js";

function meter(kind: string, store = demoFixture().store): MeterView {
  const m = store.current(FIXED_NOW).meters.find((x) => x.kind === kind);
  if (!m) throw new Error(`no ${kind}`);
  return m;
}

describe("MeterRow", () => {
  it("draws label, bar with the pace marker, percent, reset clock and countdown, pacing and forecast", () => {
    const f = render(<MeterRow meter={meter("seven_day")} width={100} now={FIXED_NOW} timeZone="UTC" />).lastFrame() ?? "";
    expect(f).toMatch(/^Week \(all models\) \[[█░]*\|[█░]*\] +\d+% Fri 06:00 \d+d\d+h +[-+]\d+ (ahead|behind) +(resets first|limit in \S+)/);
    expect(f.length).toBeLessThan(100);
  });

  it("shows estimated values with ~ and pools as money with the month's reset", () => {
    const f = render(<MeterRow meter={meter("agent_sdk_credit")} width={100} now={FIXED_NOW} timeZone="UTC" />).lastFrame();
    expect(f).toMatch(/^Agent SDK credit +\[[█░|]+\] +~31% \$7\.80 \/ \$25\.00 +resets 1 Dec$/);
  });

  it("shows the age of stale data instead of a forecast", () => {
    const { store } = demoFixture();
    store.selectSlot("carol");
    const p = meterRowParts(meter("seven_day", store), meterColumns(100), FIXED_NOW, "UTC");
    expect(p.note.trim()).toMatch(/^3h0\dm old$/);
    expect(p.noteTone).toBe("warn");
  });

  it("collapses forecast, then pacing, then the reset clock as the width shrinks", () => {
    const m = meter("seven_day");
    const at = (w: number) => meterRowParts(m, meterColumns(w), FIXED_NOW, "UTC");
    expect(at(100).note).not.toBe("");
    expect(at(70).note).toBe("");
    expect(at(70).pace).not.toBe("");
    expect(at(60).pace).toBe("");
    expect(at(60).reset.trim()).toMatch(/^Fri 06:00/);
    expect(at(40).reset.trim()).toMatch(/^\d+d\d+h$/);
  });
});
