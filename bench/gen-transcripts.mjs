#!/usr/bin/env node
// Writes a realistic, deterministic (seeded) Claude Code transcripts tree for benchmarks:
//   node bench/gen-transcripts.mjs <dir> <MB> [seed]
// <dir>/projects/<project>/<session>.jsonl and <session>/subagents/agent-<id>.jsonl.
// Shape (FORMATS §7): most bytes are user turns and tool output without usage; each assistant
// API message is written as 1-4 lines (one per content block) repeating message.id, requestId
// and usage. Duplicates come in two kinds, so a comparison with ccusage (which keeps the FIRST
// row per key, where usagetop keeps the row with the LARGEST output_tokens) is meaningful:
//   - "equal" copies: every copy carries the final usage (most messages; both rules agree);
//   - "placeholder" copies (about 1 in 8 messages): earlier copies carry output_tokens 1 as
//     streaming writes do, the last copy the final count (input and cache fields equal).
// So input/cache totals must agree exactly between the tools and output totals differ by
// exactly the placeholder shortfall, which bench/transcripts.mjs computes independently.
// Also: resumed sessions that copy earlier rows into a new file (cross-file duplicates),
// torn lines, <synthetic> limit notices, 1 h cache writes, several models, projects and days.
import { mkdirSync, openSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";

const [dir, mbArg, seedArg] = process.argv.slice(2);
if (!dir || !mbArg) {
  console.error("usage: gen-transcripts.mjs <dir> <MB> [seed]");
  process.exit(1);
}
const targetBytes = Number(mbArg) * 1024 * 1024;
let seed = Number(seedArg ?? 42) >>> 0;
function rand() {
  // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[int(0, 15)]).join("");
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const WORDS = "the quick brown fox jumps over lazy dog usage token cache session model limit read write file test build error fix refactor function const return import export".split(" ");
const text = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

const MODELS = [
  ["claude-sonnet-4-5-20250929", 0.55],
  ["claude-opus-4-5-20251101", 0.3],
  ["claude-haiku-4-5-20251001", 0.1],
  ["claude-opus-4-1-20250805", 0.05],
];
function model() {
  let r = rand();
  for (const [m, w] of MODELS) if ((r -= w) < 0) return m;
  return MODELS[0][0];
}

const PROJECTS = Array.from({ length: 8 }, (_, i) => `-home-dev-project-${String.fromCharCode(97 + i)}${i % 3 === 0 ? "-api" : ""}`);
const START = Date.UTC(2026, 0, 5, 6, 0, 0); // 20 days from 2026-01-05
const DAYS = 20;

let written = 0;
const copiesForResume = []; // earlier assistant lines a resumed session may copy

function usage(final) {
  const w1h = rand() < 0.3 ? int(0, 20000) : 0;
  const w5m = int(0, 30000);
  return {
    input_tokens: int(1, 300),
    cache_creation_input_tokens: w5m + w1h,
    cache_read_input_tokens: int(0, 200000),
    cache_creation: { ephemeral_5m_input_tokens: w5m, ephemeral_1h_input_tokens: w1h },
    output_tokens: final,
    service_tier: "standard",
  };
}

function writeSession(path, project, sessionId, t0, sidechain) {
  mkdirSync(join(path, ".."), { recursive: true });
  const fd = openSync(path, "w");
  const out = [];
  const flush = () => {
    const s = out.join("");
    writeSync(fd, s);
    written += Buffer.byteLength(s);
    out.length = 0;
  };
  const cwd = `/${project.slice(1).replace(/-/g, "/")}`;
  let t = t0;
  const turns = int(20, 120);
  let parent = null;
  const base = (type) => ({ parentUuid: parent, isSidechain: sidechain, userType: "external", cwd, sessionId, version: "2.1.150", gitBranch: "main", type, uuid: uuid(), timestamp: new Date(t).toISOString() });
  if (!sidechain && copiesForResume.length > 0 && rand() < 0.15) {
    // A resumed session starts with copies of earlier rows (same message.id + requestId, same usage).
    for (const line of copiesForResume.slice(-int(2, 10))) out.push(line);
  }
  for (let turn = 0; turn < turns; turn++) {
    t += int(5, 240) * 1000;
    const u = base("user");
    u.message = { role: "user", content: rand() < 0.5 ? text(int(5, 60)) : [{ type: "tool_result", tool_use_id: `toolu_${hex(24)}`, content: text(rand() < 0.75 ? int(10, 250) : int(250, 2500)) }] };
    out.push(JSON.stringify(u) + "\n");
    parent = u.uuid;
    if (rand() < 0.002) out.push(JSON.stringify(u).slice(0, int(10, 200)) + "\n"); // torn line
    const m = model();
    const msgId = `msg_${hex(24)}`;
    const reqId = `req_${hex(24)}`;
    const final = int(20, 4000);
    const placeholder = rand() < 0.125;
    const blocks = int(1, 4);
    const shared = usage(final);
    t += int(2, 60) * 1000;
    for (let b = 0; b < blocks; b++) {
      const a = base("assistant");
      a.requestId = reqId;
      const block = b === blocks - 1 && rand() < 0.6
        ? { type: "tool_use", id: `toolu_${hex(24)}`, name: pick(["Read", "Edit", "Bash", "Write"]), input: { file_path: `/src/${pick(WORDS)}.ts`, content: text(int(5, 400)) } }
        : { type: "text", text: text(int(5, 200)) };
      const thisUsage = placeholder && b < blocks - 1 ? { ...shared, output_tokens: 1 } : shared;
      a.message = { id: msgId, type: "message", role: "assistant", model: m, content: [block], stop_reason: null, stop_sequence: null, usage: thisUsage };
      const line = JSON.stringify(a) + "\n";
      out.push(line);
      if (!placeholder && rand() < 0.05) copiesForResume.push(line);
      parent = a.uuid;
      t += int(0, 3) * 1000;
    }
    if (rand() < 0.003) {
      const s = base("assistant");
      s.message = { id: uuid(), type: "message", role: "assistant", model: "<synthetic>", content: [{ type: "text", text: "You've hit your session limit · resets 2pm (Europe/Helsinki)" }], stop_reason: "stop_sequence", stop_sequence: "", usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } };
      s.isApiErrorMessage = true;
      out.push(JSON.stringify(s) + "\n");
    }
    if (out.length > 200) flush();
    if (written > targetBytes) break;
  }
  flush();
  closeSync(fd);
  if (copiesForResume.length > 200) copiesForResume.splice(0, copiesForResume.length - 200);
  return t;
}

let n = 0;
while (written < targetBytes) {
  const project = PROJECTS[n % PROJECTS.length];
  const sessionId = uuid();
  const t0 = START + int(0, DAYS - 1) * 86400000 + int(0, 16) * 3600000;
  const main = join(dir, "projects", project, `${sessionId}.jsonl`);
  writeSession(main, project, sessionId, t0, false);
  const agents = rand() < 0.3 ? int(1, 3) : 0;
  for (let a = 0; a < agents && written < targetBytes; a++) {
    writeSession(join(dir, "projects", project, sessionId, "subagents", `agent-${hex(8)}.jsonl`), project, sessionId, t0 + int(1, 30) * 60000, true);
  }
  n++;
}
console.log(JSON.stringify({ dir, bytes: written, sessions: n }));
