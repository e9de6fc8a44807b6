#!/usr/bin/env node
// A faithful stand-in for api.anthropic.com's OAuth endpoints (FORMATS §1, §6), on 127.0.0.1.
// Plain JS so e2e tests and CI can spawn it as a child (`node test/fake-anthropic-server.mjs
// --port 0` prints its URL); test/fake-anthropic.ts re-exports it for in-process use.
// Bodies come from fixtures/oauth/ (tokens.json maps each fixture token to its bodies); faults are
// switched with setMode() in process or `POST /__fake/mode` from outside.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_FIXTURES_DIR = join(HERE, "..", "fixtures", "oauth");
const BETA = "oauth-2025-04-20";

const ERRORS = {
  // Verbatim shapes from FORMATS §1 "Error bodies".
  token_expired: {
    type: "error",
    error: {
      type: "authentication_error",
      message: "OAuth token has expired. Please obtain a new token or refresh your existing token.",
      details: { error_visibility: "user_facing", error_code: "token_expired" },
    },
    request_id: "req_011CFakeExpired",
  },
  invalid_token: { type: "error", error: { type: "authentication_error", message: "Invalid bearer token" }, request_id: "req_011CFakeInvalid" },
  no_beta: {
    type: "error",
    error: { type: "authentication_error", message: "OAuth authentication is currently not supported." },
    request_id: "req_011CFakeNoBeta",
  },
  scope: {
    type: "error",
    error: { type: "permission_error", message: "OAuth token does not meet scope requirement user:profile" },
    request_id: "req_011CFakeScope",
  },
  rate_limited: { error: { message: "Rate limited. Please try again later.", type: "rate_limit_error" } },
  server_error: { type: "error", error: { type: "api_error", message: "Internal server error" }, request_id: "req_011CFake500" },
};

const HTML_502 = `<!DOCTYPE html>
<html lang="en-US"><head><title>api.anthropic.com | 502: Bad gateway</title></head>
<body><div id="cf-error-details"><h1>Bad gateway</h1><span>Error code 502</span>
<p>The web server reported a bad gateway error.</p><p>Cloudflare Ray ID: 8f00000000000000</p></div></body></html>
`;

export const MODES = ["ok", "token_expired", "invalid_token", "scope", "429", "500", "html502", "truncated", "stall", "oversize", "oversize-chunked"];

function tokenHash(token) {
  return token ? createHash("sha256").update(token).digest("hex").slice(0, 16) : null;
}

