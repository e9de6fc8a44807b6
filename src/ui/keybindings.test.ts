import { describe, expect, it } from "vitest";
import { bindingFor, KEYBINDINGS, keyNames, type Mode } from "./keybindings.js";

describe("keybindings", () => {
  it("no key means two things in one mode", () => {
    for (const mode of ["main", "help", "confirm"] as Mode[]) {
      const keys = KEYBINDINGS.filter((b) => b.modes.includes(mode)).flatMap((b) => b.keys);
      expect(new Set(keys).size, mode).toBe(keys.length);
    }
  });

  it("names Ink's key events, splitting several typed characters into several keys", () => {
    expect(keyNames("c", { ctrl: true })).toEqual(["ctrl+c"]);
    expect(keyNames("", { tab: true, shift: true })).toEqual(["shift+tab"]);
    expect(keyNames("", { tab: true })).toEqual(["tab"]);
    expect(keyNames("\r", { return: true })).toEqual(["enter"]);
    expect(keyNames("", { upArrow: true })).toEqual(["up"]);
    expect(keyNames("", { downArrow: true })).toEqual(["down"]);
    expect(keyNames("", { leftArrow: true })).toEqual(["left"]);
    expect(keyNames("", { rightArrow: true })).toEqual(["right"]);
    expect(keyNames("", { escape: true })).toEqual(["escape"]);
    expect(keyNames("jjk", {})).toEqual(["j", "j", "k"]);
    expect(keyNames("2\ry", {})).toEqual(["2", "enter", "y"]);
    expect(keyNames("", {})).toEqual([]);
  });

  it("finds the action for a key in a mode", () => {
    expect(bindingFor("main", "p")?.action).toBe("plan");
    // htop's habits: h for help, the arrows across the views.
    expect(bindingFor("main", "h")?.action).toBe("help");
    expect(bindingFor("help", "h")?.action).toBe("close-help");
    expect(bindingFor("main", "right")?.action).toBe("view-next");
    expect(bindingFor("main", "left")?.action).toBe("view-prev");
    expect(bindingFor("main", "7")?.action).toBe("slot-pick");
    expect(bindingFor("main", "y")).toBeUndefined();
    expect(bindingFor("confirm", "y")?.action).toBe("confirm-switch");
    expect(bindingFor("confirm", "escape")?.action).toBe("cancel");
    expect(bindingFor("help", "?")?.action).toBe("close-help");
    for (const mode of ["main", "help", "confirm"] as Mode[]) {
      expect(bindingFor(mode, "q")?.action).toBe("quit");
      expect(bindingFor(mode, "ctrl+c")?.action).toBe("quit");
    }
  });
});
