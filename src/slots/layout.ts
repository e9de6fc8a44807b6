// Slot discovery (SPEC 5.1): `.credentials.json.<name>` files beside a live `.credentials.json` symlink.
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Config } from "../config/config.js";
import type { SlotRef } from "../readers/reader.js";

export const SLOT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const LIVE_FILE = ".credentials.json";
const PREFIX = `${LIVE_FILE}.`;
/** Name given to a plain single-login setup (no slot files). */
export const DEFAULT_SLOT = "default";
/** Sidecar suffix: `.credentials.json.<slot>.identity.json` (never a slot itself: it has dots). */
export const IDENTITY_SUFFIX = ".identity.json";
/**
 * Prefix of the switch's temporary links (`.credentials.json.tmp-<pid>-<rand>`). It matches the
 * slot-name rule, so names starting with it are reserved: a crash leftover is never taken for a slot.
 */
export const TEMP_PREFIX = "tmp-";

export function slotFileName(name: string): string {
  return `${PREFIX}${name}`;
}

export function identityFileName(name: string): string {
  return `${PREFIX}${name}${IDENTITY_SUFFIX}`;
}

/** A usable slot name: the SPEC 5.1 rule, minus the reserved temp prefix. */
export function isSlotName(name: string): boolean {
  return SLOT_NAME.test(name) && !name.startsWith(TEMP_PREFIX);
}

/** Why a name is not a slot name, for a one-line refusal; null when it is one. */
export function slotNameProblem(name: string): string | null {
  if (name.startsWith(TEMP_PREFIX) && SLOT_NAME.test(name)) return `"${name}" is reserved for temporary links`;
  if (!SLOT_NAME.test(name)) return `"${name}" is not a slot name (lowercase letters, digits, - and _, at most 32, no path)`;
  return null;
}

/** The slot the live symlink points at, or null (regular file, dangling, missing, outside the dir). */
export function activeSlotName(dir: string): string | null {
  try {
    const target = readlinkSync(join(dir, LIVE_FILE));
    // A link that leaves the dir ("../x/.credentials.json.a") is not one of our slots.
    if (dirname(resolve(dir, target)) !== resolve(dir)) return null;
    const name = basename(target);
    if (!name.startsWith(PREFIX)) return null;
    const slot = name.slice(PREFIX.length);
    return isSlotName(slot) ? slot : null;
  } catch {
    return null;
  }
}

/** Slot names that have a file in `dir`: sidecars, temp links and invalid names left out. */
export function slotFilesIn(dir: string): string[] {
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    entries = [];
  }
  return entries
    .filter((e) => e.startsWith(PREFIX))
    .map((e) => e.slice(PREFIX.length))
    .filter(isSlotName)
    .sort();
}

/** Slots found in the credentials dir, restricted to config's names when given, in name order. */
export function discoverSlots(config: Config): SlotRef[] {
  const dir = config.paths.credsDir;
  const found = slotFilesIn(dir);
  const names = config.slots.names ?? found;
  const active = activeSlotName(dir);
  if (names.length === 0 && existsSync(join(dir, LIVE_FILE))) {
    // A single login with no slot layout: the live file itself is the one slot.
    return [{ name: DEFAULT_SLOT, credentialsPath: join(dir, LIVE_FILE), active: true }];
  }
  return [...new Set(names)]
    .filter(isSlotName)
    .sort()
    .map((name) => ({ name, credentialsPath: join(dir, slotFileName(name)), active: name === active }));
}
