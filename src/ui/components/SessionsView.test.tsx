import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { demoConfig, FIXED_NOW, plainLines } from "../../../test/tui-fixture.js";
import { BUILTIN_TIERS } from "../../model/tiers.js";
import { readTranscriptUsage } from "../../readers/transcripts.js";
import { costViews } from "../cost-views.js";
import { NO_TRANSCRIPTS } from "./ModelsView.js";
import { SessionsView } from "./SessionsView.js";

describe("SessionsView", () => {
  it("says there is no transcript data yet", () => {
    expect(render(<SessionsView costs={null} selected={0} width={100} height={5} now={FIXED_NOW} />).lastFrame()).toContain(NO_TRANSCRIPTS);
  });

  it("lists sessions by last activity with project, calls, tokens and cost", () => {
    const costs = costViews(readTranscriptUsage(demoConfig(), FIXED_NOW), BUILTIN_TIERS, "UTC", FIXED_NOW)!;
    const lines = plainLines(render(<SessionsView costs={costs} selected={1} width={120} height={8} now={FIXED_NOW} timeZone="UTC" />).lastFrame());
    expect(lines[0]).toMatch(/^  Last +Session +Project +Models +Calls +Tokens +Cost/);
    expect(lines[2]).toMatch(/^>/);
    expect(lines.slice(1).every((l) => /\$\d+\.\d\d\*?$/.test(l.trimEnd()))).toBe(true);
  });

  it("tells apart sessions whose ids share their first 8 characters", () => {
    const costs = costViews(readTranscriptUsage(demoConfig(), FIXED_NOW), BUILTIN_TIERS, "UTC", FIXED_NOW)!;
    const [a, b] = costs.sessions;
    const twins = {
      ...costs,
      sessions: [
        { ...a!, sessionId: "5f0c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a01" },
        { ...b!, sessionId: "5f0c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a02" },
      ],
    };
    const frame = plainLines(render(<SessionsView costs={twins} selected={0} width={140} height={5} now={FIXED_NOW} timeZone="UTC" />).lastFrame()).join("\n");
    expect(frame).toContain("5f0c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a01");
    expect(frame).toContain("5f0c1a2e-3b4d-4e5f-8a9b-0c1d2e3f4a02");
  });
});
