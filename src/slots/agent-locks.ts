// The agent-lock guard (SPEC 5.3.2): lock files of running agents (gptme-subscription's
// LOCK_GLOB) hold a PID; while any such PID is alive a switch would flip credentials under a
// running session, so it is deferred. Node 20 has no fs.glob, hence the small matcher below.
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { isAbsolute, join, resolve, sep } from "node:path";
import { expandHome } from "../config/paths.js";

/** `*` and `?` within one path segment; a leading dot must be matched explicitly, as in sh and Python. */
export function segmentMatcher(segment: string): RegExp {
  let re = "";
  for (const ch of segment) {
    if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

function hasWildcard(segment: string): boolean {
  return segment.includes("*") || segment.includes("?");
}

/**
 * Files matching `pattern` (absolute, `~/` or relative to `base`), sorted. Wildcards may sit in
 * any segment; `**` is not special (it acts as `*`). Unreadable directories match nothing.
 */
export function globFiles(pattern: string, home: string, base: string = home): string[] {
  const expanded = expandHome(pattern, home);
  const absolute = isAbsolute(expanded) ? expanded : resolve(base, expanded);
  const segments = absolute.split(sep).filter((s) => s !== "");
  let fixed: string = sep;
  let i = 0;
  while (i < segments.length && !hasWildcard(segments[i]!)) {
    fixed = join(fixed, segments[i]!);
    i++;
  }
  if (i === segments.length) {
    try {
      return statSync(fixed).isFile() ? [fixed] : [];
    } catch {
      return [];
    }
  }
  let frontier: string[] = [fixed];
  for (; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of frontier) {
      if (!hasWildcard(seg)) {
        next.push(join(dir, seg));
        continue;
      }
      const re = segmentMatcher(seg);
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith(".") && !seg.startsWith(".")) continue;
        if (re.test(name)) next.push(join(dir, name));
      }
    }
    frontier = last ? next : next.filter((p) => isDir(p));
  }
  return frontier.filter(isFile).sort();
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The lock's PID: the first decimal integer in its first 64 bytes (SPEC 5.3.2). */
export function pidFromLockText(head: string): number | null {
  const m = /\d+/.exec(head.slice(0, 64));
  if (!m) return null;
  const pid = Number(m[0]);
  return Number.isSafeInteger(pid) && pid > 0 && pid <= 4_194_304 ? pid : null;
}

export type LockPidRead = { ok: true; pid: number } | { ok: false; problem: string };

export function readLockPid(path: string): LockPidRead {
  let fd: number;
  try {
    // Non-blocking: a FIFO matching the glob must not hang the switch.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, problem: `unreadable (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  }
  try {
    if (!fstatSync(fd).isFile()) return { ok: false, problem: "not a regular file" };
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, 64, 0);
    const pid = pidFromLockText(buf.subarray(0, n).toString("latin1"));
    return pid === null ? { ok: false, problem: "no PID in its first 64 bytes" } : { ok: true, pid };
  } catch (err) {
    return { ok: false, problem: `unreadable (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}

export type AgentLockScan = {
  /** Locks whose PID is alive: the switch is deferred while any exists. */
  live: Array<{ path: string; pid: number }>;
  /** Dead-PID and unreadable locks: ignored, and reported. */
  ignored: Array<{ path: string; why: string }>;
};

export function scanAgentLocks(pattern: string | null, home: string, isAlive: (pid: number) => boolean): AgentLockScan {
  const scan: AgentLockScan = { live: [], ignored: [] };
  if (pattern === null || pattern.trim() === "") return scan;
  for (const path of globFiles(pattern.trim(), home)) {
    const r = readLockPid(path);
    if (!r.ok) scan.ignored.push({ path, why: r.problem });
    else if (isAlive(r.pid)) scan.live.push({ path, pid: r.pid });
    else scan.ignored.push({ path, why: `pid ${r.pid} is not running` });
  }
  return scan;
}
