// Following a rollout while Codex writes it: a real child process appends token_count events in
// pieces that split lines (as a crash or a slow write would), while usagetop reads again and again.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { readCodexMeters, refreshCodexIndex } from "../../src/readers/codex.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-codex-follow-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const WRITER = `
const { appendFileSync } = require("node:fs");
const [file, count] = [process.argv[1], Number(process.argv[2])];
const line = (i) => JSON.stringify({ timestamp: new Date(Date.UTC(2026, 8, 14, 9, 0, i)).toISOString(), type: "event_msg",
  payload: { type: "token_count", info: { total_token_usage: { input_tokens: i * 100, cached_input_tokens: 0, output_tokens: i, reasoning_output_tokens: 0, total_tokens: i * 101 } },
    rate_limits: { limit_id: "codex", primary: { used_percent: i, window_minutes: 300, resets_at: 1789393200 }, secondary: null } } }) + "\\n";
const noise = JSON.stringify({ timestamp: "2026-09-14T09:00:00.000Z", type: "response_item", payload: { type: "message", text: "ü".repeat(300) } }) + "\\n";
let i = 0;
const tick = () => {
  if (i >= count) return;
  i++;
  // Cut at any byte, also inside a multi-byte character.
  const bytes = Buffer.from(noise + line(i));
  const cut = 1 + Math.floor(Math.random() * (bytes.length - 2));
  appendFileSync(file, bytes.subarray(0, cut));
  setTimeout(() => { appendFileSync(file, bytes.subarray(cut)); setTimeout(tick, 5); }, 5);
};
tick();
`;

it("converges on the newest event, never reports a torn line as data or as an error", async () => {
  const home = join(dir, "codex");
  const sessions = join(home, "sessions", "2026", "09", "14");
  mkdirSync(sessions, { recursive: true });
  const file = join(sessions, "rollout-2026-09-14T09-00-00-0199a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b.jsonl");
  writeFileSync(file, "");
  const config = loadConfig({}, { HOME: dir, XDG_STATE_HOME: join(dir, "state"), XDG_CONFIG_HOME: join(dir, "cfg"), CODEX_HOME: home });
  const now = new Date("2026-09-14T10:00:00Z");
  const count = 60;
  const writer = execa("node", ["-e", WRITER, file, String(count)]);
  const seen: number[] = [];
  let done = false;
  void writer.finally(() => (done = true));
  while (!done) {
    const r = readCodexMeters(config, now);
    if (r.ok) {
      expect(r.warnings).toEqual([]);
      seen.push(r.meters[0]!.utilisation!);
    }
    await new Promise((res) => setTimeout(res, 3));
  }
  await writer;
  const final = readCodexMeters(config, now);
  expect(final.ok && final.meters.map((m) => [m.kind, m.utilisation])).toEqual([["codex_primary", count]]);
  // Values only ever move forward and are whole events.
  for (let k = 1; k < seen.length; k++) expect(seen[k]!).toBeGreaterThanOrEqual(seen[k - 1]!);
  for (const v of seen) expect(Number.isInteger(v) && v >= 1 && v <= count).toBe(true);
  expect(seen.length).toBeGreaterThan(5);
  // Nothing left to read.
  expect(refreshCodexIndex(config, now).bytesRead).toBe(0);
});
