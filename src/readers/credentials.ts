// Read one slot's credentials file (SPEC 5.1, FORMATS §6). The access token is wrapped so that
// printing, logging or serialising the result can never show it; only `reveal()` does, and only
// the HTTP request should call it. Errors name the file and field, never a value.
import { parseCredentials as parseSlotCredentials, readSlotFile, refreshTokenSha256, type ParsedCredentials } from "../slots/credentials.js";
import type { Secret } from "../slots/secret.js";

export type SlotCredentials = {
  accessToken: Secret;
  /** Unix milliseconds. */
  expiresAt: number;
  scopes: string[];
  /** For identity sidecars (SPEC 5.1): a changed hash alone is normal rotation. */
  refreshTokenSha256: string;
  subscriptionType: string | null;
  rateLimitTier: string | null;
};

export type CredentialsProblem = "missing" | "malformed" | "unreadable";
export type CredentialsResult =
  | { ok: true; credentials: SlotCredentials }
  | { ok: false; problem: CredentialsProblem; message: string };

/** Anything shaped like an Anthropic token, for scrubbing text we did not write (script stderr, server bodies). */
const TOKEN_LIKE = /sk-ant-[A-Za-z0-9]{2,8}-[A-Za-z0-9_\-]{4,}/g;
export function redactTokens(text: string): string {
  return text.replace(TOKEN_LIKE, "sk-ant-[redacted]");
}

/**
 * A slot's credentials for the readers: the file is read and validated by the slots module (the one
 * place that handles credentials), and every message is prefixed with the path, never a token.
 */
export function parseCredentials(text: string, path: string): CredentialsResult {
  return fromParsed(parseSlotCredentials(text), path);
}

export function readCredentials(path: string): CredentialsResult {
  const read = readSlotFile(path);
  if (!read.ok) return { ok: false, problem: read.state, message: `${path}: ${read.problem}` };
  return parseCredentials(read.text, path);
}

function fromParsed(parsed: ParsedCredentials, path: string): CredentialsResult {
  if (!parsed.ok) return { ok: false, problem: parsed.state, message: `${path}: ${parsed.problem}` };
  const o = parsed.oauth;
  return {
    ok: true,
    credentials: {
      accessToken: o.accessToken,
      expiresAt: o.expiresAt,
      scopes: o.scopes ?? [],
      refreshTokenSha256: refreshTokenSha256(o.refreshToken),
      subscriptionType: o.subscriptionType,
      rateLimitTier: o.rateLimitTier,
    },
  };
}
