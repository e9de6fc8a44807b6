// check-auth (SPEC 5.2): each slot's state from its files alone, no network. The probe results
// recorded by `slots check --probe` are folded in (identity seen live, a failed verdict), but
// nothing here makes a request, and nothing here ever refreshes a token.
import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { SlotRef } from "../readers/reader.js";
import { formatDuration } from "../ui/format.js";
import { parseCredentials, readSlotFile, refreshTokenSha256, type SlotFileRead } from "./credentials.js";
import { readClaudeJsonAccount, readIdentity, type ClaudeJsonAccount, type Identity, type SidecarRead } from "./identity.js";
import { discoverSlots, LIVE_FILE } from "./layout.js";
import { inspectLiveLink, liveLinkProblem, type LiveLink } from "./live-link.js";
import { probeFailedFor, readProbes, type ProbeEntry, type ProbeRecord } from "./probe-store.js";

export const AUTH_STATES = ["ok", "stale", "missing", "malformed", "unreadable", "old", "drift"] as const;
export type AuthState = (typeof AUTH_STATES)[number];

/** States a slot can be in and still count as healthy for `slots check`'s exit code. */
export const HEALTHY_STATES: ReadonlySet<AuthState> = new Set(["ok", "stale", "old"]);
/** States the switch refuses whatever the flags (SPEC 5.3.1). */
export const REFUSED_STATES: ReadonlySet<AuthState> = new Set(["missing", "malformed", "unreadable", "drift"]);

/** A file nobody (Claude Code) has written for this long may hold a dead refresh token. */
export const OLD_AFTER_MS = 7 * 24 * 3600 * 1000;

export type KnownAccount = { accountUuid: string; email: string | null; source: "claude.json" | "probe" };

export type SlotCheck = {
  name: string;
  active: boolean;
  path: string;
  state: AuthState;
  /** One line, no token: "expires in 5h", "claudeAiOauth.expiresAt must be a number (Unix ms)". */
  detail: string;
  expiresAt: Date | null;
  /** True when the access token is past expiresAt (whatever the state). */
  lapsed: boolean;
  subscriptionType: string | null;
  rateLimitTier: string | null;
  fileMtime: Date | null;
  identity: Identity | null;
  /** Why there is no usable identity baseline, when there is none. */
  identityNote: string | null;
  /** The account the file is known to hold now, when something told us. */
  account: KnownAccount | null;
  /** The refresh token changed since the baseline, same account: normal rotation, not drift. */
  rotated: boolean;
  refreshTokenSha256: string | null;
  probe: ProbeEntry | null;
  /** The newest conclusive probe failed for the credentials the file holds now. */
  probeFailed: ProbeRecord | null;
};

export type AssessInputs = {
  name: string;
  active: boolean;
  path: string;
  read: SlotFileRead;
  sidecar: SidecarRead;
  /** `~/.claude.json`'s account; consulted for the active slot only. */
  claudeJson: ClaudeJsonAccount | null;
  /** When the live link was last flipped: a `~/.claude.json` older than that describes another slot. */
  liveLinkMtime: Date | null;
  probe: ProbeEntry | undefined;
  now: Date;
};

function span(ms: number): string {
  return formatDuration(Math.abs(ms) / 1000);
}

/** The slot's state from what was read. Pure: every input is passed in. */
export function assessSlot(i: AssessInputs): SlotCheck {
  const base: SlotCheck = {
    name: i.name,
    active: i.active,
    path: i.path,
    state: "ok",
    detail: "",
    expiresAt: null,
    lapsed: false,
    subscriptionType: null,
    rateLimitTier: null,
    fileMtime: i.read.ok ? i.read.mtime : null,
    identity: i.sidecar.ok ? i.sidecar.identity : null,
    identityNote: i.sidecar.ok ? null : i.sidecar.problem,
    account: null,
    rotated: false,
    refreshTokenSha256: null,
    probe: i.probe ?? null,
    probeFailed: null,
  };
  if (!i.read.ok) return { ...base, state: i.read.state, detail: i.read.problem, probeFailed: probeFailedFor(i.probe, null) };
  const parsed = parseCredentials(i.read.text);
  if (!parsed.ok) return { ...base, state: parsed.state, detail: parsed.problem, probeFailed: probeFailedFor(i.probe, null) };
  const o = parsed.oauth;
  const hash = refreshTokenSha256(o.refreshToken);
  const expiresAt = new Date(o.expiresAt);
  const untilExpiry = o.expiresAt - i.now.getTime();
  const check: SlotCheck = {
    ...base,
    expiresAt,
    lapsed: untilExpiry <= 0,
    subscriptionType: o.subscriptionType,
    rateLimitTier: o.rateLimitTier,
    refreshTokenSha256: hash,
    probeFailed: probeFailedFor(i.probe, hash),
  };

  const account = knownAccount(i, hash);
  check.account = account.account;
  if (account.note && check.identityNote === null) check.identityNote = account.note;
  const identity = check.identity;
  if (identity && account.account && account.account.accountUuid !== identity.accountUuid) {
    const where = account.account.source === "probe" ? "the last probe" : "~/.claude.json";
    return {
      ...check,
      state: "drift",
      detail:
        `holds account ${account.account.email ?? account.account.accountUuid} (per ${where}), ` +
        `baseline is ${identity.email ?? identity.accountUuid}: a stray /login wrote another account here (usagetop slots reauth ${i.name})`,
    };
  }
  if (identity && identity.refreshTokenSha256 !== null && identity.refreshTokenSha256 !== hash) check.rotated = true;

  const expiry = untilExpiry > 0 ? `expires in ${span(untilExpiry)}` : `access token lapsed ${span(untilExpiry)} ago`;
  const age = i.now.getTime() - i.read.mtime.getTime();
  if (age > OLD_AFTER_MS) {
    return {
      ...check,
      state: "old",
      detail: `file untouched for ${span(age)}: its refresh token may be dead (usagetop slots check --probe); ${expiry}`,
    };
  }
  if (untilExpiry <= 0) return { ...check, state: "stale", detail: `${expiry} — refreshed on next use, harmless` };
  return { ...check, state: "ok", detail: expiry };
}

