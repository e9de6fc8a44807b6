import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoFixture, FIXED_NOW, plainLines } from "../../../test/tui-fixture.js";
import { ReadersView } from "./ReadersView.js";

describe("ReadersView", () => {
  it("lists each reader's state, last success, next attempt and error, then the log", () => {
    const { store } = demoFixture();
    const log = [{ at: FIXED_NOW, message: "history file was corrupt: moved aside" }];
    const lines = plainLines(
      render(<ReadersView readers={store.current(FIXED_NOW).readers} log={log} selected={2} width={120} height={10} now={FIXED_NOW} timeZone="UTC" />).lastFrame(),
    );
    expect(lines[0]).toMatch(/^  Reader +State +Last ok +Next +Error \/ warnings/);
    expect(lines[1]).toMatch(/^  oauth +ok +42s ago/);
    expect(lines[3]).toMatch(/^> usage_screen +backoff +never +in 5m +HTTP 429 from \/usage/);
    expect(lines).toContain("  Log");
    expect(lines.at(-1)).toBe("  14:03:22 history file was corrupt: moved aside");
  });
});
