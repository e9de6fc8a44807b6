#!/usr/bin/env node
// Load on `usagetop serve`: N requests at concurrency C to /snapshot and /metrics (a small node:http
// client, keep-alive), printing p50/p99 latency and errors, and the fake Anthropic endpoint's
// request counter before and after: the upstream is polled once per interval whatever the
// request rate, because requests are answered from memory. The pieces are exported for
// test/e2e/serve*.test.ts, which runs the same setup.
// Usage: node bench/serve-load.mjs [requests=2000] [concurrency=50]   (run `npm run build` first)
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startFakeAnthropic } from "../test/fake-anthropic-server.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BIN = join(ROOT, "bin", "usagetop.js");
export const ACCESS = "sk-ant-oat01-FIXTURE-ACCESS-serve-alice";
export const REFRESH = "sk-ant-ort01-FIXTURE-REFRESH-serve-alice";

/** A usage body shaped like fixtures/oauth/max-2026-09.json (FORMATS §1), resets in the future. */
function usageBody(now) {
  const iso = (ms) => new Date(ms).toISOString().replace("Z", "123+00:00");
  return {
    five_hour: { utilization: 62, resets_at: iso(now + 100 * 60_000) },
    seven_day: { utilization: 31, resets_at: iso(now + 3 * 86_400_000) },
    seven_day_opus: null,
    seven_day_sonnet: { utilization: 12, resets_at: iso(now + 3 * 86_400_000) },
    extra_usage: { is_enabled: false },
  };
}

/**
 * A private HOME with one slot (alice) whose token the fake server knows, a config that turns
 * off the readers that would look for programs on this machine, and the fake server itself.
 */
export async function sandbox(extraToml = "") {
  const root = mkdtempSync(join(tmpdir(), "usagetop-serve-"));
  const home = join(root, "home");
  const creds = join(home, ".claude");
  const fixtures = join(root, "fixtures");
  mkdirSync(creds, { recursive: true });
  mkdirSync(fixtures);
  mkdirSync(join(home, ".config", "usagetop"), { recursive: true });
  writeFileSync(join(fixtures, "serve-usage.json"), JSON.stringify(usageBody(Date.now())));
  writeFileSync(join(fixtures, "tokens.json"), JSON.stringify({ [ACCESS]: { usage: "serve-usage" } }));
  const credentials = {
    claudeAiOauth: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: Date.now() + 5 * 3600_000, scopes: ["user:inference", "user:profile"], subscriptionType: "max" },
  };
  writeFileSync(join(creds, ".credentials.json.alice"), JSON.stringify(credentials), { mode: 0o600 });
  symlinkSync(".credentials.json.alice", join(creds, ".credentials.json"));
  writeFileSync(
    join(home, ".config", "usagetop", "config.toml"),
    `[readers.usage_screen]\nenabled = false\n\n[readers.ollama]\nenabled = false\n\n[readers.codex]\nenabled = false\n${extraToml}`,
  );
  const fake = await startFakeAnthropic({ fixturesDir: fixtures });
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_STATE_HOME: join(home, ".local", "state"),
    CLAUDE_CONFIG_DIR: creds,
    CODEX_HOME: join(home, ".codex"),
    USAGETOP_ANTHROPIC_BASE_URL: fake.url,
    USAGETOP_HTTP_TIMEOUT_MS: "3000",
    NO_COLOR: "1",
  };
  return {
    root,
    home,
    env,
    fake,
    usageRequests: () => fake.requests.log.filter((e) => e.path === "/api/oauth/usage").length,
    async cleanup() {
      await fake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Starts `usagetop serve` as a child; resolves once it printed its `listening on` line. */
export function startServe(env, args = ["serve", "--port", "0"]) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (c) => (out.stdout += c));
  child.stderr.on("data", (c) => (out.stderr += c));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out.stderr}`)), 20_000);
    const check = () => {
      const m = /^listening on (http:\/\/\S+)\n/.exec(out.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", check);
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code} before listening: ${out.stderr}`));
    });
  });
  return {
    child,
    out,
    exited,
    ready,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** One GET; resolves with status, body and latency (ms). */
export function get(url, { headers = {}, agent } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = request(url, { headers, agent }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    req.on("error", reject);
    req.end();
  });
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** `requests` GETs spread over `paths`, `concurrency` at a time, on keep-alive connections. */
export async function load(base, { requests = 2000, concurrency = 50, paths = ["/snapshot", "/metrics"], headers = {} } = {}) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  const statuses = {};
  const errors = [];
  let next = 0;
  const t0 = Date.now();
  async function worker() {
    while (next < requests) {
      const i = next++;
      try {
        const r = await get(`${base}${paths[i % paths.length]}`, { headers, agent });
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        latencies.push(r.ms);
        if (r.status !== 200) errors.push(`${paths[i % paths.length]}: ${r.status}`);
      } catch (err) {
        errors.push(String(err && err.message));
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { requests, concurrency, seconds: (Date.now() - t0) / 1000, statuses, errors, p50: pct(sorted, 50) ?? NaN, p99: pct(sorted, 99) ?? NaN };
}

/** Waits until the first poll round has put a governing meter into /snapshot. */
export async function waitForData(base, headers = {}, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await get(`${base}/snapshot`, { headers }).catch(() => null);
    if (r && r.status === 200 && JSON.parse(r.body).governing !== null) return JSON.parse(r.body);
    if (Date.now() > deadline) throw new Error(`no data within ${timeoutMs} ms: ${r ? r.body : "no answer"}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function main() {
  const requests = Number(process.argv[2] ?? 2000);
  const concurrency = Number(process.argv[3] ?? 50);
  const box = await sandbox();
  const serve = startServe(box.env);
  try {
    const base = await serve.ready;
    await waitForData(base);
    const before = box.usageRequests();
    const r = await load(base, { requests, concurrency });
    const after = box.usageRequests();
    console.log(`usagetop serve: ${r.requests} requests at concurrency ${r.concurrency} to /snapshot and /metrics in ${r.seconds.toFixed(2)} s (node ${process.version})`);
    console.log(`  p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   statuses ${JSON.stringify(r.statuses)}   errors ${r.errors.length}`);
    console.log(`  upstream /api/oauth/usage requests: ${before} before the load, ${after} after (oauth interval 180 s: one poll per interval per slot)`);
    if (r.errors.length > 0) console.log(`  first errors: ${r.errors.slice(0, 5).join("; ")}`);
    process.exitCode = r.errors.length === 0 && after === before ? 0 : 1;
  } finally {
    await serve.stop();
    await box.cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
