// `slots check --probe` (SPEC 5.2): per slot, GET /api/oauth/profile (who the token belongs to:
// identity drift) and one GET /api/oauth/usage (the token reads usage). A lapsed access token is
// never probed: that would need a refresh, which usagetop never does.
import { getOAuthJson } from "../readers/anthropic-http.js";
import type { Secret } from "./secret.js";
import type { ReaderError } from "../model/meter.js";
import { parseCredentials, readSlotFile, refreshTokenSha256 } from "./credentials.js";
import type { Account } from "./identity.js";
import type { ProbeRecord } from "./probe-store.js";

export type ProbeOutcome =
  | { kind: "skipped"; why: string }
  | { kind: "done"; record: ProbeRecord; account: Account | null };

export type ProbeOptions = { baseUrl: string; timeoutMs: number; now: Date; signal: AbortSignal };

/** A profile body's account (FORMATS 6); null when the body has no account uuid. */
export function accountFromProfile(body: unknown): Account | null {
  if (typeof body !== "object" || body === null) return null;
  const b = body as Record<string, unknown>;
  const account = typeof b.account === "object" && b.account !== null ? (b.account as Record<string, unknown>) : null;
  const org = typeof b.organization === "object" && b.organization !== null ? (b.organization as Record<string, unknown>) : null;
  if (!account || typeof account.uuid !== "string" || account.uuid === "") return null;
  return {
    accountUuid: account.uuid,
    email: typeof account.email === "string" ? account.email : null,
    organizationUuid: org && typeof org.uuid === "string" ? org.uuid : null,
    rateLimitTier: org && typeof org.rate_limit_tier === "string" ? org.rate_limit_tier : null,
    subscriptionType: org && typeof org.organization_type === "string" ? org.organization_type.replace(/^claude_/, "") : null,
  };
}

/** A rejected token proves the credentials dead; throttling, outages and timeouts prove nothing. */
function conclusive(error: ReaderError): boolean {
  return error.kind === "auth" && error.stale !== true;
}

export async function fetchProfile(token: Secret, opts: ProbeOptions): Promise<{ ok: true; account: Account } | { ok: false; error: ReaderError }> {
  const got = await getOAuthJson({ ...opts, path: "/api/oauth/profile", token });
  if (!got.ok) return got;
  const account = accountFromProfile(got.body);
  if (!account) return { ok: false, error: { kind: "parse", message: "profile answer has no account.uuid" } };
  return { ok: true, account };
}

/** Probes one slot file. Never refreshes, never prints the token. */
export async function probeSlotFile(path: string, opts: ProbeOptions): Promise<ProbeOutcome> {
  const read = readSlotFile(path);
  if (!read.ok) return { kind: "skipped", why: read.problem };
  const parsed = parseCredentials(read.text);
  if (!parsed.ok) return { kind: "skipped", why: parsed.problem };
  const { accessToken, refreshToken, expiresAt } = parsed.oauth;
  if (expiresAt <= opts.now.getTime()) return { kind: "skipped", why: "token lapsed" };
  const hash = refreshTokenSha256(refreshToken);
  const at = opts.now.toISOString();
  const fail = (error: ReaderError, account: Account | null): ProbeOutcome => ({
    kind: "done",
    account,
    record: {
      at,
      ok: false,
      reason: error.message,
      conclusive: conclusive(error),
      accountUuid: account?.accountUuid ?? null,
      email: account?.email ?? null,
      refreshTokenSha256: hash,
    },
  });
  const profile = await fetchProfile(accessToken, opts);
  if (!profile.ok) return fail(profile.error, null);
  const usage = await getOAuthJson({ ...opts, path: "/api/oauth/usage", token: accessToken });
  if (!usage.ok) return fail(usage.error, profile.account);
  return {
    kind: "done",
    account: profile.account,
    record: {
      at,
      ok: true,
      reason: null,
      conclusive: true,
      accountUuid: profile.account.accountUuid,
      email: profile.account.email,
      refreshTokenSha256: hash,
    },
  };
}
