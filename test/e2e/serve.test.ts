// `usagetop serve` end to end (SPEC 6.4): the built binary against the fake Anthropic endpoint.
// /snapshot is the --once --json document, /metrics is valid exposition text, 2,000 requests at
// concurrency 50 cost the upstream nothing, bad requests get their status and the server stays
// up, a non-loopback bind needs the token, SIGTERM shuts down cleanly, and no token is ever shown.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, load, sandbox, startServe, waitForData, type Sandbox, type Serve } from "../../bench/serve-load.mjs";
import { runCli } from "../run-cli.js";

const SCHEMA_DIR = join(import.meta.dirname, "..", "..", "schema");
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validSnapshot = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, "snapshot.schema.json"), "utf8")));
const validRuntime = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, "runtime-usage.schema.json"), "utf8")));
const TOKENS = /FIXTURE-(ACCESS|REFRESH)/;

let box: Sandbox;
let serve: Serve;
let base = "";
const bodies: string[] = [];

beforeAll(async () => {
  box = await sandbox("\n[alerts]\nthresholds = [50]\n");
  serve = startServe(box.env);
  base = await serve.ready;
});

afterAll(async () => {
  await serve?.stop();
  await box?.cleanup();
});

describe("usagetop serve", () => {
  it("prints `listening on http://HOST:PORT` first and serves the --once --json document at /snapshot", async () => {
    expect(serve.out.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n/);
    const doc = await waitForData(base);
    expect(validSnapshot(doc), JSON.stringify(validSnapshot.errors)).toBe(true);
    expect(doc.governing).toEqual({ kind: "five_hour", utilisation: 62 });
    const once = await runCli(["--once", "--json"], box.env);
    const onceDoc = JSON.parse(String(once.stdout));
    expect(Object.keys(doc).sort()).toEqual(Object.keys(onceDoc).sort());
    expect(onceDoc.governing).toEqual(doc.governing);
    expect((doc.meters as unknown[]).length).toBe(onceDoc.meters.length);
    bodies.push(JSON.stringify(doc), String(once.stdout), String(once.stderr));
  });

  it("serves /metrics, /runtime-usage (schema-valid), /provider-usage and /healthz", async () => {
    const m = await get(`${base}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(m.body).toContain('usagetop_governing_utilisation_ratio{slot="alice",kind="five_hour"} 0.62');
    expect(m.body).toContain('usagetop_reader_up{reader="oauth",slot="alice"} 1');
    expect(m.body).toContain('usagetop_slot_active{slot="alice"} 1');
    expect(m.body).toContain('usagetop_slot_auth_state{slot="alice",state="ok"} 1');
    expect(m.body).toMatch(/^usagetop_build_info\{version="\d+\.\d+\.\d+"\} 1$/m);
    let runtime = await get(`${base}/runtime-usage`);
    for (let i = 0; runtime.status === 503 && i < 50; i++) runtime = await new Promise((r) => setTimeout(r, 100)).then(() => get(`${base}/runtime-usage`));
    expect(runtime.status).toBe(200);
    expect(validRuntime(JSON.parse(runtime.body)), JSON.stringify(validRuntime.errors)).toBe(true);
    const provider = await get(`${base}/provider-usage`);
    expect(JSON.parse(provider.body)).toMatchObject({ providers: [] });
    expect(JSON.parse((await get(`${base}/healthz`)).body)).toMatchObject({ status: "ok", slots: 1 });
    bodies.push(m.body, runtime.body, provider.body);
  });

  it("answers 2,000 requests at concurrency 50 without error, from memory: the upstream sees no extra poll", async () => {
    const before = box.usageRequests();
    expect(before).toBe(1);
    const r = await load(base, { requests: 2000, concurrency: 50 });
    expect(r.errors).toEqual([]);
    expect(r.statuses).toEqual({ 200: 2000 });
    expect(box.usageRequests()).toBe(before);
    console.log(`serve load: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms over ${r.requests} requests`);
  });

  it("refuses bad requests with 404, 405 (Allow) and 431, and stays up", async () => {
    expect((await get(`${base}/nope`)).status).toBe(404);
    const { request } = await import("node:http");
    const post = await new Promise<{ status: number; allow: string | undefined }>((resolve, reject) => {
      const req = request(`${base}/snapshot`, { method: "POST" }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(post).toEqual({ status: 405, allow: "GET, HEAD" });
    const { connect } = await import("node:net");
    const port = Number(new URL(base).port);
    const big = await new Promise<string>((resolve) => {
      const s = connect(port, "127.0.0.1", () => s.write(`GET /snapshot HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(1024 * 1024)}\r\n\r\n`));
      let got = "";
      s.on("data", (c) => (got += c.toString()));
      s.on("close", () => resolve(got));
      s.on("error", () => resolve(got));
    });
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect((await get(`${base}/healthz`)).status).toBe(200);
    expect(serve.child.exitCode).toBeNull();
  });

  it("runs [alerts] on the governing meter (here: logs the crossing once)", async () => {
    for (let i = 0; i < 50 && !/alert: alice five_hour at 62\.0% crossed 50%/.test(serve.out.stderr); i++) await new Promise((r) => setTimeout(r, 100));
    expect(serve.out.stderr.match(/crossed 50%/g)).toHaveLength(1);
    const state = JSON.parse(readFileSync(join(box.env.XDG_STATE_HOME!, "usagetop", "alerts.json"), "utf8"));
    expect(state.slots.alice.fired).toEqual([50]);
  });

  it("shuts down on SIGTERM with exit 0, and never showed a token", async () => {
    const end = await serve.stop("SIGTERM");
    expect(end).toEqual({ code: 0, signal: null });
    for (const text of [serve.out.stdout, serve.out.stderr, ...bodies]) expect(text).not.toMatch(TOKENS);
  });
});

describe("usagetop serve on a non-loopback address", () => {
  it("exits 1 before binding without a token", async () => {
    const r = await runCli(["serve", "--host", "0.0.0.0", "--port", "0"], box.env);
    expect(r.exitCode).toBe(1);
    expect(String(r.stdout)).not.toMatch(/listening/);
    expect(String(r.stderr)).toMatch(/token is required/);
  });

  it("needs `Authorization: Bearer <token>` on every request (USAGETOP_SERVE_TOKEN), 401 otherwise, and stays up", async () => {
    const secret = "serve-secret-e2e-4f1c";
    const s = startServe({ ...box.env, USAGETOP_SERVE_TOKEN: secret }, ["serve", "--host", "0.0.0.0", "--port", "0"]);
    try {
      const url = (await s.ready).replace("0.0.0.0", "127.0.0.1");
      expect((await get(`${url}/snapshot`)).status).toBe(401);
      expect((await get(`${url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
      expect((await get(`${url}/nope`)).status).toBe(401);
      const auth = { authorization: `Bearer ${secret}` };
      expect((await get(`${url}/healthz`, { headers: auth })).status).toBe(200);
      const r = await load(url, { requests: 200, concurrency: 20, headers: auth });
      expect(r.errors).toEqual([]);
      expect(s.child.exitCode).toBeNull();
      expect(s.out.stdout + s.out.stderr).not.toContain(secret);
    } finally {
      await s.stop();
    }
  });
});
