import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { Tabs, VIEWS } from "./Tabs.js";

describe("Tabs", () => {
  it("brackets the active view (readable without colour)", () => {
    expect(render(<Tabs active={0} width={80} />).lastFrame()).toBe("[Slots]  Models   Blocks   Sessions   Readers");
    expect(render(<Tabs active={4} width={80} />).lastFrame()).toBe(" Slots   Models   Blocks   Sessions  [Readers]");
    expect(VIEWS).toHaveLength(5);
  });

  it("keeps today's and the 5-hour window's cost at the right edge when it fits whole, else leaves it out", () => {
    const summary = "today $1.17 · 5h $1.17";
    const wide = render(<Tabs active={0} width={80} summary={summary} />).lastFrame()!;
    expect(wide).toBe(`[Slots]  Models   Blocks   Sessions   Readers ${" ".repeat(80 - 46 - summary.length)}${summary}`);
    expect([...wide].length).toBe(80);
    // 46 columns of tabs (the last label's own trailing space), two of gap, 22 of summary: 70
    // is the narrowest that holds it.
    expect(render(<Tabs active={0} width={70} summary={summary} />).lastFrame()).toContain(summary);
    expect(render(<Tabs active={0} width={69} summary={summary} />).lastFrame()).toBe("[Slots]  Models   Blocks   Sessions   Readers");
  });
});
