import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { globFiles, pidFromLockText, readLockPid, scanAgentLocks, segmentMatcher } from "./agent-locks.js";

describe("segmentMatcher", () => {
  it.each([
    ["*.lock", "a.lock", true],
    ["*.lock", "a.lock.bak", false],
    ["agent-?.pid", "agent-1.pid", true],
    ["agent-?.pid", "agent-12.pid", false],
    ["a+b(c).lock", "a+b(c).lock", true],
    ["[x].lock", "[x].lock", true],
    ["*", "", true],
  ])("%s vs %s -> %s", (glob, name, want) => expect(segmentMatcher(glob).test(name)).toBe(want));

  it("a wildcard-free segment matches only itself (property)", () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes("*") && !s.includes("?") && !s.includes("/")), fc.string(), (seg, other) => {
        expect(segmentMatcher(seg).test(seg)).toBe(true);
        if (other !== seg) expect(segmentMatcher(seg).test(other)).toBe(false);
      }),
    );
  });
});

describe("pidFromLockText", () => {
  it.each([
    ["1234", 1234],
    ["1234 2026-11-22T14:03:22Z", 1234],
    ['{"pid": 4321}', 4321],
    ["pid=77\n", 77],
    ["", null],
    ["no digits", null],
    ["0", null],
    ["99999999999", null],
    [`${"x".repeat(64)}123`, null],
  ])("%j -> %s", (text, pid) => expect(pidFromLockText(text)).toBe(pid));

  it("finds the first integer of the first 64 bytes, or nothing (property)", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        const pid = pidFromLockText(s);
        if (pid !== null) {
          expect(s.slice(0, 64)).toContain(String(pid));
          expect(pid).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe("globFiles and scanAgentLocks", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "usagetop-glob-"));
    mkdirSync(join(root, "agents", "a"), { recursive: true });
    mkdirSync(join(root, "agents", "b"), { recursive: true });
    writeFileSync(join(root, "agents", "a", "run.lock"), `${process.pid}\n`);
    writeFileSync(join(root, "agents", "b", "run.lock"), "999999 2026-01-01T00:00:00Z");
    writeFileSync(join(root, "agents", "b", ".hidden.lock"), "1");
    writeFileSync(join(root, "agents", "b", "garbage.lock"), "no pid here");
    writeFileSync(join(root, "agents", "b", "notes.txt"), "1");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("matches wildcards in several segments, skipping dotfiles unless asked", () => {
    expect(globFiles(join(root, "agents", "*", "*.lock"), root)).toEqual([
      join(root, "agents", "a", "run.lock"),
      join(root, "agents", "b", "garbage.lock"),
      join(root, "agents", "b", "run.lock"),
    ]);
    expect(globFiles(join(root, "agents", "b", ".*.lock"), root)).toEqual([join(root, "agents", "b", ".hidden.lock")]);
    expect(globFiles("~/agents/?/run.lock", root)).toHaveLength(2);
    expect(globFiles(join(root, "agents", "a", "run.lock"), root)).toHaveLength(1);
    expect(globFiles(join(root, "nope", "*"), root)).toEqual([]);
  });

  it("sorts locks into live, dead and unreadable", () => {
    const alive = (pid: number) => pid === process.pid;
    const scan = scanAgentLocks(join(root, "agents", "*", "*.lock"), root, alive);
    expect(scan.live).toEqual([{ path: join(root, "agents", "a", "run.lock"), pid: process.pid }]);
    expect(scan.ignored.map((i) => i.why).sort()).toEqual(["no PID in its first 64 bytes", "pid 999999 is not running"]);
  });

  it("no glob means no guard", () => {
    expect(scanAgentLocks(null, root, () => true)).toEqual({ live: [], ignored: [] });
    expect(scanAgentLocks("  ", root, () => true)).toEqual({ live: [], ignored: [] });
  });

  it("does not hang on a FIFO and reports it", () => {
    const fifo = join(root, "agents", "a", "pipe.lock");
    execFileSync("mkfifo", [fifo]);
    expect(readLockPid(fifo)).toEqual({ ok: false, problem: "not a regular file" });
  });

  it("a really dead PID is not alive by the default check", () => {
    const child = spawnSync(process.execPath, ["-e", "0"]);
    expect(child.status).toBe(0);
    writeFileSync(join(root, "agents", "a", "run.lock"), String(child.pid));
    const scan = scanAgentLocks(join(root, "agents", "a", "*.lock"), root, (pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(scan.live).toEqual([]);
  });
});
