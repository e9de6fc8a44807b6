// Whether a process id names a running process, for lock files and temp files left by crashes.

/**
 * process.kill(pid, 0) sends no signal; ESRCH means no such process, EPERM means alive but owned
 * by another user. A pid can be reused after its process died: callers pair this with an age rule.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
