// End to end: the built binary polls the fake Anthropic server (spawned as a child, as CI does)
// with each slot's own token, maps its faults, and never shows a token anywhere.
import { execa, type ResultPromise } from "execa";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "usagetop.js");
const SERVER = join(ROOT, "test", "fake-anthropic-server.mjs");
const ALICE = "sk-ant-oat01-FIXTURE-ACCESS-e2e-alice";
const BOB = "sk-ant-oat01-FIXTURE-ACCESS-e2e-bob";

const root = mkdtempSync(join(tmpdir(), "usagetop-e2e-oauth-"));
const credsDir = join(root, "home", ".claude");
const fixtures = join(root, "fixtures");
let server: ResultPromise;
let url = "";
const transcript: string[] = [];

/** A body like fixtures/oauth/max-2026-09.json, with resets in the future of the real clock. */
function bodyAt(now: number, fiveHour: number, sevenDay: number) {
  const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "123+00:00");
  return {
    five_hour: { utilization: fiveHour, resets_at: iso(now + 2 * 3600_000) },
    seven_day: { utilization: sevenDay, resets_at: iso(now + 3 * 86400_000) },
    seven_day_opus: null,
    seven_day_sonnet: { utilization: 5, resets_at: iso(now + 3 * 86400_000) },
    iguana_necktie: null,
    extra_usage: { is_enabled: false, disabled_reason: "overage_not_provisioned" },
    limits: [{ kind: "weekly_scoped", percent: 9, resets_at: iso(now + 3 * 86400_000), scope: { model: { id: null, display_name: "Fable 5" } } }],
  };
}

function credentials(token: string, expiresAt: number) {
  return JSON.stringify({
    claudeAiOauth: { accessToken: token, refreshToken: token.replace("oat01-FIXTURE-ACCESS", "ort01-FIXTURE-REFRESH"), expiresAt, scopes: ["user:inference", "user:profile"], subscriptionType: "max" },
  });
}

async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return res.json();
}

async function requestsFor(token: string): Promise<number> {
  const { log } = (await control("/__fake/requests")) as { log: Array<{ tokenHash: string }> };
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256").update(token).digest("hex").slice(0, 16);
  return log.filter((e) => e.tokenHash === hash).length;
}

let run = 0;
async function usagetop(...args: string[]) {
  run += 1;
  const home = join(root, "home");
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: {
      HOME: home,
      XDG_CONFIG_HOME: join(root, "cfg"),
      XDG_STATE_HOME: join(root, `state-${run}`),
      CLAUDE_CONFIG_DIR: credsDir,
      USAGETOP_ANTHROPIC_BASE_URL: url,
      USAGETOP_HTTP_TIMEOUT_MS: "2000",
      NO_COLOR: "1",
    },
    extendEnv: false,
    timeout: 20_000,
  });
  transcript.push(String(result.stdout), String(result.stderr));
  return { ...result, stateDir: join(root, `state-${run}`) };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "cli.js"))) throw new Error("run `npm run build` first: e2e tests drive dist/");
  mkdirSync(credsDir, { recursive: true });
  mkdirSync(fixtures);
  const now = Date.now();
  writeFileSync(join(fixtures, "alice-usage.json"), JSON.stringify(bodyAt(now, 62, 31)));
  writeFileSync(join(fixtures, "bob-usage.json"), JSON.stringify(bodyAt(now, 12, 71)));
  writeFileSync(join(fixtures, "tokens.json"), JSON.stringify({ [ALICE]: { usage: "alice-usage" }, [BOB]: { usage: "bob-usage" } }));
  writeFileSync(join(credsDir, ".credentials.json.alice"), credentials(ALICE, now + 8 * 3600_000), { mode: 0o600 });
  writeFileSync(join(credsDir, ".credentials.json.bob"), credentials(BOB, now + 8 * 3600_000), { mode: 0o600 });
  symlinkSync(".credentials.json.alice", join(credsDir, ".credentials.json"));

  server = execa(process.execPath, [SERVER, "--port", "0", "--fixtures", fixtures, "--stall-ms", "5000"], { reject: false });
  url = await new Promise<string>((resolve, reject) => {
    server.stdout!.once("data", (chunk: Buffer) => resolve(chunk.toString().trim().split("\n")[0]!));
    server.once("exit", () => reject(new Error("fake server exited")));
  });
});

