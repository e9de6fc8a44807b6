#!/usr/bin/env node
// TUI cost in a real terminal (SPEC 6.3: "idle CPU near zero"). Runs `usagetop --demo` in a
// private tmux server and reads the process's CPU time and memory from /proc:
//   1. idle: the demo as shipped (one store update per second plus the 1 s clock tick);
//      target below 1 % of one core and RSS below 100 MB.
//   2. busy: 10 store updates per second (USAGETOP_DEMO_UPDATES_PER_SEC=10) while Tab is sent
//      every 200 ms; every key must show its reaction (the active view moves by one); target
//      no dropped key and CPU below 15 %.
// Prints, per phase: duration, load average (start and end: the machine is shared, CPU figures
// mean little without it), CPU % of one core (user + system), RSS peak over the window and at its
// end (VmRSS sampled every second; VmHWM is the lifetime peak, start-up included), keys sent and
// seen, and PASS/FAIL against the targets. Measuring starts 1.5 s after the first full frame.
// NO_COLOR by default (the plainest frame); --color runs it as users do, with colour on (chalk's
// escape codes in every frame: more bytes to tokenize, diff and write).
// Usage: npm run build && node bench/tui-idle.mjs [--seconds 60] [--phase idle|busy|both] [--color]
// (Linux: needs /proc and tmux)
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/usagetop.js", import.meta.url));
const SOCKET = `usagetop-bench-${process.pid}`;
const argSeconds = process.argv.indexOf("--seconds");
const SECONDS = argSeconds > 0 ? Number(process.argv[argSeconds + 1]) : 60;
const argPhase = process.argv.indexOf("--phase");
const PHASE = argPhase > 0 ? process.argv[argPhase + 1] : "both";
const COLOR = process.argv.includes("--color");
const KEY_EVERY_MS = 200;
const VIEWS = ["Slots", "Models", "Blocks", "Sessions", "Readers"];
const TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

const tmux = (...args) => execFileSync("tmux", ["-L", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cpuTicks(pid) {
  // Fields after the command name (which may hold spaces): utime is field 14, stime 15.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: Number(rest[11]), system: Number(rest[12]) };
}

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

function activeView(name) {
  const screen = tmux("capture-pane", "-p", "-t", name);
  const m = /\[(Slots|Models|Blocks|Sessions|Readers)\]/.exec(screen);
  return m ? m[1] : null;
}

async function startTui(name, env) {
  const vars = Object.entries({ ...(COLOR ? {} : { NO_COLOR: "1" }), ...env }).map(([k, v]) => `${k}=${v}`);
  const unset = COLOR ? ["-u", "NO_COLOR", "-u", "FORCE_COLOR"] : [];
  tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "env", "-u", "CI", ...unset, ...vars, "node", BIN, "--demo");
  tmux("set-option", "-t", name, "status", "off");
  const pid = Number(tmux("display-message", "-p", "-t", name, "#{pane_pid}").trim());
  for (let i = 0; i < 100 && !tmux("capture-pane", "-p", "-t", name).includes("?Help"); i++) await sleep(50);
  // Let start-up work (imports, first read of the demo transcripts) settle before measuring.
  await sleep(1500);
  return pid;
}

async function measure(pid, seconds, during) {
  const loadStart = loadAverage();
  const t0 = process.hrtime.bigint();
  const c0 = cpuTicks(pid);
  let peakRss = memory(pid).rssMb;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, memory(pid).rssMb)), 1000);
  const extra = await during(seconds);
  clearInterval(sampler);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c1 = cpuTicks(pid);
  const user = (c1.user - c0.user) / TICKS;
  const system = (c1.system - c0.system) / TICKS;
  const mem = memory(pid);
  return {
    wallSeconds: wall,
    loadStart,
    loadEnd: loadAverage(),
    cpuSeconds: user + system,
    cpuUserSeconds: user,
    cpuSystemSeconds: system,
    cpuPercent: ((user + system) / wall) * 100,
    rssPeakMb: Math.max(peakRss, mem.rssMb),
    rssEndMb: mem.rssMb,
    hwmMb: mem.hwmMb,
    ...extra,
  };
}

