#!/usr/bin/env node
// Transcript reading benchmark: usagetop `report daily --json` vs ccusage 20 (native) and
// ccusage 18 (Node), on generated logs (bench/gen-transcripts.mjs), with a correctness check.
//   npm run build && node bench/transcripts.mjs [--big] [--runs N] [--bin path/to/bin/usagetop.js]
// Prints wall and CPU time (median of N runs; usagetop cold, ccusage 20 and the Node floor of
// bench/transcripts-floor.mjs alternate run by run),
// the load average, peak RSS, warm times (nothing new; one line appended), and per-day checks:
//   - usagetop == an independent, obviously-correct computation (JSON.parse every line,
//     keep the LARGEST output_tokens per message.id+requestId) on every field;
//   - each ccusage == the same computation under the rule it follows (ccusage 18 keeps the
//     FIRST row per key; the script reports which rule ccusage 20 matches);
//   - input and cache fields equal across all three; output differs only by the generator's
//     placeholder copies (first row output_tokens 1), which the script totals independently.
import { spawnSync, execFileSync } from "node:child_process";
import { appendFileSync, truncateSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DATA = join(ROOT, "bench", ".data");
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 3;
const SIZES = args.includes("--big") ? [50, 500] : [50];
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

function sh(cmd, argv, opts = {}) {
  return execFileSync(cmd, argv, { stdio: ["ignore", "pipe", "inherit"], ...opts });
}

// --- peers ---------------------------------------------------------------------------
const CC20 = join(DATA, "peers", "node_modules", "@ccusage", "ccusage-linux-x64", "bin", "ccusage");
const CC18 = join(DATA, "peers18", "node_modules", "ccusage", "dist", "index.js");
if (!existsSync(CC20)) {
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefix", join(DATA, "peers"), "ccusage@20.0.24", "@ccusage/ccusage-linux-x64@20.0.24"], { stdio: "inherit" });
}
if (existsSync(CC20)) chmodSync(CC20, 0o755);
if (!existsSync(CC18)) {
  // ccusage 18 is the last TypeScript release; it runs on Node 20.
  sh("npm", ["install", "--no-audit", "--no-fund", "--prefix", join(DATA, "peers18"), "ccusage@18"], { stdio: "inherit" });
}
// --bin PATH times another build (e.g. a checkout of an earlier commit) on the same data and peers.
const BIN = args.includes("--bin") ? args[args.indexOf("--bin") + 1] : join(ROOT, "bin", "usagetop.js");
if (!existsSync(join(BIN, "..", "..", "dist", "cli.js"))) {
  console.error("dist/ missing: run `npm run build` first");
  process.exit(1);
}

// --- timing ----------------------------------------------------------------------------
/** Runs a command; returns wall ms, cpu ms, peak RSS MB and stdout. */
function measure(cmd, argv, env) {
  const full = TIME ? [TIME, ["-v", cmd, ...argv]] : [process.execPath, [join(ROOT, "bench", "rss-wrapper.mjs"), cmd, ...argv]];
  const t0 = performance.now();
  const r = spawnSync(full[0], full[1], { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(" ")} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const grab = (re) => Number((re.exec(r.stderr) ?? [])[1] ?? NaN);
  const cpu = (grab(/User time \(seconds\): ([\d.]+)/) + grab(/System time \(seconds\): ([\d.]+)/)) * 1000;
  const rss = grab(/Maximum resident set size \(kbytes\): (\d+)/) / 1024;
  return { wall, cpu, rss, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function summary(rs) {
  return { wall: median(rs.map((r) => r.wall)), cpu: median(rs.map((r) => r.cpu)), cpuMin: Math.min(...rs.map((r) => r.cpu)), rss: Math.max(...rs.map((r) => r.rss)), stdout: rs[0].stdout };
}
function repeat(n, fn) {
  return summary(Array.from({ length: n }, fn));
}
/** Runs several commands in turn, round after round, so a change in the machine's load hits them alike. */
function interleave(n, fns) {
  const runs = fns.map(() => []);
  for (let i = 0; i < n; i++) fns.forEach((fn, k) => runs[k].push(fn()));
  return runs.map((rs) => ({ ...summary(rs), runs: rs }));
}
/** The median over rounds of a's wall time divided by b's, both from the same round. */
const roundRatio = (a, b) => median(a.runs.map((r, i) => r.wall / b.runs[i].wall));
const loadavg = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

// --- the independent computation ------------------------------------------------------------
function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".jsonl")) out.push(p);
    }
  };
  walk(join(dir, "projects"));
  return out.sort();
}
function simple(dir) {
  const max = new Map();
  const first = new Map();
  for (const f of files(dir)) {
    for (const line of readFileSync(f, "utf8").split("\n")) {
      let row;
      try {
        row = JSON.parse(line);
      } catch {
        continue;
      }
      const u = row?.message?.usage;
      if (!u || row.message.model === "<synthetic>") continue;
      const key = `${row.message.id}:${row.requestId}`;
      const rec = {
        day: row.timestamp.slice(0, 10),
        input: u.input_tokens ?? 0,
        output: u.output_tokens ?? 0,
        cw: u.cache_creation_input_tokens ?? 0,
        cr: u.cache_read_input_tokens ?? 0,
      };
      if (!first.has(key)) first.set(key, rec);
      if (!max.has(key) || max.get(key).output < rec.output) max.set(key, rec);
    }
  }
  const byDay = (m) => {
    const days = {};
    for (const r of m.values()) {
      const d = (days[r.day] ??= { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0 });
      d.inputTokens += r.input;
      d.outputTokens += r.output;
      d.cacheCreationTokens += r.cw;
      d.cacheReadTokens += r.cr;
      d.totalTokens += r.input + r.output + r.cw + r.cr;
    }
    return days;
  };
  return { max: byDay(max), first: byDay(first), keys: max.size };
}
const FIELDS = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens"];
function compare(name, report, want, fields = FIELDS) {
  const got = Object.fromEntries(report.daily.map((d) => [d.date, d]));
  const problems = [];
  for (const day of new Set([...Object.keys(got), ...Object.keys(want)])) {
    for (const f of fields) if ((got[day]?.[f] ?? 0) !== (want[day]?.[f] ?? 0)) problems.push(`${day} ${f}: ${got[day]?.[f]} != ${want[day]?.[f]}`);
  }
  console.log(`  ${problems.length === 0 ? "OK  " : "FAIL"} ${name}${problems.length ? `: ${problems.length} mismatches, e.g. ${problems.slice(0, 3).join("; ")}` : ""}`);
  return problems.length === 0;
}

