import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoFixture, FIXED_NOW, plainLines } from "../../../test/tui-fixture.js";
import { keyKinds, SlotsView } from "./SlotsView.js";

describe("SlotsView", () => {
  it("puts every slot side by side: live marker, auth, governing meter, key meters, age, token", () => {
    const { store } = demoFixture();
    const slots = store.slots.map((info) => ({ info, view: store.view(info.name, FIXED_NOW) }));
    const lines = plainLines(
      render(<SlotsView slots={slots} planKinds={store.plans.max!} selected="bob" width={130} height={6} now={FIXED_NOW} recommendation="Advice: stay on alice: fine" />).lastFrame(),
    );
    expect(lines[0]).toMatch(/^ +Slot +Auth +Governing +5h +Week +Opus +Sonnet +Age Token +Email/);
    expect(lines[1]).toMatch(/^  \* alice +ok +Week \(\w+( models)?\) \d+%/);
    expect(lines[2]).toMatch(/^>   bob +ok /);
    expect(lines[3]).toMatch(/carol +stale .* lapsed 3h00m +carol@example\.com/);
    expect(lines.at(-1)).toBe("Advice: stay on alice: fine");
  });

  it("key meters are the plan's windows, not its pools", () => {
    expect(keyKinds(["five_hour", "extra_usage", "seven_day", "agent_sdk_credit"])).toEqual(["five_hour", "seven_day"]);
  });
});
