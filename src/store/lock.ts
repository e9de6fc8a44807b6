// Cross-process lock files (SPEC 3.3): O_EXCL create, text `<pid> <ISO time>`. Any number of
// usagetop processes (TUI, statusline, wave, serve) share the state dir; the lock makes "one poll
// per interval per slot" hold across all of them.
//
// Stale rules: a lock is stale when its pid is dead or its mtime is over 60 s old (no holder keeps
// a lock that long: reads time out after 10-30 s). An empty or unreadable lock is stale once its
// mtime is over 5 s old: its writer died between creating the file and writing its text.
import { closeSync, fstatSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureStateDir } from "./atomic-file.js";
import { pidAlive } from "./pid-alive.js";

export const STALE_LOCK_MS = 60_000;
export const STALE_EMPTY_LOCK_MS = 5_000;

export type LockHandle = {
  path: string;
  /** The text we wrote: `<pid> <ISO time>`. */
  text: string;
  /** Removes the lock if it is still ours (same inode, same text); safe to call twice. */
  release(): void;
};

export type TryLockResult =
  | { acquired: true; lock: LockHandle }
  | { acquired: false; holderPid: number | null };

type LockInspection =
  | { state: "gone" }
  | { state: "held"; holderPid: number | null }
  | { state: "stale"; holderPid: number | null; ino: number; reason: string };

/** `<pid> <ISO time>`, the format other tools (and the switch guard, SPEC 5.3) can read. */
export function lockText(pid: number, now: Date): string {
  return `${pid} ${now.toISOString()}`;
}

/** The holder pid: the first decimal integer of the lock's text, null when there is none. */
export function parseLockPid(text: string): number | null {
  const m = /^\s*(\d{1,10})(?:\s|$)/.exec(text);
  if (!m) return null;
  const pid = Number(m[1]);
  return pid > 0 ? pid : null;
}

function inspectLock(path: string, now: Date): LockInspection {
  let ino: number;
  let mtimeMs: number;
  try {
    const st = statSync(path);
    ino = st.ino;
    mtimeMs = st.mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "gone" };
    throw err;
  }
  const ageMs = now.getTime() - mtimeMs;
  let text: string | null;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "gone" };
    text = null;
  }
  const pid = text === null ? null : parseLockPid(text);
  if (pid === null) {
    // Empty, garbage or unreadable: its writer may be between open and write right now.
    return ageMs > STALE_EMPTY_LOCK_MS
      ? { state: "stale", holderPid: null, ino, reason: "empty lock older than 5 s" }
      : { state: "held", holderPid: null };
  }
  if (pid !== process.pid && !pidAlive(pid)) return { state: "stale", holderPid: pid, ino, reason: `pid ${pid} is dead` };
  if (ageMs > STALE_LOCK_MS) return { state: "stale", holderPid: pid, ino, reason: "lock older than 60 s" };
  return { state: "held", holderPid: pid };
}

