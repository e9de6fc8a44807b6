import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load.js";
import { CLAUDE_JSON_MAX_BYTES, claudeCacheReader } from "./claude-cache.js";
import type { SlotRef } from "./reader.js";

const FIXTURE = readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "oauth", "claude-json.json"), "utf8");
const ALICE_UUID = "11111111-1111-4111-8111-111111111111";
const NOW = new Date("2026-09-20T12:05:00Z");
const signal = new AbortController().signal;

const home = mkdtempSync(join(tmpdir(), "usagetop-cache-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));
const claudeJson = join(home, ".claude.json");
const config: Config = loadConfig({}, { HOME: home, XDG_CONFIG_HOME: join(home, "cfg"), XDG_STATE_HOME: join(home, "state") });

const active: SlotRef = { name: "alice", credentialsPath: join(home, ".claude", ".credentials.json.alice"), active: true };
const other: SlotRef = { name: "bob", credentialsPath: join(home, ".credentials.json.bob"), active: false };

beforeEach(() => writeFileSync(claudeJson, FIXTURE));

describe("claude-cache reader", () => {
  it("serves Claude Code's cached body for the active slot of the same account, observed at fetchedAtMs", async () => {
    const before = statSync(claudeJson).mtimeMs;
    const r = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meters.map((m) => m.kind).sort()).toEqual(["five_hour", "seven_day", "seven_day_sonnet"]);
    expect(r.meters.every((m) => m.source === "claude_cache" && m.observedAt.getTime() === 1789905600000)).toBe(true);
    expect(r.notes).toContain("extra usage disabled: overage_not_provisioned");
    // read-only: the file is untouched
    expect(readFileSync(claudeJson, "utf8")).toBe(FIXTURE);
    expect(statSync(claudeJson).mtimeMs).toBe(before);
  });

  it("refuses the cache when it belongs to another account than the live login", async () => {
    const doc = JSON.parse(FIXTURE);
    doc.cachedUsageUtilization.accountUuid = "99999999-9999-4999-8999-999999999999";
    writeFileSync(claudeJson, JSON.stringify(doc));
    const r = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("another account") } });
  });

  it("without any slot (no credentials file: a Keychain login) serves the account logged in, and only that one", async () => {
    const r = await claudeCacheReader.read({ config, slot: null, now: NOW }, signal);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.meters.map((m) => m.kind).sort()).toEqual(["five_hour", "seven_day", "seven_day_sonnet"]);
    const doc = JSON.parse(FIXTURE);
    doc.cachedUsageUtilization.accountUuid = "99999999-9999-4999-8999-999999999999";
    writeFileSync(claudeJson, JSON.stringify(doc));
    const other = await claudeCacheReader.read({ config, slot: null, now: NOW }, signal);
    expect(other).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("another account than the account logged in") } });
    delete doc.oauthAccount;
    writeFileSync(claudeJson, JSON.stringify(doc));
    const unknown = await claudeCacheReader.read({ config, slot: null, now: NOW }, signal);
    expect(unknown).toMatchObject({ ok: false, error: { message: expect.stringContaining("no oauthAccount.accountUuid") } });
  });

  it("serves a non-active slot only through its identity sidecar", async () => {
    const r1 = await claudeCacheReader.read({ config, slot: other, now: NOW }, signal);
    expect(r1).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("identity sidecar") } });
    writeFileSync(`${other.credentialsPath}.identity.json`, JSON.stringify({ schemaVersion: 1, slot: "bob", accountUuid: ALICE_UUID }));
    const r2 = await claudeCacheReader.read({ config, slot: other, now: NOW }, signal);
    expect(r2.ok).toBe(true);
  });

  it("skips a torn read (file caught mid-write) without a parse error", async () => {
    writeFileSync(claudeJson, FIXTURE.slice(0, Math.floor(FIXTURE.length * 0.6)));
    const r = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("read skipped") } });
  });

  it("says so when there is no file or no cached body", async () => {
    writeFileSync(claudeJson, JSON.stringify({ numStartups: 1 }));
    const r = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("no cachedUsageUtilization") } });
    rmSync(claudeJson);
    const r2 = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r2).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("no such file") } });
  });

  it("names the field when the cached entry is malformed", async () => {
    const doc = JSON.parse(FIXTURE);
    doc.cachedUsageUtilization.fetchedAtMs = "yesterday";
    writeFileSync(claudeJson, JSON.stringify(doc));
    const r = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "parse", message: expect.stringContaining("fetchedAtMs") } });
  });

  it("refuses a file over the size cap without reading it", async () => {
    writeFileSync(claudeJson, "");
    truncateSync(claudeJson, CLAUDE_JSON_MAX_BYTES + 1);
    const r = await claudeCacheReader.read({ config, slot: active, now: NOW }, signal);
    expect(r).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("limit") } });
  });
});
