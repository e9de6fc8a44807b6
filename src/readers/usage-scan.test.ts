import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { usageScanner, Verdict } from "./usage-scan.js";
import { parseLineBytes, DEFAULT_SCAN } from "./transcript-files.js";
import { USAGE_SCAN_SOURCE_SHA256 } from "./wasm/usage-scan-wasm.js";
import { loadTranscripts } from "../store/transcript-index.js";

const ctx = { project: "-home-dev-p", fileSession: "file-session" };
const FIXTURE = new URL("../../fixtures/transcripts/basic/projects/-home-dev-alpha/11111111-aaaa-4aaa-8aaa-000000000001.jsonl", import.meta.url);
/** The fixture's first streamed assistant line (line 2): Claude Code's own shape. */
const assistantLine = (): string => readFileSync(FIXTURE, "utf8").split("\n")[1]!;
const scanner = usageScanner()!;

/** The scanner's verdict on `text` placed at `at` in its buffer, after forgetting the line before. */
function scanOne(text: string | Buffer, at = 0) {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  bytes.copy(scanner.buffer, at);
  scanner.forget();
  const verdict = scanner.scanLine(at, at + bytes.length);
  return { verdict, entry: verdict === Verdict.USAGE ? scanner.entry(ctx) : null, js: parseLineBytes(bytes, 0, bytes.length, 1, ctx) };
}

// --- line generators: the fields the parser reads, in plain, odd and hostile forms ------------

const q = (s: string): string => JSON.stringify(s);
/** A JSON string of `s` with its first character written as a \u escape: the same value, other bytes. */
const escaped = (s: string): string => (s === "" ? q(s) : `"\\u${s.charCodeAt(0).toString(16).padStart(4, "0")}${q(s).slice(2)}`);
const plainText = fc.string({ unit: fc.constantFrom(..."abcdef0123456789-_.:/ABCXYZ"), maxLength: 30 });
const anyText = fc.string({ unit: "binary", maxLength: 20 });
const stringValue = fc.oneof(
  { weight: 20, arbitrary: plainText.map(q) },
  { weight: 3, arbitrary: anyText.map(q) },
  { weight: 1, arbitrary: plainText.map(escaped) },
  { weight: 2, arbitrary: fc.constantFrom('""', "null", "42", "true", "{}", "[]", '"<synthetic>"', '"\\u003csynthetic>"') },
);
const countValue = fc.oneof(
  { weight: 25, arbitrary: fc.nat(2_000_000).map(String) },
  { weight: 2, arbitrary: fc.constantFrom("0", "-0", "-3", "1.5", "1e3", "2E+2", "1.0", "999999999999999", "9999999999999999", "12345678901234567890", "null", '"5"', "true", "[]", "{}") },
);
const timestampValue = fc.oneof(
  { weight: 15, arbitrary: fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }).map((d) => q(d.toISOString())) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"2026-02-30T10:00:00.000Z"', '"2026-01-05T10:00:00Z"', '"2026-01-05 10:00:00.000Z"', '"0099-01-01T00:00:00.000Z"', '"2024-02-29T23:59:59.999Z"', '"2023-02-29T00:00:00.000Z"', "1767600000", "null", '""', '"\\u0032026-01-05T10:00:00.000Z"'),
  },
);
const ws = fc.constantFrom("", "", "", " ", "\t", "\r\n ");

type Entry = [key: string, value: string];
/** An object's text from entries (duplicates kept: JSON.parse keeps the last), some keys escaped. */
function objectText(entries: Entry[], space: string, escapeKeys: boolean[]): string {
  return `{${space}${entries.map(([k, v], i) => `${escapeKeys[i] ? escaped(k) : q(k)}${space}:${space}${v}`).join(`,${space}`)}${space}}`;
}
/**
 * An object with each of `fields` present nine times in ten, a few extra entries (other keys, or
 * a second value for one of `fields`), all in a random order.
 */