function openExclusive(path: string): number | null {
  try {
    return openSync(path, "wx", 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return null;
    if (code !== "ENOENT") throw err;
  }
  // First use of a state dir: create it (0700) and try once more.
  ensureStateDir(dirname(path));
  try {
    return openSync(path, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw err;
  }
}

function createLock(path: string, now: Date): LockHandle | null {
  const fd = openExclusive(path);
  if (fd === null) return null;
  const text = lockText(process.pid, now);
  let ino: number;
  try {
    writeSync(fd, text);
    ino = fstatSync(fd).ino;
  } catch (err) {
    // A full disk, say: do not leave an empty lock that holds everyone off for 5 s.
    closeSync(fd);
    try {
      unlinkSync(path);
    } catch {
      // Nothing to clean.
    }
    throw err;
  }
  closeSync(fd);
  let released = false;
  return {
    path,
    text,
    release() {
      if (released) return;
      released = true;
      removeIfOurs(path, ino, text);
    },
  };
}

/**
 * Unlinks `path` only while it is still the file we know (same inode and text). A lock that was
 * declared stale and taken over by another process must not be removed by its old holder.
 */
function removeIfOurs(path: string, ino: number, text: string): boolean {
  try {
    if (statSync(path).ino !== ino) return false;
    if (readFileSync(path, "utf8") !== text) return false;
    unlinkSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes a stale lock without letting two recoverers both win.
 *
 * The naive "see it is stale, unlink it, create mine" races: P1 and P2 both judge the old lock
 * stale; P1 unlinks it and creates its own; P2 then unlinks P1's fresh lock (believing it is the
 * stale one) and creates its own, and both hold the lock. So recovery is itself serialised by a
 * second O_EXCL file, `<lock>.recover`: only its holder may remove the lock, and it re-inspects the
 * lock while holding it, so a lock created by the previous recoverer is seen as live and left
 * alone. The inode is compared too: the file removed is the one judged stale, not a new one.
 * Losers of the `.recover` race simply report the lock as held and poll again.
 *
 * `.recover` is held for microseconds; one left behind by a crash is stale by the same rules (dead
 * pid, 60 s old, or 5 s without text), judged without recovery of its own: the remaining window (two
 * processes clearing a dead recoverer's file in the same instant) needs a crash inside this
 * function and is accepted. A holder that outlives 60 s is treated as dead by design.
 */
function recoverStale(path: string, judged: { ino: number }, now: Date): boolean {
  const recoverPath = `${path}.recover`;
  let guard = createLock(recoverPath, now);
  if (!guard) {
    const r = inspectLock(recoverPath, now);
    if (r.state === "stale") {
      try {
        if (statSync(recoverPath).ino === r.ino) unlinkSync(recoverPath);
      } catch {
        // Someone else cleared it.
      }
      guard = createLock(recoverPath, now);
    }
    if (!guard) return false;
  }
  try {
    const again = inspectLock(path, now);
    if (again.state === "gone") return true;
    if (again.state !== "stale" || again.ino !== judged.ino) return false;
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
    return true;
  } finally {
    guard.release();
  }
}

/**
 * One attempt to take the lock at `path` (its directory is created, 0700, when missing). Stale
 * locks are recovered (see recoverStale) and the create retried; a live lock reports its holder's
 * pid (null when the lock is too fresh to have text yet). `now` should be the real clock:
 * staleness compares it with the lock file's mtime.
 */
export function tryLock(path: string, now: Date): TryLockResult {
  for (let attempt = 0; attempt < 3; attempt++) {
    const lock = createLock(path, now);
    if (lock) return { acquired: true, lock };
    const seen = inspectLock(path, now);
    if (seen.state === "held") return { acquired: false, holderPid: seen.holderPid };
    if (seen.state === "stale" && !recoverStale(path, seen, now)) return { acquired: false, holderPid: seen.holderPid };
    // Gone, or recovered: try the create again.
  }
  const last = inspectLock(path, now);
  return { acquired: false, holderPid: last.state === "gone" ? null : last.holderPid };
}

export type WithLockOptions = {
  /** How long to wait for a held lock before giving up (default 5000 ms). */
  waitMs?: number;
  /** Poll period while waiting (default 25 ms, jittered so waiters do not move in step). */
  pollMs?: number;
};

export type WithLockResult<T> = { acquired: true; value: T } | { acquired: false; holderPid: number | null };

/**
 * Runs `fn` while holding the lock at `path`, waiting up to `waitMs` for a live holder to finish.
 * The lock is released however `fn` ends; an exception from `fn` propagates after the release.
 */
export async function withLock<T>(
  path: string,
  fn: () => T | Promise<T>,
  opts: WithLockOptions = {},
): Promise<WithLockResult<T>> {
  const waitMs = opts.waitMs ?? 5000;
  const pollMs = opts.pollMs ?? 25;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const got = tryLock(path, new Date());
    if (got.acquired) {
      try {
        return { acquired: true, value: await fn() };
      } finally {
        got.lock.release();
      }
    }
    if (Date.now() >= deadline) return { acquired: false, holderPid: got.holderPid };
    await sleep(pollMs * (0.5 + Math.random()));
  }
}
