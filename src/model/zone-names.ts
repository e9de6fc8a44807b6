// Time zone names that need no Intl. Building the first Intl formatter loads ICU's zone data
// (~12 ms, far more under load) and a report or `--timezone UTC` should not pay for it.

// Zones that are UTC under another name: their offset is 0 at every instant.
const UTC_NAMES = new Set(["UTC", "ETC/UTC", "UCT", "ETC/UCT", "GMT", "ETC/GMT", "GMT0", "ETC/GMT0", "GMT+0", "ETC/GMT+0", "GMT-0", "ETC/GMT-0", "ZULU", "ETC/ZULU", "UNIVERSAL", "ETC/UNIVERSAL", "GREENWICH", "ETC/GREENWICH"]);

/**
 * The process's own zone (TZ, else the system's), for when none is configured. Its offsets come
 * from Date's local time, which needs no Intl formatter.
 */
export const LOCAL_ZONE = "local";

export function isUtcName(timeZone: string): boolean {
  return UTC_NAMES.has(timeZone.toUpperCase());
}

/**
 * True for a zone Intl knows (UTC's names without asking it). Not for LOCAL_ZONE: that name is
 * usagetop's own, never taken from a user, since the views hand configured zones to Intl.
 */
export function isTimeZone(timeZone: string): boolean {
  if (isUtcName(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
