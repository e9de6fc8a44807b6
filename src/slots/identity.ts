// Slot identity (SPEC 5.1): the sidecar `.credentials.json.<slot>.identity.json` records which
// account a slot belongs to, so a stray `/login` that wrote another account into it shows up as
// drift. No token is ever stored here; the refresh token only as its SHA-256.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod/mini";
import { readJsonFile, writeFileAtomic } from "../store/atomic-file.js";
import { identityFileName } from "./layout.js";

export const IDENTITY_SCHEMA_VERSION = 1;

export const IdentitySchema = z.object({
  schemaVersion: z.literal(IDENTITY_SCHEMA_VERSION),
  slot: z.string(),
  accountUuid: z.string().check(z.minLength(1)),
  email: z.nullable(z.string()),
  organizationUuid: z.nullable(z.string()),
  subscriptionType: z.nullable(z.string()),
  rateLimitTier: z.nullable(z.string()),
  refreshTokenSha256: z.nullable(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  baselinedAt: z.string(),
});
export type Identity = z.infer<typeof IdentitySchema>;

/** Who an account is, from whichever source knew it. */
export type Account = {
  accountUuid: string;
  email: string | null;
  organizationUuid: string | null;
  subscriptionType?: string | null;
  rateLimitTier?: string | null;
};

export type SidecarRead = { ok: true; identity: Identity } | { ok: false; missing: boolean; problem: string };

export function identityPath(credsDir: string, slot: string): string {
  return join(credsDir, identityFileName(slot));
}

export function readIdentity(credsDir: string, slot: string): SidecarRead {
  const path = identityPath(credsDir, slot);
  const r = readJsonFile(path, IdentitySchema);
  if (r.ok) return { ok: true, identity: r.value };
  if ("missing" in r) return { ok: false, missing: true, problem: "no identity baseline (usagetop slots baseline " + slot + ")" };
  return { ok: false, missing: false, problem: `identity sidecar ${path}: ${r.reason}` };
}

export function writeIdentity(credsDir: string, identity: Identity): string {
  const path = identityPath(credsDir, identity.slot);
  writeFileAtomic(path, `${JSON.stringify(identity, null, 2)}\n`, 0o600);
  return path;
}

/** `~/.claude.json` is large (megabytes of project history); this bounds what we are willing to parse. */
const MAX_CLAUDE_JSON_BYTES = 64 * 1024 * 1024;

/** `organizationType` ("claude_max", ...) is the plan fallback of SPEC 2.3. */
export type ClaudeJsonAccount = { account: Account; organizationType?: string | null; mtime: Date };

/**
 * The account Claude Code last logged in with, from `~/.claude.json` `oauthAccount`. Claude Code
 * rewrites that file often, so a torn or missing read is simply "unknown" (null), never an error.
 */
export function readClaudeJsonAccount(path: string): ClaudeJsonAccount | null {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_CLAUDE_JSON_BYTES) return null;
    const json: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (typeof json !== "object" || json === null) return null;
    const acct = (json as Record<string, unknown>).oauthAccount;
    if (typeof acct !== "object" || acct === null) return null;
    const a = acct as Record<string, unknown>;
    if (typeof a.accountUuid !== "string" || a.accountUuid === "") return null;
    return {
      account: {
        accountUuid: a.accountUuid,
        email: typeof a.emailAddress === "string" ? a.emailAddress : null,
        organizationUuid: typeof a.organizationUuid === "string" ? a.organizationUuid : null,
      },
      organizationType: typeof a.organizationType === "string" ? a.organizationType : null,
      mtime: st.mtime,
    };
  } catch {
    return null;
  }
}
