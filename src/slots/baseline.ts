// `slots baseline S` (SPEC 5.3): record which account slot S belongs to, so drift (another
// account written into the slot) can be told apart from rotation (same account, new token).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { parseCredentials, readSlotFile, refreshTokenSha256 } from "./credentials.js";
import { IDENTITY_SCHEMA_VERSION, readClaudeJsonAccount, writeIdentity, type Account, type Identity } from "./identity.js";
import { LIVE_FILE, slotFileName, slotNameProblem } from "./layout.js";
import { inspectLiveLink } from "./live-link.js";
import { fetchProfile } from "./probe.js";

export type BaselineOutcome = { ok: true; identity: Identity; path: string; source: string } | { ok: false; problem: string };

export type BaselineOptions = { now: Date; timeoutMs: number; signal: AbortSignal };

export async function baselineSlot(config: Config, slot: string, opts: BaselineOptions): Promise<BaselineOutcome> {
  const nameProblem = slotNameProblem(slot);
  if (nameProblem) return { ok: false, problem: nameProblem };
  const dir = config.paths.credsDir;
  const live = inspectLiveLink(dir);
  // The single-login layout has no slot files: "default" is the live file itself.
  const path = existsSync(join(dir, slotFileName(slot))) || live.state !== "regular" ? join(dir, slotFileName(slot)) : join(dir, LIVE_FILE);
  const read = readSlotFile(path);
  if (!read.ok) return { ok: false, problem: `${path}: ${read.state}: ${read.problem}` };
  const parsed = parseCredentials(read.text);
  if (!parsed.ok) return { ok: false, problem: `${path}: ${parsed.state}: ${parsed.problem}` };
  const creds = parsed.oauth;
  const active = (live.state === "link" && live.slot === slot) || path.endsWith(`/${LIVE_FILE}`);

  let account: Account | null = null;
  let source = "";
  let profileProblem: string | null = null;
  if (creds.expiresAt > opts.now.getTime()) {
    const got = await fetchProfile(creds.accessToken, { baseUrl: config.oauthBaseUrl, timeoutMs: opts.timeoutMs, now: opts.now, signal: opts.signal });
    if (got.ok) {
      account = got.account;
      source = "/api/oauth/profile";
    } else profileProblem = got.error.message;
  } else profileProblem = "access token lapsed (usagetop never refreshes it)";

  if (!account && active) {
    const cj = readClaudeJsonAccount(config.paths.claudeJson);
    const linkTime = live.state === "link" ? live.mtime.getTime() : null;
    if (cj && (linkTime === null || cj.mtime.getTime() > linkTime)) {
      account = cj.account;
      source = config.paths.claudeJson;
    } else if (cj) {
      profileProblem += `; ${config.paths.claudeJson} predates the switch to "${slot}" (run claude once first)`;
    }
  }
  if (!account) {
    const hint = active ? "" : `; make it live (usagetop switch ${slot}) and run claude once, then baseline again`;
    return { ok: false, problem: `cannot tell which account "${slot}" holds: ${profileProblem ?? "no source"}${hint}` };
  }
  const identity: Identity = {
    schemaVersion: IDENTITY_SCHEMA_VERSION,
    slot,
    accountUuid: account.accountUuid,
    email: account.email,
    organizationUuid: account.organizationUuid,
    subscriptionType: creds.subscriptionType ?? account.subscriptionType ?? null,
    rateLimitTier: creds.rateLimitTier ?? account.rateLimitTier ?? null,
    refreshTokenSha256: refreshTokenSha256(creds.refreshToken),
    baselinedAt: opts.now.toISOString(),
  };
  return { ok: true, identity, path: writeIdentity(dir, identity), source };
}
