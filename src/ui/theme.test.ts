import { describe, expect, it } from "vitest";
import { makeTheme, readerTone, type Tone } from "./theme.js";

const TONES: Tone[] = ["ok", "warn", "crit", "none", "dim", "strong", "accent", "bad", "selected", "tab", "key", "keyLabel", "heading"];

describe("theme", () => {
  it("colours by threshold level and by tier", () => {
    const t = makeTheme(true);
    expect(t.level("ok").color).toBe("green");
    expect(t.level("warn").color).toBe("yellow");
    expect(t.level("crit").color).toBe("red");
    expect(t.tier("magenta")).toEqual({ color: "magenta" });
    expect(t.tier("#ff8800")).toEqual({ color: "#ff8800" });
    expect(t.tier("not-a-colour")).toEqual({});
    expect(t.readerState("backoff").color).toBe("red");
  });

  it("without colour every style is empty (no escape codes at all)", () => {
    const t = makeTheme(false);
    for (const tone of TONES) expect(t.tone(tone)).toEqual({});
    expect(t.level("crit")).toEqual({});
    expect(t.tier("magenta")).toEqual({});
    expect(t.readerState("error")).toEqual({});
  });

  it("maps reader states to tones", () => {
    expect(["ok", "disabled", "stale", "backoff", "error"].map(readerTone)).toEqual(["ok", "dim", "warn", "crit", "crit"]);
  });
});
