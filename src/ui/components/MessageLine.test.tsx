import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { MessageLine } from "./MessageLine.js";

describe("MessageLine", () => {
  it("cuts the message to the width", () => {
    expect(render(<MessageLine text="switched alice -> bob" tone="ok" width={79} />).lastFrame()).toBe("switched alice -> bob");
    expect(render(<MessageLine text="a very long outcome line" tone="crit" width={10} />).lastFrame()).toBe("a very lo…");
  });
});
