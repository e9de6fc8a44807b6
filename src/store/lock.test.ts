import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lockText, parseLockPid, tryLock, withLock } from "./lock.js";
import { pidAlive } from "./pid-alive.js";

let dir: string;
let lockPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-lock-"));
  lockPath = join(dir, "alice.lock");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly belonged to a process and is now dead: a child that already exited. */
let dead = 0;
beforeAll(() => {
  dead = Number(execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }));
});
function deadPid(): number {
  expect(pidAlive(dead)).toBe(false);
  return dead;
}

function setAge(path: string, seconds: number): void {
  const t = (Date.now() - seconds * 1000) / 1000;
  utimesSync(path, t, t);
}

/** A live pid that is not ours: our parent (the vitest main process) outlives the test. */
const otherLivePid = process.ppid;

describe("lock text", () => {
  it("is `<pid> <ISO time>` and parses back to the pid", () => {
    const now = new Date("2026-11-22T14:03:22.000Z");
    expect(lockText(4242, now)).toBe("4242 2026-11-22T14:03:22.000Z");
    expect(parseLockPid(lockText(4242, now))).toBe(4242);
  });

  it("has no pid when empty or garbage", () => {
    for (const t of ["", " ", "abc 12", "0 2026", "-5 x"]) expect(parseLockPid(t)).toBeNull();
  });

  it("parses any pid it wrote", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.date({ noInvalidDate: true }), (pid, d) => {
        expect(parseLockPid(lockText(pid, d))).toBe(pid);
      }),
    );
  });
});