async function sendTabs(name, seconds) {
  let sent = 0;
  let seen = 0;
  const latencies = [];
  const end = Date.now() + seconds * 1000;
  let expected = VIEWS.indexOf(activeView(name) ?? "Slots");
  while (Date.now() < end) {
    const started = Date.now();
    tmux("send-keys", "-t", name, "Tab");
    sent++;
    expected = (expected + 1) % VIEWS.length;
    let reacted = false;
    while (Date.now() - started < 1000) {
      if (activeView(name) === VIEWS[expected]) {
        reacted = true;
        break;
      }
      await sleep(5);
    }
    if (reacted) {
      seen++;
      latencies.push(Date.now() - started);
    } else {
      expected = VIEWS.indexOf(activeView(name) ?? VIEWS[expected]);
    }
    await sleep(Math.max(0, KEY_EVERY_MS - (Date.now() - started)));
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? null;
  return { keysSent: sent, keysSeen: seen, dropped: sent - seen, latencyP50Ms: pct(50), latencyP95Ms: pct(95) };
}

const fmt = (n) => (typeof n === "number" ? n.toFixed(2) : String(n));
const verdict = (ok) => (ok ? "PASS" : "FAIL");

function describe(r) {
  return (
    `${fmt(r.wallSeconds)} s, load ${r.loadStart} -> ${r.loadEnd}\n` +
    `       cpu ${fmt(r.cpuPercent)} % of one core (${fmt(r.cpuSeconds)} s: user ${fmt(r.cpuUserSeconds)}, system ${fmt(r.cpuSystemSeconds)})\n` +
    `       rss peak ${fmt(r.rssPeakMb)} MB, end ${fmt(r.rssEndMb)} MB (lifetime peak incl. start-up ${fmt(r.hwmMb)} MB)`
  );
}

try {
  console.log(`usagetop TUI bench: ${SECONDS} s per phase, 120x40 tmux pane, ${COLOR ? "colour" : "NO_COLOR"}, node ${process.version}, ${cpus().length} cores`);
  const result = { seconds: SECONDS, color: COLOR };
  if (PHASE !== "busy") {
    const idlePid = await startTui("idle", {});
    const idle = await measure(idlePid, SECONDS, (s) => sleep(s * 1000).then(() => ({})));
    tmux("kill-session", "-t", "idle");
    const ok = { cpu: idle.cpuPercent < 1, rss: idle.rssPeakMb < 100 };
    console.log(`idle   ${describe(idle)}`);
    console.log(`       targets: cpu < 1 % ${verdict(ok.cpu)}, rss < 100 MB ${verdict(ok.rss)}`);
    result.idle = { ...idle, pass: ok.cpu && ok.rss };
  }
  if (PHASE !== "idle") {
    const busyPid = await startTui("busy", { USAGETOP_DEMO_UPDATES_PER_SEC: "10" });
    const busy = await measure(busyPid, SECONDS, (s) => sendTabs("busy", s));
    tmux("kill-session", "-t", "busy");
    const ok = { keys: busy.dropped === 0, cpu: busy.cpuPercent < 15 };
    console.log(`busy   10 store updates/s, Tab every ${KEY_EVERY_MS} ms: ${describe(busy)}`);
    console.log(`       keys ${busy.keysSeen}/${busy.keysSent} seen (${busy.dropped} dropped), latency p50 ${busy.latencyP50Ms} ms p95 ${busy.latencyP95Ms} ms`);
    console.log(`       targets: no dropped key ${verdict(ok.keys)}, cpu < 15 % ${verdict(ok.cpu)}`);
    result.busy = { ...busy, pass: ok.keys && ok.cpu };
  }
  console.log(JSON.stringify(result));
} finally {
  try {
    execFileSync("tmux", ["-L", SOCKET, "kill-server"], { stdio: "ignore" });
  } catch {
    // already gone
  }
}
