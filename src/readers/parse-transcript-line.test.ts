import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mayCarryUsage, parseTranscriptLine } from "./parse-transcript-line.js";

const ctx = { project: "-home-dev-alpha", fileSession: "file-session" };
const fixture = (rel: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/transcripts/basic/projects/${rel}`, import.meta.url)), "utf8").split("\n").filter(Boolean);
const alpha = fixture("-home-dev-alpha/11111111-aaaa-4aaa-8aaa-000000000001.jsonl");

function assistant(usage: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    sessionId: "s",
    timestamp: "2026-01-05T10:00:00.000Z",
    requestId: "req_1",
    message: { id: "msg_1", model: "claude-sonnet-4-5-20250929", content: [], usage },
    ...extra,
  });
}

describe("parseTranscriptLine on the recorded fixture", () => {
  it("skips user lines and reads an assistant line", () => {
    expect(parseTranscriptLine(alpha[0]!, ctx)).toEqual({ kind: "none" });
    const r = parseTranscriptLine(alpha[2]!, ctx);
    expect(r).toEqual({
      kind: "usage",
      entry: {
        key: "msg_A1:req_A1",
        timestamp: Date.parse("2026-01-05T10:00:02.000Z"),
        model: "claude-sonnet-4-5-20250929",
        sessionId: "11111111-aaaa-4aaa-8aaa-000000000001",
        project: "-home-dev-alpha",
        cwd: "/home/dev/alpha",
        isSidechain: false,
        costUSD: null,
        tokens: { input: 10, output: 120, cacheWrite5m: 1000, cacheWrite1h: 0, cacheRead: 5000 },
      },
    });
  });

  it("splits cache writes by TTL", () => {
    const r = parseTranscriptLine(alpha[3]!, ctx);
    expect(r.kind === "usage" && r.entry.tokens).toMatchObject({ cacheWrite5m: 500, cacheWrite1h: 1500 });
  });

  it("takes the breakdown when the flat total is 0 (before Claude Code 2.1.152)", () => {
    const r = parseTranscriptLine(alpha[6]!, ctx);
    expect(r.kind === "usage" && r.entry.tokens).toMatchObject({ cacheWrite5m: 400, cacheWrite1h: 0 });
  });

  it("counts flat-total excess over the breakdown as 5 min writes", () => {
    const r = parseTranscriptLine(assistant({ cache_creation_input_tokens: 900, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 300 } }), ctx);
    expect(r.kind === "usage" && r.entry.tokens).toMatchObject({ cacheWrite5m: 600, cacheWrite1h: 300 });
  });

  it("reports a torn line as invalid", () => {
    expect(parseTranscriptLine(alpha[4]!, ctx).kind).toBe("invalid");
  });

  it("turns a <synthetic> notice into a limit event with zero usage", () => {
    const r = parseTranscriptLine(alpha[5]!, ctx);
    expect(r).toEqual({
      kind: "limit",
      event: {
        timestamp: Date.parse("2026-01-05T12:00:00.000Z"),
        text: "You've hit your session limit · resets 2pm (Europe/Helsinki)",
        sessionId: "11111111-aaaa-4aaa-8aaa-000000000001",
        project: "-home-dev-alpha",
      },
    });
  });

  it("reads the legacy limit spelling", () => {
    const line = JSON.stringify({ timestamp: "2025-06-01T00:00:00Z", message: { model: "<synthetic>", content: [{ type: "text", text: "Claude AI usage limit reached|1748736000" }], usage: {} } });
    expect(parseTranscriptLine(line, ctx).kind).toBe("limit");
  });
});

describe("keys and optional fields", () => {
  it("keys by message.id alone without requestId, and not at all without message.id", () => {
    const noReq = parseTranscriptLine(assistant({ output_tokens: 1 }, { requestId: undefined }), ctx);
    expect(noReq.kind === "usage" && noReq.entry.key).toBe("msg_1");
    const line = JSON.stringify({ timestamp: "2026-01-05T10:00:00Z", message: { model: "m", usage: { output_tokens: 1 } } });
    const noId = parseTranscriptLine(line, ctx);
    expect(noId.kind === "usage" && noId.entry.key).toBeNull();
    expect(noId.kind === "usage" && noId.entry.sessionId).toBe("file-session");
  });

  it("keeps costUSD and isSidechain", () => {
    const r = parseTranscriptLine(assistant({ output_tokens: 1 }, { costUSD: 0.25, isSidechain: true }), ctx);
    expect(r.kind === "usage" && [r.entry.costUSD, r.entry.isSidechain]).toEqual([0.25, true]);
  });
});

describe("hostile input", () => {
  it.each([
    ["numbers as strings", assistant({ input_tokens: "12" }), "message.usage.input_tokens"],
    ["negative", assistant({ output_tokens: -1 }), "message.usage.output_tokens"],
    ["usage not an object", assistant([1, 2]), "message.usage"],
    ["bad timestamp", assistant({ output_tokens: 1 }, { timestamp: "yesterday" }), "timestamp"],
    ["nested breakdown wrong", assistant({ cache_creation: { ephemeral_1h_input_tokens: true } }), "ephemeral_1h_input_tokens"],
    ["array", "[1,2,3]", "not a JSON object"],
    ["NaN literal", '{"message":{"usage":{"input_tokens":NaN}}}', "not JSON"],
  ])("%s is invalid and says why", (_name, line, why) => {
    const r = parseTranscriptLine(line, ctx);
    expect(r.kind).toBe("invalid");
    expect(r.kind === "invalid" && r.reason).toContain(why);
  });

  it("never throws on arbitrary text or JSON", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ message: { usage: v }, timestamp: "2026-01-01T00:00:00Z" }))), (line) => {
        const r = parseTranscriptLine(line, ctx);
        return ["usage", "limit", "none", "invalid"].includes(r.kind);
      }),
    );
  });

  it("never yields negative or non-finite counts", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"), fc.jsonValue()), (usage) => {
        const r = parseTranscriptLine(assistant(usage), ctx);
        if (r.kind !== "usage") return true;
        return Object.values(r.entry.tokens).every((n) => Number.isFinite(n) && n >= 0);
      }),
    );
  });

  it("reads every ISO timestamp exactly as Date.parse does", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true }), (d) => {
        const r = parseTranscriptLine(assistant({ output_tokens: 1 }, { timestamp: d.toISOString() }), ctx);
        return r.kind === "usage" && r.entry.timestamp === d.getTime();
      }),
    );
    const other = parseTranscriptLine(assistant({ output_tokens: 1 }, { timestamp: "2026-01-05T12:00:00+02:00" }), ctx);
    expect(other.kind === "usage" && other.entry.timestamp).toBe(Date.parse("2026-01-05T10:00:00Z"));
  });

  it("pre-filters on the usage marker", () => {
    expect(mayCarryUsage(alpha[0]!)).toBe(false);
    expect(mayCarryUsage(Buffer.from(alpha[2]!))).toBe(true);
  });
});
