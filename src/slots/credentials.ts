// A slot's credentials file (SPEC 5.1, FORMATS 6): read safely, validated field by field.
// Tokens stay inside the returned object; nothing here formats them into a message.
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync } from "node:fs";
import { createHash } from "node:crypto";
import { Secret } from "./secret.js";

export type OauthCredentials = {
  /** Wrapped so that printing or serialising the result cannot show it (only reveal() does). */
  accessToken: Secret;
  refreshToken: Secret;
  /** Unix milliseconds (FORMATS 0). */
  expiresAt: number;
  scopes: string[] | null;
  subscriptionType: string | null;
  rateLimitTier: string | null;
};

export type CredentialsProblem = { state: "missing" | "malformed" | "unreadable"; problem: string };

export type ParsedCredentials = { ok: true; oauth: OauthCredentials } | ({ ok: false } & CredentialsProblem);

export type SlotFileRead =
  | { ok: true; text: string; mtime: Date; size: number }
  | ({ ok: false } & CredentialsProblem);

/** Credentials files are a few hundred bytes; anything this big is not one. */
export const MAX_CREDENTIALS_BYTES = 1024 * 1024;

/**
 * Reads a slot file without ever blocking (a FIFO planted at the path would hang a plain read)
 * and classifies the failure: missing, unreadable (permissions, loops, not a file) or too big.
 */
export function readSlotFile(path: string): SlotFileRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return openProblem(path, err as NodeJS.ErrnoException);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, state: "unreadable", problem: "not a regular file" };
    if (st.size > MAX_CREDENTIALS_BYTES) return { ok: false, state: "malformed", problem: "file is over 1 MiB: not a credentials file" };
    const buf = Buffer.alloc(Math.min(st.size + 1, MAX_CREDENTIALS_BYTES + 1));
    let off = 0;
    for (;;) {
      const n = readSync(fd, buf, off, buf.length - off, null);
      if (n === 0) break;
      off += n;
      if (off >= buf.length) break;
    }
    if (off > MAX_CREDENTIALS_BYTES) return { ok: false, state: "malformed", problem: "file is over 1 MiB: not a credentials file" };
    return { ok: true, text: buf.subarray(0, off).toString("utf8"), mtime: st.mtime, size: off };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EISDIR") return { ok: false, state: "unreadable", problem: "is a directory" };
    return { ok: false, state: "unreadable", problem: `read failed (${code ?? "I/O error"})` };
  } finally {
    closeSync(fd);
  }
}

function openProblem(path: string, err: NodeJS.ErrnoException): { ok: false } & CredentialsProblem {
  switch (err.code) {
    case "ENOENT": {
      try {
        if (lstatSync(path).isSymbolicLink()) {
          return { ok: false, state: "missing", problem: `dangling symlink to ${readlinkSync(path)}` };
        }
      } catch {
        // Not there at all.
      }
      return { ok: false, state: "missing", problem: "no credentials file" };
    }
    case "EACCES":
    case "EPERM":
      return { ok: false, state: "unreadable", problem: "permission denied" };
    case "ELOOP":
      return { ok: false, state: "unreadable", problem: "symlink loop" };
    case "EISDIR":
      return { ok: false, state: "unreadable", problem: "is a directory" };
    default:
      return { ok: false, state: "unreadable", problem: `cannot open (${err.code ?? "I/O error"})` };
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function nonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.length > 0;
}

/**
 * Parses a credentials body. JSON.parse's own message is never passed on: V8 quotes a slice of the
 * input in it, which here would be a token.
 */
export function parseCredentials(text: string): ParsedCredentials {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    const msg = err instanceof Error ? err.message : "";
    if (text.trim() === "") return { ok: false, state: "malformed", problem: "file is empty" };
    if (/end of JSON|Unterminated/i.test(msg)) return { ok: false, state: "malformed", problem: "truncated JSON (ends early)" };
    const at = /position (\d+)/.exec(msg)?.[1];
    return { ok: false, state: "malformed", problem: at ? `not valid JSON (at byte ${at})` : "not valid JSON" };
  }
  if (!isRecord(json)) return { ok: false, state: "malformed", problem: "top level is not a JSON object" };
  const oauth = json.claudeAiOauth;
  if (oauth === undefined || oauth === null) {
    return {
      ok: false,
      state: "missing",
      problem: json.mcpOAuth !== undefined ? "only mcpOAuth, no claudeAiOauth: no Claude login" : "no claudeAiOauth: no Claude login",
    };
  }
  if (!isRecord(oauth)) return { ok: false, state: "malformed", problem: "claudeAiOauth is not an object" };
  if (!nonEmptyString(oauth.accessToken)) {
    return { ok: false, state: "malformed", problem: "claudeAiOauth.accessToken must be a non-empty string" };
  }
  if (!nonEmptyString(oauth.refreshToken)) {
    return { ok: false, state: "malformed", problem: "claudeAiOauth.refreshToken must be a non-empty string" };
  }
  if (typeof oauth.expiresAt !== "number" || !Number.isFinite(oauth.expiresAt)) {
    return { ok: false, state: "malformed", problem: "claudeAiOauth.expiresAt must be a number (Unix ms)" };
  }
  const scopes = Array.isArray(oauth.scopes) ? oauth.scopes.filter((s): s is string => typeof s === "string") : null;
  return {
    ok: true,
    oauth: {
      accessToken: new Secret(oauth.accessToken),
      refreshToken: new Secret(oauth.refreshToken),
      expiresAt: oauth.expiresAt,
      scopes,
      subscriptionType: typeof oauth.subscriptionType === "string" ? oauth.subscriptionType : null,
      rateLimitTier: typeof oauth.rateLimitTier === "string" ? oauth.rateLimitTier : null,
    },
  };
}

/** The identity sidecar keeps this hash, never the token: a changed hash is rotation (SPEC 5.2). */
export function refreshTokenSha256(refreshToken: Secret): string {
  return createHash("sha256").update(refreshToken.reveal(), "utf8").digest("hex");
}
