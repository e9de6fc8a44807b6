import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoConfig, FIXED_NOW, plainLines } from "../../../test/tui-fixture.js";
import { BUILTIN_TIERS } from "../../model/tiers.js";
import { readTranscriptUsage } from "../../readers/transcripts.js";
import { costViews } from "../cost-views.js";
import { BlocksView } from "./BlocksView.js";
import { NO_TRANSCRIPTS } from "./ModelsView.js";

describe("BlocksView", () => {
  it("says there is no transcript data yet", () => {
    expect(render(<BlocksView costs={null} selected={0} width={100} height={5} now={FIXED_NOW} />).lastFrame()).toContain(NO_TRANSCRIPTS);
  });

  it("lists 5-hour blocks newest first with tokens, cost and burn rate", () => {
    const costs = costViews(readTranscriptUsage(demoConfig(), FIXED_NOW), BUILTIN_TIERS, "UTC", FIXED_NOW)!;
    const lines = plainLines(render(<BlocksView costs={costs} selected={0} width={120} height={10} now={FIXED_NOW} timeZone="UTC" />).lastFrame());
    expect(lines[0]).toMatch(/^  (Active block|No active block)/);
    expect(lines[1]).toMatch(/^  Start +End +Status +Calls +Tokens +Cost +Tok\/min +\$\/h +Models/);
    expect(lines.length - 2).toBe(Math.min(costs.blocks.length, 8));
    expect(costs.blocks.length).toBeGreaterThan(0);
    const starts = costs.blocks.map((b) => b.start);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });
});
