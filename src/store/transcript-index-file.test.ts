import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { loadTranscripts, type TranscriptData } from "./transcript-index.js";
import { indexPath, readIndex } from "./transcript-index-file.js";
import { totalTokens } from "../model/usage-entry.js";

const FIXTURE = fileURLToPath(new URL("../../fixtures/transcripts/basic", import.meta.url));
const NOW = new Date("2026-01-07T02:00:00Z");
const BETA = join("projects", "-home-dev-beta", "22222222-bbbb-4bbb-8bbb-000000000002.jsonl");

let root: string;
let claude: string;
let state: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "usagetop-tjournal-"));
  claude = join(root, "claude");
  state = join(root, "state");
  cpSync(FIXTURE, claude, { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const load = (stateDir: string | null = state, now = NOW) => loadTranscripts({ stateDir, claudeDirs: [claude], now });
function line(id: string, output: number, at: string): string {
  return `${JSON.stringify({ sessionId: "22222222-bbbb-4bbb-8bbb-000000000002", requestId: `req_${id}`, timestamp: at, message: { id: `msg_${id}`, model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: output } } })}\n`;
}
/** Buckets in a canonical order, for comparing two answers. */
function canonical(d: TranscriptData) {
  return {
    buckets: [...d.buckets].map((b) => ({ ...b })).sort((a, b) => a.start - b.start || a.model.localeCompare(b.model) || a.sessionId.localeCompare(b.sessionId)),
    recent: [...d.recent].sort((a, b) => (a.key! < b.key! ? -1 : 1)),
    events: d.events,
  };
}
const journalLines = () => readFileSync(indexPath(state), "utf8").split("\n").filter(Boolean).length - 1;

describe("transcript index journal", () => {
  it("appends one short line per run that read something, and writes nothing otherwise", () => {
    load();
    const snapshot = statSync(indexPath(state)).size;
    appendFileSync(join(claude, BETA), line("J1", 10, "2026-01-07T01:00:00.000Z"));
    load();
    expect(journalLines()).toBe(1);
    const grown = statSync(indexPath(state)).size - snapshot;
    expect(grown).toBeGreaterThan(0);
    expect(grown).toBeLessThan(snapshot);
    const before = readFileSync(indexPath(state));
    load();
    expect(readFileSync(indexPath(state)).equals(before)).toBe(true);
  });

  it("gives after any sequence of appends the same answer as one cold read", () => {
    const call = fc.record({ id: fc.constantFrom("a", "b", "c", "d", "e"), output: fc.integer({ min: 1, max: 500 }), minute: fc.integer({ min: 0, max: 100 }) });
    fc.assert(
      fc.property(fc.array(fc.array(call, { maxLength: 4 }), { minLength: 1, maxLength: 6 }), (runs) => {
        rmSync(state, { recursive: true, force: true });
        cpSync(FIXTURE, claude, { recursive: true, force: true });
        load();
        for (const calls of runs) {
          for (const c of calls) appendFileSync(join(claude, BETA), line(c.id, c.output, new Date(Date.parse("2026-01-06T23:00:00Z") + c.minute * 60_000).toISOString()));
          load();
        }
        const warm = canonical(load());
        const cold = canonical(load(null));
        expect(warm).toEqual(cold);
      }),
      { numRuns: 15 },
    );
  });

  it("skips a journal line written by a run that loaded an older index (a concurrent run)", () => {
    load();
    appendFileSync(join(claude, BETA), line("C1", 10, "2026-01-07T01:00:00.000Z"));
    const stale = readFileSync(indexPath(state)).length;
    load(); // appends a valid line at `stale`
    // A second process that loaded at `stale` too appends after it: its base no longer matches.
    const bogus = JSON.parse(readFileSync(indexPath(state), "utf8").split("\n")[1]!);
    bogus.buckets = bogus.buckets.map((r: unknown[]) => [r[0], r[1], r[2], r[3], r[4], r[5], 999, ...r.slice(7)]);
    appendFileSync(indexPath(state), `${JSON.stringify({ ...bogus, base: stale })}\n`);
    const read = readIndex(indexPath(state))!;
    expect(read.buckets.some((b) => b.calls === 999)).toBe(false);
    expect(canonical(load())).toEqual(canonical(load(null)));
  });

  it("skips a journal line written against another snapshot, even at a matching length", () => {
    load();
    appendFileSync(join(claude, BETA), line("S1", 10, "2026-01-07T01:00:00.000Z"));
    load();
    const [snap, first] = readFileSync(indexPath(state), "utf8").split("\n");
    const foreign = JSON.parse(first!);
    foreign.snap = "0000000000000000";
    foreign.buckets = foreign.buckets.map((r: unknown[]) => [r[0], r[1], r[2], r[3], r[4], r[5], 999, ...r.slice(7)]);
    writeFileSync(indexPath(state), `${snap}\n${JSON.stringify(foreign)}\n`);
    expect(readIndex(indexPath(state))!.buckets.some((b) => b.calls === 999)).toBe(false);
  });

  it("survives a torn journal line and compacts on the next write", () => {
    load();
    appendFileSync(indexPath(state), '{"base":');
    const r = load();
    expect(r.warnings).toEqual([]);
    expect(r.buckets.reduce((a, b) => a + totalTokens(b.tokens), 0)).toBe(20411);
    appendFileSync(join(claude, BETA), line("T1", 10, "2026-01-07T01:00:00.000Z"));
    load();
    expect(journalLines()).toBe(0); // rewritten as a snapshot
    expect(canonical(load())).toEqual(canonical(load(null)));
  });

  it("folds a long journal into a new snapshot", () => {
    load();
    for (let i = 0; i < 80; i++) {
      // A long cwd makes long journal lines (recent entries carry it).
      appendFileSync(join(claude, BETA), line(`L${i}`, 10, "2026-01-07T01:00:00.000Z").replace("{", `{"cwd":"/${"p".repeat(2000)}",`));
      load();
    }
    // ~2 KB per line: the 64 KB floor allows a few dozen lines, never all 80.
    expect(journalLines()).toBeLessThan(80);
    expect(statSync(indexPath(state)).mode & 0o777).toBe(0o600);
    expect(canonical(load())).toEqual(canonical(load(null)));
  });

  it("treats an index of another version as outdated and wrong shapes as corrupt", () => {
    load();
    writeFileSync(indexPath(state), `${JSON.stringify({ version: 1, files: {} })}\n`);
    expect(readIndex(indexPath(state))).toBeNull();
    writeFileSync(indexPath(state), `${JSON.stringify({ version: 2, id: "x", strings: [], files: [["p", 1]], buckets: [], reported: [], recent: [], events: [], retired: "" })}\n`);
    expect(() => readIndex(indexPath(state))).toThrow(/file row/);
  });
});