afterAll(async () => {
  server?.kill("SIGTERM");
  await server?.catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe("usagetop --once --json against the fake Anthropic server", () => {
  it("reads every slot with its own token and shows the selected slot's meters", async () => {
    const before = { alice: await requestsFor(ALICE), bob: await requestsFor(BOB) };
    const r = await usagetop("--once", "--json", "--slot", "alice");
    expect(r.exitCode, String(r.stderr)).toBe(0);
    const doc = JSON.parse(String(r.stdout));
    expect(doc.slot).toBe("alice");
    const byKind = Object.fromEntries(doc.meters.map((m: { kind: string; utilisation: number }) => [m.kind, m]));
    expect(byKind.five_hour).toMatchObject({ utilisation: 62, source: "oauth", estimated: false });
    expect(byKind.seven_day).toMatchObject({ utilisation: 31, source: "oauth" });
    expect(byKind.seven_day_fable_5).toMatchObject({ utilisation: 9, label: "Week (Fable 5)" });
    expect(doc.governing).toMatchObject({ kind: "five_hour", utilisation: 62 });
    expect(await requestsFor(ALICE)).toBe(before.alice + 1);
    expect(await requestsFor(BOB)).toBe(before.bob + 1);
    const bob = doc.slots.find((s: { name: string }) => s.name === "bob");
    expect(bob.governing).toMatchObject({ kind: "seven_day", utilisation: 71 });
  });

  it("reports a lapsed token as stale without asking the server", async () => {
    writeFileSync(join(credsDir, ".credentials.json.bob"), credentials(BOB, Date.now() - 30 * 60_000), { mode: 0o600 });
    try {
      const before = await requestsFor(BOB);
      const r = await usagetop("--once", "--json", "--slot", "bob");
      const doc = JSON.parse(String(r.stdout));
      const oauth = doc.readers.find((x: { name: string; slot?: string }) => x.name === "oauth" && (x.slot ?? "bob") === "bob");
      expect(oauth).toMatchObject({ state: "stale" });
      expect(oauth.error).toMatch(/token expired \d+m ago: Claude Code refreshes it on next use/);
      expect(await requestsFor(BOB)).toBe(before);
    } finally {
      writeFileSync(join(credsDir, ".credentials.json.bob"), credentials(BOB, Date.now() + 8 * 3600_000), { mode: 0o600 });
    }
  });

  it("backs off on a 429 with Retry-After and says so", async () => {
    await control("/__fake/mode", { mode: "429", retryAfter: 120 });
    try {
      const r = await usagetop("--once", "--json", "--slot", "alice");
      const doc = JSON.parse(String(r.stdout));
      const oauth = doc.readers.find((x: { name: string; slot?: string }) => x.name === "oauth" && (x.slot ?? "alice") === "alice");
      expect(oauth.state).toBe("backoff");
      expect(oauth.error).toContain("429");
    } finally {
      await control("/__fake/mode", { mode: "ok" });
    }
  });

  it("names an HTML error page without dumping it", async () => {
    await control("/__fake/mode", { mode: "html502" });
    try {
      const r = await usagetop("--once", "--json", "--slot", "alice");
      const doc = JSON.parse(String(r.stdout));
      const oauth = doc.readers.find((x: { name: string; slot?: string }) => x.name === "oauth" && (x.slot ?? "alice") === "alice");
      expect(oauth.error).toMatch(/^HTTP 502: HTML error page from 127\.0\.0\.1:\d+$/);
      expect(String(r.stdout) + String(r.stderr)).not.toContain("<html");
    } finally {
      await control("/__fake/mode", { mode: "ok" });
    }
  });

  it("never shows a fixture token in any output or state file", () => {
    expect(transcript.length).toBeGreaterThanOrEqual(8);
    const stateFiles: string[] = [];
    const walk = (dir: string) => {
      if (!existsSync(dir)) return;
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else stateFiles.push(readFileSync(p, "utf8"));
      }
    };
    for (let i = 1; i <= run; i++) walk(join(root, `state-${i}`));
    expect(stateFiles.length).toBeGreaterThan(0);
    for (const text of [...transcript, ...stateFiles]) {
      expect(text).not.toContain("FIXTURE-ACCESS");
      expect(text).not.toContain("FIXTURE-REFRESH");
    }
  });
});
