import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoConfig, FIXED_NOW, plainLines } from "../../../test/tui-fixture.js";
import { BUILTIN_TIERS } from "../../model/tiers.js";
import { readTranscriptUsage } from "../../readers/transcripts.js";
import { costViews } from "../cost-views.js";
import { ModelsView, NO_TRANSCRIPTS } from "./ModelsView.js";

describe("ModelsView", () => {
  it("says there is no transcript data yet", () => {
    expect(render(<ModelsView costs={null} tiers={BUILTIN_TIERS} selected={0} width={100} height={5} />).lastFrame()).toContain(NO_TRANSCRIPTS);
  });

  it("shows tokens and cost by model with each model's tier (demo transcripts)", () => {
    const costs = costViews(readTranscriptUsage(demoConfig(), FIXED_NOW), BUILTIN_TIERS, "UTC", FIXED_NOW);
    expect(costs).not.toBeNull();
    const lines = plainLines(render(<ModelsView costs={costs} tiers={BUILTIN_TIERS} selected={0} width={110} height={8} />).lastFrame());
    expect(lines[0]).toMatch(/^  Today \$\d+\.\d\d · 5h window \$\d+\.\d\d, .* tok · burn .* tok\/min, \$\d+\.\d\d\/h · by model, /);
    expect(lines[1]).toMatch(/^  Model +Tier +Calls +Input +Output +Cache wr +Cache rd +Total +Cost$/);
    const opus = lines.find((l) => l.includes("claude-opus"));
    expect(opus).toMatch(/Premium +\d+ /);
    expect(lines.length).toBeLessThanOrEqual(8);
  });
});
