import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { ollamaReader, ollamaUrl, readOllama } from "./ollama.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/ollama");
let dir: string;
let server: Server | null = null;
let requests: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "usagetop-ollama-"));
  requests = [];
});
afterEach(async () => {
  if (server) await new Promise((r) => server!.close(r));
  server = null;
  rmSync(dir, { recursive: true, force: true });
});

/** A real HTTP server on 127.0.0.1, port 0, answering like Ollama. */
async function serve(handler: (res: import("node:http").ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(res);
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function config(url: string, budget?: number) {
  const file = join(dir, "config.toml");
  writeFileSync(file, `[readers.ollama]\nurl = "${url}"\n${budget ? `vram_budget_bytes = ${budget}\n` : ""}`);
  return loadConfig({ config: file }, { HOME: dir });
}
const signal = () => new AbortController().signal;
const now = new Date("2026-09-16T21:00:00Z");

describe("ollama reader", () => {
  it("reads /api/ps from a live server", async () => {
    const url = await serve((res) => res.writeHead(200, { "content-type": "application/json" }).end(readFileSync(join(FIXTURES, "ps-two-models.json"))));
    const result = await ollamaReader.read({ config: config(url, 16_000_000_000), slot: null, now }, signal());
    expect(requests).toEqual(["GET /api/ps"]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.meters[0]).toMatchObject({ kind: "local_vram", used: 11_337_780_000, limit: 16_000_000_000, unit: "bytes" });
    expect(result.meters[0]!.utilisation).toBeCloseTo(70.86, 2);
    expect(result.notes).toEqual(["qwen2.5-coder:14b: 10913280000 bytes in VRAM", "nomic-embed-text:latest: 424500000 bytes in VRAM"]);
  });

  it("is unavailable, quietly, when nothing answers", async () => {
    const url = await serve((res) => res.end());
    await new Promise((r) => server!.close(r));
    server = null;
    const result = await readOllama(config(url), now, signal());
    expect(result).toMatchObject({ ok: false, error: { kind: "unavailable" } });
    if (!result.ok) expect(result.error.message).toMatch(/nothing answers at .*\/api\/ps \(ECONNREFUSED\)/);
  });

  it("times out a server that never answers", async () => {
    const url = await serve(() => {
      /* hold the request open */
    });
    const result = await readOllama(config(url), now, signal(), 200);
    expect(result).toMatchObject({ ok: false, error: { kind: "timeout" } });
    server!.closeAllConnections();
  });

  it("reports HTTP errors, non-JSON and oversized bodies", async () => {
    let mode = "500";
    const url = await serve((res) => {
      if (mode === "500") res.writeHead(500).end("boom");
      else if (mode === "html") res.writeHead(200).end("<html>bad gateway</html>");
      else res.writeHead(200).end(`{"models":[],"pad":"${"x".repeat(1_100_000)}"}`);
    });
    expect(await readOllama(config(url), now, signal())).toMatchObject({ ok: false, error: { kind: "network", message: expect.stringContaining("HTTP 500") } });
    mode = "html";
    expect(await readOllama(config(url), now, signal())).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringContaining("not JSON") } });
    mode = "big";
    expect(await readOllama(config(url), now, signal())).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringContaining("over 1 MiB") } });
  });

  it("defaults to 127.0.0.1:11434 and is enabled when configured or the plan is local", () => {
    const plain = loadConfig({}, { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") });
    expect(ollamaUrl(plain)).toBe("http://127.0.0.1:11434");
    expect(ollamaReader.enabled(plain)).toBe(false);
    expect(ollamaReader.enabled(loadConfig({ plan: "local" }, { HOME: dir, XDG_CONFIG_HOME: join(dir, "none") }))).toBe(true);
    const on = join(dir, "on.toml");
    writeFileSync(on, "[readers.ollama]\nvram_budget_bytes = 8000000000\n");
    expect(ollamaReader.enabled(loadConfig({ config: on }, { HOME: dir }))).toBe(true);
    const file = join(dir, "off.toml");
    writeFileSync(file, "[readers.ollama]\nenabled = false\n");
    expect(ollamaReader.enabled(loadConfig({ config: file }, { HOME: dir }))).toBe(false);
  });
});
