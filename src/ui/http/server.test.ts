import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerMatches, route, tokenDigest, type ServeSources } from "./routes.js";
import { isLoopback, startServer, type RunningServer } from "./server.js";

let calls = 0;
const sources: ServeSources = {
  snapshot: () => ({ schemaVersion: 1, n: ++calls }),
  runtimeUsage: () => null,
  providerUsage: () => ({ providers: [] }),
  metrics: () => "# HELP x y\n# TYPE x gauge\nx 1\n",
  health: () => ({ status: "ok" }),
};

function get(url: string, opts: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A raw request whose header block is `bytes` long: the client library would refuse to send it. */
function hugeHeader(port: number, bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`GET /snapshot HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(bytes)}\r\n\r\n`, () => undefined);
    });
    let got = "";
    socket.on("data", (c) => (got += c.toString("utf8")));
    socket.on("close", () => resolve(got));
    socket.on("error", (err: NodeJS.ErrnoException) => (got ? resolve(got) : err.code === "ECONNRESET" || err.code === "EPIPE" ? resolve(got) : reject(err)));
  });
}

describe("routes", () => {
  it("answers known paths, 404 for unknown ones, 405 with Allow for other methods", () => {
    expect(route("GET", "/snapshot?x=1", sources).status).toBe(200);
    expect(route("GET", "/runtime-usage", sources).status).toBe(503);
    expect(route("GET", "/metrics", sources).headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(route("GET", "/constructor", sources).status).toBe(404);
    expect(route("GET", "/__proto__", sources).status).toBe(404);
    const post = route("POST", "/snapshot", sources);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("matches the bearer token exactly", () => {
    const d = tokenDigest("s3cret");
    expect(bearerMatches("Bearer s3cret", d)).toBe(true);
    expect(bearerMatches("bearer s3cret", d)).toBe(true);
    for (const h of [undefined, "", "Bearer", "Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret", "Bearer  "]) expect(bearerMatches(h, d), String(h)).toBe(false);
  });

  it("knows loopback addresses", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"]) expect(isLoopback(h), h).toBe(true);
    for (const h of ["0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", "128.0.0.1"]) expect(isLoopback(h), h).toBe(false);
  });
});

describe("startServer", () => {
  let open: RunningServer;
  let locked: RunningServer;
  beforeAll(async () => {
    open = await startServer({ host: "127.0.0.1", port: 0, token: null, sources });
    locked = await startServer({ host: "127.0.0.1", port: 0, token: "sk-test-serve-token", sources });
  });
  afterAll(async () => {
    await open.close();
    await locked.close();
  });

  it("serves JSON and HEAD, refuses bad requests with the right status, and stays up", async () => {
    const ok = await get(`${open.url}/snapshot`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).schemaVersion).toBe(1);
    const head = await get(`${open.url}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(Number(head.headers["content-length"])).toBeGreaterThan(0);
    expect((await get(`${open.url}/nope`)).status).toBe(404);
    const del = await get(`${open.url}/metrics`, { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe("GET, HEAD");
    const big = await hugeHeader(open.port, 1024 * 1024);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    const garbage = await new Promise<string>((resolve) => {
      const s = connect(open.port, "127.0.0.1", () => s.write("NOT HTTP AT ALL\r\n\r\n"));
      let got = "";
      s.on("data", (c) => (got += c.toString()));
      s.on("close", () => resolve(got));
      s.on("error", () => resolve(got));
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect((await get(`${open.url}/healthz`)).status).toBe(200);
  });

  it("needs the bearer token when one is set", async () => {
    const none = await get(`${locked.url}/snapshot`);
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect((await get(`${locked.url}/snapshot`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    expect((await get(`${locked.url}/nope`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await get(`${locked.url}/snapshot`, { headers: { authorization: "Bearer sk-test-serve-token" } });
    expect(ok.status).toBe(200);
    expect(none.body).not.toContain("sk-test-serve-token");
  });
});
