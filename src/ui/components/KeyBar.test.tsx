import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { KeyBar, keyBarText } from "./KeyBar.js";

describe("KeyBar", () => {
  it("is generated from the keybinding table", () => {
    expect(keyBarText("main")).toBe("?Help  pPlan  sSlot  rRefresh  TabView  qQuit");
    expect(keyBarText("confirm")).toBe("yYes, switch  nCancel  qQuit");
    expect(keyBarText("help")).toBe("EscClose  qQuit");
    expect(render(<KeyBar mode="main" width={79} />).lastFrame()).toBe("?Help  pPlan  sSlot  rRefresh  TabView  qQuit");
  });

  it("drops whole items rather than cutting one when narrow", () => {
    expect(render(<KeyBar mode="main" width={20} />).lastFrame()).toBe("?Help  pPlan  sSlot");
  });
});
