import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeSandbox, type Sandbox } from "../../test/slot-sandbox.js";
import { reauthSteps } from "./reauth.js";

describe("reauthSteps", () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  it("names the real paths, the account, and every step", () => {
    const lines = reauthSteps(
      sb.config(),
      "bob",
      { schemaVersion: 1, slot: "bob", accountUuid: "u", email: "bob@example.invalid", organizationUuid: null, subscriptionType: null, rateLimitTier: null, refreshTokenSha256: null, baselinedAt: "x" },
      "alice",
    ).join("\n");
    expect(lines).toContain(`ln -sfn .credentials.json.bob ${sb.credsDir}/.credentials.json`);
    expect(lines).toContain("/login");
    expect(lines).toContain("bob@example.invalid");
    expect(lines).toContain(`mv -f ${sb.credsDir}/.credentials.json ${sb.credsDir}/.credentials.json.bob`);
    expect(lines).toContain("usagetop slots baseline bob");
    expect(lines).toContain("usagetop slots check --probe");
    expect(lines).toContain("usagetop switch alice");
  });
});
