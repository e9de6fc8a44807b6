import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadTranscripts, type TranscriptData } from "./transcript-index.js";
import { totalTokens } from "../model/usage-entry.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/transcripts/basic", import.meta.url));
const NOW = new Date("2026-01-07T02:00:00Z");

let root: string;
let claude: string;
let state: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "usagetop-tindex-"));
  claude = join(root, "claude");
  state = join(root, "state");
  cpSync(FIXTURE, claude, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const load = (now = NOW) => loadTranscripts({ stateDir: state, claudeDirs: [claude], now });
function totals(d: TranscriptData) {
  return d.buckets.reduce((a, b) => ({ calls: a.calls + b.calls, output: a.output + b.tokens.output, tokens: a.tokens + totalTokens(b.tokens) }), { calls: 0, output: 0, tokens: 0 });
}
function line(id: string, output: number, at: string): string {
  return `${JSON.stringify({ sessionId: "22222222-bbbb-4bbb-8bbb-000000000002", requestId: `req_${id}`, timestamp: at, message: { id: `msg_${id}`, model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: output } } })}\n`;
}
const betaFile = () => join(claude, "projects", "-home-dev-beta", "22222222-bbbb-4bbb-8bbb-000000000002.jsonl");

describe("loadTranscripts", () => {
  it("reads everything cold, then nothing when nothing changed", () => {
    const cold = load();
    expect(totals(cold)).toEqual({ calls: 8, output: 1774, tokens: 20411 });
    expect(cold.stats.filesRead).toBe(3);
    expect(cold.events.map((e) => e.text)).toEqual(["You've hit your session limit · resets 2pm (Europe/Helsinki)"]);
    expect(cold.warnings.join("\n")).toMatch(/11111111-aaaa-4aaa-8aaa-000000000001\.jsonl:5: torn line/);
    const warm = load();
    expect(warm.stats).toMatchObject({ filesRead: 0, bytesRead: 0 });
    expect(totals(warm)).toEqual(totals(cold));
    expect(warm.warnings).toEqual([]);
    expect(warm.events).toEqual(cold.events);
  });

  it("writes the index atomically with private modes", () => {
    load();
    const dir = join(state, "transcripts");
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "index.json")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["index.json"]);
  });

  it("reads only appended bytes, and dedupes them against calls already counted", () => {
    load();
    const before = statSync(betaFile()).size;
    // A placeholder copy first, then the final copy of the same call in a later run.
    const placeholder = line("NEW", 1, "2026-01-07T01:30:00.000Z");
    appendFileSync(betaFile(), placeholder);
    const one = load();
    expect(one.stats).toMatchObject({ filesRead: 1, bytesRead: Buffer.byteLength(placeholder) });
    expect(statSync(betaFile()).size).toBe(before + Buffer.byteLength(placeholder));
    expect(totals(one)).toMatchObject({ calls: 9, output: 1775 });
    const final = line("NEW", 400, "2026-01-07T01:30:01.000Z");
    appendFileSync(betaFile(), final + placeholder);
    const two = load();
    expect(two.stats.bytesRead).toBe(Buffer.byteLength(final + placeholder));
    expect(totals(two)).toMatchObject({ calls: 9, output: 1774 + 400 });
    // A copy of an old call (msg_A2, already counted) appended to another file changes nothing.
    appendFileSync(betaFile(), line("A2", 300, "2026-01-05T11:30:00.000Z"));
    expect(totals(load())).toMatchObject({ calls: 9, output: 1774 + 400 });
  });

  it("dedupes against keys retired from memory in an earlier run", () => {
    // Three days later every call is past the horizon: only key hashes remain.
    const later = new Date("2026-01-10T00:00:00Z");
    const first = load(later);
    expect(first.recent).toEqual([]);
    appendFileSync(betaFile(), line("A1", 120, "2026-01-05T10:00:02.000Z").replace('"sessionId":"22222222-bbbb-4bbb-8bbb-000000000002"', '"sessionId":"x"'));
    expect(totals(load(later))).toEqual({ calls: 8, output: 1774, tokens: 20411 });
  });

  it("re-reads a truncated or rewritten file without counting twice", () => {
    load();
    truncateSync(betaFile(), 0);
    writeFileSync(betaFile(), line("A2", 300, "2026-01-05T11:30:00.000Z"));
    const r = load();
    expect(r.stats.filesRead).toBe(1);
    expect(totals(r)).toEqual({ calls: 8, output: 1774, tokens: 20411 });
  });

  it("keeps the days of deleted transcripts", () => {
    load();
    unlinkSync(betaFile());
    const r = load();
    expect(totals(r)).toEqual({ calls: 8, output: 1774, tokens: 20411 });
    expect(r.stats.files).toBe(2);
  });

  it("moves a corrupt index aside and rebuilds it with one warning", () => {
    load();
    writeFileSync(join(state, "transcripts", "index.json"), "{not json");
    const r = load();
    expect(r.warnings.filter((w) => w.includes("corrupt"))).toHaveLength(1);
    expect(totals(r)).toEqual({ calls: 8, output: 1774, tokens: 20411 });
    expect(readdirSync(join(state, "transcripts")).some((f) => f.startsWith("index.json.corrupt-"))).toBe(true);
    // Wrong shapes inside valid JSON count as corrupt too.
    writeFileSync(join(state, "transcripts", "index.json"), JSON.stringify({ version: 1, files: {}, buckets: [["x"]], recent: [], events: [], retired: "" }));
    expect(totals(load())).toEqual({ calls: 8, output: 1774, tokens: 20411 });
  });

  it("keeps everything in memory without a state dir", () => {
    const r = loadTranscripts({ stateDir: null, claudeDirs: [claude], now: NOW });
    expect(totals(r).calls).toBe(8);
    expect(existsSync(state)).toBe(false);
  });

  it("reads several Claude dirs and an empty or missing one", () => {
    const other = join(root, "other");
    mkdirSync(join(other, "projects", "-x"), { recursive: true });
    writeFileSync(join(other, "projects", "-x", "s.jsonl"), line("OTHER", 10, "2026-01-06T00:00:00.000Z"));
    const r = loadTranscripts({ stateDir: state, claudeDirs: [claude, other, join(root, "missing")], now: NOW });
    expect(totals(r).calls).toBe(9);
  });
});