describe("tryLock", () => {
  it("acquires a free lock, writes `<pid> <ISO time>` with mode 0600, and release removes it", () => {
    const now = new Date();
    const got = tryLock(lockPath, now);
    expect(got.acquired).toBe(true);
    if (!got.acquired) return;
    expect(readFileSync(lockPath, "utf8")).toBe(`${process.pid} ${now.toISOString()}`);
    expect(statSync(lockPath).mode & 0o777).toBe(0o600);
    got.lock.release();
    expect(existsSync(lockPath)).toBe(false);
    got.lock.release(); // twice is harmless
  });

  it("creates the lock's missing state dir with mode 0700", () => {
    const nested = join(dir, "state", "cache", "alice.lock");
    const got = tryLock(nested, new Date());
    expect(got.acquired).toBe(true);
    expect(statSync(join(dir, "state", "cache")).mode & 0o777).toBe(0o700);
    if (got.acquired) got.lock.release();
  });

  it("reports a live holder's lock as held with its pid", () => {
    writeFileSync(lockPath, lockText(otherLivePid, new Date()));
    expect(tryLock(lockPath, new Date())).toEqual({ acquired: false, holderPid: otherLivePid });
    expect(readFileSync(lockPath, "utf8")).toContain(String(otherLivePid));
  });

  it("a second tryLock in the same process sees the first as held", () => {
    const first = tryLock(lockPath, new Date());
    expect(tryLock(lockPath, new Date())).toEqual({ acquired: false, holderPid: process.pid });
    if (first.acquired) first.lock.release();
  });

  it("recovers a lock whose pid is dead", () => {
    writeFileSync(lockPath, lockText(deadPid(), new Date()));
    const got = tryLock(lockPath, new Date());
    expect(got.acquired).toBe(true);
    expect(readFileSync(lockPath, "utf8")).toMatch(new RegExp(`^${process.pid} `));
    if (got.acquired) got.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("recovers a live pid's lock older than 60 s", () => {
    writeFileSync(lockPath, lockText(otherLivePid, new Date(Date.now() - 61_000)));
    setAge(lockPath, 61);
    const got = tryLock(lockPath, new Date());
    expect(got.acquired).toBe(true);
    if (got.acquired) got.lock.release();
  });

  it("keeps a live pid's lock that is 50 s old", () => {
    writeFileSync(lockPath, lockText(otherLivePid, new Date()));
    setAge(lockPath, 50);
    expect(tryLock(lockPath, new Date()).acquired).toBe(false);
  });

  it("recovers an empty lock older than 5 s", () => {
    writeFileSync(lockPath, "");
    setAge(lockPath, 6);
    const got = tryLock(lockPath, new Date());
    expect(got.acquired).toBe(true);
    if (got.acquired) got.lock.release();
  });

  it("treats a fresh empty lock as held: its writer may be between open and write", () => {
    writeFileSync(lockPath, "");
    expect(tryLock(lockPath, new Date())).toEqual({ acquired: false, holderPid: null });
    expect(existsSync(lockPath)).toBe(true);
  });

  it("treats a fresh garbage lock like an empty one, and recovers it after 5 s", () => {
    writeFileSync(lockPath, "not a pid");
    expect(tryLock(lockPath, new Date()).acquired).toBe(false);
    setAge(lockPath, 6);
    expect(tryLock(lockPath, new Date()).acquired).toBe(true);
  });

  it("does not recover while another process is recovering (a fresh .recover file)", () => {
    writeFileSync(lockPath, lockText(deadPid(), new Date()));
    writeFileSync(`${lockPath}.recover`, lockText(otherLivePid, new Date()));
    expect(tryLock(lockPath, new Date()).acquired).toBe(false);
    expect(existsSync(lockPath)).toBe(true);
  });

  it("clears a .recover file left by a dead recoverer", () => {
    writeFileSync(lockPath, lockText(deadPid(), new Date()));
    writeFileSync(`${lockPath}.recover`, lockText(deadPid(), new Date()));
    const got = tryLock(lockPath, new Date());
    expect(got.acquired).toBe(true);
    if (got.acquired) got.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("release leaves a lock that was taken over by someone else", () => {
    const got = tryLock(lockPath, new Date());
    if (!got.acquired) throw new Error("expected the lock");
    // We were judged stale and another process now holds it.
    rmSync(lockPath);
    writeFileSync(lockPath, lockText(otherLivePid, new Date()));
    got.lock.release();
    expect(readFileSync(lockPath, "utf8")).toMatch(new RegExp(`^${otherLivePid} `));
  });

  it("release leaves a new lock with identical text but another inode", () => {
    const got = tryLock(lockPath, new Date());
    if (!got.acquired) throw new Error("expected the lock");
    // Created while ours still exists, so it cannot reuse our inode; then renamed over ours.
    const replacement = join(dir, "replacement");
    writeFileSync(replacement, got.lock.text);
    renameSync(replacement, lockPath);
    got.lock.release();
    expect(readFileSync(lockPath, "utf8")).toBe(got.lock.text);
  });
});

describe("withLock", () => {
  it("runs fn under the lock and releases it, also when fn throws", async () => {
    const r = await withLock(lockPath, () => {
      expect(existsSync(lockPath)).toBe(true);
      return 7;
    });
    expect(r).toEqual({ acquired: true, value: 7 });
    expect(existsSync(lockPath)).toBe(false);
    await expect(
      withLock(lockPath, () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(existsSync(lockPath)).toBe(false);
  });

  it("gives up after waitMs while a live holder keeps the lock", async () => {
    writeFileSync(lockPath, lockText(otherLivePid, new Date()));
    let ran = false;
    const r = await withLock(lockPath, () => (ran = true), { waitMs: 60, pollMs: 10 });
    expect(r).toEqual({ acquired: false, holderPid: otherLivePid });
    expect(ran).toBe(false);
  });

  it("waits for the holder to release, then runs", async () => {
    const held = tryLock(lockPath, new Date());
    if (!held.acquired) throw new Error("expected the lock");
    const order: string[] = [];
    const waiter = withLock(lockPath, () => order.push("waiter"), { waitMs: 5000, pollMs: 5 });
    await new Promise((r) => setTimeout(r, 30));
    order.push("holder done");
    held.lock.release();
    expect((await waiter).acquired).toBe(true);
    expect(order).toEqual(["holder done", "waiter"]);
  });
});
