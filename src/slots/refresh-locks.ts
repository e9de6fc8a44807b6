// Claude Code's own refresh locks (SPEC 5.3.3): proper-lockfile directory locks taken by mkdir.
// Holding them while the live link flips means the switch never interleaves with a token refresh
// (which writes the credentials through that link). By proper-lockfile's rule a lock directory
// whose mtime is over the stale age is dead whoever left it: its holder touches it every few
// seconds. So a lock left by a crashed switch stops holding after a minute.
import { mkdirSync, rmdirSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

export const REFRESH_LOCK_STALE_MS = 60_000;

/** `<config dir>/.oauth_refresh.lock` and `~/.claude.lock`, in the order they are taken. */
export function refreshLockPaths(credsDir: string, home: string): string[] {
  return [join(credsDir, ".oauth_refresh.lock"), join(home, ".claude.lock")];
}

export type DirLockState = { state: "free" } | { state: "fresh"; ageMs: number } | { state: "stale"; ageMs: number };

export function inspectDirLock(path: string, now: Date, staleMs = REFRESH_LOCK_STALE_MS): DirLockState {
  try {
    const ageMs = now.getTime() - statSync(path).mtimeMs;
    return ageMs > staleMs ? { state: "stale", ageMs } : { state: "fresh", ageMs: Math.max(0, ageMs) };
  } catch {
    return { state: "free" };
  }
}

export type HeldDirLocks = { release(): void; staleRemoved: string[] };
export type TakeDirLocks = { ok: true; locks: HeldDirLocks } | { ok: false; blockedBy: string; ageMs: number | null };

function removeLock(path: string): void {
  try {
    rmdirSync(path);
  } catch (err) {
    // proper-lockfile's locks are empty dirs; a plain file of that name is treated the same way.
    if ((err as NodeJS.ErrnoException).code === "ENOTDIR") unlinkSync(path);
    else throw err;
  }
}

/**
 * Takes every lock in `paths` by mkdir, or none: a fresh lock held by someone else releases what
 * was taken and reports it. A stale lock is removed and taken. A lock whose parent dir does not
 * exist cannot be held by anyone and is skipped.
 */
export function takeDirLocks(paths: string[], now: Date, staleMs = REFRESH_LOCK_STALE_MS): TakeDirLocks {
  const taken: string[] = [];
  const staleRemoved: string[] = [];
  const releaseAll = () => {
    for (const p of taken.reverse()) {
      try {
        rmdirSync(p);
      } catch {
        // Already gone (a crash recovery elsewhere removed it): nothing to release.
      }
    }
    taken.length = 0;
  };
  for (const path of paths) {
    let got = false;
    let parentMissing = false;
    for (let attempt = 0; attempt < 2 && !got; attempt++) {
      try {
        mkdirSync(path, { mode: 0o700 });
        got = true;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          parentMissing = true; // nobody can hold a lock in a dir that does not exist
          break;
        }
        if (code !== "EEXIST") {
          releaseAll();
          throw err;
        }
        const seen = inspectDirLock(path, now, staleMs);
        if (seen.state === "fresh") {
          releaseAll();
          return { ok: false, blockedBy: path, ageMs: seen.ageMs };
        }
        if (seen.state === "stale") {
          try {
            removeLock(path);
            staleRemoved.push(path);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
              releaseAll();
              return { ok: false, blockedBy: path, ageMs: seen.ageMs };
            }
          }
        }
      }
    }
    if (got) taken.push(path);
    else if (!parentMissing) {
      // Someone took it between our removal of the stale lock and our mkdir.
      releaseAll();
      return { ok: false, blockedBy: path, ageMs: null };
    }
  }
  return { ok: true, locks: { release: releaseAll, staleRemoved } };
}
