import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { DEMO_TRANSCRIPTS_DIR, readTranscriptUsage, transcriptDirs, transcriptsReader } from "./transcripts.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/transcripts/basic", import.meta.url));
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "usagetop-treader-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function config(toml: string, claudeDir: string) {
  const file = join(root, "config.toml");
  writeFileSync(file, toml);
  return loadConfig({ config: file }, { HOME: join(root, "home"), XDG_STATE_HOME: join(root, "state"), CLAUDE_CONFIG_DIR: claudeDir });
}

async function read(toml: string, claudeDir: string, now: string) {
  const c = config(toml, claudeDir);
  return transcriptsReader.read({ config: c, slot: null, now: new Date(now) }, new AbortController().signal);
}

describe("transcriptsReader", () => {
  it("estimates five_hour from the active block against the configured limit, plus day and budget meters", async () => {
    const claude = join(root, "claude");
    cpSync(FIXTURE, claude, { recursive: true });
    const r = await read("[general]\ntimezone = \"UTC\"\n[limits]\nfive_hour_tokens = 10000\ntokens_day = 1000\napi_budget_usd = 10\n", claude, "2026-01-07T02:00:00Z");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byKind = Object.fromEntries(r.meters.map((m) => [m.kind, m]));
    // Active block: 2026-01-06T23:00Z.. with 2206 tokens.
    expect(byKind.five_hour).toMatchObject({ utilisation: 22.06, used: 2206, limit: 10000, estimated: true, source: "transcripts" });
    expect(byKind.five_hour!.resetsAt?.toISOString()).toBe("2026-01-07T04:00:00.000Z");
    expect(byKind.tokens_day).toMatchObject({ used: 206, limit: 1000, unit: "tokens", estimated: true });
    expect(byKind.tokens_day!.resetsAt?.toISOString()).toBe("2026-01-08T00:00:00.000Z");
    expect(byKind.api_budget!.used).toBeCloseTo(0.540536, 9);
    expect(byKind.api_budget).toMatchObject({ unit: "usd", currency: "USD" });
    expect(r.notes?.some((n) => n.includes("session limit"))).toBe(true);
    expect(r.warnings?.some((w) => w.includes(":5: torn line"))).toBe(true);
  });

  it("says why there is no five_hour estimate", async () => {
    const claude = join(root, "claude");
    cpSync(FIXTURE, claude, { recursive: true });
    const r = await read("", claude, "2026-01-07T02:00:00Z");
    expect(r.ok && r.meters).toEqual([]);
    expect(r.ok && r.notes?.[0]).toMatch(/five_hour_tokens/);
  });

  it("is unavailable, not broken, without transcripts", async () => {
    mkdirSync(join(root, "empty"));
    const r = await read("", join(root, "empty"), "2026-01-07T02:00:00Z");
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable" } });
  });

  it("serves runtime usage in the seed's field names", () => {
    const claude = join(root, "claude");
    cpSync(FIXTURE, claude, { recursive: true });
    const u = readTranscriptUsage(config("[limits]\nfive_hour_tokens = 10000\n", claude), new Date("2026-01-07T02:00:00Z"), "bob");
    expect(u.runtime.current).toMatchObject({ calls: 4, tokens: 2206, token_limit: 10000 });
    expect(Object.keys(u.runtime.per_model).sort()).toEqual(["anthropic/claude-experimental-9", "anthropic/claude-sonnet-4-5"]);
    expect(u.runtime.per_model["anthropic/claude-experimental-9"]).toMatchObject({ account_key: "bob", unpriced: true });
  });

  it("reads the demo tree under --demo, never the user's dirs", () => {
    const demo = loadConfig({ demo: true }, { HOME: join(root, "home"), CLAUDE_CONFIG_DIR: join(root, "real") });
    expect(transcriptDirs(demo)).toEqual([DEMO_TRANSCRIPTS_DIR]);
    rmSync(demo.paths.stateDir, { recursive: true, force: true });
  });
});
