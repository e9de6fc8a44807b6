// State files (SPEC 7.1): the state dir is 0700, its files 0600, and every write is atomic, so a
// reader in another usagetop process sees either the old file or the new one, never half of each.
// A corrupt file is moved aside as `*.corrupt-<time>` (kept for a post-mortem) and rebuilt.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import * as z from "zod/mini";
import "../config/zod-english.js"; // issue messages in the corrupt-file reason
import { pidAlive } from "./pid-alive.js";
import { uniqueHex } from "./unique-hex.js";

/** mkdir -p with 0700: state holds usage figures and account names, nobody else's business. */
export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** The temp name a write uses before its rename: hidden, in the same dir (rename is atomic only within one file system). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${uniqueHex(4)}`);
}

/**
 * Writes `data` to `path` atomically: temp file in the same dir, write, fsync, rename over the
 * target, fsync the dir (so the rename itself survives a power cut). On any failure the temp file
 * is removed and the error rethrown: the old file is untouched.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600, opts: { durable?: boolean } = {}): void {
  // `durable: false` skips the fsyncs (still atomic: readers see the old file or the new one).
  // For files rewritten every few seconds whose loss is harmless, like status-line records,
  // where an fsync under disk contention costs more than the whole 50 ms budget (SPEC 6.5).
  const durable = opts.durable !== false;
  const tmp = tempPathFor(path);
  let fd: number | null = null;
  try {
    // 'wx': never follow or reuse something already there (a planted symlink, say).
    fd = openSync(tmp, "wx", mode);
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created: nothing to clean.
    }
    throw err;
  }
  if (durable) fsyncDir(dirname(path));
}

const TEMP_NAME = /^\..+\.tmp-(\d+)-[0-9a-f]+$/;

/**
 * Removes temp files (`.<name>.tmp-<pid>-<rand>`) left in `dir` by writers that died between
 * create and rename; a live writer's temp is left alone. Returns how many were removed.
 */
export function removeDeadTemps(dir: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      unlinkSync(join(dir, name));
      removed++;
    } catch {
      // Gone already (another process cleaned it).
    }
  }
  return removed;
}

/** Makes a rename in `dir` durable; shared with the slot switch's symlink flip. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory (EINVAL/EISDIR); the rename already happened.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

export type JsonFileRead<T> =
  | { ok: true; value: T }
  | { ok: false; missing: true }
  | { ok: false; corrupt: true; reason: string }
  | { ok: false; unreadable: true; reason: string };

/**
 * Reads and validates a JSON state file. Missing is normal (first run); corrupt means the bytes
 * are not JSON or do not match `schema` (the reason names the field); unreadable is a permission
 * or I/O problem, which moving the file aside would not fix.
 */
export function readJsonFile<T>(path: string, schema: z.core.$ZodType<T>): JsonFileRead<T> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, missing: true };
    return { ok: false, unreadable: true, reason: `${path}: ${code ?? String(err)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, corrupt: true, reason: `not JSON (${(err as Error).message})` };
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "(root)";
    return { ok: false, corrupt: true, reason: `field ${where}: ${issue?.message ?? "invalid"}` };
  }
  return { ok: true, value: parsed.data };
}

/** `<path>.corrupt-2026-11-22T14-03-22.000Z`: colons are not portable in file names. */
export function corruptPathFor(path: string, now: Date): string {
  return `${path}.corrupt-${now.toISOString().replace(/:/g, "-")}`;
}

/**
 * Moves a corrupt state file aside and returns the one-line warning to show. If the file is
 * already gone (another process moved it first) the warning still describes what we found.
 * Callers that share the file across processes do this under the file's lock, so a process never
 * moves aside the good file another process has just rebuilt.
 */
export function moveAsideCorrupt(path: string, now: Date, reason?: string): string {
  const aside = corruptPathFor(path, now);
  const why = reason ? ` (${reason})` : "";
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      return `state file ${path} was corrupt${why}; already moved aside, rebuilt`;
    }
    return `state file ${path} is corrupt${why} and could not be moved aside (${(err as NodeJS.ErrnoException).code}); rebuilt`;
  }
  return `state file ${path} was corrupt${why}: moved aside to ${basename(aside)} and rebuilt`;
}
