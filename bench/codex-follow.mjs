#!/usr/bin/env node
// Codex reader, cold vs warm: writes a large rollout (default 200 MB; `node bench/codex-follow.mjs 50`
// for 50 MB), reads it once from scratch, then appends one token_count event and reads again:
// the second read must touch only the new bytes. Needs `npm run build` first (reads dist/).
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../dist/config/load.js";
import { readCodexMeters, refreshCodexIndex } from "../dist/readers/codex.js";

const targetMb = Number(process.argv[2] ?? 200);
const root = mkdtempSync(join(tmpdir(), "usagetop-bench-codex-"));
const home = join(root, "codex");
const dir = join(home, "sessions", "2026", "09", "14");
mkdirSync(dir, { recursive: true });
const file = join(dir, "rollout-2026-09-14T09-00-00-0199a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b.jsonl");

const tokenCount = (i, ts) =>
  JSON.stringify({
    timestamp: ts,
    type: "event_msg",
    payload: {
      type: "token_count",
      info: {
        total_token_usage: { input_tokens: 1000 * i, cached_input_tokens: 800 * i, output_tokens: 50 * i, reasoning_output_tokens: 20 * i, total_tokens: 1050 * i },
        last_token_usage: { input_tokens: 1000, cached_input_tokens: 800, output_tokens: 50, reasoning_output_tokens: 20, total_tokens: 1050 },
        model_context_window: 272000,
      },
      rate_limits: { limit_id: "codex", primary: { used_percent: (i % 1000) / 10, window_minutes: 300, resets_at: 1789393200 }, secondary: { used_percent: 31, window_minutes: 10080, resets_at: 1789714800 }, plan_type: "plus" },
    },
  }) + "\n";
// Most rollout bytes are tool output and messages that carry no usage.
const output = "x".repeat(1500);
const toolOutput = (i) => JSON.stringify({ timestamp: "2026-09-14T09:00:00.000Z", type: "response_item", payload: { type: "function_call_output", call_id: `call_${i}`, output } }) + "\n";

const t0 = performance.now();
const fd = openSync(file, "w");
writeSync(fd, JSON.stringify({ timestamp: "2026-09-14T09:00:00.000Z", type: "session_meta", payload: { id: "0199a1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b", cli_version: "0.118.0" } }) + "\n");
writeSync(fd, JSON.stringify({ timestamp: "2026-09-14T09:00:01.000Z", type: "turn_context", payload: { model: "gpt-5.3-codex" } }) + "\n");
let written = 0;
let i = 0;
const target = targetMb * 1024 * 1024;
while (written < target) {
  let batch = "";
  for (let k = 0; k < 200; k++) {
    i++;
    batch += i % 20 === 0 ? tokenCount(i, new Date(Date.UTC(2026, 8, 14, 9) + i).toISOString()) : toolOutput(i);
  }
  written += writeSync(fd, batch);
}
closeSync(fd);
const size = statSync(file).size;
console.log(`generated ${(size / 1048576).toFixed(1)} MB, ${i} lines in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

const env = { HOME: root, XDG_STATE_HOME: join(root, "state"), XDG_CONFIG_HOME: join(root, "config"), CODEX_HOME: home };
const config = loadConfig({}, env);
const now = new Date("2026-09-14T12:00:00Z");

const measure = (label, fn) => {
  const start = performance.now();
  const r = fn();
  const ms = performance.now() - start;
  console.log(`${label.padEnd(22)} ${String(r.bytesRead).padStart(12)} bytes read  ${ms.toFixed(1).padStart(9)} ms  ${r.bytesRead > 0 ? ((r.bytesRead / 1048576 / ms) * 1000).toFixed(0) + " MB/s" : ""}`);
  return r;
};

measure("cold read", () => refreshCodexIndex(config, now));
measure("warm, nothing new", () => refreshCodexIndex(config, now));
const event = tokenCount(i + 1, "2026-09-14T11:59:00.000Z").replace('"used_percent":' + ((i + 1) % 1000) / 10, '"used_percent":77.7');
appendFileSync(file, event);
const warm = measure("warm, 1 event appended", () => refreshCodexIndex(config, now));
console.log(`appended event: ${Buffer.byteLength(event)} bytes (+64-byte head check)`);
const meters = readCodexMeters(config, now);
const primary = meters.ok ? meters.meters.find((m) => m.kind === "codex_primary") : null;
console.log(`codex_primary after append: ${primary?.utilisation}% (expected 77.7)`);
rmSync(root, { recursive: true, force: true });
if (warm.bytesRead !== Buffer.byteLength(event) + 64 || primary?.utilisation !== 77.7) {
  console.error("FAIL: the warm read did not read exactly the appended bytes");
  process.exitCode = 1;
}