// --- run --------------------------------------------------------------------------------
let allOk = true;
for (const mb of SIZES) {
  const dir = join(DATA, `transcripts-${mb}mb`);
  if (!existsSync(join(dir, ".done"))) {
    rmSync(dir, { recursive: true, force: true });
    sh(process.execPath, [join(ROOT, "bench", "gen-transcripts.mjs"), dir, String(mb), "42"], { stdio: "inherit" });
    writeFileSync(join(dir, ".done"), "");
  }
  const fileList = files(dir);
  const bytes = fileList.reduce((a, f) => a + statSync(f).size, 0);
  const scratch = mkdtempSync(join(tmpdir(), "usagetop-bench-"));
  mkdirSync(join(scratch, "home"));
  mkdirSync(join(scratch, "codex"));
  const baseEnv = { PATH: process.env.PATH, HOME: join(scratch, "home"), CLAUDE_CONFIG_DIR: dir, CODEX_HOME: join(scratch, "codex"), TZ: "UTC", XDG_CONFIG_HOME: join(scratch, "home", ".config") };
  console.log(`\n== ${(bytes / 1048576).toFixed(1)} MB in ${fileList.length} files (${dir}); usagetop: ${BIN}`);

  let state = 0;
  const freshState = () => ({ ...baseEnv, XDG_STATE_HOME: join(scratch, `state-${state++}`) });
  const ours = ["report", "daily", "--json", "--timezone", "UTC"];
  const floorNode = repeat(RUNS, () => measure(process.execPath, ["-e", "0"], baseEnv));
  const floorCli = repeat(RUNS, () => measure(process.execPath, [BIN, "--version"], baseEnv));
  const loadBefore = loadavg();
  // usagetop cold, both ccusage and the Node floor (bench/transcripts-floor.mjs: read every
  // byte, JSON.parse every usage line, nothing else) run in turn, round after round: the bars
  // compare times taken in the same round, so a change in the machine's load hits them alike.
  const [cold, cc20, floorRead, cc18] = interleave(RUNS, [
    () => measure(process.execPath, [BIN, ...ours], freshState()),
    () => measure(CC20, ["claude", "daily", "--json", "--offline", "--timezone", "UTC"], baseEnv),
    () => measure(process.execPath, [join(ROOT, "bench", "transcripts-floor.mjs"), dir], baseEnv),
    () => measure(process.execPath, [CC18, "daily", "--json", "--offline", "--timezone", "UTC"], baseEnv),
  ]);
  const warmEnv = freshState();
  measure(process.execPath, [BIN, ...ours], warmEnv);
  const warmSame = repeat(RUNS, () => measure(process.execPath, [BIN, ...ours], warmEnv));
  // Append one new call to the newest file, then time the run that reads it.
  // The file is cut back to its size afterwards, so the cached data set stays as generated.
  const target = fileList[fileList.length - 1];
  const targetSize = statSync(target).size;
  let appended = 0;
  const warmAppend = repeat(RUNS, () => {
    appended++;
    appendFileSync(target, `${JSON.stringify({ type: "assistant", sessionId: "bench", requestId: `req_bench_${appended}`, timestamp: "2027-06-01T12:00:00.000Z", message: { id: `msg_bench_${appended}`, model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } })}\n`);
    return measure(process.execPath, [BIN, ...ours], warmEnv);
  });

  truncateSync(target, targetSize);

  const row = (name, r) =>
    console.log(`  ${name.padEnd(34)} wall ${r.wall.toFixed(0).padStart(6)} ms   cpu ${r.cpu.toFixed(0).padStart(6)} ms (min ${r.cpuMin.toFixed(0).padStart(5)})   peak RSS ${r.rss.toFixed(0).padStart(4)} MB`);
  console.log(`  (median of ${RUNS} runs; CPU = user + sys from /usr/bin/time, 10 ms resolution; the machine is shared, so CPU time is the steadier figure)`);
  console.log(`  load average (1, 5, 15 min): ${loadBefore} before, ${loadavg()} after`);
  row("node -e 0 (floor)", floorNode);
  row("usagetop --version (CLI start-up)", floorCli);
  row("Node floor (read + JSON.parse only)", floorRead);
  row("usagetop cold (fresh state dir)", cold);
  row("ccusage 20.0.24 (native)", cc20);
  row("ccusage 18 (Node)", cc18);
  row("usagetop warm, nothing new", warmSame);
  row("usagetop warm, one line appended", warmAppend);
  const x = (v) => `${v.toFixed(1)}x`;
  console.log(`  bars (issue #8), per-round ratios of wall time:`);
  console.log(`    cold vs ccusage 18: ${x(roundRatio(cc18, cold))} faster (bar: 10x)`);
  console.log(`    cold vs ccusage 20: ${x(roundRatio(cc20, cold))} its speed (bar: match it, 1.0x)`);
  console.log(`    warm, one line appended: ${warmAppend.wall.toFixed(0)} ms (bar: under 300 ms); peak RSS ${Math.max(cold.rss, warmAppend.rss).toFixed(0)} MB (bar: ${mb >= 500 ? 400 : 250} MB)`);

  // Correctness, on the data before the appended lines (cold, cc20, cc18 ran before them).
  const want = simple(dir);
  const oursJson = JSON.parse(cold.stdout);
  const cc20Json = JSON.parse(cc20.stdout);
  const cc18Json = JSON.parse(cc18.stdout);
  // The appended calls are dated 2027-06-01, after every generated day: leave them out.
  delete want.max["2027-06-01"];
  delete want.first["2027-06-01"];
  console.log(`  checks (${want.keys} distinct calls):`);
  allOk = compare("usagetop == simple computation, largest-output rule (all fields)", oursJson, want.max) && allOk;
  // Which dedup rule does each peer follow? ccusage 18 keeps the first row per key; say what 20 does.
  for (const [name, json] of [["ccusage 20", cc20Json], ["ccusage 18", cc18Json]]) {
    const quiet = (w, fields) => {
      const got = Object.fromEntries(json.daily.map((d) => [d.date, d]));
      return Object.keys({ ...got, ...w }).every((day) => fields.every((f) => (got[day]?.[f] ?? 0) === (w[day]?.[f] ?? 0)));
    };
    const rule = quiet(want.max, FIELDS) ? "largest-output" : quiet(want.first, FIELDS) ? "first-row" : null;
    if (rule) console.log(`  OK   ${name} == simple computation, ${rule} rule (all fields)`);
    else allOk = compare(`${name} == simple computation (neither rule; details)`, json, want.first) && allOk;
    // Totals, not days: under the two rules a call streamed across midnight can land on
    // different days (its first and its largest row carry different timestamps).
    const same = ["inputTokens", "cacheCreationTokens", "cacheReadTokens"].every((f) => oursJson.totals[f] === json.totals[f]);
    console.log(`  ${same ? "OK  " : "FAIL"} usagetop == ${name} on input and cache totals`);
    allOk = same && allOk;
  }
  const out = (j) => j.totals.outputTokens;
  const shortfall = Object.values(want.max).reduce((a, d) => a + d.outputTokens, 0) - Object.values(want.first).reduce((a, d) => a + d.outputTokens, 0);
  console.log(`  output tokens: usagetop ${out(oursJson)}, ccusage 20 ${out(cc20Json)}, ccusage 18 ${out(cc18Json)}`);
  console.log(`  usagetop - ccusage 18 = ${out(oursJson) - out(cc18Json)}; placeholder shortfall computed independently = ${shortfall}`);
  console.log(`  (streamed copies whose first row carries output_tokens 1: keeping the first row under-counts by that much)`);
  rmSync(scratch, { recursive: true, force: true });
}
process.exitCode = allOk ? 0 : 1;
