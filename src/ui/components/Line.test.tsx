// Colour must be forced before chalk (through Ink) is first imported: the test's stdout is no TTY.
// Level 3 (true colour), so a tier's #rrggbb goes through chalk.hex unchanged.
import { vi } from "vitest";
vi.hoisted(() => {
  process.env.FORCE_COLOR = "3";
});
import { Box, Text } from "ink";
import { render } from "ink-testing-library";
import type { ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { makeTheme, paint, type TextStyle, type Tone } from "../theme.js";
import { Line } from "./Line.js";

const TONES: Tone[] = ["ok", "warn", "crit", "none", "dim", "strong", "accent", "bad", "selected", "tab", "key", "keyLabel", "heading"];
const frame = (el: ReactElement) => render(el).lastFrame() ?? "";

describe("paint", () => {
  it("draws exactly what <Text> with the same style draws, for every tone and a tier colour", () => {
    const theme = makeTheme(true);
    const styles: TextStyle[] = [...TONES.map((t) => theme.tone(t)), theme.tier("#ff8800"), theme.tier("magenta")];
    // Colour is on under the test runner, so the comparison covers escape codes, not just text.
    expect(frame(<Text>{paint("x", theme.tone("crit"))}</Text>)).toContain("\x1b[");
    for (const style of styles) {
      expect(frame(<Text>{`a ${paint("█░|", style)} b`}</Text>)).toBe(
        frame(
          <Text>
            a <Text {...style}>█░|</Text> b
          </Text>,
        ),
      );
    }
  });
});

describe("Line", () => {
  const theme = makeTheme(true);
  const pieces = `Week [${paint("███", theme.level("ok"))}${paint("|", theme.tone("strong"))}${paint("░░", theme.tone("dim"))}] · —`;

  it("writes the same bytes as <Text wrap='truncate-end'> when the line fits (the ASCII stand-in path)", () => {
    for (const style of [theme.tone("none"), theme.tone("selected"), theme.tone("heading")]) {
      const viaText = frame(
        <Box width={40}>
          <Text wrap="truncate-end" {...style}>
            {pieces}
          </Text>
        </Box>,
      );
      expect(
        frame(
          <Box width={40}>
            <Line text={pieces} style={style} width={40} />
          </Box>,
        ),
      ).toBe(viaText);
      expect(viaText).toContain("███");
    }
    expect(frame(<Line text="Governing: none" style={theme.tone("dim")} bold width={40} />)).toBe(
      frame(
        <Text wrap="truncate-end" {...theme.tone("dim")} bold>
          Governing: none
        </Text>,
      ),
    );
  });

  it("leaves a line that may not fit, or holds other characters, to Ink: cut with … as before", () => {
    const long = `${"x".repeat(30)} · ${"y".repeat(30)}`;
    const cut = frame(
      <Box width={20}>
        <Line text={long} width={20} />
      </Box>,
    );
    expect(cut).toBe(`${"x".repeat(19)}…`);
    // Wider than it claims: a CJK name is two cells per character, so the stand-in would lie.
    const wide = "slot 漢字漢字漢字漢字漢字";
    const viaLine = frame(
      <Box width={12}>
        <Line text={wide} width={40} />
      </Box>,
    );
    const viaText = frame(
      <Box width={12}>
        <Text wrap="truncate-end">{wide}</Text>
      </Box>,
    );
    expect(viaLine).toBe(viaText);
    expect(viaLine).toContain("…");
  });
});
