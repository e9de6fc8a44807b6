import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Meter, ReadResult } from "../model/meter.js";
import { cacheFilePath, cacheLockPath, entryOf, loadCache, writeCacheEntry } from "./cache.js";
import { cachedRead, type CachedReadOptions } from "./cached-read.js";
import { lockText } from "./lock.js";

let stateDir: string;
let clockMs: number;
let reads: number;
let nextResult: ReadResult | (() => ReadResult);

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), "usagetop-cached-read-"));
  // Far from the real time on purpose: locks are judged by the real clock, the cache by this one.
  clockMs = Date.parse("2030-01-01T00:00:00.000Z");
  reads = 0;
  nextResult = ok(62);
});
afterEach(() => rmSync(stateDir, { recursive: true, force: true }));

const clock = () => new Date(clockMs);
const advance = (seconds: number) => {
  clockMs += seconds * 1000;
};

function meter(u: number): Meter {
  return {
    kind: "five_hour",
    label: "5h session",
    utilisation: u,
    resetsAt: new Date(clockMs + 3600_000),
    windowSeconds: 18000,
    source: "oauth",
    observedAt: clock(),
    estimated: false,
  };
}
function ok(u: number): () => ReadResult {
  return () => ({ ok: true, meters: [meter(u)], notes: ["extra usage disabled"] });
}

function opts(p: Partial<CachedReadOptions> = {}): CachedReadOptions {
  return {
    stateDir,
    slot: "alice",
    reader: "oauth",
    intervalSeconds: 180,
    now: clock,
    random: () => 0.5,
    waitMs: 200,
    pollMs: 5,
    read: async () => {
      reads++;
      return typeof nextResult === "function" ? nextResult() : nextResult;
    },
    ...p,
  };
}

const cacheFiles = () => readdirSync(join(stateDir, "cache"));
const otherLivePid = process.ppid;

