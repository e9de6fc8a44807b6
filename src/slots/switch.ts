// The switch (SPEC 5.3): refuse what would log agents out, defer while an agent or a token refresh
// is running, then flip the live link atomically under our own lock and Claude Code's refresh
// locks, and log it. Credential files are never written: only the symlink changes.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { ensureStateDir } from "../store/atomic-file.js";
import { withLock } from "../store/lock.js";
import { pidAlive } from "../store/pid-alive.js";
import { formatDuration } from "../ui/format.js";
import { scanAgentLocks } from "./agent-locks.js";
import { checkSlotRef, REFUSED_STATES, type SlotCheck } from "./check-auth.js";
import { readClaudeJsonAccount } from "./identity.js";
import { slotFileName, slotFilesIn, slotNameProblem } from "./layout.js";
import { flipLiveLink, inspectLiveLink, removeTempLinks, type LiveLink } from "./live-link.js";
import { readProbes } from "./probe-store.js";
import { inspectDirLock, refreshLockPaths, takeDirLocks } from "./refresh-locks.js";
import { appendSwitch, type SwitchActor, type SwitchEntry } from "./switch-log.js";

export const SWITCH_LOCK = "switch.lock";
export const EXIT_SWITCHED = 0;
export const EXIT_REFUSED = 1;
export const EXIT_DEFERRED = 75;

export type SwitchOptions = {
  config: Config;
  target: string;
  /** Overrides the agent-lock guard only (SPEC 5.3.2); never a refusal. */
  force?: boolean;
  dryRun?: boolean;
  by?: SwitchActor;
  reason?: string;
  holdUntil?: Date | null;
  now?: () => Date;
  isAlive?: (pid: number) => boolean;
  /** How long to wait for another switch to finish before deferring (default 5000 ms). */
  lockWaitMs?: number;
};

export type SwitchStatus = "switched" | "unchanged" | "dry-run" | "deferred" | "refused";

export type SwitchOutcome = {
  status: SwitchStatus;
  exitCode: 0 | 1 | 75;
  from: string | null;
  to: string;
  /** One line saying what happened (or why not). */
  headline: string;
  notes: string[];
  warnings: string[];
  entry: SwitchEntry | null;
};

type Verdict = { refusal: string } | { refusal: null; notes: string[]; warnings: string[] };

function fromOf(live: LiveLink): string | null {
  return live.state === "link" ? live.slot : null;
}

/** Refusals that no flag overrides, and the notes a healthy target earns. */
function judgeTarget(check: SlotCheck, now: Date): Verdict {
  const t = `"${check.name}"`;
  if (REFUSED_STATES.has(check.state)) return { refusal: `slot ${t} is ${check.state}: ${check.detail}` };
  if (check.probeFailed) {
    const age = formatDuration((now.getTime() - Date.parse(check.probeFailed.at)) / 1000);
    return {
      refusal:
        `slot ${t}: its last probe failed ${age} ago (${check.probeFailed.reason ?? "rejected"}): its refresh token is dead ` +
        `and switching would log every agent out (usagetop slots reauth ${check.name})`,
    };
  }
  const notes: string[] = [];
  const warnings: string[] = [];
  if (check.lapsed && check.expiresAt) {
    const ago = formatDuration((now.getTime() - check.expiresAt.getTime()) / 1000);
    notes.push(`${check.name}'s access token lapsed ${ago} ago: normal for a slot not in use; Claude Code refreshes it on first use, under its own refresh lock`);
  }
  if (check.state === "old") {
    warnings.push(`${check.name}: ${check.detail.split(";")[0]}; consider usagetop slots check --probe first`);
  }
  return { refusal: null, notes, warnings };
}

function judgeLive(live: LiveLink): Verdict {
  switch (live.state) {
    case "regular":
      return {
        refusal: ".credentials.json is a regular file, not a symlink: switching would discard it; run usagetop slots adopt <slot> first",
      };
    case "other":
      return { refusal: `.credentials.json is ${live.what}; fix it by hand` };
    case "none":
      return { refusal: null, notes: ["no live .credentials.json yet: creating the link"], warnings: [] };
    case "dangling":
    case "outside":
    case "loop":
    case "foreign":
      return { refusal: null, notes: [`.credentials.json was a broken link (${live.state}, to ${live.target}): replaced`], warnings: [] };
    case "link":
      return { refusal: null, notes: [], warnings: [] };
  }
}

