import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeAnthropic, type FakeAnthropic } from "./fake-anthropic.js";

const ALICE = "sk-ant-oat01-FIXTURE-ACCESS-alice";
const BOB = "sk-ant-oat01-FIXTURE-ACCESS-bob";
let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(() => fake.close());

const get = (path: string, headers: Record<string, string>) => fetch(`${fake.url}${path}`, { headers });
const oauth = (token: string) => ({ Authorization: `Bearer ${token}`, "anthropic-beta": "oauth-2025-04-20" });

describe("fake Anthropic server", () => {
  it("serves each token's recorded usage and profile bodies", async () => {
    const usage = (await (await get("/api/oauth/usage", oauth(ALICE))).json()) as Record<string, unknown>;
    expect(usage.five_hour).toMatchObject({ utilization: 62 });
    const profile = (await (await get("/api/oauth/profile", oauth(BOB))).json()) as { account: { uuid: string } };
    expect(profile.account.uuid).toBe("22222222-2222-4222-8222-222222222222");
  });

  it("refuses like the real endpoint without the beta header, a bearer token, or with an unknown token", async () => {
    const noBeta = await get("/api/oauth/usage", { Authorization: `Bearer ${ALICE}` });
    expect(noBeta.status).toBe(401);
    expect(JSON.stringify(await noBeta.json())).toContain("OAuth authentication is currently not supported");
    expect((await get("/api/oauth/usage", { "anthropic-beta": "oauth-2025-04-20" })).status).toBe(401);
    expect((await get("/api/oauth/usage", oauth("sk-ant-oat01-FIXTURE-ACCESS-stranger"))).status).toBe(401);
  });

  it("logs requests by token hash, never by token", async () => {
    const before = fake.requests.forToken(ALICE).length;
    await get("/api/oauth/usage", oauth(ALICE));
    expect(fake.requests.forToken(ALICE)).toHaveLength(before + 1);
    expect(JSON.stringify(fake.requests.log)).not.toContain("FIXTURE-ACCESS");
  });

  it("applies a fault to one token only when asked", async () => {
    fake.setMode("429", { token: BOB, retryAfter: 0 });
    const bob = await get("/api/oauth/usage", oauth(BOB));
    expect([bob.status, bob.headers.get("retry-after")]).toEqual([429, "0"]);
    expect((await get("/api/oauth/usage", oauth(ALICE))).status).toBe(200);
    fake.setMode("ok");
    expect((await get("/api/oauth/usage", oauth(BOB))).status).toBe(200);
  });

  it("can be driven from another process through its control endpoint", async () => {
    await fetch(`${fake.url}/__fake/mode`, { method: "POST", body: JSON.stringify({ mode: "token_expired" }) });
    const res = await get("/api/oauth/usage", oauth(ALICE));
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toContain("token_expired");
    fake.setMode("ok");
  });
});
