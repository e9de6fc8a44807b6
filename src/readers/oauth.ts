// The oauth reader (SPEC 3.2.1): one GET /api/oauth/usage per slot with that slot's own token.
// A lapsed token is reported stale without any request: usagetop never refreshes tokens, since
// refresh tokens rotate and refreshing outside Claude Code logs the slot out.
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import { getOAuthJson, httpTimeoutMs } from "./anthropic-http.js";
import { readCredentials } from "./credentials.js";
import { parseOAuthUsage } from "./parse-oauth.js";
import type { IntervalHint, ReadContext, UsageReader } from "./reader.js";

/** "12m", "3h05m", "2d": how long ago a token lapsed. */
export function formatLapse(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${String(minutes % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d`;
}

export type OAuthReaderOptions = { timeoutMs?: number };

export function createOAuthReader(options: OAuthReaderOptions = {}): UsageReader {
  return {
    name: "oauth",
    perSlot: true,
    // The endpoint allows about 30 requests an hour per account, shared with Claude Code: never under
    // 120 s, except 60 s for the active slot while its governing meter is at 80 % or more (SPEC 3.3),
    // when a minute matters and one account's budget still allows it.
    intervalSeconds: (config: Config, hint?: IntervalHint) => {
      const base = Math.max(120, config.file.readers?.oauth?.interval ?? config.interval);
      return hint?.active && (hint.governingUtilisation ?? 0) >= 80 ? Math.min(base, 60) : base;
    },
    enabled: (config: Config) => config.file.readers?.oauth?.enabled !== false,
    async read(ctx: ReadContext, signal: AbortSignal): Promise<ReadResult> {
      if (!ctx.slot) {
        const where = `${ctx.config.paths.credsDir}/.credentials.json`;
        return { ok: false, error: { kind: "unavailable", message: `no Claude Code credentials file at ${where} (a macOS login keeps them in the Keychain: the usage_screen reader asks /usage instead)` } };
      }
      const creds = readCredentials(ctx.slot.credentialsPath);
      if (!creds.ok) return { ok: false, error: { kind: "auth", message: creds.message } };
      const { accessToken, expiresAt } = creds.credentials;
      const lapsed = ctx.now.getTime() - expiresAt;
      if (lapsed >= 0) {
        return {
          ok: false,
          error: { kind: "auth", stale: true, message: `token expired ${formatLapse(lapsed)} ago: Claude Code refreshes it on next use` },
        };
      }
      const got = await getOAuthJson({
        baseUrl: ctx.config.oauthBaseUrl,
        path: "/api/oauth/usage",
        token: accessToken,
        signal,
        timeoutMs: options.timeoutMs ?? httpTimeoutMs(ctx.config.env),
        now: ctx.now,
      });
      if (!got.ok) return got;
      const parsed = parseOAuthUsage(got.body, ctx.now, "oauth");
      if (!parsed.ok) return parsed;
      return { ok: true, meters: parsed.meters, warnings: parsed.warnings, notes: parsed.notes, raw: got.body };
    },
  };
}

export const oauthReader = createOAuthReader();
