import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseCredentials, readCredentials, redactTokens } from "./credentials.js";

const ACCESS = "sk-ant-oat01-FIXTURE-ACCESS-credtest";
const REFRESH = "sk-ant-ort01-FIXTURE-REFRESH-credtest";
const dir = mkdtempSync(join(tmpdir(), "usagetop-creds-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content, { mode: 0o600 });
  return p;
}

const good = {
  claudeAiOauth: {
    accessToken: ACCESS,
    refreshToken: REFRESH,
    expiresAt: 1790000000000,
    scopes: ["user:inference", "user:profile"],
    subscriptionType: "max",
    rateLimitTier: "default_claude_max_20x",
  },
};

describe("readCredentials", () => {
  it("reads token, expiry, plan and tier", () => {
    const r = readCredentials(file("ok.json", JSON.stringify(good)));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.credentials.accessToken.reveal()).toBe(ACCESS);
    expect(r.credentials).toMatchObject({ expiresAt: 1790000000000, subscriptionType: "max", rateLimitTier: "default_claude_max_20x" });
    expect(r.credentials.refreshTokenSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps the token out of String, JSON and inspect", () => {
    const r = readCredentials(file("ok2.json", JSON.stringify(good)));
    const shown = [String(r.ok && r.credentials.accessToken), JSON.stringify(r), inspect(r, { depth: 10 })].join("\n");
    expect(shown).not.toContain("FIXTURE-ACCESS");
    expect(shown).not.toContain("FIXTURE-REFRESH");
  });

  it("accepts older files without rateLimitTier", () => {
    const old = { claudeAiOauth: { accessToken: ACCESS, refreshToken: REFRESH, expiresAt: 1, scopes: ["user:inference", "user:profile"] } };
    const r = readCredentials(file("old.json", JSON.stringify(old)));
    expect(r.ok && r.credentials.rateLimitTier).toBeNull();
  });

  it("says missing for no file and for an mcpOAuth-only file", () => {
    expect(readCredentials(join(dir, "nope"))).toMatchObject({ ok: false, problem: "missing" });
    expect(readCredentials(file("mcp.json", JSON.stringify({ mcpOAuth: { "plugin:x": {} } })))).toMatchObject({ ok: false, problem: "missing" });
  });

  it("names the malformed field without its value", () => {
    const bad = { claudeAiOauth: { ...good.claudeAiOauth, expiresAt: "soon" } };
    const r = readCredentials(file("bad.json", JSON.stringify(bad)));
    expect(r).toMatchObject({ ok: false, problem: "malformed" });
    if (!r.ok) {
      expect(r.message).toContain("claudeAiOauth.expiresAt");
      expect(r.message).not.toContain("FIXTURE");
    }
    const empty = { claudeAiOauth: { ...good.claudeAiOauth, accessToken: "" } };
    const r2 = readCredentials(file("empty.json", JSON.stringify(empty)));
    expect(!r2.ok && r2.message).toContain("claudeAiOauth.accessToken");
  });

  it("never quotes the file in a JSON error (V8 messages include the text)", () => {
    const r = readCredentials(file("torn.json", `{"claudeAiOauth":{"accessToken":"${ACCESS}","refreshToken":"${REFRESH}"`));
    expect(r).toMatchObject({ ok: false, problem: "malformed" });
    expect(JSON.stringify(r)).not.toContain("FIXTURE");
  });

  // root reads everything, so the permission case cannot be staged there.
  it.skipIf(process.getuid?.() === 0)("reports unreadable files", () => {
    const p = file("locked.json", JSON.stringify(good));
    chmodSync(p, 0o000);
    expect(readCredentials(p)).toMatchObject({ ok: false, problem: "unreadable" });
  });

  it("reports a directory as unreadable", () => {
    expect(readCredentials(dir)).toMatchObject({ ok: false, problem: "unreadable" });
  });

  it("never throws and never echoes a token on hostile text", () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (s, j) => {
        for (const text of [s, JSON.stringify(j), `${s}${ACCESS}`, JSON.stringify({ claudeAiOauth: j, x: ACCESS })]) {
          const r = parseCredentials(text, "/x");
          if (!r.ok) expect(r.message).not.toContain("FIXTURE");
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("redactTokens", () => {
  it("scrubs anything token-shaped", () => {
    expect(redactTokens(`oops ${ACCESS} and ${REFRESH}.`)).toBe("oops sk-ant-[redacted] and sk-ant-[redacted].");
  });
});
