import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { foldProbe, probeFailedFor, probesPath, readProbes, recordProbes, type ProbeRecord } from "./probe-store.js";

const rec = (over: Partial<ProbeRecord> = {}): ProbeRecord => ({
  at: "2026-11-22T10:00:00.000Z",
  ok: true,
  reason: null,
  conclusive: true,
  accountUuid: "u1",
  email: "a@example.invalid",
  refreshTokenSha256: "a".repeat(64),
  ...over,
});

describe("probe verdicts", () => {
  it("an inconclusive failure updates `last` but keeps the verdict", () => {
    const ok = foldProbe(undefined, rec());
    const net = foldProbe(ok, rec({ ok: false, conclusive: false, reason: "cannot reach host" }));
    expect(net.last.reason).toBe("cannot reach host");
    expect(net.verdict?.ok).toBe(true);
    const dead = foldProbe(net, rec({ ok: false, conclusive: true, reason: "HTTP 401" }));
    expect(dead.verdict?.ok).toBe(false);
  });

  it("a failed verdict applies only to the credentials it tested", () => {
    const dead = foldProbe(undefined, rec({ ok: false, reason: "HTTP 401" }));
    expect(probeFailedFor(dead, "a".repeat(64))?.reason).toBe("HTTP 401");
    expect(probeFailedFor(dead, "b".repeat(64))).toBeNull();
    expect(probeFailedFor(dead, null)?.reason).toBe("HTTP 401");
    expect(probeFailedFor(foldProbe(undefined, rec()), "a".repeat(64))).toBeNull();
    expect(probeFailedFor(undefined, null)).toBeNull();
  });
});

describe("probes.json", () => {
  let stateDir: string;
  beforeEach(() => {
    stateDir = join(mkdtempSync(join(tmpdir(), "usagetop-probes-")), "usagetop");
  });
  afterEach(() => rmSync(join(stateDir, ".."), { recursive: true, force: true }));

  it("records results per slot atomically with mode 0600, merging with earlier slots", async () => {
    await recordProbes(stateDir, { alice: rec() }, new Date());
    await recordProbes(stateDir, { bob: rec({ ok: false, reason: "HTTP 401" }) }, new Date());
    const { probes, warning } = readProbes(stateDir);
    expect(warning).toBeNull();
    expect(Object.keys(probes).sort()).toEqual(["alice", "bob"]);
    expect(statSync(probesPath(stateDir)).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(stateDir).filter((n) => n.includes("tmp"))).toEqual([]);
  });

  it("moves a corrupt file aside with one warning and rebuilds", async () => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(probesPath(stateDir), "{not json");
    expect(readProbes(stateDir).warning).toContain("corrupt");
    const warning = await recordProbes(stateDir, { alice: rec() }, new Date("2026-11-22T10:00:00Z"));
    expect(warning).toContain("moved aside");
    expect(readdirSync(stateDir).some((n) => n.startsWith("probes.json.corrupt-"))).toBe(true);
    expect(JSON.parse(readFileSync(probesPath(stateDir), "utf8")).slots.alice.verdict.ok).toBe(true);
  });
});
