// The live `.credentials.json` symlink (SPEC 5.1, 5.3.4): what it points at, and the atomic flip.
// Claude Code reads and writes through this path; at every instant it must be either the old or
// the new valid symlink, never missing and never a half-made file.
import {
  lstatSync,
  readdirSync,
  readlinkSync,
  renameSync,
  statSync,
  symlinkSync,
  unlinkSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { LIVE_FILE, TEMP_PREFIX, isSlotName, slotFileName } from "./layout.js";
import { fsyncDir } from "../store/atomic-file.js";

export type LiveLink =
  | { state: "link"; slot: string; target: string; mtime: Date }
  | { state: "none" }
  | { state: "regular"; mtime: Date }
  | { state: "dangling"; target: string }
  | { state: "outside"; target: string }
  | { state: "loop"; target: string }
  | { state: "foreign"; target: string }
  | { state: "other"; what: string };

export function inspectLiveLink(dir: string): LiveLink {
  const live = join(dir, LIVE_FILE);
  let lst;
  try {
    lst = lstatSync(live);
  } catch {
    return { state: "none" };
  }
  if (lst.isFile()) return { state: "regular", mtime: lst.mtime };
  if (!lst.isSymbolicLink()) return { state: "other", what: lst.isDirectory() ? "a directory" : "not a file or symlink" };
  const target = readlinkSync(live);
  const resolved = resolve(dir, target);
  if (dirname(resolved) !== resolve(dir)) return { state: "outside", target };
  const name = basename(resolved);
  const prefix = `${LIVE_FILE}.`;
  const slot = name.startsWith(prefix) ? name.slice(prefix.length) : "";
  if (!isSlotName(slot)) return { state: "foreign", target };
  try {
    statSync(live);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ELOOP") return { state: "loop", target };
    return { state: "dangling", target };
  }
  return { state: "link", slot, target, mtime: lst.mtime };
}

/** One line for `slots check`; null when the link is healthy. */
export function liveLinkProblem(link: LiveLink, hasSlots: boolean): string | null {
  switch (link.state) {
    case "link":
      return null;
    case "none":
      return hasSlots ? `no ${LIVE_FILE}: no slot is live (usagetop switch <slot>)` : null;
    case "regular":
      return hasSlots
        ? `${LIVE_FILE} is a regular file, not a symlink: a writer replaced the link; usagetop slots adopt <slot> moves it into a slot and restores the link`
        : null;
    case "dangling":
      return `${LIVE_FILE} is a dangling symlink (to ${link.target}): usagetop switch <slot> repairs it`;
    case "outside":
      return `${LIVE_FILE} points outside the credentials dir (to ${link.target})`;
    case "loop":
      return `${LIVE_FILE} is a symlink loop (via ${link.target})`;
    case "foreign":
      return `${LIVE_FILE} points at ${link.target}, which is not a slot file`;
    case "other":
      return `${LIVE_FILE} is ${link.what}`;
  }
}

export function isTempLinkName(name: string): boolean {
  return name.startsWith(`${LIVE_FILE}.${TEMP_PREFIX}`);
}

/**
 * Removes temp links a crashed switch left behind. Only symlinks are removed: whatever else has a
 * matching name is not ours and is left alone. Run under the switch lock, so another switch's
 * temp link (between its symlink() and rename()) is never taken for a leftover.
 */
export function removeTempLinks(dir: string): string[] {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of entries) {
    if (!isTempLinkName(name)) continue;
    const path = join(dir, name);
    try {
      if (!lstatSync(path).isSymbolicLink()) continue;
      unlinkSync(path);
      removed.push(name);
    } catch {
      // Gone already.
    }
  }
  return removed;
}

/**
 * Points the live link at `slot` atomically: a new relative symlink under a temp name, then
 * rename() over the live path (atomic replace on POSIX), then fsync the dir so the rename is
 * durable. A crash leaves at most the temp link, which removeTempLinks clears.
 */
export function flipLiveLink(dir: string, slot: string, pid: number = process.pid): void {
  const tmp = join(dir, `${LIVE_FILE}.${TEMP_PREFIX}${pid}-${randomBytes(4).toString("hex")}`);
  symlinkSync(slotFileName(slot), tmp);
  try {
    renameSync(tmp, join(dir, LIVE_FILE));
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing to clean.
    }
    throw err;
  }
  fsyncDir(dir);
}
