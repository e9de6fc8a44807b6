// `slots adopt S` (SPEC 5.2): a writer replaced the live symlink with a regular file (a fresh
// /login, a tool that rewrites instead of writing through the link). The file becomes slot S and
// the link is restored, without a moment where `.credentials.json` is missing or different.
import { constants, copyFileSync, linkSync, lstatSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { ensureStateDir } from "../store/atomic-file.js";
import { withLock } from "../store/lock.js";
import { parseCredentials, readSlotFile } from "./credentials.js";
import { LIVE_FILE, slotFileName, slotNameProblem } from "./layout.js";
import { fsyncDir } from "../store/atomic-file.js";
import { flipLiveLink, inspectLiveLink } from "./live-link.js";
import { refreshLockPaths, takeDirLocks } from "./refresh-locks.js";
import { SWITCH_LOCK } from "./switch.js";
import { appendSwitch, type SwitchActor } from "./switch-log.js";

export type AdoptOutcome = { ok: boolean; exitCode: 0 | 1 | 75; headline: string; notes: string[] };

/**
 * Moves the regular live file into `.credentials.json.<slot>` and points the live link at it.
 * The slot file is made by link() (or a no-clobber copy where hard links are refused), which
 * fails rather than overwrite an existing slot; then the usual atomic flip replaces the regular
 * file with the link. Both names hold the same bytes throughout.
 */
export async function adoptLiveFile(config: Config, slot: string, opts: { now?: () => Date; by?: SwitchActor } = {}): Promise<AdoptOutcome> {
  const now = opts.now ?? (() => new Date());
  const dir = config.paths.credsDir;
  const notes: string[] = [];
  const fail = (why: string, exitCode: 1 | 75 = 1): AdoptOutcome => ({ ok: false, exitCode, headline: `cannot adopt into "${slot}": ${why}`, notes });
  const nameProblem = slotNameProblem(slot);
  if (nameProblem) return fail(nameProblem);
  const live = join(dir, LIVE_FILE);
  const slotPath = join(dir, slotFileName(slot));
  const precheck = (): string | null => {
    const link = inspectLiveLink(dir);
    if (link.state !== "regular") {
      return link.state === "link"
        ? `${LIVE_FILE} is already a symlink (to ${link.target}): nothing to adopt`
        : `${LIVE_FILE} is not a regular file (${link.state})`;
    }
    try {
      lstatSync(slotPath);
      return `${slotFileName(slot)} already exists; pick a new slot name (adopt never overwrites a slot)`;
    } catch {
      return null;
    }
  };
  const early = precheck();
  if (early) return fail(early);

  const read = readSlotFile(live);
  if (read.ok) {
    const parsed = parseCredentials(read.text);
    if (!parsed.ok) notes.push(`note: the adopted file is ${parsed.state}: ${parsed.problem}`);
  }

  const stateDir = config.paths.stateDir;
  ensureStateDir(stateDir);
  const res = await withLock(
    join(stateDir, SWITCH_LOCK),
    (): AdoptOutcome => {
      const refresh = takeDirLocks(refreshLockPaths(dir, config.paths.home), now());
      if (!refresh.ok) return fail(`Claude Code's refresh lock ${refresh.blockedBy} is held: a token refresh is running; try again in a minute`, 75);
      try {
        const again = precheck();
        if (again) return fail(again);
        try {
          linkSync(live, slotPath);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "EEXIST") return fail(`${slotFileName(slot)} already exists`);
          // File systems without hard links: copy, still refusing to overwrite.
          copyFileSync(live, slotPath, constants.COPYFILE_EXCL);
        }
        fsyncDir(dir);
        try {
          flipLiveLink(dir, slot);
        } catch (err) {
          // The live file is intact; undo the new slot name so a retry starts clean.
          try {
            unlinkSync(slotPath);
          } catch {
            // Leave it: it holds the same bytes as the live file.
          }
          throw err;
        }
        appendSwitch(stateDir, {
          at: now().toISOString(),
          from: null,
          to: slot,
          reason: "adopt: live file was a regular file",
          forced: false,
          by: opts.by ?? "cli",
        });
        return { ok: true, exitCode: 0, headline: `adopted ${LIVE_FILE} as slot "${slot}"; ${LIVE_FILE} -> ${slotFileName(slot)}`, notes };
      } finally {
        refresh.locks.release();
      }
    },
  );
  if (!res.acquired) return fail(`another switch (pid ${res.holderPid ?? "?"}) is running; try again`, 75);
  return res.value;
}
