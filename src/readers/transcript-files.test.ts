import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { listTranscriptFiles, scanFile, slimAssistantLine, type ScannedLine, type ScanOptions, type TranscriptFile } from "./transcript-files.js";
import { parseTranscriptLine } from "./parse-transcript-line.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "usagetop-tfiles-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function line(id: string, output: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "assistant",
    sessionId: "s1",
    requestId: `req_${id}`,
    timestamp: "2026-01-05T10:00:00.000Z",
    message: { id: `msg_${id}`, model: "claude-sonnet-4-5", content: [{ type: "text", text: "x".repeat(50) }], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: output } },
    ...extra,
  });
}
const user = JSON.stringify({ type: "user", message: { role: "user", content: "hello" } });

function file(name: string, body: string | Buffer): TranscriptFile {
  const path = join(root, name);
  writeFileSync(path, body);
  return { path, project: "p", fileSession: "f" };
}

function scanAll(f: TranscriptFile, options?: ScanOptions, offset = 0) {
  const seen: { parsed: ScannedLine; at: number }[] = [];
  const r = scanFile(f, { offset, line: 0, skipping: false }, (parsed, at) => seen.push({ parsed, at }), options);
  return { r, usage: seen.filter((s) => s.parsed.kind === "usage") };
}

describe("listTranscriptFiles", () => {
  it("finds session and sub-agent files under projects/, with their project and session", () => {
    mkdirSync(join(root, "projects", "-home-a", "sess-1", "subagents"), { recursive: true });
    writeFileSync(join(root, "projects", "-home-a", "sess-1.jsonl"), "");
    writeFileSync(join(root, "projects", "-home-a", "sess-1", "subagents", "agent-x.jsonl"), "");
    writeFileSync(join(root, "projects", "-home-a", "notes.txt"), "");
    symlinkSync(join(root, "nowhere"), join(root, "projects", "-home-a", "dangling.jsonl"));
    const files = listTranscriptFiles([root, join(root, "missing")]);
    expect(files.map((f) => [f.project, f.fileSession, f.path.endsWith(".jsonl")])).toEqual([
      ["-home-a", "sess-1", true],
      ["-home-a", "sess-1", true],
    ]);
  });
});

