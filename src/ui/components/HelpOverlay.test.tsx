import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { plainLines } from "../../../test/tui-fixture.js";
import { KEYBINDINGS } from "../keybindings.js";
import { HelpOverlay, helpLines } from "./HelpOverlay.js";

describe("HelpOverlay", () => {
  it("lists every binding once, under its mode", () => {
    const lines = helpLines().map((l) => l.text);
    for (const b of KEYBINDINGS) expect(lines.filter((l) => l.trim().startsWith(b.label) && l.includes(b.description))).toHaveLength(1);
    expect(lines[0]).toBe("Anywhere");
  });

  it("flows into columns when the height is short, never taller than given", () => {
    const lines = plainLines(render(<HelpOverlay width={150} height={8} />).lastFrame());
    expect(lines.length).toBeLessThanOrEqual(8);
    const text = lines.join("\n");
    for (const b of KEYBINDINGS) expect(text).toContain(b.label);
  });
});
