import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixtureText } from "../../test/slot-sandbox.js";
import { identityPath, readClaudeJsonAccount, readIdentity, writeIdentity, type Identity } from "./identity.js";

describe("identity sidecar and ~/.claude.json", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "usagetop-identity-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trips the sidecar (0600) and reads the fixture", () => {
    const fixture = JSON.parse(fixtureText("identity-alice.json")) as Identity;
    writeIdentity(dir, fixture);
    expect(statSync(identityPath(dir, "alice")).mode & 0o777).toBe(0o600);
    expect(readIdentity(dir, "alice")).toEqual({ ok: true, identity: fixture });
  });

  it("missing and corrupt sidecars say so, naming the field", () => {
    expect(readIdentity(dir, "bob")).toMatchObject({ ok: false, missing: true });
    writeFileSync(identityPath(dir, "bob"), JSON.stringify({ schemaVersion: 1, slot: "bob", accountUuid: "" }));
    const r = readIdentity(dir, "bob");
    expect(r).toMatchObject({ ok: false, missing: false });
    expect(!r.ok && r.problem).toContain("accountUuid");
  });

  it("reads oauthAccount from ~/.claude.json, and treats torn or odd files as unknown", () => {
    const p = join(dir, ".claude.json");
    writeFileSync(p, fixtureText("../oauth/claude-json.json"));
    expect(readClaudeJsonAccount(p)?.account).toEqual({
      accountUuid: "11111111-1111-4111-8111-111111111111",
      email: "alice@example.invalid",
      organizationUuid: "aaaaaaaa-1111-4111-8111-111111111111",
    });
    for (const text of ['{"oauthAccount": {"accountUuid": "x"', "[]", '{"oauthAccount": null}', '{"oauthAccount": {"accountUuid": 3}}', ""]) {
      writeFileSync(p, text);
      expect(readClaudeJsonAccount(p)).toBeNull();
    }
    expect(readClaudeJsonAccount(join(dir, "none.json"))).toBeNull();
  });
});
