import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inspectDirLock, refreshLockPaths, takeDirLocks } from "./refresh-locks.js";

describe("Claude Code refresh locks", () => {
  let root: string;
  let paths: string[];
  const age = (p: string, ms: number) => {
    const t = new Date(Date.now() - ms);
    utimesSync(p, t, t);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "usagetop-rl-"));
    mkdirSync(join(root, "claude"));
    mkdirSync(join(root, "home"));
    paths = refreshLockPaths(join(root, "claude"), join(root, "home"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("are the config dir's .oauth_refresh.lock and ~/.claude.lock", () => {
    expect(paths).toEqual([join(root, "claude", ".oauth_refresh.lock"), join(root, "home", ".claude.lock")]);
  });

  it("takes both by mkdir and removes both on release", () => {
    const got = takeDirLocks(paths, new Date());
    expect(got.ok).toBe(true);
    expect(paths.every(existsSync)).toBe(true);
    if (got.ok) got.locks.release();
    expect(paths.some(existsSync)).toBe(false);
  });

  it("a fresh lock held by someone else blocks, and nothing stays taken", () => {
    mkdirSync(paths[1]!);
    const got = takeDirLocks(paths, new Date());
    expect(got).toMatchObject({ ok: false, blockedBy: paths[1] });
    expect(existsSync(paths[0]!)).toBe(false);
    expect(existsSync(paths[1]!)).toBe(true);
  });

  it("a lock over 60 s old is stale: removed, taken, and reported", () => {
    mkdirSync(paths[0]!);
    age(paths[0]!, 61_000);
    expect(inspectDirLock(paths[0]!, new Date()).state).toBe("stale");
    const got = takeDirLocks(paths, new Date());
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.locks.staleRemoved).toEqual([paths[0]]);
    got.locks.release();
    expect(existsSync(paths[0]!)).toBe(false);
  });

  it("a lock 59 s old still holds", () => {
    mkdirSync(paths[0]!);
    age(paths[0]!, 59_000);
    expect(inspectDirLock(paths[0]!, new Date()).state).toBe("fresh");
    expect(takeDirLocks(paths, new Date()).ok).toBe(false);
  });

  it("a stale plain file of that name is treated like a lock dir", () => {
    writeFileSync(paths[1]!, "");
    age(paths[1]!, 120_000);
    const got = takeDirLocks(paths, new Date());
    expect(got.ok).toBe(true);
    if (got.ok) got.locks.release();
  });

  it("a lock whose parent dir is missing cannot be held by anyone: skipped", () => {
    const odd = [join(root, "missing", ".claude.lock"), paths[0]!];
    const got = takeDirLocks(odd, new Date());
    expect(got.ok).toBe(true);
    if (got.ok) got.locks.release();
  });
});
