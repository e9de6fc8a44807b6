// The HTTP view's routing table (SPEC 6.4), pure: a method and path in, a status, headers and body
// out, from documents the server keeps in memory. Requests never cause a read: the store is fed
// by the scheduler; a route only renders what is there.
import { createHash, timingSafeEqual } from "node:crypto";
import { METRICS_CONTENT_TYPE } from "./metrics.js";

export type ServeResponse = { status: number; headers: Record<string, string>; body: string };

/** What the routes render from; each is called at most once per request. */
export type ServeSources = {
  snapshot: () => unknown;
  runtimeUsage: () => unknown | null;
  providerUsage: () => unknown;
  metrics: () => string;
  health: () => unknown;
};

const JSON_TYPE = "application/json; charset=utf-8";
const ALLOW = "GET, HEAD";

function json(status: number, value: unknown, extra: Record<string, string> = {}): ServeResponse {
  return { status, headers: { "content-type": JSON_TYPE, "cache-control": "no-store", ...extra }, body: `${JSON.stringify(value)}\n` };
}

type Route = (s: ServeSources) => ServeResponse;

export const ROUTES: Readonly<Record<string, Route>> = {
  "/snapshot": (s) => json(200, s.snapshot()),
  "/runtime-usage": (s) => {
    const doc = s.runtimeUsage();
    return doc === null ? json(503, { error: "transcripts not read yet (or disabled by [readers.transcripts] enabled = false)" }) : json(200, doc);
  },
  "/provider-usage": (s) => json(200, s.providerUsage()),
  "/metrics": (s) => ({ status: 200, headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" }, body: s.metrics() }),
  "/healthz": (s) => json(200, s.health()),
};

export function route(method: string | undefined, rawUrl: string | undefined, sources: ServeSources): ServeResponse {
  let path: string;
  try {
    path = new URL(rawUrl ?? "/", "http://usagetop.invalid").pathname;
  } catch {
    return json(400, { error: "bad request target" });
  }
  const handler = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
  if (!handler) return json(404, { error: `no such endpoint: ${path.slice(0, 100)}`, endpoints: Object.keys(ROUTES) });
  if (method !== "GET" && method !== "HEAD") return json(405, { error: `method ${String(method).slice(0, 20)} not allowed` }, { allow: ALLOW });
  // HEAD gets the same headers; the server leaves the body out.
  return handler(sources);
}

const digest = (s: string | Buffer): Buffer => createHash("sha256").update(s).digest();

/**
 * Bearer check in constant time: both sides are hashed first, so the comparison is between two
 * equal-length digests whatever was sent (timingSafeEqual needs equal lengths and would otherwise
 * leak the token's length).
 */
export function bearerMatches(header: string | undefined, expectedDigest: Buffer): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  const presented = digest(m ? m[1]! : "");
  // Compare even when the header is malformed, so every refusal costs the same.
  return timingSafeEqual(presented, expectedDigest) && m !== null;
}

export function tokenDigest(token: string): Buffer {
  return digest(token);
}

export function unauthorised(): ServeResponse {
  return json(401, { error: "missing or wrong bearer token" }, { "www-authenticate": 'Bearer realm="usagetop"' });
}