describe("scanFile", () => {
  it("reads usage lines, skips others, and stops at the last newline", () => {
    const body = `${user}\n${line("a", 5)}\n${user}\n${line("b", 7)}\n`;
    const f = file("a.jsonl", body);
    const { r, usage } = scanAll(f);
    expect(usage).toHaveLength(2);
    expect(r).toMatchObject({ offset: Buffer.byteLength(body), line: 4, invalid: 0, bytesRead: Buffer.byteLength(body) });
    expect(usage[1]!.at).toBe(Buffer.byteLength(`${user}\n${line("a", 5)}\n${user}\n`));
  });

  it("gives the same result for every chunk size (lines split across chunks)", () => {
    const body = [user, line("a", 5), "garbage", line("b", 7), "", line("c", 9)].join("\r\n") + "\n";
    const f = file("chunks.jsonl", body);
    const want = scanAll(f);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (chunkSize) => {
        const got = scanAll(f, { lineCap: 1 << 20, chunkSize });
        return JSON.stringify([got.usage, got.r.invalid, got.r.line, got.r.offset]) === JSON.stringify([want.usage, want.r.invalid, want.r.line, want.r.offset]);
      }),
      { numRuns: 60 },
    );
    expect(want.usage).toHaveLength(3);
    expect(want.r.invalid).toBe(1);
    expect(want.r.firstInvalid?.line).toBe(3);
  });

  it("counts a whole last line without a newline but reads it again next time", () => {
    const first = `${line("a", 5)}\n`;
    const f = file("tail.jsonl", first + line("b", 7));
    const { r, usage } = scanAll(f);
    expect(usage).toHaveLength(2);
    expect(r.offset).toBe(Buffer.byteLength(first));
  });

  it("does not count a half-written last line as invalid", () => {
    const first = `${line("a", 5)}\n`;
    const f = file("torn-tail.jsonl", first + line("b", 7).slice(0, 40));
    const { r, usage } = scanAll(f);
    expect([usage.length, r.invalid, r.offset]).toEqual([1, 0, Buffer.byteLength(first)]);
  });

  it("skips and counts lines over the cap without holding them", () => {
    const huge = line("big", 1, { pad: "y".repeat(5000) });
    const f = file("long.jsonl", `${line("a", 5)}\n${huge}\n${line("b", 7)}\n`);
    const { r, usage } = scanAll(f, { lineCap: 1000, chunkSize: 256 });
    expect(usage.map((u) => (u.parsed.kind === "usage" ? u.parsed.entry.key : null))).toEqual(["msg_a:req_a", "msg_b:req_b"]);
    expect([r.oversized, r.firstOversized]).toEqual([1, 2]);
  });

  it("resumes inside an over-long unterminated line without re-reading it", () => {
    const f = file("nonl.jsonl", `${line("a", 5)}\n${"z".repeat(5000)}`);
    const opts = { lineCap: 1000, chunkSize: 256 };
    const first = scanFile(f, { offset: 0, line: 0, skipping: false }, () => {}, opts);
    // Named as soon as it passes the cap, newline or not...
    expect(first).toMatchObject({ skipping: true, offset: Buffer.byteLength(`${line("a", 5)}\n`) + 5000, oversized: 1, firstOversized: 2 });
    appendFileSync(f.path, `zzz\n${line("b", 7)}\n`);
    const seen: ScannedLine[] = [];
    const second = scanFile(f, { offset: first.offset, line: first.line, skipping: true }, (p) => seen.push(p), opts);
    expect(second.bytesRead).toBe(Buffer.byteLength(`zzz\n${line("b", 7)}\n`));
    // ...and not again when it ends.
    expect([seen.length, second.oversized, second.skipping]).toEqual([1, 0, false]);
  });

  it("survives binary garbage and names the first bad line", () => {
    const garbage = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256));
    const f = file("bin.jsonl", Buffer.concat([Buffer.from(`${line("a", 5)}\n`), garbage, Buffer.from(`\n${line("b", 7)}\n`)]));
    const { r, usage } = scanAll(f, { lineCap: 1 << 20, chunkSize: 512 });
    expect(usage).toHaveLength(2);
    expect(r.invalid).toBeGreaterThan(0);
    expect(r.firstInvalid?.line).toBe(2);
  });

  it("reports a vanished file as an error, not a throw", () => {
    const r = scanFile({ path: join(root, "gone.jsonl"), project: "p", fileSession: "f" }, { offset: 0, line: 0, skipping: false }, () => {});
    expect(r.error).toBe("ENOENT");
  });

  it("reads a file that shrank under it as far as it goes", () => {
    const f = file("shrunk.jsonl", `${line("a", 5)}\n`);
    const r = scanFile(f, { offset: 10_000, line: 3, skipping: false }, () => {});
    expect([r.error, r.bytesRead]).toEqual([null, 0]);
  });
});

describe("slimAssistantLine", () => {
  it("parses to the same entry as the whole line, whatever the content holds", () => {
    const content = fc.array(
      fc.oneof(
        fc.record({ type: fc.constant("text"), text: fc.string() }),
        fc.record({ type: fc.constant("tool_use"), input: fc.dictionary(fc.constantFrom("usage", "content", "stop_reason", "x"), fc.jsonValue()) }),
      ),
    );
    fc.assert(
      fc.property(content, fc.nat(1e6), (blocks, out) => {
        const text = JSON.stringify({
          sessionId: "s",
          timestamp: "2026-01-05T10:00:00Z",
          requestId: "r",
          message: { id: "m", model: "claude-x", content: blocks, stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: out } },
        });
        const buf = Buffer.from(text);
        const slim = slimAssistantLine(buf, 0, buf.length);
        const ctx = { project: "p", fileSession: "f" };
        return slim === null || JSON.stringify(parseTranscriptLine(slim, ctx)) === JSON.stringify(parseTranscriptLine(text, ctx));
      }),
    );
  });
});