export async function switchSlot(opts: SwitchOptions): Promise<SwitchOutcome> {
  const now = opts.now ?? (() => new Date());
  const isAlive = opts.isAlive ?? pidAlive;
  const { config, target } = opts;
  const dir = config.paths.credsDir;
  const stateDir = config.paths.stateDir;
  const notes: string[] = [];
  const warnings: string[] = [];
  const out = (status: SwitchStatus, headline: string, from: string | null, entry: SwitchEntry | null = null): SwitchOutcome => ({
    status,
    exitCode: status === "refused" ? EXIT_REFUSED : status === "deferred" ? EXIT_DEFERRED : EXIT_SWITCHED,
    from,
    to: target,
    headline,
    notes,
    warnings,
    entry,
  });
  const refuse = (why: string, from: string | null) => out("refused", `refusing to switch to "${target}": ${why}`, from);

  const nameProblem = slotNameProblem(target);
  if (nameProblem) return refuse(nameProblem, null);
  const known = config.slots.names ?? slotFilesIn(dir);
  if (!known.includes(target)) {
    const list = known.length > 0 ? known.join(", ") : "none";
    const why = existsSync(join(dir, slotFileName(target))) ? "not in [slots] names" : "unknown slot";
    return refuse(`${why} (known: ${list})`, null);
  }

  const assess = (): { verdict: Verdict; live: LiveLink } => {
    const live = inspectLiveLink(dir);
    const check = checkSlotRef(
      { name: target, credentialsPath: join(dir, slotFileName(target)), active: fromOf(live) === target },
      dir,
      {
        claudeJson: readClaudeJsonAccount(config.paths.claudeJson),
        liveLinkMtime: live.state === "link" ? live.mtime : null,
        probes: readProbes(stateDir).probes,
        now: now(),
      },
    );
    const t = judgeTarget(check, now());
    if (t.refusal !== null) return { verdict: t, live };
    const l = judgeLive(live);
    if (l.refusal !== null) return { verdict: l, live };
    return { verdict: { refusal: null, notes: [...t.notes, ...l.notes], warnings: t.warnings }, live };
  };

  const first = assess();
  const from0 = fromOf(first.live);
  if (first.verdict.refusal !== null) return refuse(first.verdict.refusal, from0);
  if (from0 === target) return out("unchanged", `already on "${target}"`, from0);

  const agents = scanAgentLocks(config.slots.lockGlob, config.paths.home, isAlive);
  for (const l of agents.ignored) notes.push(`ignored agent lock ${l.path}: ${l.why}`);
  if (agents.live.length > 0) {
    const named = agents.live.map((l) => `${l.path} (pid ${l.pid})`).join(", ");
    if (!opts.force) {
      notes.push(...first.verdict.notes);
      return out("deferred", `switch deferred: agent lock ${named} is held by a running process (--force overrides this guard)`, from0);
    }
    warnings.push(`forced past running agent lock ${named}`);
  }

  if (opts.dryRun) {
    notes.push(...first.verdict.notes);
    warnings.push(...first.verdict.warnings);
    for (const p of refreshLockPaths(dir, config.paths.home)) {
      const s = inspectDirLock(p, now());
      if (s.state === "fresh") return out("deferred", `would defer: Claude Code's refresh lock ${p} is held (${formatDuration(s.ageMs / 1000)} old)`, from0);
      if (s.state === "stale") notes.push(`would remove stale refresh lock ${p} (${formatDuration(s.ageMs / 1000)} old)`);
    }
    return out("dry-run", `would switch from ${from0 ?? "(none)"} to ${target}; nothing changed`, from0);
  }

  ensureStateDir(stateDir);
  const lockPath = join(stateDir, SWITCH_LOCK);
  const locked = await withLock(
    lockPath,
    (): SwitchOutcome => {
      for (const name of removeTempLinks(dir)) notes.push(`removed ${name} left by an interrupted switch`);
      const refresh = takeDirLocks(refreshLockPaths(dir, config.paths.home), now());
      if (!refresh.ok) {
        const age = refresh.ageMs === null ? "just taken" : `${formatDuration(refresh.ageMs / 1000)} old`;
        return out("deferred", `switch deferred: Claude Code's refresh lock ${refresh.blockedBy} is held (${age}): a token refresh is running`, from0);
      }
      try {
        for (const p of refresh.locks.staleRemoved) notes.push(`removed stale refresh lock ${p} (over 60 s old)`);
        // Authoritative re-check under the locks: the target or the link may have changed meanwhile.
        const again = assess();
        const from = fromOf(again.live);
        if (again.verdict.refusal !== null) return refuse(again.verdict.refusal, from);
        notes.push(...again.verdict.notes);
        warnings.push(...again.verdict.warnings);
        if (from === target) return out("unchanged", `already on "${target}"`, from);
        flipLiveLink(dir, target);
        const entry: SwitchEntry = {
          at: now().toISOString(),
          from,
          to: target,
          reason: opts.reason ?? "manual switch",
          forced: Boolean(opts.force),
          by: opts.by ?? "cli",
          ...(opts.holdUntil ? { holdUntil: opts.holdUntil.toISOString() } : {}),
        };
        appendSwitch(stateDir, entry);
        return out("switched", `switched from ${from ?? "(none)"} to ${target}`, from, entry);
      } finally {
        refresh.locks.release();
      }
    },
    { waitMs: opts.lockWaitMs ?? 5000 },
  );
  if (!locked.acquired) {
    return out("deferred", `switch deferred: another switch (pid ${locked.holderPid ?? "?"}) holds ${lockPath}`, from0);
  }
  return locked.value;
}
