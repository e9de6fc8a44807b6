// Read one slot's credentials file (SPEC 5.1, FORMATS §6). The access token is wrapped so that
// printing, logging or serialising the result can never show it; only `reveal()` does, and only
// the HTTP request should call it. Errors name the file and field, never a value.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { z } from "zod";

/** A token that refuses to be printed. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "Secret([redacted])";
  }
}

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

const OAuthSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number(),
  scopes: z.array(z.string()).optional(),
  subscriptionType: z.string().nullable().optional(),
  rateLimitTier: z.string().nullable().optional(),
});

const FileSchema = z.object({ claudeAiOauth: z.unknown().optional() });

/** Credentials files are a few KB; a bigger one is not ours to parse. */
const MAX_BYTES = 1024 * 1024;

/** Anything shaped like an Anthropic token, for scrubbing text we did not write (script stderr, server bodies). */
const TOKEN_LIKE = /sk-ant-[A-Za-z0-9]{2,8}-[A-Za-z0-9_\-]{4,}/g;
export function redactTokens(text: string): string {
  return text.replace(TOKEN_LIKE, "sk-ant-[redacted]");
}

export function parseCredentials(text: string, path: string): CredentialsResult {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    // V8's JSON.parse message quotes the input, which holds tokens: never pass it on.
    return { ok: false, problem: "malformed", message: `${path}: not valid JSON` };
  }
  const file = FileSchema.safeParse(json);
  if (!file.success) return { ok: false, problem: "malformed", message: `${path}: expected a JSON object` };
  if (file.data.claudeAiOauth === undefined || file.data.claudeAiOauth === null) {
    return { ok: false, problem: "missing", message: `${path}: no claudeAiOauth (no Claude login in this file)` };
  }
  const oauth = OAuthSchema.safeParse(file.data.claudeAiOauth);
  if (!oauth.success) {
    const issue = oauth.error.issues[0];
    const field = ["claudeAiOauth", ...(issue?.path ?? []).map(String)].join(".");
    const expected = field.endsWith("expiresAt") ? "a number (Unix ms)" : field.endsWith("Token") ? "a non-empty string" : "a valid value";
    return { ok: false, problem: "malformed", message: `${path}: ${field} must be ${expected}` };
  }
  const o = oauth.data;
  return {
    ok: true,
    credentials: {
      accessToken: new Secret(o.accessToken),
      expiresAt: o.expiresAt,
      scopes: o.scopes ?? [],
      refreshTokenSha256: createHash("sha256").update(o.refreshToken).digest("hex"),
      subscriptionType: o.subscriptionType ?? null,
      rateLimitTier: o.rateLimitTier ?? null,
    },
  };
}

export function readCredentials(path: string): CredentialsResult {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, problem: "missing", message: `${path}: no such file` };
    return { ok: false, problem: "unreadable", message: `${path}: cannot read (${code ?? "error"})` };
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_BYTES) return { ok: false, problem: "malformed", message: `${path}: ${size} bytes, too large for a credentials file` };
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return parseCredentials(buf.subarray(0, off).toString("utf8"), path);
  } catch (err) {
    return { ok: false, problem: "unreadable", message: `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? "error"})` };
  } finally {
    closeSync(fd);
  }
}