function objectOf(fields: Record<string, fc.Arbitrary<string>>, other: fc.Arbitrary<Entry>): fc.Arbitrary<string> {
  const named = Object.entries(fields).map(([k, v]) => v.map((x): Entry => [k, x]));
  const present = fc.tuple(...named.map((e) => fc.option(e, { freq: 9 })));
  const extras = fc.array(fc.oneof(other, ...named), { maxLength: 3 });
  return fc
    .tuple(present, extras)
    .chain(([main, more]) => {
      const entries = [...main.filter((e): e is Entry => e !== null), ...more];
      return fc.tuple(fc.shuffledSubarray(entries, { minLength: entries.length }), ws, fc.array(fc.nat(39).map((n) => n === 0), { minLength: entries.length, maxLength: entries.length }));
    })
    .map(([entries, space, esc]) => objectText(entries, space, esc));
}
const jsonText = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
// Keys the scanner skips, and now and then "usage", "message" or "content" at the wrong level.
const other: fc.Arbitrary<Entry> = fc.tuple(
  fc.oneof({ weight: 6, arbitrary: fc.constantFrom("type", "uuid", "parentUuid", "version", "service_tier", "x") }, { weight: 1, arbitrary: fc.constantFrom("usage", "message", "content") }),
  jsonText,
);
const cacheCreation = fc.oneof(
  objectOf({ ephemeral_5m_input_tokens: countValue, ephemeral_1h_input_tokens: countValue }, other),
  fc.constantFrom("null", "[]", "7", '"x"'),
);
const usage = fc.oneof(
  { weight: 8, arbitrary: objectOf({ input_tokens: countValue, output_tokens: countValue, cache_read_input_tokens: countValue, cache_creation_input_tokens: countValue, cache_creation: cacheCreation }, other) },
  { weight: 1, arbitrary: fc.constantFrom("null", "[]", "3", '"u"') },
);
const content = fc.array(fc.oneof(fc.record({ type: fc.constant("text"), text: anyText }), fc.record({ type: fc.constant("tool_use"), input: fc.jsonValue({ maxDepth: 4 }) })), { maxLength: 3 }).map((c) => JSON.stringify(c));
const message = fc.oneof(
  { weight: 8, arbitrary: objectOf({ id: stringValue, model: stringValue, usage, content }, other) },
  { weight: 1, arbitrary: fc.constantFrom("null", "[]", '"m"') },
);
const line = objectOf(
  { timestamp: timestampValue, sessionId: stringValue, requestId: stringValue, cwd: stringValue, isSidechain: fc.constantFrom("true", "false", '"true"', "1", "null"), costUSD: countValue, message },
  other,
);
/** Lines as Claude Code writes them: every field present, in its order, plain values. */
const typical = fc
  .record({ id: fc.nat(5), req: fc.nat(5), out: fc.nat(400), input: fc.nat(9000), model: fc.constantFrom("claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101"), session: fc.constantFrom("s-1", "s-2"), text: anyText, sec: fc.nat(59) })
  .map(
    (r) =>
      `{"parentUuid":"p","isSidechain":false,"userType":"external","cwd":"/home/dev/p","sessionId":"${r.session}","version":"2.1.150","type":"assistant","uuid":"u","timestamp":"2026-01-05T10:00:${String(r.sec).padStart(2, "0")}.000Z","requestId":"req_${r.req}","message":{"id":"msg_${r.id}","type":"message","role":"assistant","model":"${r.model}","content":[{"type":"text","text":${q(r.text)}}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":${r.input},"cache_creation_input_tokens":10,"cache_read_input_tokens":20,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":0},"output_tokens":${r.out},"service_tier":"standard"}}}`,
  );
/** A valid line with a few bytes changed: torn, flipped, cut. */
const mutated = fc.tuple(fc.oneof(line, typical), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "insert", "delete")), { minLength: 1, maxLength: 3 })).map(([text, edits]) => {
  const bytes = [...Buffer.from(text)];
  for (const [at, b, op] of edits) {
    const i = at % (bytes.length + 1);
    if (op === "set" && i < bytes.length) bytes[i] = b;
    else if (op === "insert") bytes.splice(i, 0, b);
    else bytes.splice(i, 1);
  }
  return Buffer.from(bytes);
});

