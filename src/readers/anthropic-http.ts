// One GET against Anthropic's OAuth endpoints (SPEC 3.2.1, 5.1: /api/oauth/usage and /profile),
// with the timeout, size cap and error mapping every caller needs. The token is revealed only
// into the Authorization header; no message below can contain it or the response body.
import type { ReaderError } from "../model/meter.js";
import type { Secret } from "../slots/secret.js";
import { MAX_BODY_BYTES, readCapped, type CappedBody } from "./http-body.js";
import { usagetopVersion } from "../config/version.js";

export { MAX_BODY_BYTES } from "./http-body.js";
export const DEFAULT_TIMEOUT_MS = 10_000;
export const OAUTH_BETA = "oauth-2025-04-20";

/** Our version for User-Agent: clients without one land in a stricter 429 bucket (FORMATS §1). */

/** Timeout from USAGETOP_HTTP_TIMEOUT_MS (tests shorten it), else 10 s (SPEC 8). */
export function httpTimeoutMs(env: Record<string, string | undefined>): number {
  const n = Number(env.USAGETOP_HTTP_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_TIMEOUT_MS;
}

export type OAuthGetResult = { ok: true; body: unknown; status: number } | { ok: false; error: ReaderError };


/** Retry-After is seconds or an HTTP date; 0 and absent are both real answers of this endpoint. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const t = value.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const date = Date.parse(t);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

function looksLikeHtml(text: string, contentType: string | null): boolean {
  return (contentType ?? "").includes("html") || /^\s*<(!doctype|html|head|body|\?xml)/i.test(text);
}

type ErrorInfo = { type: string | null; code: string | null; mentionsProfileScope: boolean };

function errorInfo(text: string): ErrorInfo {
  try {
    const json = JSON.parse(text) as { error?: { type?: unknown; message?: unknown; details?: { error_code?: unknown } } };
    const e = json?.error;
    const type = typeof e?.type === "string" ? e.type.slice(0, 60) : null;
    const code = typeof e?.details?.error_code === "string" ? e.details.error_code.slice(0, 60) : null;
    const message = typeof e?.message === "string" ? e.message : "";
    return { type, code, mentionsProfileScope: message.includes("user:profile") };
  } catch {
    return { type: null, code: null, mentionsProfileScope: text.includes("user:profile") };
  }
}

function describeBody(text: string, contentType: string | null, host: string): string {
  if (text.trim() === "") return "empty body";
  if (looksLikeHtml(text, contentType)) return `HTML error page from ${host}`;
  const info = errorInfo(text);
  return info.type ?? "unrecognised body";
}

function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  if (typeof cause?.code === "string") return cause.code;
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" ? code : "request failed";
}

export type OAuthGetOptions = {
  baseUrl: string;
  path: "/api/oauth/usage" | "/api/oauth/profile";
  token: Secret;
  signal: AbortSignal;
  timeoutMs: number;
  now: Date;
};

export async function getOAuthJson(opts: OAuthGetOptions): Promise<OAuthGetResult> {
  let url: URL;
  try {
    url = new URL(opts.path, opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`);
  } catch {
    return { ok: false, error: { kind: "unavailable", message: `invalid OAuth base URL: ${opts.baseUrl.slice(0, 100)}` } };
  }
  const host = url.host;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([opts.signal, timeout]);
  const failed = (err: unknown): OAuthGetResult => {
    if (timeout.aborted) {
      return { ok: false, error: { kind: "timeout", message: `no answer from ${host} within ${Math.round(opts.timeoutMs / 100) / 10}s` } };
    }
    if (opts.signal.aborted) return { ok: false, error: { kind: "network", message: `request to ${host} aborted` } };
    return { ok: false, error: { kind: "network", message: `cannot reach ${host}: ${errorCode(err)}` } };
  };
  let res: Response;
  try {
    res = await fetch(url, {
      method: "GET",
      headers: {
        Authorization: `Bearer ${opts.token.reveal()}`,
        "anthropic-beta": OAUTH_BETA,
        "User-Agent": `usagetop/${usagetopVersion()}`,
        Accept: "application/json",
      },
      signal,
      redirect: "error",
    });
  } catch (err) {
    return failed(err);
  }
  let body: CappedBody;
  try {
    body = await readCapped(res, MAX_BODY_BYTES);
  } catch (err) {
    return failed(err);
  }
  const status = res.status;
  if (body.kind === "too_large") {
    const size = body.bytes === null ? "over 1 MiB" : `${body.bytes} bytes`;
    return { ok: false, error: { kind: "parse", message: `HTTP ${status} from ${host}: body ${size} refused (limit 1 MiB)` } };
  }
  const text = body.bytes.toString("utf8");
  const contentType = res.headers.get("content-type");
  if (status === 200) {
    try {
      return { ok: true, status, body: JSON.parse(text) };
    } catch {
      const what = looksLikeHtml(text, contentType)
        ? `HTML page from ${host}`
        : text.trim() === ""
          ? "empty body"
          : `invalid or truncated JSON (${body.bytes.length} bytes)`;
      return { ok: false, error: { kind: "parse", message: `HTTP 200 from ${host}: ${what}` } };
    }
  }
  if (status === 401) {
    const info = errorInfo(text);
    if (info.code === "token_expired") {
      return { ok: false, error: { kind: "auth", stale: true, message: "token expired (server says so): Claude Code refreshes it on next use" } };
    }
    return { ok: false, error: { kind: "auth", message: `HTTP 401 from ${host}: ${describeBody(text, contentType, host)}` } };
  }
  if (status === 403) {
    if (errorInfo(text).mentionsProfileScope) {
      return { ok: false, error: { kind: "unavailable", message: "this token cannot read usage: log in with `claude` instead of a setup-token" } };
    }
    return { ok: false, error: { kind: "auth", message: `HTTP 403 from ${host}: ${describeBody(text, contentType, host)}` } };
  }
  if (status === 429) {
    const retryAfter = parseRetryAfter(res.headers.get("retry-after"), opts.now);
    const hint = retryAfter === undefined ? "no Retry-After" : `Retry-After ${retryAfter}s`;
    return {
      ok: false,
      error: { kind: "rate_limited", message: `HTTP 429 from ${host}: rate limited (${hint})`, ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) },
    };
  }
  if (looksLikeHtml(text, contentType)) {
    // A proxy's or Cloudflare's page, not the API: say so instead of dumping it.
    return { ok: false, error: { kind: "parse", message: `HTTP ${status}: HTML error page from ${host}` } };
  }
  if (status >= 500) {
    return { ok: false, error: { kind: "network", message: `HTTP ${status} from ${host}: ${describeBody(text, contentType, host)}` } };
  }
  return { ok: false, error: { kind: "unavailable", message: `HTTP ${status} from ${host}: ${describeBody(text, contentType, host)}` } };
}
