// A Codex CLI rollout `token_count` line (FORMATS 4: used_percent 0-100, window_minutes,
// resets_at Unix seconds), for tests and benches that append to a live rollout file.
export function tokenCountLine(at: Date, primaryPercent: number, secondaryPercent: number): string {
  const s = Math.floor(at.getTime() / 1000);
  return `${JSON.stringify({
    timestamp: at.toISOString(),
    type: "event_msg",
    payload: {
      type: "token_count",
      info: null,
      rate_limits: {
        limit_id: "codex",
        primary: { used_percent: primaryPercent, window_minutes: 300, resets_at: s + 3 * 3600 },
        secondary: { used_percent: secondaryPercent, window_minutes: 10080, resets_at: s + 4 * 86400 },
        plan_type: "plus",
      },
    },
  })}\n`;
}
