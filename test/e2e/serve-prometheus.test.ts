// Acceptance for `/metrics` (SPEC 6.4): `promtool check metrics` accepts the exposition, and a real
// Prometheus on 127.0.0.1 scrapes `usagetop serve` and answers a PromQL query for
// usagetop_governing_utilisation_ratio. Needs Debian's prometheus package
// (`apt-get install -y prometheus`: /usr/bin/prometheus and /usr/bin/promtool); skipped with a
// message saying so when either binary is missing.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, sandbox, startServe, waitForData, type Sandbox, type Serve } from "../../bench/serve-load.mjs";

const has = (bin: string) => spawnSync(bin, ["--version"], { stdio: "ignore" }).status === 0;
const available = has("promtool") && has("prometheus");
if (!available) console.warn("serve-prometheus: SKIPPED: prometheus/promtool not installed (apt-get install -y prometheus)");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.skipIf(!available)("usagetop serve /metrics with real Prometheus tools", () => {
  let box: Sandbox;
  let serve: Serve;
  let base = "";
  let prom: ChildProcess | null = null;
  let promLog = "";
  const dir = mkdtempSync(join(tmpdir(), "usagetop-prom-"));

  beforeAll(async () => {
    box = await sandbox();
    serve = startServe(box.env);
    base = await serve.ready;
    await waitForData(base);
  });

  afterAll(async () => {
    if (prom && prom.exitCode === null) {
      const done = new Promise((r) => prom!.once("exit", r));
      prom.kill("SIGTERM");
      await done;
    }
    await serve?.stop();
    await box?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes `promtool check metrics`", async () => {
    const body = (await get(`${base}/metrics`)).body;
    const r = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    expect(`${r.stdout}${r.stderr}`.trim()).toBe("");
  });

  it("is scraped by Prometheus, which answers a PromQL query for usagetop_governing_utilisation_ratio", async () => {
    const promPort = await freePort();
    const target = new URL(base).host;
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: usagetop\n    metrics_path: /metrics\n    static_configs:\n      - targets: ["${target}"]\n`,
    );
    prom = spawn("prometheus", [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${promPort}`, "--log.level=warn"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    prom.stdout!.on("data", (c) => (promLog += c));
    prom.stderr!.on("data", (c) => (promLog += c));
    const query = `http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent('usagetop_governing_utilisation_ratio{slot="alice"}')}`;
    const deadline = Date.now() + 25_000;
    let result: Array<{ metric: Record<string, string>; value: [number, string] }> = [];
    while (Date.now() < deadline) {
      const r = await get(query).catch(() => null);
      if (r && r.status === 200) {
        result = JSON.parse(r.body).data.result;
        if (result.length > 0) break;
      }
      await new Promise((res) => setTimeout(res, 250));
    }
    expect(result, promLog).toHaveLength(1);
    expect(result[0]!.metric).toMatchObject({ __name__: "usagetop_governing_utilisation_ratio", slot: "alice", kind: "five_hour", job: "usagetop" });
    expect(Number(result[0]!.value[1])).toBeCloseTo(0.62, 6);
    // The scrape itself was healthy: `up` is 1 for the target.
    const up = JSON.parse((await get(`http://127.0.0.1:${promPort}/api/v1/query?query=up`)).body).data.result;
    expect(up[0].value[1]).toBe("1");
  }, 40_000);
});
