// Twenty real usagetop-like processes hit one slot at the same moment (SPEC 3.3: one poll per
// interval per slot across all processes). Children run the compiled store from dist/, so run
// `npm run build` first (npm test does). A tiny HTTP server on 127.0.0.1 plays the usage endpoint
// and counts requests, and doubles as a start barrier so every child begins together.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CacheFileSchema } from "../../src/store/cache.js";

const CHILD = join(dirname(fileURLToPath(import.meta.url)), "store-child.mjs");
const DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dist", "store", "cached-read.js");
const N = 20;
/**
 * Fewer children for the variations: the machine has two cores and each child costs ~0.2 s of CPU.
 * (The other stale-lock rules, old mtime and empty lock, go through the same recovery path and are
 * covered one by one in src/store/lock.test.ts.)
 */
const FEW = 8;

type Counter = { server: Server; url: string; usageRequests: () => number };

/** The usage endpoint: answers after 300 ms (so the lock is really contended); /ready releases everyone once N arrived. */
async function startServer(expected: number): Promise<Counter> {
  let usage = 0;
  const waiting: Array<() => void> = [];
  const server = createServer((req, res) => {
    if (req.url === "/ready") {
      waiting.push(() => res.end("go"));
      if (waiting.length === expected) for (const go of waiting.splice(0)) go();
      return;
    }
    if (req.url === "/usage") {
      usage++;
      setTimeout(() => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ five_hour: { utilization: 62, resets_at: "2026-11-22T17:00:00.000000+00:00" } }));
      }, 300);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, usageRequests: () => usage };
}

function runChildren(mode: string, url: string, count = N) {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      execa(process.execPath, [CHILD, mode, stateDir, url, String(i), "15000"], { timeout: 50_000 }).then((r) => JSON.parse(r.stdout)),
    ),
  );
}

function deadPid(): number {
  return Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
}

/** Nothing but the cache file: no lock, no recovery guard, no temp file left behind. */
function expectCleanCacheDir(): void {
  expect(readdirSync(join(stateDir, "cache"))).toEqual(["alice.json"]);
  const parsed = CacheFileSchema.safeParse(JSON.parse(readFileSync(join(stateDir, "cache", "alice.json"), "utf8")));
  expect(parsed.success).toBe(true);
}

let stateDir: string;
let counter: Counter | null = null;

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build\` before the e2e tests`);
});
beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), "usagetop-e2e-cache-"));
});
afterEach(async () => {
  if (counter) await new Promise((r) => counter!.server.close(r));
  counter = null;
  rmSync(stateDir, { recursive: true, force: true });
});

describe("many processes, one slot", { timeout: 60_000 }, () => {
  it("20 processes make exactly one request; all of them get its value", async () => {
    counter = await startServer(N);
    const results = await runChildren("read", counter.url);
    expect(counter.usageRequests()).toBe(1);
    expect(results.filter((r) => r.outcome === "read")).toHaveLength(1);
    expect(results.every((r) => r.ok && r.u === 62)).toBe(true);
    expect(results.every((r) => r.outcome === "read" || r.outcome === "other-process" || r.outcome === "fresh")).toBe(true);
    expectCleanCacheDir();
  });

  it("8 processes recover a lock left by a dead process once, and make exactly one request", async () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true, mode: 0o700 });
    writeFileSync(join(stateDir, "cache", "alice.lock"), `${deadPid()} ${new Date().toISOString()}`);
    counter = await startServer(FEW);
    const results = await runChildren("read", counter.url, FEW);
    expect(counter.usageRequests()).toBe(1);
    expect(results.every((r) => r.ok && r.u === 62)).toBe(true);
    expectCleanCacheDir();
  });

  it("20 processes updating the cache under the lock at once lose no update and leave a valid file, no lock", async () => {
    counter = await startServer(N);
    const results = await runChildren("update", counter.url);
    expect(results.every((r) => r.acquired)).toBe(true);
    expect(results.map((r) => r.value).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const file = CacheFileSchema.parse(JSON.parse(readFileSync(join(stateDir, "cache", "alice.json"), "utf8")));
    expect(file.readers.oauth?.failures).toBe(N);
    expectCleanCacheDir();
  });

  it("8 processes writing atomically without a lock: a reader never sees a torn file, and no temp file is left", async () => {
    counter = await startServer(FEW);
    const path = join(stateDir, "big.json");
    let reads = 0;
    let torn = 0;
    const watcher = setInterval(() => {
      try {
        JSON.parse(readFileSync(path, "utf8"));
        reads++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") torn++;
      }
    }, 1);
    try {
      await runChildren("atomic", counter.url, FEW);
    } finally {
      clearInterval(watcher);
    }
    expect(torn).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(path, "utf8")).filler).toHaveLength(256 * 1024);
    expect(readdirSync(stateDir)).toEqual(["big.json"]);
  });

  it("history appends from 8 processes interleave whole lines only", async () => {
    counter = await startServer(FEW);
    const results = await runChildren("history", counter.url, FEW);
    expect(results.every((r) => r.appended === 50)).toBe(true);
    const lines = readFileSync(join(stateDir, "history", "alice.jsonl"), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(FEW * 50);
    const perKind = new Map<string, number>();
    for (const line of lines) {
      const { k } = JSON.parse(line) as { k: string };
      perKind.set(k, (perKind.get(k) ?? 0) + 1);
    }
    expect([...perKind.values()]).toEqual(Array.from({ length: FEW }, () => 50));
  });
});