function loadTokens(fixturesDir) {
  const file = join(fixturesDir, "tokens.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
}

/**
 * @param {{fixturesDir?: string, tokens?: Record<string, {usage?: string, profile?: string}>, stallMs?: number, port?: number, host?: string}} [options]
 */
export async function startFakeAnthropic(options = {}) {
  const fixturesDir = options.fixturesDir ?? DEFAULT_FIXTURES_DIR;
  const tokens = { ...loadTokens(fixturesDir), ...(options.tokens ?? {}) };
  let defaultStallMs = options.stallMs ?? 20_000;
  /** mode per token hash, "*" for every token */
  const modes = new Map([["*", { mode: "ok" }]]);
  const log = [];
  const timers = new Set();

  function setMode(mode, opts = {}) {
    if (!MODES.includes(mode)) throw new Error(`unknown fake mode ${mode}`);
    const key = opts.token ? tokenHash(opts.token) : "*";
    if (!opts.token) modes.clear();
    modes.set(key, { mode, retryAfter: opts.retryAfter, stallMs: opts.stallMs });
  }

  function sendJson(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function readRequestBody(req) {
    return new Promise((resolve) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
  }

  async function control(req, res, url) {
    if (url.pathname === "/__fake/requests") return sendJson(res, 200, { count: log.length, log });
    if (url.pathname === "/__fake/mode" && req.method === "POST") {
      try {
        const { mode, ...opts } = JSON.parse(await readRequestBody(req));
        setMode(mode, opts);
        return sendJson(res, 200, { ok: true });
      } catch (err) {
        return sendJson(res, 400, { ok: false, error: String(err && err.message) });
      }
    }
    if (url.pathname === "/__fake/tokens" && req.method === "POST") {
      try {
        Object.assign(tokens, JSON.parse(await readRequestBody(req)));
        return sendJson(res, 200, { ok: true });
      } catch (err) {
        return sendJson(res, 400, { ok: false, error: String(err && err.message) });
      }
    }
    return sendJson(res, 404, { ok: false });
  }

  function fixtureBody(name) {
    return readFileSync(join(fixturesDir, `${name}.json`), "utf8");
  }

  /**
   * POST /v1/messages with an OAuth token: a one-token reply whose unified rate-limit headers
   * (FORMATS 3a: 0-1 fractions, Unix-second resets) carry the token's usage fixture, as the real
   * endpoint reports subscription windows on every message (the opt-in headers probe reads them).
   */
  function messages(req, res, token, entry, send) {
    if (req.method !== "POST") return send(405, { type: "error", error: { type: "invalid_request_error", message: "Method not allowed" } });
    if (!token) return send(401, ERRORS.invalid_token);
    if (entry.beta !== BETA) return send(401, ERRORS.no_beta);
    const known = tokens[token];
    if (!known?.usage) return send(401, ERRORS.invalid_token);
    const body = JSON.parse(fixtureBody(known.usage));
    const headers = {};
    const claims = [];
    for (const [key, name] of [["five_hour", "5h"], ["seven_day", "7d"]]) {
      const w = body[key];
      if (!w || typeof w.utilization !== "number") continue;
      headers[`anthropic-ratelimit-unified-${name}-utilization`] = String(w.utilization / 100);
      headers[`anthropic-ratelimit-unified-${name}-status`] = w.utilization >= 100 ? "rejected" : "allowed";
      if (w.resets_at) headers[`anthropic-ratelimit-unified-${name}-reset`] = String(Math.floor(Date.parse(w.resets_at) / 1000));
      claims.push([key, w.utilization]);
    }
    claims.sort((a, b) => b[1] - a[1]);
    headers["anthropic-ratelimit-unified-status"] = "allowed";
    if (claims[0]) headers["anthropic-ratelimit-unified-representative-claim"] = claims[0][0];
    req.resume();
    return send(
      200,
      { id: "msg_fake", type: "message", role: "assistant", model: "claude-haiku-4-5", content: [{ type: "text", text: "." }], stop_reason: "max_tokens", usage: { input_tokens: 1, output_tokens: 1 } },
      headers,
    );
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname.startsWith("/__fake/")) return control(req, res, url);
    const auth = req.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : null;
    const entry = {
      path: url.pathname,
      method: req.method,
      tokenHash: tokenHash(token),
      beta: req.headers["anthropic-beta"] ?? null,
      userAgent: req.headers["user-agent"] ?? null,
      at: new Date().toISOString(),
      status: 0,
    };
    log.push(entry);
    const send = (status, body, headers) => {
      entry.status = status;
      sendJson(res, status, body, headers);
    };
    if (url.pathname === "/v1/messages") return messages(req, res, token, entry, send);
    if (url.pathname !== "/api/oauth/usage" && url.pathname !== "/api/oauth/profile") {
      return send(404, { type: "error", error: { type: "not_found_error", message: "Not found" } });
    }
    if (req.method !== "GET") return send(405, { type: "error", error: { type: "invalid_request_error", message: "Method not allowed" } });
    // The real endpoint refuses OAuth without the beta header, and unknown bearer tokens.
    if (!token) return send(401, ERRORS.invalid_token);
    if (entry.beta !== BETA) return send(401, ERRORS.no_beta);
    const known = tokens[token];
    const current = modes.get(entry.tokenHash) ?? modes.get("*") ?? { mode: "ok" };
    switch (current.mode) {
      case "token_expired":
        return send(401, ERRORS.token_expired);
      case "invalid_token":
        return send(401, ERRORS.invalid_token);
      case "scope":
        return send(403, ERRORS.scope);
      case "429": {
        const headers = current.retryAfter === undefined || current.retryAfter === null ? {} : { "retry-after": String(current.retryAfter) };
        return send(429, ERRORS.rate_limited, headers);
      }
      case "500":
        return send(500, ERRORS.server_error);
      case "html502":
        entry.status = 502;
        res.writeHead(502, { "content-type": "text/html; charset=UTF-8" });
        return res.end(HTML_502);
      case "stall": {
        entry.status = -1;
        const t = setTimeout(() => {
          timers.delete(t);
          send(200, { five_hour: { utilization: 1, resets_at: null } });
        }, current.stallMs ?? defaultStallMs);
        timers.add(t);
        return;
      }
      case "oversize":
      case "oversize-chunked": {
        entry.status = 200;
        const filler = `{"five_hour":{"utilization":1,"resets_at":null},"pad":"${"x".repeat(1024 * 1024 + 10)}"}`;
        const headers = { "content-type": "application/json" };
        if (current.mode === "oversize") headers["content-length"] = Buffer.byteLength(filler);
        res.writeHead(200, headers);
        // Chunked: the client must count bytes as they come and abort on its own.
        for (let i = 0; i < filler.length; i += 64 * 1024) res.write(filler.slice(i, i + 64 * 1024));
        return res.end();
      }
      default:
        break;
    }
    if (!known) return send(401, ERRORS.invalid_token);
    const name = url.pathname === "/api/oauth/usage" ? known.usage : known.profile;
    if (!name) return send(404, { type: "error", error: { type: "not_found_error", message: "Not found" } });
    let text;
    try {
      text = fixtureBody(name);
    } catch {
      return send(500, ERRORS.server_error);
    }
    if (current.mode === "truncated") {
      entry.status = 200;
      const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(cut) });
      return res.end(cut);
    }
    entry.status = 200;
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve(undefined));
  });
  const address = server.address();
  const url = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  return {
    url,
    port: address.port,
    requests: {
      get count() {
        return log.filter((e) => !e.path.startsWith("/__fake/")).length;
      },
      log,
      forToken(token) {
        const h = tokenHash(token);
        return log.filter((e) => e.tokenHash === h);
      },
    },
    setMode,
    setStallMs(ms) {
      defaultStallMs = ms;
    },
    setTokens(map) {
      Object.assign(tokens, map);
    },
    tokenHash,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
    },
  };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === "--port") out.port = Number(next());
    else if (a === "--host") out.host = next();
    else if (a === "--fixtures") out.fixturesDir = next();
    else if (a === "--stall-ms") out.stallMs = Number(next());
    else if (a === "--mode") out.mode = next();
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = parseArgs(process.argv.slice(2));
  const fake = await startFakeAnthropic(args);
  if (args.mode) fake.setMode(args.mode);
  process.stdout.write(`${fake.url}\n`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