describe("the embedded WebAssembly module", () => {
  it("was built from usage-scan.c as it stands (rebuild with npm run build:wasm)", () => {
    const source = readFileSync(new URL("./wasm/usage-scan.c", import.meta.url));
    expect(createHash("sha256").update(source).digest("hex")).toBe(USAGE_SCAN_SOURCE_SHA256);
  });

  let clang = false;
  try {
    execFileSync("clang", ["--version"], { stdio: "ignore" });
    clang = true;
  } catch {
    // No C compiler here (CI): the hash above still ties the module to its source.
  }
  it.skipIf(!clang)("matches a fresh build byte for byte, where clang is installed", () => {
    execFileSync(process.execPath, [new URL("../../scripts/build-wasm.mjs", import.meta.url).pathname, "--check"], { stdio: "pipe" });
  });
});

describe("usage scanner", () => {
  it("reads a Claude Code line as the JavaScript parser does", () => {
    const r = scanOne(assistantLine());
    expect(r.verdict).toBe(Verdict.USAGE);
    expect(r.js.kind).toBe("usage");
    expect(r.entry).toEqual(r.js.kind === "usage" ? r.js.entry : null);
  });

  it("leaves to JavaScript what it does not read itself: escapes, fractions, notices", () => {
    const base = JSON.parse(assistantLine());
    const variants = [
      JSON.stringify({ ...base, sessionId: 'a"b' }),
      JSON.stringify({ ...base, message: { ...base.message, usage: { ...base.message.usage, input_tokens: 1.5 } } }),
      JSON.stringify({ ...base, message: { ...base.message, model: "<synthetic>" } }),
      JSON.stringify({ ...base, timestamp: "2026-01-05T10:00:00+02:00" }),
      `\ufeff${JSON.stringify(base)}`,
    ];
    for (const v of variants) expect(scanOne(v).verdict).toBe(Verdict.FALLBACK);
  });

  it("agrees with JavaScript on the corners: duplicate keys, years before 100, numbers in every form", () => {
    const base = JSON.parse(assistantLine());
    const usage = base.message.usage;
    const withUsage = (u: string): string => assistantLine().replace(/"usage": \{.*\}\}$/, `"usage": ${u}}}`);
    const cases: [string, number][] = [
      // Years under 100: Date.UTC reads 0099 as 1999, so JavaScript keeps those.
      [JSON.stringify({ ...base, timestamp: "0099-01-01T00:00:00.000Z" }), Verdict.FALLBACK],
      [JSON.stringify({ ...base, timestamp: "0100-03-01T00:00:00.000Z" }), Verdict.USAGE],
      [JSON.stringify({ ...base, timestamp: "2024-02-29T23:59:59.999Z" }), Verdict.USAGE],
      [JSON.stringify({ ...base, timestamp: "2023-02-29T00:00:00.000Z" }), Verdict.FALLBACK],
      // The last of a repeated key counts, at every level.
      [withUsage('{"input_tokens": 5, "cache_creation": {"ephemeral_5m_input_tokens": 7, "ephemeral_1h_input_tokens": 9}, "cache_creation": {"ephemeral_1h_input_tokens": 3}, "cache_creation_input_tokens": 0}'), Verdict.USAGE],
      [withUsage('{"input_tokens": 5}, "usage": {"output_tokens": 6}'), Verdict.USAGE],
      [`${assistantLine().slice(0, -1)}, "message": {"model": "m", "usage": {"input_tokens": 1}}}`, Verdict.USAGE],
      [`${assistantLine().slice(0, -1)}, "cwd": 7, "costUSD": "1", "isSidechain": "true", "requestId": ""}`, Verdict.USAGE],
      // Counts JavaScript reads and the scanner leaves to it.
      ...["-0", "-3", "1.5", "1e3", "1.0", "9999999999999999", "true"].map((n): [string, number] => [withUsage(`{"input_tokens": ${n}}`), Verdict.FALLBACK]),
      [withUsage('{"input_tokens": 999999999999999, "output_tokens": null, "cache_read_input_tokens": 0}'), Verdict.USAGE],
      // Numbers of every form where nobody reads them.
      [JSON.stringify({ ...base, message: { ...base.message, content: [{ type: "tool_use", input: { a: -1.5e-7, b: 0, c: [1e300, -0, 12.25] } }] } }), Verdict.USAGE],
      [JSON.stringify({ ...base, costUSD: 0.25 }), Verdict.FALLBACK],
      [JSON.stringify({ ...base, costUSD: 3 }), Verdict.USAGE],
      [assistantLine().replace('"cwd"', '"\\u0063wd"'), Verdict.FALLBACK],
      [JSON.stringify({ ...base, message: { ...base.message, usage: { ...usage, cache_creation: [] } } }), Verdict.USAGE],
      // Keys the scanner joins itself (ASCII, short) and those it leaves to JavaScript to build.
      [JSON.stringify({ ...base, message: { ...base.message, id: "msg_é" }, requestId: "req_ü" }), Verdict.USAGE],
      [JSON.stringify({ ...base, message: { ...base.message, id: "m".repeat(2000) } }), Verdict.USAGE],
      [JSON.stringify({ ...base, requestId: undefined }), Verdict.USAGE],
    ];
    for (const [text, want] of cases) {
      const r = scanOne(text);
      expect([text, r.verdict]).toEqual([text, want]);
      if (r.verdict === Verdict.USAGE) expect(r.js.kind === "usage" ? r.js.entry : r.js).toEqual(r.entry);
    }
  });

  it("reads every fixture transcript line as JavaScript does, and the plain ones itself", () => {
    const files = ["basic", "../demo/transcripts"].flatMap((tree) => {
      const root = new URL(`../../fixtures/transcripts/${tree}/projects/`, import.meta.url);
      return readdirSync(root, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".jsonl"))
        .map((f) => new URL(f, root));
    });
    const verdicts: number[] = [];
    for (const f of files) {
      for (const text of readFileSync(f, "utf8").split("\n")) {
        if (!text.includes('"usage"')) continue;
        const r = scanOne(text);
        verdicts.push(r.verdict);
        if (r.verdict === Verdict.USAGE) expect(r.js.kind === "usage" ? r.js.entry : r.js).toEqual(r.entry);
      }
    }
    // Torn lines, notices and the odd early-2025 row go to JavaScript; Claude Code's own lines do not.
    expect(verdicts.length).toBeGreaterThan(50);
    expect(verdicts.filter((v) => v === Verdict.USAGE).length / verdicts.length).toBeGreaterThan(0.85);
  });

  it("reads lines with every optional field FORMATS.md §7 lists (2.x key order, iterations, server tools, quota limits)", () => {
    const usage = {
      input_tokens: 12,
      output_tokens: 340,
      cache_creation_input_tokens: 1500,
      cache_read_input_tokens: 90000,
      cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 1000 },
      service_tier: null,
      server_tool_use: { web_search_requests: 2, web_fetch_requests: 0 },
      inference_geo: "us",
      iterations: [{ input_tokens: 6, output_tokens: 170 }],
      speed: "standard",
    };
    const line = {
      parentUuid: "p-1",
      isSidechain: true,
      userType: "external",
      cwd: "/home/dev/projët ü",
      sessionId: "b41d0f6a-2c8e-4a57-8e1f-7d3c9b6a4e02",
      version: "2.1.240",
      gitBranch: "feat/x",
      agentId: "a1b2",
      slug: "fix-the-parser",
      entrypoint: "cli",
      message: { id: "msg_01", model: "claude-opus-4-5-20251101", role: "assistant", type: "message", content: [{ type: "thinking", thinking: "…", signature: "x" }], stop_reason: "tool_use", stop_sequence: null, usage },
      requestId: "req_01",
      type: "assistant",
      uuid: "u-1",
      timestamp: "2026-09-14T09:12:03.456Z",
      durationMs: 5120,
      quotaLimits: { status: "allowed", resetsAt: 1789000000, rateLimitType: "five_hour", overageStatus: "rejected", overageDisabledReason: "org_level_disabled" },
    };
    const r = scanOne(JSON.stringify(line));
    expect(r.verdict).toBe(Verdict.USAGE);
    expect(r.js.kind === "usage" ? r.js.entry : r.js).toEqual(r.entry);
    expect(r.entry).toMatchObject({ key: "msg_01:req_01", cwd: "/home/dev/projët ü", isSidechain: true, tokens: { cacheWrite5m: 500, cacheWrite1h: 1000 } });
  });

  it("calls a streamed copy with the same key and no more output a repeat, and a larger copy usage", () => {
    const base = JSON.parse(assistantLine());
    const copy = (out: number, text: string): Buffer => Buffer.from(JSON.stringify({ ...base, uuid: text, message: { ...base.message, content: [{ type: "text", text }], usage: { ...base.message.usage, output_tokens: out } } }));
    const lines = [copy(1, "a"), copy(1, "b"), copy(500, "c"), copy(500, "d"), copy(2, "e")];
    scanner.forget();
    const verdicts: number[] = [];
    let at = 0;
    for (const l of lines) {
      l.copy(scanner.buffer, at);
      verdicts.push(scanner.scanLine(at, at + l.length));
      at += l.length + 1;
    }
    expect(verdicts).toEqual([Verdict.USAGE, Verdict.REPEAT, Verdict.USAGE, Verdict.REPEAT, Verdict.REPEAT]);
  });

  it("never disagrees with the JavaScript parser on a line it reads (fast-check, odd and hostile lines)", () => {
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(line, typical, mutated), fc.nat(4096), (text, at) => {
        const r = scanOne(text, at);
        expect(r.verdict === Verdict.USAGE || r.verdict === Verdict.FALLBACK).toBe(true);
        if (r.verdict !== Verdict.USAGE) return;
        read++;
        expect(r.js.kind).toBe("usage");
        if (r.js.kind === "usage") expect(r.entry).toEqual(r.js.entry);
      }),
      { numRuns: 5000 },
    );
    // The property says nothing if the scanner never answers: most generated lines are plain.
    expect(read).toBeGreaterThan(300);
  });

  it("survives any bytes: every line of random binary is a verdict, never a crash", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = scanOne(Buffer.from(bytes));
        if (r.verdict === Verdict.USAGE) expect(r.js.kind).toBe("usage");
      }),
    );
  });

  it("finds newlines and `\"usage\"` where Buffer.indexOf does (fast-check)", () => {
    const bytes = fc.array(fc.oneof(fc.constantFrom(..."\n\"usage\"u\"us"), fc.string({ maxLength: 3 })), { maxLength: 80 }).map((parts) => Buffer.from(parts.join("")));
    fc.assert(
      fc.property(bytes, fc.nat(100), fc.nat(100), fc.nat(64), (b, a, z, at) => {
        b.copy(scanner.buffer, at);
        const from = Math.min(a, b.length);
        const to = Math.max(from, Math.min(z, b.length));
        const view = b.subarray(0, to);
        const want = (needle: string) => {
          const i = view.indexOf(needle, from);
          return i < 0 ? -1 : i + at;
        };
        expect(scanner.findNewline(from + at, to + at)).toBe(want("\n"));
        expect(scanner.findUsage(from + at, to + at)).toBe(want('"usage"'));
      }),
      { numRuns: 2000 },
    );
  });

  it("answers for nothing outside its buffer", () => {
    scanner.forget();
    expect(scanner.scanLine(-1, 10)).toBe(Verdict.FALLBACK);
    expect(scanner.scanLine(0, scanner.buffer.length + 1)).toBe(Verdict.FALLBACK);
    expect(scanner.scanLine(10, 5)).toBe(Verdict.FALLBACK);
  });
});

