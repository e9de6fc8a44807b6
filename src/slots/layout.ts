// Slot discovery (SPEC 5.1): `.credentials.json.<name>` files beside a live `.credentials.json` symlink.
import { existsSync, readdirSync, readlinkSync } from "node:fs";
import { basename, join } from "node:path";
import type { Config } from "../config/config.js";
import type { SlotRef } from "../readers/reader.js";

export const SLOT_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const LIVE_FILE = ".credentials.json";
const PREFIX = `${LIVE_FILE}.`;
/** Name given to a plain single-login setup (no slot files). */
export const DEFAULT_SLOT = "default";

export function slotFileName(name: string): string {
  return `${PREFIX}${name}`;
}

/** The slot the live symlink points at, or null (regular file, dangling, missing, outside the dir). */
export function activeSlotName(dir: string): string | null {
  try {
    const target = readlinkSync(join(dir, LIVE_FILE));
    const name = basename(target);
    if (!name.startsWith(PREFIX)) return null;
    const slot = name.slice(PREFIX.length);
    return SLOT_NAME.test(slot) ? slot : null;
  } catch {
    return null;
  }
}

/** Slots found in the credentials dir, restricted to config's names when given, in name order. */
export function discoverSlots(config: Config): SlotRef[] {
  const dir = config.paths.credsDir;
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    entries = [];
  }
  const found = entries
    .filter((e) => e.startsWith(PREFIX))
    .map((e) => e.slice(PREFIX.length))
    .filter((n) => SLOT_NAME.test(n));
  const names = config.slots.names ?? found;
  const active = activeSlotName(dir);
  if (names.length === 0 && existsSync(join(dir, LIVE_FILE))) {
    // A single login with no slot layout: the live file itself is the one slot.
    return [{ name: DEFAULT_SLOT, credentialsPath: join(dir, LIVE_FILE), active: true }];
  }
  return [...new Set(names)]
    .filter((n) => SLOT_NAME.test(n))
    .sort()
    .map((name) => ({ name, credentialsPath: join(dir, slotFileName(name)), active: name === active }));
}
