import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { Tabs, VIEWS } from "./Tabs.js";

describe("Tabs", () => {
  it("brackets the active view (readable without colour)", () => {
    expect(render(<Tabs active={0} width={80} />).lastFrame()).toBe("[Slots]  Models   Blocks   Sessions   Readers");
    expect(render(<Tabs active={4} width={80} />).lastFrame()).toBe(" Slots   Models   Blocks   Sessions  [Readers]");
    expect(VIEWS).toHaveLength(5);
  });
});