describe("transcripts read with and without the scanner", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "usagetop-uscan-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("give the same buckets, entries, events, counts and warnings (fast-check, whole files)", () => {
    const text = fc.oneof({ weight: 6, arbitrary: typical }, { weight: 2, arbitrary: line }, { weight: 1, arbitrary: fc.constant('{"type":"user","message":{"role":"user","content":"hi"}}') });
    const fileLines = fc.array(fc.oneof({ weight: 9, arbitrary: text.map((t) => Buffer.from(t)) }, { weight: 1, arbitrary: mutated }), { maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fileLines, { minLength: 1, maxLength: 3 }), fc.constantFrom(64, 300, DEFAULT_SCAN.chunkSize), (files, chunkSize) => {
        rmSync(join(root, "projects"), { recursive: true, force: true });
        mkdirSync(join(root, "projects", "p"), { recursive: true });
        files.forEach((lines, i) => writeFileSync(join(root, "projects", "p", `f${i}.jsonl`), Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]))));
        const read = (wasm: boolean) => loadTranscripts({ stateDir: null, claudeDirs: [root], now: new Date("2026-01-06T00:00:00Z"), scan: { ...DEFAULT_SCAN, chunkSize, wasm } });
        const js = read(false);
        const scanned = read(true);
        expect(scanned).toEqual(js);
      }),
      { numRuns: 150 },
    );
  });
});
