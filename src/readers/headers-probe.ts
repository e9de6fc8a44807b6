// The opt-in headers probe (SPEC 3.2.3, `readers.headers.probe = true`, off by default): one
// one-token message with the active slot's OAuth token, whose response headers carry the unified
// subscription windows. It spends a sliver of quota, so it runs at most once per PROBE_INTERVAL
// across all processes (the scheduler's shared cache) and never with a lapsed token.
import type { Config } from "../config/config.js";
import type { ReadResult } from "../model/meter.js";
import { usagetopVersion } from "../config/version.js";
import { OAUTH_BETA, httpTimeoutMs } from "./anthropic-http.js";
import { readCredentials } from "./credentials.js";
import { parseHeaderCapture } from "./parse-headers.js";
import type { SlotRef } from "./reader.js";

export const PROBE_INTERVAL_SECONDS = 300;
/** The cheapest current model: the probe only wants the headers. */
export const PROBE_MODEL = "claude-haiku-4-5";

export function probeEnabled(config: Config): boolean {
  return config.file.readers?.headers?.probe === true;
}

export async function probeHeaders(config: Config, slot: SlotRef | null, now: Date, signal: AbortSignal): Promise<ReadResult> {
  if (!slot) return { ok: false, error: { kind: "unavailable", message: "headers probe: no slot credentials to probe with" } };
  const creds = readCredentials(slot.credentialsPath);
  if (!creds.ok) return { ok: false, error: { kind: "unavailable", message: `headers probe: ${creds.message}` } };
  if (creds.credentials.expiresAt <= now.getTime()) {
    return { ok: false, error: { kind: "auth", stale: true, message: "headers probe skipped: access token lapsed (Claude Code refreshes it on next use)" } };
  }
  const base = config.oauthBaseUrl.endsWith("/") ? config.oauthBaseUrl : `${config.oauthBaseUrl}/`;
  const url = new URL("v1/messages", base);
  const timeout = AbortSignal.timeout(httpTimeoutMs(config.env));
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${creds.credentials.accessToken.reveal()}`,
        "anthropic-beta": OAUTH_BETA,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
        "User-Agent": `usagetop/${usagetopVersion()}`,
      },
      body: JSON.stringify({ model: PROBE_MODEL, max_tokens: 1, messages: [{ role: "user", content: "." }] }),
      signal: AbortSignal.any([signal, timeout]),
      redirect: "error",
    });
    await res.body?.cancel();
  } catch {
    const why = timeout.aborted ? "no answer in time" : "cannot reach it";
    return { ok: false, error: { kind: timeout.aborted ? "timeout" : "network", message: `headers probe to ${url.host}: ${why}` } };
  }
  // The headers are the data, whatever the status: a 429 carries the rejected window.
  const text = [`HTTP/1.1 ${res.status}`, ...[...res.headers.entries()].map(([k, v]) => `${k}: ${v}`)].join("\r\n");
  const parsed = parseHeaderCapture(text, now);
  if (parsed.meters.length === 0) {
    return { ok: false, error: { kind: "unavailable", message: `headers probe: HTTP ${res.status} from ${url.host} carried no rate-limit headers` } };
  }
  return { ok: true, meters: parsed.meters, notes: parsed.notes, warnings: parsed.warnings };
}