/**
 * The account the file holds now, if anything knows it. For the active slot, `~/.claude.json`
 * says which account Claude Code logged in with, but only once it was written after the live link
 * last flipped (until Claude Code runs, it still describes the previous slot). Otherwise the last
 * successful probe of these very credentials (same refresh-token hash) knows.
 */
function knownAccount(i: AssessInputs, hash: string): { account: KnownAccount | null; note: string | null } {
  let note: string | null = null;
  if (i.active && i.claudeJson) {
    const fresh = i.liveLinkMtime === null || i.claudeJson.mtime.getTime() > i.liveLinkMtime.getTime();
    if (fresh) return { account: { ...pick(i.claudeJson.account), source: "claude.json" }, note: null };
    note = "~/.claude.json predates the last switch: account not yet confirmed (run claude, or slots check --probe)";
  }
  const v = i.probe?.verdict;
  if (v && v.ok && v.accountUuid && v.refreshTokenSha256 === hash) {
    return { account: { accountUuid: v.accountUuid, email: v.email, source: "probe" }, note: null };
  }
  return { account: null, note };
}

function pick(a: { accountUuid: string; email: string | null }): { accountUuid: string; email: string | null } {
  return { accountUuid: a.accountUuid, email: a.email };
}

export type SlotsReport = {
  slots: SlotCheck[];
  live: LiveLink;
  /** One line when the live link is not a healthy symlink to a slot, else null. */
  liveProblem: string | null;
  warnings: string[];
};

/** Reads every slot's files and assesses them (SPEC 5.2). No network. */
export function checkSlots(config: Config, now: Date): SlotsReport {
  const dir = config.paths.credsDir;
  const refs = discoverSlots(config);
  const live = inspectLiveLink(dir);
  const probes = readProbes(config.paths.stateDir);
  const claudeJson = readClaudeJsonAccount(config.paths.claudeJson);
  const liveLinkMtime = live.state === "link" ? live.mtime : null;
  const slots = refs.map((ref) => checkSlotRef(ref, dir, { claudeJson, liveLinkMtime, probes: probes.probes, now }));
  const hasSlotFiles = refs.some((r) => r.credentialsPath !== join(dir, LIVE_FILE));
  return {
    slots,
    live,
    liveProblem: liveLinkProblem(live, hasSlotFiles),
    warnings: probes.warning ? [probes.warning] : [],
  };
}

export function checkSlotRef(
  ref: SlotRef,
  credsDir: string,
  ctx: { claudeJson: ClaudeJsonAccount | null; liveLinkMtime: Date | null; probes: Record<string, ProbeEntry>; now: Date },
): SlotCheck {
  return assessSlot({
    name: ref.name,
    active: ref.active,
    path: ref.credentialsPath,
    read: readSlotFile(ref.credentialsPath),
    sidecar: readIdentity(credsDir, ref.name),
    claudeJson: ref.active ? ctx.claudeJson : null,
    liveLinkMtime: ctx.liveLinkMtime,
    probe: ctx.probes[ref.name],
    now: ctx.now,
  });
}

/** `slots check` exits 0 when this holds (SPEC 5.1). */
export function allHealthy(report: SlotsReport): boolean {
  return report.liveProblem === null && report.slots.every((s) => HEALTHY_STATES.has(s.state) && s.probeFailed === null);
}