describe("cachedRead", () => {
  it("still reads when the state dir cannot be written, and says why there is no shared cache", async () => {
    // A file where the state dir should be: mkdir fails (as EACCES would on a read-only home), even for root.
    const blocked = join(stateDir, "not-a-dir");
    writeFileSync(blocked, "");
    const r = await cachedRead(opts({ stateDir: blocked }));
    expect(r).toMatchObject({ outcome: "read", fromCache: false, ageSeconds: 0 });
    expect(r.result.ok && r.result.meters[0]!.utilisation).toBe(62);
    expect(reads).toBe(1);
    expect(r.warnings).toEqual([expect.stringMatching(/^state dir .*not-a-dir is not writable \((ENOTDIR|EEXIST)\): reading without the shared cache/)]);
  });

  it("reads once, then serves the cache while it is younger than the interval", async () => {
    const first = await cachedRead(opts());
    expect(first).toMatchObject({ fromCache: false, outcome: "read", ageSeconds: 0, warnings: [] });
    expect(first.result.ok && first.result.meters[0]?.utilisation).toBe(62);
    expect(first.entry?.nextAttemptAt?.getTime()).toBe(clockMs + 180_000);
    expect(reads).toBe(1);

    advance(100);
    nextResult = ok(70);
    const second = await cachedRead(opts());
    expect(second).toMatchObject({ fromCache: true, outcome: "fresh", ageSeconds: 100 });
    expect(second.result).toEqual({ ok: true, meters: [expect.objectContaining({ utilisation: 62 })], notes: ["extra usage disabled"] });
    expect(reads).toBe(1);

    advance(80);
    const third = await cachedRead(opts());
    expect(third.outcome).toBe("read");
    expect(third.result.ok && third.result.meters[0]?.utilisation).toBe(70);
    expect(reads).toBe(2);
    expect(cacheFiles()).toEqual(["alice.json"]);
  });

  it("--no-cache bypasses the age check", async () => {
    await cachedRead(opts());
    advance(5);
    const r = await cachedRead(opts({ noCache: true }));
    expect(r.outcome).toBe("read");
    expect(reads).toBe(2);
  });

  it("keeps the last good value after a failure and honours the backoff, even with --no-cache", async () => {
    await cachedRead(opts());
    advance(200);
    nextResult = { ok: false, error: { kind: "network", message: "ECONNRESET" } };
    const failed = await cachedRead(opts());
    expect(failed.outcome).toBe("read");
    expect(failed.result).toEqual(nextResult);
    expect(failed.entry?.failures).toBe(1);
    expect(failed.entry?.lastGood?.meters[0]?.utilisation).toBe(62);
    expect(failed.entry?.nextAttemptAt?.getTime()).toBe(clockMs + 360_000);

    advance(60);
    for (const noCache of [false, true]) {
      const during = await cachedRead(opts({ noCache }));
      expect(during).toMatchObject({ fromCache: true, outcome: "backoff", ageSeconds: 260 });
      expect(during.result.ok && during.result.meters[0]?.utilisation).toBe(62);
    }
    expect(reads).toBe(2);

    advance(301);
    const again = await cachedRead(opts());
    expect(again.outcome).toBe("read");
    expect(again.entry?.failures).toBe(2);
    expect(again.entry?.nextAttemptAt?.getTime()).toBe(clockMs + 720_000);

    advance(721);
    nextResult = ok(75);
    const recovered = await cachedRead(opts());
    expect(recovered.entry).toMatchObject({ failures: 0, lastAttempt: { ok: true } });
    expect(reads).toBe(4);
  });

  it("during a backoff with no good value, returns the last error", async () => {
    nextResult = { ok: false, error: { kind: "rate_limited", message: "429", retryAfterSeconds: 120 } };
    const first = await cachedRead(opts());
    expect(first.entry?.nextAttemptAt?.getTime()).toBe(clockMs + (120 + 900) * 1000);
    advance(30);
    const r = await cachedRead(opts());
    expect(r).toMatchObject({ fromCache: true, outcome: "backoff", ageSeconds: 30, result: nextResult });
    expect(reads).toBe(1);
  });

  it("a reader that throws becomes an `unavailable` error and the lock is released", async () => {
    const r = await cachedRead(
      opts({
        read: async () => {
          reads++;
          throw new Error("boom");
        },
      }),
    );
    expect(r.result).toEqual({ ok: false, error: { kind: "unavailable", message: "reader failed: boom" } });
    expect(cacheFiles()).toEqual(["alice.json"]);
  });

  it("two calls at once in one process make one read", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowRead = async (): Promise<ReadResult> => {
      reads++;
      await gate;
      return ok(40)();
    };
    const a = cachedRead(opts({ read: slowRead, waitMs: 5000 }));
    const b = cachedRead(opts({ read: slowRead, waitMs: 5000 }));
    await new Promise((r) => setTimeout(r, 30));
    release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(reads).toBe(1);
    expect([ra.outcome, rb.outcome].sort()).toEqual(["other-process", "read"]);
    expect(rb.result.ok && rb.result.meters[0]?.utilisation).toBe(40);
    expect(cacheFiles()).toEqual(["alice.json"]);
  });

  it("a held lock with nothing cached: waits, then reports who holds it, without reading", async () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    writeFileSync(cacheLockPath(stateDir, "alice"), lockText(otherLivePid, clock()));
    const r = await cachedRead(opts({ waitMs: 50 }));
    expect(reads).toBe(0);
    expect(r).toMatchObject({ fromCache: true, outcome: "lock-timeout", ageSeconds: null, entry: null });
    expect(!r.result.ok && r.result.error).toEqual({
      kind: "unavailable",
      message: `usagetop pid ${otherLivePid} is reading oauth for slot alice; no cached value yet`,
    });
  });

  it("a held lock with an old cached value: waits, then serves it with its age", async () => {
    await cachedRead(opts());
    advance(400);
    writeFileSync(cacheLockPath(stateDir, "alice"), lockText(otherLivePid, clock()));
    const r = await cachedRead(opts({ waitMs: 50 }));
    expect(reads).toBe(1);
    expect(r).toMatchObject({ fromCache: true, outcome: "lock-timeout", ageSeconds: 400 });
    expect(r.result.ok).toBe(true);
  });

  it("a held lock whose holder writes a result meanwhile: uses that result", async () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    const lock = cacheLockPath(stateDir, "alice");
    writeFileSync(lock, lockText(otherLivePid, clock()));
    setTimeout(() => {
      // What the other process does: write its entry, then release.
      writeCacheEntry(stateDir, "alice", "oauth", { lastGood: { at: clock(), meters: [meter(33)] }, lastAttempt: { at: clock(), ok: true }, failures: 0, nextAttemptAt: null }, clock());
      rmSync(lock);
    }, 20);
    const r = await cachedRead(opts({ waitMs: 5000 }));
    expect(reads).toBe(0);
    expect(r.outcome).toBe("other-process");
    expect(r.result.ok && r.result.meters[0]?.utilisation).toBe(33);
  });

  it("a lock and a temp file left by a dead process are cleared and the read happens", async () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    const dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
    writeFileSync(cacheLockPath(stateDir, "alice"), lockText(dead, clock()));
    // ...which also died mid-write, leaving its temp file: cleaned under the lock.
    writeFileSync(join(stateDir, "cache", `.alice.json.tmp-${dead}-deadbeef`), "{half");
    const r = await cachedRead(opts());
    expect(r.outcome).toBe("read");
    expect(reads).toBe(1);
    expect(cacheFiles()).toEqual(["alice.json"]);
  });

  it("a corrupt cache is moved aside with one warning, then rebuilt", async () => {
    mkdirSync(join(stateDir, "cache"), { recursive: true });
    writeFileSync(cacheFilePath(stateDir, "alice"), "{not json");
    const r = await cachedRead(opts());
    expect(r.outcome).toBe("read");
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/alice\.json was corrupt .*moved aside to alice\.json\.corrupt-/);
    const files = cacheFiles().sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe("alice.json");
    expect(files[1]).toMatch(/^alice\.json\.corrupt-/);
    const loaded = loadCache(stateDir, "alice", { now: clock(), moveAside: false });
    expect(entryOf(loaded.file, "oauth")?.lastGood?.meters).toHaveLength(1);
    advance(1);
    expect((await cachedRead(opts())).warnings).toEqual([]);
  });

  it("entries of different readers in one slot do not disturb each other", async () => {
    await cachedRead(opts());
    const r = await cachedRead(opts({ reader: "usage_screen", intervalSeconds: 300 }));
    expect(r.outcome).toBe("read");
    expect((await cachedRead(opts())).outcome).toBe("fresh");
    expect(reads).toBe(2);
  });
});
