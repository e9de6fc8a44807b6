import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Config } from "../config/config.js";
import { loadConfig } from "../config/load.js";
import { headersReader } from "./headers.js";
import { watchHeaders } from "./headers-watch.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "fixtures", "headers");
const root = mkdtempSync(join(tmpdir(), "usagetop-headers-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const NOW = new Date("2026-09-20T12:10:00Z");
const signal = new AbortController().signal;

function configFor(path: string | undefined, extra: Record<string, unknown> = {}): Config {
  const base = loadConfig({}, { HOME: root, XDG_CONFIG_HOME: join(root, "cfg"), XDG_STATE_HOME: join(root, "state") });
  return { ...base, file: { ...base.file, readers: { headers: { ...(path ? { path } : {}), ...extra } } } };
}

function place(dir: string, fixture: string, mtime: Date): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, fixture);
  copyFileSync(join(FIXTURES, fixture), p);
  utimesSync(p, mtime, mtime);
  return p;
}

describe("headers reader", () => {
  it("reads one dump file, observed at its mtime", async () => {
    const mtime = new Date("2026-09-20T12:00:00Z");
    const file = place(join(root, "single"), "unified-curl-D.txt", mtime);
    const r = await headersReader.read({ config: configFor(file), slot: null, now: NOW }, signal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.meters.map((m) => [m.kind, m.utilisation, m.observedAt.toISOString()]).sort()).toEqual([
      ["five_hour", 62, mtime.toISOString()],
      ["seven_day", 31, mtime.toISOString()],
    ]);
    expect(r.notes).toContain("server's binding window: five_hour");
  });

  it("in a directory, lets the newest capture win per kind and keeps the others' kinds", async () => {
    const dir = join(root, "dir");
    place(dir, "unified-curl-D.txt", new Date("2026-09-20T11:00:00Z")); // five_hour 62, seven_day 31
    place(dir, "stream-json.ndjson", new Date("2026-09-20T12:00:00Z")); // five_hour 93, seven_day 44, seven_day_opus 100
    place(dir, "openai.txt", new Date("2026-09-20T10:00:00Z")); // api_requests, api_tokens
    writeFileSync(join(dir, ".partial.tmp"), "anthropic-ratelimit-unified-5h-utilization: 0.01\n");
    const r = await headersReader.read({ config: configFor(dir), slot: null, now: NOW }, signal);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byKind = Object.fromEntries(r.meters.map((m) => [m.kind, m.utilisation]));
    expect(byKind).toMatchObject({ five_hour: 93, seven_day: 44, seven_day_opus: 100, api_tokens: 25 });
  });

  it("says what is missing", async () => {
    const unset = await headersReader.read({ config: configFor(undefined), slot: null, now: NOW }, signal);
    expect(unset).toMatchObject({ ok: false, error: { kind: "unavailable", message: "readers.headers.path is not set" } });
    expect(headersReader.enabled(configFor(undefined))).toBe(false);
    const missing = await headersReader.read({ config: configFor(join(root, "nope")), slot: null, now: NOW }, signal);
    expect(missing).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("no such file") } });
    const plain = join(root, "plain.txt");
    writeFileSync(plain, "HTTP/2 200\ncontent-type: text/html\n\n<html></html>\n");
    const none = await headersReader.read({ config: configFor(plain), slot: null, now: NOW }, signal);
    expect(none).toMatchObject({ ok: false, error: { kind: "unavailable", message: expect.stringContaining("no rate-limit headers") } });
  });

  it("reports a burst 429 as a note, not as a full quota", async () => {
    const file = place(join(root, "burst"), "burst-429.txt", new Date("2026-09-20T12:00:00Z"));
    const r = await headersReader.read({ config: configFor(file), slot: null, now: NOW }, signal);
    expect(r).toMatchObject({ ok: true, meters: [] });
    expect(r.ok && r.notes?.join(" ")).toContain("not an exhausted quota");
  });

  it("reads only the newest MiB of a long stream-json log", async () => {
    const dir = join(root, "long");
    mkdirSync(dir);
    const old = JSON.stringify({ type: "rate_limit_event", rate_limit_info: { rateLimitType: "five_hour", utilization: 0.1 } });
    const filler = JSON.stringify({ type: "assistant", message: { content: "x".repeat(1000) } });
    const lines = [old, ...Array.from({ length: 1200 }, () => filler)];
    const fresh = JSON.stringify({ type: "rate_limit_event", rate_limit_info: { rateLimitType: "seven_day", utilization: 0.5 } });
    writeFileSync(join(dir, "log.ndjson"), `${lines.join("\n")}\n${fresh}\n`);
    const r = await headersReader.read({ config: configFor(dir), slot: null, now: NOW }, signal);
    expect(r.ok && r.meters.map((m) => [m.kind, m.utilisation])).toEqual([["seven_day", 50]]);
  });
});

describe("watchHeaders", () => {
  it("reports a dump written into the watched directory", async () => {
    const dir = join(root, "watched");
    mkdirSync(dir);
    const seen: string[] = [];
    let resolveSeen: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (resolveSeen = resolve));
    const w = watchHeaders(dir, (file) => {
      seen.push(file);
      resolveSeen();
    });
    await w.ready;
    copyFileSync(join(FIXTURES, "unified-curl-D.txt"), join(dir, "dump.txt"));
    await arrived;
    await w.close();
    expect(seen).toEqual([join(dir, "dump.txt")]);
  });
});
