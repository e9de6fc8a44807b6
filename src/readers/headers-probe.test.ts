import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "../../test/fake-anthropic.js";
import { loadConfig } from "../config/load.js";
import { headersReader } from "./headers.js";
import type { SlotRef } from "./reader.js";

const ALICE = "sk-ant-oat01-FIXTURE-ACCESS-alice";
const NOW = new Date("2026-09-20T12:00:00Z");
let fake: FakeAnthropic;
let home: string;

function slot(token: string, expiresAt: number): SlotRef {
  const path = join(home, ".credentials.json.alice");
  writeFileSync(path, JSON.stringify({ claudeAiOauth: { accessToken: token, refreshToken: "sk-ant-ort01-FIXTURE-REFRESH-alice", expiresAt } }), { mode: 0o600 });
  return { name: "alice", credentialsPath: path, active: true };
}

function config(extra = "") {
  const file = join(home, "config.toml");
  writeFileSync(file, `[readers.headers]\nprobe = true\n${extra}`);
  return loadConfig({ config: file }, { HOME: home, USAGETOP_ANTHROPIC_BASE_URL: fake.url, USAGETOP_HTTP_TIMEOUT_MS: "2000" });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "usagetop-probe-"));
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
  rmSync(home, { recursive: true, force: true });
});

describe("headers probe (opt-in)", () => {
  it("is off by default and spaces probes out when on", () => {
    const off = loadConfig({}, { HOME: home, XDG_CONFIG_HOME: join(home, "none") });
    expect(headersReader.enabled(off)).toBe(false);
    expect(headersReader.intervalSeconds(config())).toBe(300);
  });

  it("reads the unified windows from a one-token message's response headers", async () => {
    const before = fake.requests.count;
    const r = await headersReader.read({ config: config(), slot: slot(ALICE, NOW.getTime() + 3600_000), now: NOW }, new AbortController().signal);
    expect(fake.requests.count - before).toBe(1);
    expect(fake.requests.log.at(-1)).toMatchObject({ path: "/v1/messages", method: "POST", status: 200 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // fixtures/oauth/max-2026-09.json: five_hour 62 %, seven_day 31 %, sent as 0.62 / 0.31.
    const five = r.meters.find((m) => m.kind === "five_hour");
    expect(five?.utilisation).toBeCloseTo(62, 5);
    expect(five?.resetsAt?.toISOString()).toBe("2026-09-20T14:59:59.000Z");
    expect(r.meters.find((m) => m.kind === "seven_day")?.utilisation).toBeCloseTo(31, 5);
    expect(JSON.stringify(r)).not.toMatch(/FIXTURE-ACCESS|FIXTURE-REFRESH/);
  });

  it("never probes with a lapsed access token", async () => {
    const before = fake.requests.count;
    const r = await headersReader.read({ config: config(), slot: slot(ALICE, NOW.getTime() - 60_000), now: NOW }, new AbortController().signal);
    expect(fake.requests.count).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { kind: "auth", stale: true } });
  });

  it("keeps saved captures when the probe fails", async () => {
    const dump = join(home, "dump.txt");
    writeFileSync(dump, "HTTP/2 200\r\nanthropic-ratelimit-unified-5h-utilization: 0.4\r\nanthropic-ratelimit-unified-5h-reset: 1790000000\r\n\r\n");
    const r = await headersReader.read({ config: config(`path = "${dump}"\n`), slot: slot("sk-ant-oat01-FIXTURE-ACCESS-nobody", NOW.getTime() + 3600_000), now: NOW }, new AbortController().signal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meters.find((m) => m.kind === "five_hour")?.utilisation).toBeCloseTo(40, 5);
    expect(r.notes?.some((n) => /headers probe/.test(n))).toBe(true);
  });
});
