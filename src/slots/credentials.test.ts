import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixtureText, permissionsAreBypassed } from "../../test/slot-sandbox.js";
import { MAX_CREDENTIALS_BYTES, parseCredentials, readSlotFile, refreshTokenSha256 } from "./credentials.js";

describe("parseCredentials", () => {
  it("reads the current shape (FORMATS 6)", () => {
    const r = parseCredentials(fixtureText("alice.json"));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.oauth.expiresAt).toBe(1798761600000);
    expect(r.oauth.subscriptionType).toBe("max");
    expect(r.oauth.rateLimitTier).toBe("default_claude_max_20x");
    expect(r.oauth.scopes).toHaveLength(5);
    expect(r.oauth.accessToken.reveal()).toBe("sk-ant-oat01-FIXTURE-ACCESS-alice");
  });

  it("keeps tokens out of JSON.stringify and String()", () => {
    const r = parseCredentials(fixtureText("bob.json"));
    expect(r.ok).toBe(true);
    const text = JSON.stringify(r) + String(r.ok && r.oauth.accessToken);
    expect(text).not.toContain("FIXTURE-ACCESS");
    expect(text).not.toContain("FIXTURE-REFRESH");
  });

  it("reads older files without rateLimitTier", () => {
    const r = parseCredentials(fixtureText("legacy-scopes.json"));
    expect(r.ok && r.oauth.rateLimitTier).toBe(null);
    expect(r.ok && r.oauth.subscriptionType).toBe("pro");
  });

  it.each([
    ["mcp-only.json", "missing", "only mcpOAuth"],
    ["truncated.json", "malformed", "truncated JSON"],
    ["expires-string.json", "malformed", "claudeAiOauth.expiresAt must be a number"],
    ["empty-access.json", "malformed", "claudeAiOauth.accessToken must be a non-empty string"],
    ["no-refresh.json", "malformed", "claudeAiOauth.refreshToken must be a non-empty string"],
    ["not-object.json", "malformed", "top level is not a JSON object"],
  ])("%s is %s naming the problem", (file, state, problem) => {
    const r = parseCredentials(fixtureText(file));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.state).toBe(state);
    expect(r.problem).toContain(problem);
  });

  it.each([
    ["", "malformed", "empty"],
    ["{}", "missing", "no claudeAiOauth"],
    ['{"claudeAiOauth": null}', "missing", "no claudeAiOauth"],
    ['{"claudeAiOauth": 3}', "malformed", "claudeAiOauth is not an object"],
    ['{"claudeAiOauth": {"accessToken": "a", "refreshToken": "b", "expiresAt": null}}', "malformed", "expiresAt"],
    ['{"claudeAiOauth": {"accessToken": 5, "refreshToken": "b", "expiresAt": 1}}', "malformed", "accessToken"],
    ['\uFEFF{"claudeAiOauth": {"accessToken": "a", "refreshToken": "b", "expiresAt": 1}}', "ok", ""],
  ])("%j -> %s", (text, state, problem) => {
    const r = parseCredentials(text);
    if (state === "ok") return expect(r.ok).toBe(true);
    expect(r.ok ? "ok" : r.state).toBe(state);
    if (!r.ok) expect(r.problem).toContain(problem);
  });

  it("never echoes the input in a problem (V8 quotes JSON input in its errors)", () => {
    const token = "sk-ant-oat01-FIXTURE-ACCESS-leak";
    for (const text of [`{"claudeAiOauth": ${token}}`, `${token}`, `{"a": "${token}" x}`]) {
      const r = parseCredentials(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problem).not.toContain("FIXTURE");
    }
  });

  it("survives any input without throwing, and problems never contain the input's tokens (property)", () => {
    const tokenish = fc.string().map((s) => `sk-ant-oat01-FIXTURE-ACCESS-${s}`);
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      tokenish.map((t) => `{"claudeAiOauth":{"accessToken":"${t}","refreshToken":${JSON.stringify(t)},"expiresAt":"x"}}`),
      tokenish.map((t) => `{"claudeAiOauth":{"accessToken":${JSON.stringify(t)}`),
      fc.anything().map((v) => {
        try {
          return JSON.stringify({ claudeAiOauth: v }) ?? "";
        } catch {
          return "";
        }
      }),
    );
    fc.assert(
      fc.property(body, (text) => {
        const r = parseCredentials(text);
        if (!r.ok) {
          expect(["missing", "malformed"]).toContain(r.state);
          expect(r.problem).not.toContain("FIXTURE-ACCESS");
          expect(r.problem.split("\n")).toHaveLength(1);
        } else {
          expect(r.oauth.accessToken.reveal().length).toBeGreaterThan(0);
          expect(Number.isFinite(r.oauth.expiresAt)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("hashes refresh tokens, never returning the token", () => {
    const r = parseCredentials(fixtureText("alice.json"));
    if (!r.ok) throw new Error("fixture");
    const h = refreshTokenSha256(r.oauth.refreshToken);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain("FIXTURE");
  });
});

describe("readSlotFile", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "usagetop-cred-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a regular file with its mtime", () => {
    const p = join(dir, "f");
    writeFileSync(p, "{}");
    const r = readSlotFile(p);
    expect(r.ok && r.text).toBe("{}");
  });

  it("classifies a missing file, a dangling link, a loop and a directory", () => {
    expect(readSlotFile(join(dir, "nope"))).toMatchObject({ ok: false, state: "missing", problem: "no credentials file" });
    symlinkSync("gone", join(dir, "dangling"));
    expect(readSlotFile(join(dir, "dangling"))).toMatchObject({ ok: false, state: "missing", problem: "dangling symlink to gone" });
    symlinkSync("b", join(dir, "a"));
    symlinkSync("a", join(dir, "b"));
    expect(readSlotFile(join(dir, "a"))).toMatchObject({ ok: false, state: "unreadable", problem: "symlink loop" });
    mkdirSync(join(dir, "d"));
    expect(readSlotFile(join(dir, "d"))).toMatchObject({ ok: false, state: "unreadable" });
  });

  it("does not hang on a FIFO planted at the path", () => {
    const p = join(dir, "fifo");
    execFileSync("mkfifo", [p]);
    expect(readSlotFile(p)).toMatchObject({ ok: false, state: "unreadable", problem: "not a regular file" });
  });

  it("refuses files over 1 MiB", () => {
    const p = join(dir, "big");
    writeFileSync(p, "x".repeat(MAX_CREDENTIALS_BYTES + 1));
    expect(readSlotFile(p)).toMatchObject({ ok: false, state: "malformed" });
  });

  it.skipIf(permissionsAreBypassed())("reports mode 000 as unreadable (permission denied) [skipped when run as root: root reads mode-000 files]", () => {
    const p = join(dir, "locked");
    writeFileSync(p, "{}");
    chmodSync(p, 0);
    expect(readSlotFile(p)).toMatchObject({ ok: false, state: "unreadable", problem: "permission denied" });
  });
});
